using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>Regression tests of issue 8 over the generated members of <see cref="ReliabilityModels"/>: closed forms and complex step.</summary>
public class ReliabilityTests
{
    [Theory]
    [InlineData(1, 2, 0.5)]
    [InlineData(7, 4, 1.75)]
    public void Casts_to_double_are_kept_on_the_loop_free_path(int a, int b, double ratio)
    {
        const double x = 3.0;
        Assert.Equal(x * ratio, ReliabilityModels.CastDivideGradient(x, a, b, out double d1));
        Assert.Equal(ratio, d1);
        Assert.Equal(x * ratio, ReliabilityModels.LocalDivideGradient(x, a, b, out double d2));
        Assert.Equal(ratio, d2);
        ReliabilityModels.CastDivideTangent(x, a, b, 1.0, out double t1);
        Assert.Equal(ratio, t1);
        Assert.Equal(ratio, ReliabilityModels.CastDivide(new Complex(x, 1e-20), a, b).Imaginary / 1e-20, 1e-14);
        Assert.Equal(ratio, ReliabilityModels.LocalDivide(new Complex(x, 1e-20), a, b).Imaginary / 1e-20, 1e-14);
    }

    [Fact]
    public void A_double_product_of_ints_does_not_overflow()
    {
        const int a = 50000;
        double square = (double)a * a;
        Assert.Equal(2.0 * square, ReliabilityModels.CastSquareGradient(2.0, a, out double d));
        Assert.Equal(square, d);
        ReliabilityModels.CastSquareTangent(2.0, a, 1.0, out double t);
        Assert.Equal(square, t);
    }

    [Fact]
    public void Int_division_in_the_source_still_truncates()
    {
        Assert.Equal(3.0 * (7 / 2), ReliabilityModels.IntDivideGradient(3.0, 7, 2, out double d));
        Assert.Equal(3.0, d);
        Assert.Equal(0.0, ReliabilityModels.IntDivideGradient(3.0, 1, 2, out double d0));
        Assert.Equal(0.0, d0);
    }

    [Fact]
    public void Int_fields_are_read_in_double_arithmetic()
    {
        var model = new ScaledByFields(1, 2);
        Assert.Equal(1.5, model.ScaleGradient(3.0, out double d));
        Assert.Equal(0.5, d);
        Assert.Equal(0.5, model.Scale(new Complex(3.0, 1e-20)).Imaginary / 1e-20, 1e-14);
    }
}

public class OverrideTests
{
    [Fact]
    public void The_gradient_of_a_virtual_method_follows_the_object_type()
    {
        Shape shape = new Cube();
        Assert.Equal(8.0, shape.FGradient(2.0, out double d));
        Assert.Equal(12.0, d);
        shape.FTangent(2.0, 1.0, out double t);
        Assert.Equal(12.0, t);
        var gradient = new double[1];
        var hessian = new double[1];
        shape.FHessian(2.0, gradient, hessian);
        Assert.Equal(12.0, hessian[0]);
        Assert.Equal(12.0, shape.F(new System.Numerics.Complex(2.0, 1e-20)).Imaginary / 1e-20, 1e-12);
        Assert.Equal(4.0, new Shape().FGradient(2.0, out double ds));
        Assert.Equal(4.0, ds);
    }
}

public class TupleTests
{
    [Fact]
    public void Tuple_deconstruction_on_the_loop_free_path_matches_the_closed_form()
    {
        // a = x + y, b = x y after the swap: f = (x + y)² + 3 x y.
        double x = 1.5, y = -0.7;
        Assert.Equal((x + y) * (x + y) + 3 * x * y, TupleModels.PairGradient(x, y, out double dx, out double dy), 1e-14);
        Assert.Equal(2 * (x + y) + 3 * y, dx, 1e-14);
        Assert.Equal(2 * (x + y) + 3 * x, dy, 1e-14);
    }

    [Fact]
    public void Tuple_deconstruction_in_a_loop_matches_complex_step()
    {
        double[] x = { 0.3, -1.2, 2.5, 0.9 };
        var dx = new double[x.Length];
        double value = TupleModels.SpanPairGradient(x, dx);
        double s = 0, t = 1;
        foreach (double v in x)
        {
            (s, t) = (t * v, s + v);
        }

        Assert.Equal(s + 2 * t, value, 1e-14);
        for (int k = 0; k < x.Length; k++)
        {
            var z = x.Select((v, i) => new System.Numerics.Complex(v, i == k ? 1e-20 : 0)).ToArray();
            Assert.Equal(TupleModels.SpanPair(z).Imaginary / 1e-20, dx[k], 1e-12);
        }
    }
}
