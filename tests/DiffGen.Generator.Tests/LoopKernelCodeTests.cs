using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Which loops print as vectorized kernels (LoopKernels.Dot / AddScaled) and which stay loops: a statement
/// that reads what another writes, a recurrence, a short constant loop and the complex overload stay scalar.
/// The numbers of the same shapes are checked in the consumer tests (LoopKernelTests).
/// </summary>
public class LoopKernelCodeTests
{
    private static string Generate(string body)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + body + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        return string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    [Fact]
    public void A_matrix_vector_product_and_its_adjoints_are_kernels()
    {
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> w, ReadOnlySpan<double> x, [NoDiff] int rows)
                {
                    int n = x.Length;
                    double total = 0;
                    for (int j = 0; j < rows; j++)
                    {
                        double a = 0;
                        for (int k = 0; k < n; k++)
                        {
                            a += w[j * n + k] * x[k];
                        }

                        total += Math.Tanh(a);
                    }

                    return total;
                }
            """);
        string gradient = Member(code, "FGradient(");
        // The reverse sweep reads the loop's end n again (declared once from x.Length), saving nothing for it.
        Assert.Contains("a += global::DiffGen.Expr.LoopKernels.Dot(w, j * n, x, 0, n);", gradient);
        Assert.Contains("global::DiffGen.Expr.LoopKernels.AddScaled(dw, j * n, _d_a, x, 0, n);", gradient);
        Assert.Contains("global::DiffGen.Expr.LoopKernels.AddScaled(dx, 0, _d_a, w, j * n, n);", gradient);
        Assert.DoesNotContain("_end", gradient);
        Assert.DoesNotContain("for (int k", gradient);

        // Forward mode: the tangent's two products are two dot products into one accumulator.
        string tangent = Member(code, "FTangent(");
        Assert.Contains("_tan_a += global::DiffGen.Expr.LoopKernels.Dot(x, 0, tw, j * n, n) + global::DiffGen.Expr.LoopKernels.Dot(w, j * n, tx, 0, n);", tangent);
        Assert.DoesNotContain("for (int k", tangent);

        // The complex-step overload keeps the loop: kernels are over double.
        string complex = Member(code, "Complex F(");
        Assert.Contains("for (int k = 0; k < n; k++)", complex);
        Assert.DoesNotContain("LoopKernels", complex);
    }

    [Fact]
    public void A_batch_loop_computes_products_and_applies_weight_updates_a_block_at_a_time()
    {
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int count)
                {
                    double total = 0;
                    for (int s = 0; s < count; s++)
                    {
                        int sample = s * 20;
                        for (int j = 0; j < 32; j++)
                        {
                            double a = 0;
                            for (int k = 0; k < 20; k++)
                            {
                                a += p[j * 20 + k] * x[sample + k];
                            }

                            total += Math.Tanh(a);
                        }
                    }

                    return total;
                }
            """);
        // Forward: the products of 32 samples (4096 / 32 rows, at most 32) row by row, read back in the row loop.
        string gradient = Member(code, "FGradient(");
        Assert.Contains("_starts[_b] = ((s + _b) * 20);", gradient);
        Assert.Contains("global::DiffGen.Expr.LoopKernels.RowDots(p, 0, 20, 32, x, _starts.Slice(0, _fill), _dots, 32, 20);", gradient);
        Assert.Contains("a += _dots[j * 32 + _slot];", gradient);
        Assert.Contains("_fill = global::System.Math.Min(32, count - s);", gradient);
        Assert.Contains("_fill1 = global::System.Math.Min(32, s + 1);", gradient);

        // Reverse: the sample loop runs backwards; each row's scale is recorded and the block's outer products added at its end.
        Assert.Contains("_scales[j * 32 + _slot1] = _d_a;", gradient);
        Assert.Contains("global::DiffGen.Expr.LoopKernels.AddOuterProducts(dp, 0, 20, 32, _scales, 32, x, _sources.Slice(0, _fill1), 20);", gradient);
        Assert.DoesNotContain("LoopKernels.AddScaled(dp", gradient);

        string tangent = Member(code, "FTangent(");
        Assert.Contains("LoopKernels.RowDots(tp, 0, 20, 32, x,", tangent);
        Assert.Contains("LoopKernels.RowDots(p, 0, 20, 32, x,", tangent);
    }

    [Fact]
    public void A_batch_loop_whose_samples_are_written_in_the_loop_is_not_blocked()
    {
        // xs is refilled for every sample: its products cannot be computed ahead, nor its updates wait.
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int count)
                {
                    Span<double> xs = stackalloc double[20];
                    double total = 0;
                    for (int s = 0; s < count; s++)
                    {
                        for (int k = 0; k < 20; k++)
                        {
                            xs[k] = x[s * 20 + k] * x[s * 20 + k];
                        }

                        for (int j = 0; j < 32; j++)
                        {
                            double a = 0;
                            for (int k = 0; k < 20; k++)
                            {
                                a += p[j * 20 + k] * xs[k];
                            }

                            total += Math.Tanh(a);
                        }
                    }

                    return total;
                }
            """);
        string gradient = Member(code, "FGradient(");
        Assert.Contains("LoopKernels.Dot(p, j * 20, xs, 0, 20)", gradient);
        Assert.Contains("LoopKernels.AddScaled(dp, j * 20, _d_a, xs, 0, 20);", gradient);
        Assert.DoesNotContain("RowDots(", gradient);
        Assert.DoesNotContain("AddOuterProducts(", gradient);
    }

    [Fact]
    public void Dependent_statements_a_recurrence_and_short_constant_loops_stay_loops()
    {
        string code = Generate("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> a, [NoDiff] ReadOnlySpan<double> b)
                {
                    Span<double> d = stackalloc double[64];
                    double s = 0;
                    for (int k = 0; k < a.Length; k++)
                    {
                        s += a[k] * b[k];
                        d[k] += s * b[k];
                    }

                    for (int k = 0; k < a.Length - 1; k++)
                    {
                        d[k + 1] += 0.5 * d[k];
                    }

                    double t = 0;
                    for (int k = 0; k < 8; k++)
                    {
                        t += d[k] * a[k];
                    }

                    return t;
                }
            """);
        string gradient = Member(code, "FGradient(");
        // b[k] is read by two statements: loaded once (SharedValues); no reverse step reads an old d[k], so none is saved
        Assert.Contains("s += a[k] * _b;", gradient);
        Assert.Contains("d[k] = d[k] + s * _b;", gradient);
        Assert.Contains("d[k + 1] = d[k + 1] + 0.5 * d[k];", gradient);
        Assert.Contains("for (int k = 0; k < 8; k++)", gradient);
        Assert.Equal(0, Count(gradient, "LoopKernels"));
    }

    /// <summary>The text of the generated member whose signature contains <paramref name="signature"/>, up to the next member.</summary>
    private static string Member(string code, string signature)
    {
        int start = code.IndexOf(signature, System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"no member {signature}");
        var next = System.Text.RegularExpressions.Regex.Match(code[(start + signature.Length)..], @"\n\s*(///|public |internal |private )");
        return next.Success ? code.Substring(start, signature.Length + next.Index) : code[start..];
    }
}
