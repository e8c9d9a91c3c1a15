using System;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>Unrolled while/do loops: value, gradient, tangent and Hessian against hand-written complex step and closed forms.</summary>
public class FixedTripLoopTests
{
    private const double H = 1e-20;

    private static void Close(double expected, double actual, string what, double relative = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    private static Complex NewtonByHand(Complex a)
    {
        Complex y = 1 + a / 2;
        for (int k = 0; k < 4; k++)
        {
            y -= (y * y - a) / (2 * y);
        }

        return y;
    }

    private static Complex DampedByHand(Complex x, Complex rate)
    {
        Complex v = x;
        for (int k = 0; k < 3; k++)
        {
            v -= rate * Complex.Sin(v);
        }

        return v * x;
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(9.0)]
    public void NewtonSqrt_is_differentiated_through_four_unrolled_steps(double a)
    {
        double value = FixedTripLoopModels.NewtonSqrtGradient(a, out double da);
        Close(NewtonByHand(a).Real, value, "value");
        Close(FixedTripLoopModels.NewtonSqrt(a), value, "primal");
        Close(NewtonByHand(new Complex(a, H)).Imaginary / H, da, "d/da vs complex step");
        Close(Math.Sqrt(a), value, "near √a", 1e-3);
        FixedTripLoopModels.NewtonSqrtTangent(a, -1.5, out double tangent);
        Close(-1.5 * da, tangent, "tangent");

        var gradient = new double[1];
        var hessian = new double[1];
        FixedTripLoopModels.NewtonSqrtHessian(a, gradient, hessian);
        const double step = 1e-5;
        double central = (Derivative(a + step) - Derivative(a - step)) / (2 * step);
        Close(central, hessian[0], "d²/da² vs central differences of the gradient", 1e-6);
    }

    private static double Derivative(double a)
    {
        FixedTripLoopModels.NewtonSqrtGradient(a, out double da);
        return da;
    }

    [Fact]
    public void Damped_do_loop_tests_its_condition_after_each_pass()
    {
        const double x = 0.8, rate = 0.3;
        double value = FixedTripLoopModels.DampedGradient(x, rate, out double dx, out double drate);
        Close(DampedByHand(x, rate).Real, value, "value (three passes)");
        Close(DampedByHand(new Complex(x, H), rate).Imaginary / H, dx, "∂/∂x vs complex step");
        Close(DampedByHand(x, new Complex(rate, H)).Imaginary / H, drate, "∂/∂rate vs complex step");
        FixedTripLoopModels.DampedTangent(x, rate, 0.4, -2.0, out double tangent);
        Close(DampedByHand(new Complex(x, 0.4 * H), new Complex(rate, -2.0 * H)).Imaginary / H, tangent, "tangent vs complex step");
    }

    [Fact]
    public void A_do_loop_runs_once_when_its_condition_starts_false()
    {
        double value = FixedTripLoopModels.OnceGradient(1.5, out double dx);
        Close(1.5 * 1.5 + 1.5, value, "value of one pass");
        Close(2 * 1.5 + 1, dx, "derivative of one pass");
    }
}
