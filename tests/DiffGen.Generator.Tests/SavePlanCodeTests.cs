using System.Linq;
using static DiffGen.Generator.Tests.SaveLessCodeTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 10 leftovers: where the gradient keeps a costly value (the cheaper plan wins: a running-max log-sum-exp's eˣ in
/// dx, not a local pushed per element; softmax's in dz, its normalized outputs unsaved) and which loop bounds it saves (none read from integer locals declared once from
/// unwritten names; those that change still). SavePlanTests in the consumer tests checks the numbers of the same shapes.
/// </summary>
public class SavePlanCodeTests
{
    /// <summary>Log-sum-exp shifted by a running Math.Max: eˣ's partial is needed for x and for the max.</summary>
    internal const string RunningMaxLogSumExp = """
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double max = x[0];
                    for (int i = 1; i < x.Length; i++)
                    {
                        max = Math.Max(max, x[i]);
                    }

                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sum += Math.Exp(x[i] - max);
                    }

                    return max + Math.Log(sum);
                }
            """;

    [Fact]
    public void A_running_max_log_sum_exp_keeps_each_exponential_in_dx_and_saves_nothing()
    {
        string gradient = Gradient(RunningMaxLogSumExp, "F");

        // one exponential per element, over the whole slice of dx; nothing pushed: the running max only shifts the
        // log-sum-exp, whose derivative through it is exactly 0 (LogSumExpShift), so its old values are not needed
        Assert.Equal(0, Count(gradient, "Math.Exp("));
        Assert.Equal(1, Count(gradient, "ExpInPlace(dx, 0, x.Length);"));
        Assert.Equal(0, Count(gradient, "_stack.Push("));
        Assert.DoesNotContain("_exp", gradient);
    }

    [Fact]
    public void A_Hessian_vector_products_scratch_gradient_still_keeps_the_exponential_in_a_local()
    {
        string code = HessianVector(RunningMaxLogSumExp);

        // its outputs are scratch, so no element cache: the kept local is the cheaper plan there
        Assert.Contains("_stack.Push(_exp);", code);
    }

    [Fact]
    public void An_inner_bound_read_from_a_local_declared_once_is_read_again_not_pushed_per_row()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
                {
                    int d = 3;
                    int rows = x.Length / d;
                    double total = 0.0;
                    for (int b = 0; b < rows; b++)
                    {
                        double a = 0.0;
                        for (int k = 0; k < d; k++)
                        {
                            a += Math.Sin(w[k] * x[b * d + k]);
                        }

                        total += a * a;
                    }

                    return total;
                }
            """, "F");

        // d and rows are read again; the one push is the row's a, which its reverse reads (a + a)
        Assert.DoesNotContain("_end", gradient);
        Assert.Equal(1, Count(gradient, "_stack.Push("));
        Assert.Contains("_stack.Push(a);", gradient);
        Assert.Contains("for (int k = d - 1; k >= 0; k--)", gradient);
        Assert.Contains("for (int b = rows - 1; b >= 0; b--)", gradient);
    }

    [Fact]
    public void Bounds_that_change_are_still_saved()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> w)
                {
                    int m = 1;
                    double total = 0.0;
                    for (int b = 0; b < w.Length; b++)
                    {
                        int n = b + 1;
                        double s = 0.0;
                        for (int k = 0; k < n; k++)
                        {
                            s += Math.Cos(w[k] * w[b]);
                        }

                        for (int k = 0; k < m; k++)
                        {
                            s += Math.Sin(w[k] * w[b]);
                        }

                        total += s * s;
                        m = m + 1;
                    }

                    return total;
                }
            """, "F");

        // n reads the row's counter, m is assigned: both inner loops' ends are saved per row
        Assert.Equal(2, Count(gradient, "_stack.Push(_end"));
    }

    [Fact]
    public void A_normalized_softmax_saves_nothing_and_keeps_each_exponential_in_the_input_adjoint()
    {
        string vjp = Member("""
                [Differentiable]
                public static void F(ReadOnlySpan<double> z, Span<double> p)
                {
                    double max = z[0];
                    for (int i = 1; i < z.Length; i++)
                    {
                        max = Math.Max(max, z[i]);
                    }

                    double sum = 0.0;
                    for (int i = 0; i < z.Length; i++)
                    {
                        p[i] = Math.Exp(z[i] - max);
                        sum += p[i];
                    }

                    for (int i = 0; i < z.Length; i++)
                    {
                        p[i] /= sum;
                    }
                }
            """, "FVjp(", "FJvp(");

        // p[i] /= sum reads back the value it stored (its partial for sum is −p[i]/sum), and the fill's reverse takes
        // eˣ from dz (kept there by the forward loop) instead of reading p, so p's old elements are never read: no
        // push or pop per element, and p needs no copy of its final values to put back. The running max is saved.
        Assert.Equal(1, Count(vjp, "_stack.Push("));
        Assert.Contains("_stack.Push(max);", vjp);
        Assert.DoesNotContain("_final_p", vjp);
        Assert.Equal(1, Count(vjp, "ExpInPlace(dz, 0, z.Length);"));
        Assert.DoesNotContain("Math.Exp(", vjp);
    }

    internal static string HessianVector(string source) => Member(source, "FHessianVector(", null);

    /// <summary>The generated text from the member named by <paramref name="start"/> to the one named by <paramref name="end"/> (or the end).</summary>
    private static string Member(string source, string start, string? end)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + source + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string code = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        int from = code.IndexOf(start, System.StringComparison.Ordinal);
        return end is null ? code[from..] : code[from..code.IndexOf(end, from, System.StringComparison.Ordinal)];
    }
}
