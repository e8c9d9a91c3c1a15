using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Generated source of the loop path, exactly as the generator writes it (Snapshots/*.g.cs): the text
/// is the product, reviewed like code. Each file also compiles without a warning (GeneratorHarness.Load).
/// </summary>
public class LoopSnapshotTests
{
    internal static void Match(string file, string hintName, string members)
    {
        string source = "using System;\nusing DiffGen;\n\nnamespace Models;\n\npublic static partial class Loops\n{\n" + members + "\n}\n";
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var generated = Assert.Single(result.Results.Single().GeneratedSources);
        Assert.Equal(hintName, generated.HintName);
        GeneratorHarness.Load(output);
        Snapshot.Match(file, generated.SourceText.ToString());
    }

    /// <summary>Rosenbrock over a span, with the Hessian: gradient, tangent, Hessian-vector product, Hessian by rows, complex overload.</summary>
    [Fact]
    public void Rosenbrock_over_a_span() => Match("Rosenbrock.g.cs", "Models.Loops.Rosenbrock.g.cs", """
            [Differentiable(Hessian = true)]
            public static double Rosenbrock(ReadOnlySpan<double> x)
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

    /// <summary>A 2-H-1 tanh network's squared error on one sample: a stack array of hidden units, nested loops, [NoDiff] data.</summary>
    [Fact]
    public void Multilayer_perceptron() => Match("Mlp.g.cs", "Models.Loops.Mlp.g.cs", """
            [Differentiable]
            public static double Mlp(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2,
                [NoDiff] ReadOnlySpan<double> x, [NoDiff] double y)
            {
                Span<double> hidden = stackalloc double[4];
                for (int j = 0; j < 4; j++)
                {
                    double z = b1[j];
                    for (int k = 0; k < x.Length; k++)
                    {
                        z += w1[j * x.Length + k] * x[k];
                    }

                    hidden[j] = Math.Tanh(z);
                }

                double output = b2;
                for (int j = 0; j < 4; j++)
                {
                    output += w2[j] * hidden[j];
                }

                double error = output - y;
                return 0.5 * error * error;
            }
        """);

    /// <summary>A one-dimensional Gaussian mixture's negative log-likelihood: a log-sum-exp per point with the max subtracted, a branch inside a loop.</summary>
    [Fact]
    public void Gaussian_mixture_likelihood() => Match("Gmm.g.cs", "Models.Loops.Gmm.g.cs", """
            [Differentiable]
            public static double Gmm(ReadOnlySpan<double> means, ReadOnlySpan<double> logWeights, double logScale, [NoDiff] ReadOnlySpan<double> data)
            {
                double total = 0;
                foreach (double x in data)
                {
                    double best = double.NegativeInfinity;
                    for (int k = 0; k < means.Length; k++)
                    {
                        double d = (x - means[k]) * Math.Exp(-logScale);
                        double term = logWeights[k] - 0.5 * d * d;
                        if (term > best)
                        {
                            best = term;
                        }
                    }

                    double sum = 0;
                    for (int k = 0; k < means.Length; k++)
                    {
                        double d = (x - means[k]) * Math.Exp(-logScale);
                        sum += Math.Exp(logWeights[k] - 0.5 * d * d - best);
                    }

                    total -= best + Math.Log(sum) - logScale;
                }

                return total;
            }
        """);
}
