using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>Generated members of the span models (runtime loops kept as loops) against complex step, forward mode and finite differences.</summary>
public class SpanModelTests
{
    private static double[] Random(int n, int seed, double scale = 1.0)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    private static readonly SpanOracle RosenbrockOracle = new()
    {
        Primal = x => SpanModels.Rosenbrock(x),
        Gradient = (x, g) => SpanModels.RosenbrockGradient(x, g),
        Tangent = (x, t) => (SpanModels.RosenbrockTangent(x, t, out double d), d),
        HessianVector = (x, v, hv) => SpanModels.RosenbrockHessianVector(x, v, hv),
        Complex = z => SpanModels.Rosenbrock(z),
        Hessian = (x, g, h) => SpanModels.RosenbrockHessian(x, g, h),
    };

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(1000)]
    public void Rosenbrock_in_n_dimensions(int n)
    {
        var x = Random(n, n, 1.5);
        var gradient = RosenbrockOracle.Check(x);

        // The closed form: ∂/∂xᵢ = −400 xᵢ (xᵢ₊₁ − xᵢ²) − 2 (1 − xᵢ) + 200 (xᵢ − xᵢ₋₁²).
        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            if (i < n - 1)
            {
                expected += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            }

            if (i > 0)
            {
                expected += 200 * (x[i] - x[i - 1] * x[i - 1]);
            }

            SpanOracle.Close(expected, gradient[i], 1e-12, $"closed-form ∂/∂x{i}");
        }

        // The minimum (1, …, 1): value 0, gradient 0.
        var ones = Enumerable.Repeat(1.0, n).ToArray();
        var g = new double[n];
        Assert.Equal(0.0, SpanModels.RosenbrockGradient(ones, g));
        Assert.All(g, d => Assert.Equal(0.0, d));
    }

    [Fact]
    public void Output_span_of_the_wrong_length_throws_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => SpanModels.RosenbrockGradient(new double[3], new double[2]));
        Assert.Equal("dx", e.ParamName);
        var t = Assert.Throws<ArgumentException>(() => SpanModels.RosenbrockTangent(new double[3], new double[4], out _));
        Assert.Equal("tx", t.ParamName);
        var h = Assert.Throws<ArgumentException>(() => SpanModels.RosenbrockHessianVector(new double[3], new double[3], new double[1]));
        Assert.Equal("hvx", h.ParamName);
    }

    [Fact]
    public void Gradient_allocates_nothing_in_steady_state_for_n_1000()
    {
        var x = Random(1000, 7);
        var g = new double[1000];
        for (int k = 0; k < 10; k++)
        {
            SpanModels.RosenbrockGradient(x, g);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++)
        {
            SpanModels.RosenbrockGradient(x, g);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
