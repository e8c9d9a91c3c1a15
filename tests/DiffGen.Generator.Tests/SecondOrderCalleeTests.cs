using System;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 12, item 8: a Hessian through a callee whose loop is kept (2000 iterations) is DG0032 at the call,
/// saying why and what to write instead; what it says to write (the loop in the method itself) gives the exact
/// Hessian.
/// </summary>
public class SecondOrderCalleeTests
{
    private const string LongLoop = """
        [Differentiable] public static double G(double x)
        {
            double s = 0;
            for (int i = 0; i < 2000; i++) { s += x * x; }
            return s;
        }

        """;

    [Fact]
    public void A_Hessian_through_a_callee_of_a_callee_with_a_long_loop_is_DG0032_at_the_outer_call()
    {
        var d = DiagnosticTests.Expect("DG0032", "public static partial class Model\n{\n" + LongLoop + """
                [Differentiable] public static double H(double x) => G(x) + x;

                [Differentiable(Hessian = true)] public static double F(double x) => H(x) * x;
            }
            """, "H(x) * x");
        string message = d.GetMessage();
        Assert.Contains("The Hessian of 'F' needs second derivatives of 'H'", message);
        Assert.Contains("(or a method it calls)", message);
        Assert.Contains("move the loop into 'F' itself", message);
    }

    [Fact]
    public void The_loop_moved_into_the_method_gives_the_exact_Hessian()
    {
        // f(x) = 2000·x²·x = 2000x³: f′ = 6000x², f″ = 12000x.
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable(Hessian = true)] public static double F(double x)
                {
                    double s = 0;
                    for (int i = 0; i < 2000; i++) { s += x * x; }
                    return s * x;
                }
            }

            public static class Thunk
            {
                public static double Hessian(double x, double[] gradient, double[] hessian) => Model.FHessian(x, gradient, hessian);
            }
            """));
        Assert.Empty(result.Diagnostics);
        var gradient = new double[1];
        var hessian = new double[1];
        double value = (double)GeneratorHarness.Load(output).GetType("Thunk")!.GetMethod("Hessian")!.Invoke(null, new object[] { 0.7, gradient, hessian })!;
        Assert.Equal(2000 * Math.Pow(0.7, 3), value, 1e-9);
        Assert.Equal(6000 * 0.49, gradient[0], 1e-9);
        Assert.Equal(12000 * 0.7, hessian[0], 1e-9);
    }
}
