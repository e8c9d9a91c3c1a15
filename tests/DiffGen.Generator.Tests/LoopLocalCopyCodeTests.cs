using System;
using System.Linq;
using System.Text.RegularExpressions;
using static DiffGen.Generator.Tests.SaveLessCodeTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// A local that a reverse sweep restores lives across the value stack's calls, and the JIT keeps it in memory: an
/// innermost loop reading it loaded and stored it every trip (GradBench llsq's gradient ran at 4× its primal, 1.9× with
/// the copy). The printer reads such a local in a call-free innermost loop through a copy declared beside the loop.
/// </summary>
public class LoopLocalCopyCodeTests
{
    private const string Horner = """
            [Differentiable]
            public static double Objective(ReadOnlySpan<double> x, int n)
            {
                double sum = 0.0;
                for (int i = 0; i < n; i++)
                {
                    double t = -1.0 + 2.0 * i / (n - 1);
                    double polynomial = 0.0;
                    for (int j = x.Length - 1; j >= 0; j--)
                    {
                        polynomial = Math.FusedMultiplyAdd(polynomial, t, x[j]);
                    }

                    double residual = Math.Sign(t) - polynomial;
                    sum += residual * residual;
                }

                return 0.5 * sum;
            }
        """;

    [Fact]
    public void Both_sweeps_of_a_restored_local_read_it_through_a_copy_in_their_inner_loops()
    {
        string gradient = Gradient(Horner, "Objective");

        // t is restored by a pop in the reverse sweep, so it is declared at the method's level
        Assert.Contains("t = _stack.Pop();", gradient);
        var copies = Regex.Matches(gradient, @"double (_l_t\d*) = t;\s*\n\s*for \(int j");
        Assert.Equal(2, copies.Count);
        foreach (Match copy in copies)
        {
            string name = copy.Groups[1].Value;
            string loop = gradient.Substring(copy.Index, gradient.IndexOf('}', copy.Index) - copy.Index);
            Assert.Contains(name, loop.Substring(copy.Length));
            Assert.DoesNotMatch(@"[^_\w]t[^\w]", loop.Substring(copy.Length));
        }
    }

    [Fact]
    public void A_local_declared_beside_its_loop_and_a_loop_that_saves_values_are_read_as_they_are()
    {
        string gradient = Gradient(Horner, "Objective");
        string tangent = Member(Horner, "ObjectiveTangent(", "ObjectiveHessianVector(");

        // the tangent declares t in the outer loop's body, next to the inner loop: no copy
        Assert.DoesNotContain("_l_", tangent);
        Assert.Contains("_tan_polynomial = t * _tan_polynomial + tx[j];", tangent);
        // the forward sweep's outer loop pushes values: its own reads of t are not copied
        Assert.Contains("residual = global::DiffGen.Expr.Primitives.Sign(t) - polynomial;", gradient);
    }

    private static string Member(string source, string from, string to)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + source + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string code = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        int start = code.IndexOf(from, StringComparison.Ordinal);
        return code[start..code.IndexOf(to, start, StringComparison.Ordinal)];
    }
}
