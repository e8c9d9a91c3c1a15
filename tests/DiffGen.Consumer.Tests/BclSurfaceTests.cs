using System;
using System.Numerics;
using M = DiffGen.Consumer.Tests.BclSurfaceModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Math.Round(x, n) and its overloads, double.Hypot, Math.CopySign, Math.ScaleB, Math.BitIncrement/
/// BitDecrement and double's INumber statics in [Differentiable] methods: value, gradient and tangent
/// against complex step, MathNet central differences and closed forms.
/// </summary>
public class BclSurfaceTests
{
    private static void Close(double expected, double actual, string what, double relative = 1e-13) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(1.23456, 0.7)]
    [InlineData(-3.3, 2.0)]
    public void Round_to_digits_has_derivative_zero_through_the_rounding(double x, double y)
    {
        // Central differences straddle the rounding's steps (0.005 apart), so the oracles are the closed form and complex step.
        Assert.Equal(Math.Round(x, 2) * y + x, M.RoundToDigitsGradient(x, y, out double dx, out double dy));
        Assert.Equal(1.0, dx); // ∂/∂x (round(x, 2)·y + x) = 0·y + 1
        Assert.Equal(Math.Round(x, 2), dy);
        const double h = 1e-20;
        Assert.Equal(dx, M.RoundToDigits(new Complex(x, h), y).Imaginary / h, 15);
        Assert.Equal(dy, M.RoundToDigits(x, new Complex(y, h)).Imaginary / h, 15);
        M.RoundToDigitsTangent(x, y, 0.3, -0.8, out double tangent);
        Assert.Equal(0.3 * dx - 0.8 * dy, tangent, 15);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(-0.5)]
    [InlineData(1.7)]
    public void Round_with_a_midpoint_mode_keeps_the_mode_and_has_derivative_zero(double x)
    {
        Assert.Equal(x * Math.Round(x, MidpointRounding.AwayFromZero), M.RoundAwayFromZeroGradient(x, out double d));
        Assert.Equal(Math.Round(x, MidpointRounding.AwayFromZero), d);
        Assert.Equal(Math.Round(x * x, 1, MidpointRounding.ToZero) + Math.Sin(x), M.RoundDigitsModeGradient(x, out double d2));
        Assert.Equal(Math.Cos(x), d2, 15);
        Assert.Equal(double.Round(x, 3) * x, M.DoubleRoundGradient(x, out double d3));
        Assert.Equal(double.Round(x, 3), d3);
        Assert.Equal(M.RoundAwayFromZero(x), M.RoundAwayFromZero(new Complex(x, 1e-20)).Real);
    }

    [Theory]
    [InlineData(3.0, 4.0)]
    [InlineData(-1e200, 3e199)]
    [InlineData(0.5, -2.0)]
    public void Hypot_matches_its_closed_form_without_overflow(double x, double y)
    {
        double h = double.Hypot(x, y);
        Assert.Equal(h * x, M.HypotGradient(x, y, out double dx, out double dy));
        Close(h + x * (x / h), dx, "∂/∂x hypot(x, y)·x");
        Close(x * (y / h), dy, "∂/∂y hypot(x, y)·x");
        if (Math.Abs(x) < 1e100)
        {
            new Oracle
            {
                Name = "Hypot",
                Primal = v => M.Hypot(v[0], v[1]),
                Gradient = (v, d) => M.HypotGradient(v[0], v[1], out d[0], out d[1]),
                Tangent = (v, t) => (M.HypotTangent(v[0], v[1], t[0], t[1], out double tangent), tangent),
                Complex = z => M.Hypot(z[0], z[1]),
            }.Check(x, y);
        }
    }

    [Fact]
    public void Hypot_at_the_origin_has_gradient_zero_as_abs_does()
    {
        M.HypotGradient(0.0, 0.0, out double dx, out double dy);
        Assert.Equal(0.0, dx);
        Assert.Equal(0.0, dy);
    }

    [Theory]
    [InlineData(1.5, -0.3)]
    [InlineData(-2.0, 0.8)]
    [InlineData(-2.0, -0.8)]
    public void CopySign_passes_plus_or_minus_one_to_its_first_argument(double x, double y)
    {
        new Oracle
        {
            Name = "CopySign",
            Primal = v => M.CopySign(v[0], v[1]),
            Gradient = (v, d) => M.CopySignGradient(v[0], v[1], out d[0], out d[1]),
            Tangent = (v, t) => (M.CopySignTangent(v[0], v[1], t[0], t[1], out double tangent), tangent),
            Complex = z => M.CopySign(z[0], z[1]),
        }.Check(x, y);
        M.CopySignGradient(x, y, out double dx, out double dy);
        Assert.Equal(Math.Sign(x) * Math.Sign(y) * Math.Exp(y), dx);
        Close(Math.CopySign(x, y) * Math.Exp(y), dy, "∂/∂y");
        M.CopySignGradient(0.0, y, out double atZero, out _);
        Assert.Equal(0.0, atZero); // as PyTorch: 0 at x = 0
    }

    [Theory]
    [InlineData(1.5, 3)]
    [InlineData(-0.7, -4)]
    [InlineData(2.0, 1000)]
    public void ScaleB_scales_the_derivative_by_two_to_the_n(double x, int n)
    {
        Assert.Equal(Math.ScaleB(x * x, n), M.ScaleBGradient(x, n, out double dx));
        Assert.Equal(Math.ScaleB(2 * x, n), dx);
        Assert.Equal(Math.ScaleB(2 * x, n), M.ScaleB(new Complex(x, 1e-20), n).Imaginary / 1e-20, 15);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-3.25)]
    [InlineData(0.0)]
    public void BitIncrement_and_BitDecrement_have_derivative_zero(double x)
    {
        Assert.Equal(Math.BitIncrement(x) * x + Math.BitDecrement(x), M.NextDoublesGradient(x, out double d));
        Assert.Equal(Math.BitIncrement(x), d);
    }

    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(1.9, -0.4)]
    public void Double_statics_are_the_Math_functions(double x, double y)
    {
        new Oracle
        {
            Name = "DoubleStatics",
            Primal = v => M.DoubleStatics(v[0], v[1]),
            Gradient = (v, d) => M.DoubleStaticsGradient(v[0], v[1], out d[0], out d[1]),
            Tangent = (v, t) => (M.DoubleStaticsTangent(v[0], v[1], t[0], t[1], out double tangent), tangent),
            Complex = z => M.DoubleStatics(z[0], z[1]),
        }.Check(x, y);

        // Closed form, term by term.
        double r2 = x * x + y * y;
        double dx = Math.Exp(x) + Math.Sin(y) / x + 0.5 / Math.Sqrt(x) - y / r2 + 3 * x * x + 1 / (1 + x)
            + y * (1 - Math.Pow(Math.Tanh(x * y), 2)) + (x > y ? 1 : 0) + 1 / (x * Math.Log(3)) + y + (x > 0 && x < 2 ? 1 : 0);
        double dy = Math.Log(x) * Math.Cos(y) + x / r2 + Math.Exp(y) + x * (1 - Math.Pow(Math.Tanh(x * y), 2))
            + 1 / (3 * Math.Cbrt(y) * Math.Cbrt(y)) + (y > x ? 1 : 0) + Math.Sign(y) + x + 1 / Math.Sqrt(y * y + 1);
        M.DoubleStaticsGradient(x, y, out double gx, out double gy);
        Close(dx, gx, "∂/∂x", 1e-12);
        Close(dy, gy, "∂/∂y", 1e-12);
    }
}
