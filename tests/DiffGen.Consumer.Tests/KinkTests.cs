using System;

namespace DiffGen.Consumer.Tests;

/// <summary>Generated members at 0·∞ points of powers and at ties of max/min, against closed forms.</summary>
public class KinkTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    public void Power_with_exponent_zero_has_derivative_zero(double x)
    {
        Assert.Equal(1.0, KinkModels.PowerByIntGradient(x, 0, out double dx));
        Assert.Equal(0.0, dx);
        KinkModels.PowerByIntTangent(x, 0, 1.0, out double tangent);
        Assert.Equal(0.0, tangent);
        // n = 1 at x = 0: (x¹)' = 1, with 0⁰ = 1.
        KinkModels.PowerByIntGradient(0.0, 1, out double dx1);
        Assert.Equal(1.0, dx1);
    }

    [Fact]
    public void Polynomial_with_loop_counter_powers_has_the_exact_derivative_at_zero()
    {
        double[] c = { 3.0, -2.0, 5.0, 7.0 };
        Assert.Equal(3.0, KinkModels.PolynomialGradient(c, 0.0, out double dx));
        Assert.Equal(-2.0, dx); // p'(0) = c₁
        KinkModels.PolynomialTangent(c, 0.0, 1.0, out double tangent);
        Assert.Equal(-2.0, tangent);
        // Away from 0: p'(x) = c₁ + 2c₂x + 3c₃x².
        KinkModels.PolynomialGradient(c, 0.5, out double dHalf);
        Assert.Equal(-2.0 + 5.0 + 3.0 * 7.0 * 0.25, dHalf, 14);
    }

    [Fact]
    public void Power_at_the_origin_and_its_Hessian_at_zero_one_are_finite_and_exact()
    {
        Assert.Equal(1.0, KinkModels.PowerGradient(0.0, 0.0, out double dx, out double dy));
        Assert.Equal(0.0, dx); // x⁰ = 1
        Assert.Equal(0.0, dy); // 0·ln 0 = 0

        Span<double> gradient = stackalloc double[2];
        Span<double> hessian = stackalloc double[4];
        Assert.Equal(0.0, KinkModels.PowerHessian(0.0, 1.0, gradient, hessian));
        Assert.Equal(1.0, gradient[0]); // f(x, 1) = x
        Assert.Equal(0.0, gradient[1]); // f(0, y) = 0 for y > 0
        Assert.Equal(0.0, hessian[0]);
        Assert.Equal(0.0, hessian[3]);
        // The mixed partial does not exist at (0, 1) (it tends to −∞ as x → 0⁺); it must not be NaN.
        Assert.True(double.IsFinite(hessian[1]) && double.IsFinite(hessian[2]), $"{hessian[1]}, {hessian[2]}");
    }

    [Fact]
    public void Max_and_min_against_zero_agree_in_either_argument_order()
    {
        KinkModels.MaxXZeroGradient(0.0, out double maxX0);
        KinkModels.MaxZeroXGradient(0.0, out double max0X);
        KinkModels.MinXZeroGradient(0.0, out double minX0);
        KinkModels.MinZeroXGradient(0.0, out double min0X);
        Assert.Equal(new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { maxX0, max0X, minX0, min0X });
        KinkModels.MaxZeroXTangent(0.0, 1.0, out double maxTangent);
        KinkModels.MinXZeroTangent(0.0, 1.0, out double minTangent);
        Assert.Equal(0.5, maxTangent);
        Assert.Equal(0.5, minTangent);
        // Away from the tie: the branch taken.
        KinkModels.MaxXZeroGradient(0.25, out double above);
        KinkModels.MaxZeroXGradient(-0.25, out double below);
        KinkModels.MinZeroXGradient(-0.25, out double minBelow);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, new[] { above, below, minBelow });
    }

    [Fact]
    public void Max_and_min_of_two_variables_split_ties_and_pass_NaN_to_both()
    {
        KinkModels.MaxOfGradient(2.0, 2.0, out double da, out double db);
        Assert.Equal((0.5, 0.5), (da, db));
        KinkModels.MinOfGradient(2.0, 2.0, out da, out db);
        Assert.Equal((0.5, 0.5), (da, db));
        Assert.True(double.IsNaN(KinkModels.MaxOfGradient(double.NaN, 1.0, out da, out db)));
        Assert.Equal((1.0, 1.0), (da, db));
        KinkModels.MinOfGradient(3.0, 1.0, out da, out db);
        Assert.Equal((0.0, 1.0), (da, db));
    }
}
