using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Generated code compiles without a warning at the highest warning level, so a consumer built with
/// warnings as errors compiles (issue 8: the fuzzer found locals assigned and never read, CS0219).
/// The bodies are the fuzzer's, reduced.
/// </summary>
public class WarningFreeTests
{
    private const string Sources = """
        using System;
        using DiffGen;

        public static partial class Model
        {
            // a folded int local that nothing reads any more (k0 = 1)
            [Differentiable]
            public static double FoldedInt(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w, double x0)
            {
                int k0 = (2 - 1);
                double v1 = x[0];
                return v1 * x0;
            }

            // a loop that only continues: its flags and the folded locals are written, never read
            [Differentiable]
            public static double LoopThatOnlyContinues(double x, int n)
            {
                int k = 3 - (n - n);
                double f = k;
                double v = (2.3 >= x ? 0.5 : f) * f;
                for (int i = 0; i < k % 5; i++)
                {
                    if (x < (double)k)
                    {
                        continue;
                    }
                }

                return Math.Sin(x) / (1.5 + f);
            }

            // the value does not depend on the inputs: the Hessian-vector product's tangent of the value is never read
            [Differentiable]
            public static double ConstantResult(ReadOnlySpan<double> x, double x0)
            {
                double v0 = x0;
                int k1 = 1;
                v0 = Math.Clamp(v0, -1.0, (double)k1 * (double)k1) + v0;
                return x0 - x0;
            }

            // v0 is read only by its own writes, and the loop only decides whether to break: the tangent's _tan_v0 is never read
            [Differentiable]
            public static double ReadOnlyByItself(double x0, double x1)
            {
                double v0 = Math.Sqrt(2.0 + Math.Cos(Math.Tanh(-0.3)));
                v0 = 2.1 + v0;
                v0 = (x0 - x0) + v0;
                for (int i1 = 0; i1 < 1; i1++)
                {
                    if (-1.2 >= x0)
                    {
                        break;
                    }
                }

                return 0.3 * x1;
            }

            // Value and derivatives as arrays (the test calls these: spans cannot go through reflection).
            public static double[] FoldedIntAt(double[] x, double x0)
            {
                var dx = new double[x.Length];
                double value = FoldedIntGradient(x, default, x0, dx, out double dx0);
                return [value, dx0, .. dx];
            }

            public static double[] LoopThatOnlyContinuesAt(double x, int n)
            {
                double value = LoopThatOnlyContinuesGradient(x, n, out double dx);
                return [value, dx];
            }

            public static double[] ReadOnlyByItselfTangentAt(double x0, double x1)
            {
                double value = ReadOnlyByItselfTangent(x0, x1, 1.0, 2.0, out double tangent);
                return [value, tangent];
            }

            public static double[] ConstantResultProductAt(double[] x, double x0)
            {
                double[] hvx = [9.0, 9.0, 9.0];
                double value = ConstantResultHessianVector(x, x0, [1.0, 1.0, 1.0], 1.0, hvx, out double hvx0);
                return [value, hvx0, .. hvx];
            }
        }
        """;

    private static (Microsoft.CodeAnalysis.Compilation Output, Assembly Assembly) Generate()
    {
        var compilation = GeneratorHarness.Compilation(Sources);
        compilation = compilation.WithOptions(compilation.Options.WithWarningLevel(9999));
        var (result, output) = GeneratorHarness.Run(compilation);
        Assert.Empty(result.Diagnostics);
        return (output, GeneratorHarness.Load(output));
    }

    [Fact]
    public void Generated_files_have_no_warning_at_the_highest_level()
    {
        var (output, _) = Generate();
        var warnings = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    [Fact]
    public void Removing_the_unread_locals_keeps_the_numbers()
    {
        var model = Generate().Assembly.GetType("Model")!;
        double[] x = [1.5, -2.0, 0.25];

        // FoldedInt = x[0]·x0
        Assert.Equal(new[] { 4.5, 1.5, 3.0, 0.0, 0.0 }, Call(model, "FoldedIntAt", x, 3.0));
        // LoopThatOnlyContinues = sin x / 4.5
        var loop = Call(model, "LoopThatOnlyContinuesAt", 0.7, 2);
        Assert.Equal(Math.Sin(0.7) / 4.5, loop[0], 15);
        Assert.Equal(Math.Cos(0.7) / 4.5, loop[1], 15);
        // ReadOnlyByItself = 0.3·x1: along (1, 2) the tangent is 0.6
        Assert.Equal(new[] { 0.3 * 5.0, 0.6 }, Call(model, "ReadOnlyByItselfTangentAt", -2.0, 5.0));
        // ConstantResult = 0: the value and the whole product are zero (the product's output span is overwritten)
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0, 0.0 }, Call(model, "ConstantResultProductAt", x, 2.0));
    }

    private static double[] Call(Type model, string name, params object[] args) => (double[])model.GetMethod(name)!.Invoke(null, args)!;
}
