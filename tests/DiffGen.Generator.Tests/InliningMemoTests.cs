using System;
using System.Linq;
using System.Text;
using System.Threading;

namespace DiffGen.Generator.Tests;

/// <summary>
/// A second derivative inlines every callee. A recursion spelled out by hand (GradBench's determinant by
/// minors: n! calls of 2ⁿ distinct minors) must be lowered once per distinct call, not once per path: here
/// each level calls the one below twice with the same argument, 2³⁰ paths and 30 distinct calls. Without
/// reuse the generator would run for hours; the token turns that into a failure instead of a hang.
/// </summary>
public class InliningMemoTests
{
    private const int Levels = 30;

    [Fact]
    public void A_callee_called_twice_per_level_is_inlined_once_per_distinct_call()
    {
        var source = new StringBuilder("""
            using System;
            using DiffGen;

            public static partial class Chain
            {
                [Differentiable] public static double G0(double x) => Math.Sin(x);

            """);
        for (int k = 1; k <= Levels; k++)
        {
            source.AppendLine($"    [Differentiable] public static double G{k}(double x) => 0.5 * (G{k - 1}(x) + G{k - 1}(x));");
        }

        source.AppendLine($$"""
                [Differentiable(Hessian = true)] public static double F(double x) => x * G{{Levels}}(x);
            }

            public static class Thunk
            {
                public static double Hessian(double x, double[] gradient, double[] hessian) => Chain.FHessian(x, gradient, hessian);
            }
            """);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(
            GeneratorHarness.Compilation(source.ToString()), out var output, out _, timeout.Token);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        // f(x) = x·sin x: f′ = sin x + x cos x, f″ = 2 cos x − x sin x.
        const double x = 0.7;
        var gradient = new double[1];
        var hessian = new double[1];
        double value = (double)GeneratorHarness.Load(output).GetType("Thunk")!.GetMethod("Hessian")!.Invoke(null, new object[] { x, gradient, hessian })!;
        Assert.Equal(x * Math.Sin(x), value, 1e-12);
        Assert.Equal(Math.Sin(x) + x * Math.Cos(x), gradient[0], 1e-12);
        Assert.Equal(2 * Math.Cos(x) - x * Math.Sin(x), hessian[0], 1e-12);
    }
}
