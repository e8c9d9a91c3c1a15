using System;
using System.Numerics;
using DiffGen;
using DiffGen.Expr;

namespace DiffGen.Runtime.Tests;

/// <summary>Dual, DualVector and the tape on the inverse hyperbolic functions and truncation, against complex step.</summary>
public class InverseHyperbolicTests
{
    private static double ComplexStep(Func<Complex, Complex> f, double x) => f(new Complex(x, 1e-20)).Imaginary / 1e-20;

    [Theory]
    [InlineData("asinh", -3.0)]
    [InlineData("asinh", 0.2)]
    [InlineData("asinh", 1e3)]
    [InlineData("acosh", 1.5)]
    [InlineData("acosh", 40.0)]
    [InlineData("atanh", -0.7)]
    [InlineData("atanh", 0.3)]
    public void Derivative_equals_complex_step(string name, double x)
    {
        (Func<Dual, Dual> dual, Func<Var, Var> tape, Func<Complex, Complex> complex, Func<double, double> real) = name switch
        {
            "asinh" => ((Func<Dual, Dual>)DualMath.Asinh, (Func<Var, Var>)VarMath.Asinh, (Func<Complex, Complex>)ComplexPrimitives.Asinh, (Func<double, double>)Math.Asinh),
            "acosh" => (DualMath.Acosh, VarMath.Acosh, ComplexPrimitives.Acosh, Math.Acosh),
            _ => (DualMath.Atanh, VarMath.Atanh, ComplexPrimitives.Atanh, Math.Atanh),
        };
        double expected = ComplexStep(complex, x);

        var d = dual(Dual.Variable(x));
        Assert.Equal(real(x), d.Value);
        Assert.Equal(expected, d.Derivative, 1e-13 * Math.Max(1, Math.Abs(expected)));

        var t = new Tape();
        var v = t.Variable(x);
        var y = tape(v);
        t.Backward(y);
        Assert.Equal(expected, t.Grad(v), 1e-13 * Math.Max(1, Math.Abs(expected)));

        var dv = DualVectorMath.Asinh(DualVector.Variable(x, 0, 1));
        Assert.Equal(ComplexStep(ComplexPrimitives.Asinh, x), dv.Tangent(0), 1e-13 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void Truncate_has_zero_derivative()
    {
        var d = DualMath.Truncate(Dual.Variable(-2.7));
        Assert.Equal(-2.0, d.Value);
        Assert.Equal(0.0, d.Derivative);
    }
}
