using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Which loops print as element-wise maps (vector loops with scalar tails, slice functions) and which stay
/// loops: a recurrence, a read of another element of a written span, a short constant loop and the complex
/// overload stay scalar. The first loop that fills a span saves none of its old elements. The numbers are
/// checked in the consumer tests (LoopMapTests).
/// </summary>
public class LoopMapCodeTests
{
    private static string Generate(string body)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + body + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        return string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
    }

    private static string Member(string code, string signature)
    {
        int start = code.IndexOf(signature, System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"no member {signature}");
        var next = System.Text.RegularExpressions.Regex.Match(code[(start + signature.Length)..], @"\n\s*(///|public |internal |private )");
        return next.Success ? code.Substring(start, signature.Length + next.Index) : code[start..];
    }

    private const string Kernels = "global::DiffGen.Expr.LoopKernels";

    [Fact]
    public void A_tanh_map_and_its_adjoint_are_vector_loops_and_save_nothing()
    {
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
                {
                    Span<double> y = stackalloc double[x.Length];
                    for (int i = 0; i < x.Length; i++)
                    {
                        y[i] = Math.Tanh(x[i]);
                    }

                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += w[i] * y[i];
                    }

                    return s;
                }
            """);
        string gradient = Member(code, "FGradient(");
        // forward: the lanes copy x, the slice function takes the tanh of the whole slice in place
        Assert.Contains($"{Kernels}.Store({Kernels}.Load(x, i), y, i);", gradient);
        Assert.Contains($"{Kernels}.TanhInPlace(y, 0, x.Length);", gradient);
        // reverse: x̄ᵢ = ȳᵢ(1 − yᵢ²) lane by lane, with a scalar tail from the end of the whole vectors
        Assert.Contains($"{Kernels}.Store(({Kernels}.Load(_d_y, i) * (_lanes", gradient);
        Assert.Contains("for (int i = _lanesEnd", gradient);
        // y's old elements are never read in reverse: nothing pushed
        Assert.DoesNotContain("_stack", gradient);

        string complex = Member(code, "Complex F(");
        Assert.DoesNotContain("LoopKernels", complex);
    }

    [Fact]
    public void An_exp_map_and_the_sum_of_what_it_wrote_run_one_after_the_other()
    {
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, double c)
                {
                    Span<double> e = stackalloc double[x.Length];
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        e[i] = Math.Exp(x[i] - c);
                        sum += e[i];
                    }

                    return Math.Log(sum);
                }
            """);
        string gradient = Member(code, "FGradient(");
        int exp = gradient.IndexOf($"{Kernels}.ExpInPlace(e, 0, x.Length);", System.StringComparison.Ordinal);
        int sum = gradient.IndexOf("sum += global::System.Numerics.Vector.Sum(", System.StringComparison.Ordinal);
        Assert.True(exp >= 0 && sum > exp, gradient);
    }

    [Fact]
    public void Recurrences_other_elements_of_a_written_span_and_short_loops_stay_loops()
    {
        string code = Generate("""
                [Differentiable]
                public static double Recurrence(ReadOnlySpan<double> x)
                {
                    Span<double> y = stackalloc double[x.Length];
                    y[0] = x[0];
                    for (int i = 1; i < x.Length; i++)
                    {
                        y[i] = y[i - 1] * 0.5 + x[i];
                    }

                    return y[x.Length - 1];
                }

                [Differentiable]
                public static double Shifted(ReadOnlySpan<double> x)
                {
                    Span<double> y = stackalloc double[x.Length + 1];
                    for (int i = 0; i < x.Length; i++)
                    {
                        y[i] = x[i] * y[i + 1];
                    }

                    return y[0];
                }

                [Differentiable]
                public static double Short(ReadOnlySpan<double> x)
                {
                    Span<double> y = stackalloc double[8];
                    for (int i = 0; i < 8; i++)
                    {
                        y[i] = Math.Exp(x[i]);
                    }

                    return y[3];
                }
            """);
        foreach (var member in new[] { "RecurrenceGradient(", "ShiftedGradient(", "ShortGradient(" })
        {
            Assert.DoesNotContain("LoopKernels.Lanes", Member(code, member));
        }
    }
}
