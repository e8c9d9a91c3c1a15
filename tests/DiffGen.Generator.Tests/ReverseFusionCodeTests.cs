using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Which gradients run their reverse loop inside the forward loop (one pass) and which keep two passes. The
/// numbers of the same shapes are checked in the consumer tests (ReverseFusionTests).
/// </summary>
public class ReverseFusionCodeTests
{
    private static string Gradient(string body)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + body + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string code = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        int start = code.IndexOf("FGradient(", System.StringComparison.Ordinal);
        int end = code.IndexOf("FTangent(", start, System.StringComparison.Ordinal);
        return code[start..end];
    }

    private static int Loops(string code) => (code.Length - code.Replace("for (int i", "").Length) / "for (int i".Length;

    [Fact]
    public void Rosenbrock_runs_its_reverse_loop_inside_the_forward_loop_without_recomputing()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length - 1; i++)
                    {
                        double a = 1 - x[i];
                        double b = x[i + 1] - x[i] * x[i];
                        sum += a * a + 100 * b * b;
                    }

                    return sum;
                }
            """);
        Assert.Equal(1, Loops(gradient));
        Assert.Contains("for (int i = 0; i < x.Length - 1; i++)", gradient);

        // the seed moves before the loop, where it is known to be 1 and folds away (AdjointSimplification); a and b
        // are computed once per iteration
        Assert.DoesNotContain("_d_sum", gradient, System.StringComparison.Ordinal);
        Assert.Equal(1, (gradient.Length - gradient.Replace("a = 1.0 - ", "").Length) / "a = 1.0 - ".Length);
    }

    [Theory]
    [InlineData("return Math.Sqrt(sum);", "")]
    [InlineData("return sum + a;", "")]
    [InlineData("return sum;", "m = m * x[i];")]
    public void A_seed_read_of_the_loop_a_value_used_after_it_or_a_recurrence_keep_two_passes(string ending, string recurrence)
    {
        string gradient = Gradient($$"""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double sum = 0;
                    double a = 0;
                    double m = 1;
                    for (int i = 0; i < x.Length; i++)
                    {
                        a = Math.Sin(x[i]);
                        {{recurrence}}
                        sum += a * a + m;
                    }

                    {{ending}}
                }
            """);
        Assert.Equal(2, Loops(gradient));
    }
}
