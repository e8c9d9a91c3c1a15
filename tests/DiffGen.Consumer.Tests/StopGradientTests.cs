using System;
using System.Numerics;
using M = DiffGen.Consumer.Tests.CustomRuleModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Diff.StopGradient: its value passes and its derivative is 0, in generated code (both modes, the Hessian-vector
/// product, loops, complex step), in lambdas compiled at run time, and over Dual and Var.
/// </summary>
public class StopGradientTests
{
    private static void Close(double expected, double actual, string what, double relative = 1e-14) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(3.0)]
    [InlineData(-0.25)]
    public void x_times_a_stopped_x_has_gradient_x_not_2x(double x)
    {
        Assert.Equal(x * x, M.TimesStoppedGradient(x, out double dx));
        Assert.Equal(x, dx);
        M.TimesStoppedTangent(x, 0.5, out double tangent);
        Assert.Equal(0.5 * x, tangent);
        Assert.Equal(x, M.TimesStopped(new Complex(x, 1e-20)).Imaginary / 1e-20, 15);
        // d²/dx² of x·sg(x) is 0: the stopped factor is a constant to the second derivative too.
        M.TimesStoppedHessianVector(x, 1.0, out double hv);
        Assert.Equal(0.0, hv);
    }

    [Theory]
    [InlineData(0.8, -0.3, 1.5, 0.2, 2.0)]
    [InlineData(-1.4, 0.6, -0.7, 1.0, 0.3)]
    public void A_target_network_style_target_is_not_differentiated(double w, double b, double x, double reward, double next)
    {
        double delta = reward + 0.9 * (w * next + b) - (w * x + b);
        Close(delta * delta, M.TemporalDifferenceLossGradient(w, b, x, reward, next, out double dw, out double db), "loss");
        Close(-2 * delta * x, dw, "∂/∂w = −2δx (the target's w·x′ stopped)");
        Close(-2 * delta, db, "∂/∂b = −2δ (the target's b stopped)");
        M.TemporalDifferenceLossTangent(w, b, x, reward, next, 0.7, -0.2, out double tangent);
        Close(0.7 * dw - 0.2 * db, tangent, "tangent");
        Close(dw, M.TemporalDifferenceLoss(new Complex(w, 1e-20), b, x, reward, next).Imaginary / 1e-20, "complex step ∂/∂w");
        // The Hessian of the semi-gradient loss: 2x·x, 2x, 2 (the stopped target contributes nothing).
        M.TemporalDifferenceLossHessianVector(w, b, x, reward, next, 1.0, 0.0, out double hww, out double hbw);
        Close(2 * x * x, hww, "H[w,w]");
        Close(2 * x, hbw, "H[b,w]");
    }

    [Fact]
    public void Stop_gradient_inside_a_span_loop_stops_each_element()
    {
        var x = new[] { 0.5, -1.5, 2.0 };
        var dx = new double[3];
        double value = M.StoppedSquaresGradient(x, dx);
        Close(0.125 - 3.375 + 8.0, value, "Σ x³");
        for (int i = 0; i < 3; i++)
        {
            Close(x[i] * x[i], dx[i], $"∂/∂x{i} = sg(x)², not 3x²");
        }

        M.StoppedSquaresTangent(x, new[] { 1.0, 2.0, -1.0 }, out double tangent);
        Close(0.25 + 2 * 2.25 - 4.0, tangent, "tangent");
    }

    [Fact]
    public void A_lambda_compiled_at_run_time_stops_the_gradient_too()
    {
        var f = Diff.Compile((double x, double y) => x * Diff.StopGradient(x * y) + y);
        var g = f.Gradient(2.0, 3.0);
        Assert.Equal(6.0, g[0]); // sg(xy) = 6, not 2xy = 12
        Assert.Equal(1.0, g[1]); // only the "+ y"
    }

    [Fact]
    public void Dual_and_Var_stop_the_gradient()
    {
        var x = new Dual(3.0, 1.0);
        var product = x * DualMath.StopGradient(x);
        Assert.Equal(9.0, product.Value);
        Assert.Equal(3.0, product.Derivative);

        var tape = new Tape();
        var v = tape.Variable(3.0);
        var y = v * VarMath.StopGradient(v);
        tape.Backward(y);
        Assert.Equal(3.0, v.Grad);
    }
}
