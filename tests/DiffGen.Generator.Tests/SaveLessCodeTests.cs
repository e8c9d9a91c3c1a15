using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 11: what the reverse sweep of a GMM-shaped loop saves — a scratch array refilled from read-only inputs is
/// filled again, an array updated many times is saved once per component, eˣ is computed once per reverse step —
/// and what a look-alike still saves. The consumer tests (ScratchArrayTests) check the numbers of the same shapes.
/// </summary>
public class SaveLessCodeTests
{
    internal static string Gradient(string source, string method)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + source + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string code = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        int start = code.IndexOf(method + "Gradient(", System.StringComparison.Ordinal);
        int end = code.IndexOf(method + "Tangent(", start, System.StringComparison.Ordinal);
        return code[start..end];
    }

    internal static int Count(string code, string part) => (code.Length - code.Replace(part, "").Length) / part.Length;

    [Fact]
    public void A_refilled_scratch_array_is_filled_again_and_an_updated_one_saved_once_per_component()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double Gmm(ReadOnlySpan<double> means, ReadOnlySpan<double> q, ReadOnlySpan<double> l, [NoDiff] ReadOnlySpan<double> x, int d, int k)
                {
                    Span<double> beta = stackalloc double[k];
                    Span<double> centered = stackalloc double[d];
                    Span<double> qx = stackalloc double[d];
                    double total = 0.0;
                    for (int i = 0; i < x.Length / d; i++)
                    {
                        for (int c = 0; c < k; c++)
                        {
                            for (int j = 0; j < d; j++)
                            {
                                centered[j] = x[i * d + j] - means[c * d + j];
                                qx[j] = Math.Exp(q[c * d + j]) * centered[j];
                            }

                            for (int col = 0; col < d; col++)
                            {
                                for (int r = col + 1; r < d; r++)
                                {
                                    qx[r] += l[(c * d + r) * d + col] * centered[col];
                                }
                            }

                            double norm = 0.0;
                            for (int j = 0; j < d; j++)
                            {
                                norm += qx[j] * qx[j];
                            }

                            beta[c] = -0.5 * norm;
                        }

                        double sum = 0.0;
                        for (int c = 0; c < k; c++)
                        {
                            sum += Math.Exp(beta[c] - beta[0]);
                        }

                        total += Math.Log(sum);
                    }

                    return total;
                }
            """, "Gmm");

        // centered: filled again at the start of each component's reverse, never saved
        Assert.DoesNotContain("_stack.Push(centered", gradient);
        Assert.Equal(2, Count(gradient, "centered[j] = x[i * d + j] - means[c * d + j];"));

        // qx: one save of each element per component, in a loop of its own, none at the updates
        Assert.Equal(1, Count(gradient, "_stack.Push(qx["));
        Assert.Matches(@"for \(int k1 = 0; k1 < d; k1\+\+\)\s*\{\s*_stack\.Push\(qx\[k1\]\);", gradient);

        // e^(beta[c] - beta[0]): once, in the forward sum; kept for both of its partials in the reverse sweep (PartialValues)
        Assert.Equal(1, Count(gradient, "Math.Exp(beta[c] - beta[0])"));
    }

    [Fact]
    public void An_array_whose_updates_read_it_is_saved_at_every_store()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double Products(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d)
                {
                    Span<double> a = stackalloc double[d];
                    double s = 0.0;
                    for (int c = 0; c < p.Length / d; c++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            a[j] = x[j] * p[c * d + j];
                        }

                        for (int j = 1; j < d; j++)
                        {
                            a[j] = a[j] * a[j - 1];
                        }

                        for (int j = 0; j < d; j++)
                        {
                            s += a[j];
                        }
                    }

                    return s;
                }
            """, "Products");
        // at both stores (the second pushes the element through the local SharedValues loads it into)
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(gradient, @"_stack\.Push\((a\[j\]|_a\d*)\);").Count);
    }

    [Fact]
    public void A_loop_invariant_exponential_is_computed_once_and_a_local_reading_it_recomputed()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double Scaled(ReadOnlySpan<double> means, double logScale, [NoDiff] ReadOnlySpan<double> x)
                {
                    double total = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        for (int k = 0; k < means.Length; k++)
                        {
                            double d = (x[i] - means[k]) * Math.Exp(-logScale);
                            total += Math.Log(1.0 + d * d);
                        }
                    }

                    return total;
                }
            """, "Scaled");
        Assert.Equal(1, Count(gradient, "Math.Exp(-logScale)"));
        Assert.DoesNotContain("_stack.Push(d)", gradient);
    }
}
