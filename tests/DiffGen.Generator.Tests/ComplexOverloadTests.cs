using System;
using System.Numerics;

namespace DiffGen.Generator.Tests;

/// <summary>Regression tests for generated Complex overloads found by the generator fuzzer.</summary>
public class ComplexOverloadTests
{
    /// <summary>
    /// An int temporary (the common part of an int expression) compared with a real over complex
    /// numbers was printed as <c>_t0.Real</c>: CS1061 inside the generated file (fuzz seed 99, M2593).
    /// </summary>
    [Fact]
    public void Int_temporary_compared_over_complex_numbers_compiles_and_matches_complex_step()
    {
        const string source = """
            using System;
            using System.Numerics;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double F(double[] x, double y)
                {
                    double v = 1.4;
                    int k = 2;
                    if (DiffGen.Nn.Activations.Softsign(y) >= ((double)((k / (k % 3 + 4)) - 3)) + (double)k)
                    {
                        v *= (1.9 - v) / (1.5 + Math.Sin(y - v));
                    }

                    return v * x[2];
                }

                public static double Derivative(double y)
                {
                    FGradient(new[] { 0.5, -1.0, 2.0 }, y, new double[3], out double dy);
                    return dy;
                }

                public static double ComplexStep(double y) =>
                    F(new Complex[] { 0.5, -1.0, 2.0 }, new Complex(y, 1e-20)).Imaginary / 1e-20;
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var type = GeneratorHarness.Load(output).GetType("Model")!;
        foreach (double y in new[] { 1.2, 1.9 })
        {
            double derivative = (double)type.GetMethod("Derivative")!.Invoke(null, new object[] { y })!;
            double complexStep = (double)type.GetMethod("ComplexStep")!.Invoke(null, new object[] { y })!;
            Assert.Equal(complexStep, derivative, 12);
        }
    }
}
