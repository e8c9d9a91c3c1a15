using System;
using DiffGen.Expr;

namespace DiffGen.Runtime.Tests;

/// <summary>Diff.Compile on the BCL functions added for issue 12 item 7 and on erf: the generator's conventions at run time.</summary>
public sealed class DiffLambdaBclTests
{
    [Fact]
    public void Round_overloads_have_derivative_zero_and_keep_their_mode()
    {
        var f = Diff.Compile((double x, double y) => Math.Round(x, 1, MidpointRounding.AwayFromZero) * y + Math.Round(y, MidpointRounding.ToZero) + x);
        Assert.Equal(Math.Round(2.25, 1, MidpointRounding.AwayFromZero) * 3.5 + Math.Round(3.5, MidpointRounding.ToZero) + 2.25, f.Evaluate(2.25, 3.5));
        Assert.Equal(new[] { 1.0, Math.Round(2.25, 1, MidpointRounding.AwayFromZero) }, f.Gradient(2.25, 3.5));
    }

    [Fact]
    public void Hypot_CopySign_ScaleB_and_double_statics_have_their_closed_forms()
    {
        var f = Diff.Compile((double x, double y) => double.Hypot(x, y) + Math.CopySign(x, y) + Math.ScaleB(x, 4) + double.Exp(y) + double.Log(x, 2));
        double x0 = 1.5, y0 = -2.0, h = double.Hypot(x0, y0);
        var g = f.Gradient(x0, y0);
        Oracles.AssertClose(x0 / h - 1.0 + 16.0 + 1.0 / (x0 * Math.Log(2.0)), g[0], 1e-15, what: "∂/∂x");
        Oracles.AssertClose(y0 / h + Math.Exp(y0), g[1], 1e-15, what: "∂/∂y");
    }

    [Fact]
    public void Erf_from_a_lambda_has_derivative_two_over_root_pi_times_a_gaussian()
    {
        var f = Diff.Compile((double x) => Primitives.Erf(x) + Primitives.Erfc(2 * x));
        double x0 = 0.8;
        Oracles.AssertClose(2 / Math.Sqrt(Math.PI) * (Math.Exp(-x0 * x0) - 2 * Math.Exp(-4 * x0 * x0)), f.Gradient(x0)[0], 1e-14, what: "d/dx");
        Oracles.AssertClose(MathNet.Numerics.SpecialFunctions.Erf(x0) + MathNet.Numerics.SpecialFunctions.Erfc(2 * x0), f.Evaluate(x0), 1e-14, what: "value");
    }
}
