using System;
using DiffGen;

namespace DiffGen.Runtime.Tests;

/// <summary>A zero tangent is a symbolic zero: no 0·∞ = NaN where a constant meets an infinite derivative.</summary>
public class DualSymbolicZeroTests
{
    [Fact]
    public void Cube_root_and_square_root_of_a_constant_zero_have_derivative_zero()
    {
        var x = Dual.Variable(2.0);
        var zero = Dual.Constant(0.0);
        Assert.Equal(0.0, DualMath.Cbrt(zero).Derivative);
        Assert.Equal(0.0, DualMath.Sqrt(zero).Derivative);
        // f(x) = x + ∛0: derivative exactly 1
        Assert.Equal(1.0, (x + DualMath.Cbrt(zero)).Derivative);
        // and a variable at the singular point still reports the infinite slope
        Assert.True(double.IsPositiveInfinity(DualMath.Cbrt(Dual.Variable(0.0)).Derivative));
    }

    [Fact]
    public void Dual_vector_directions_that_are_zero_stay_zero()
    {
        var v = DualVector.Variable(0.0, 0, 2);
        var y = DualVectorMath.Cbrt(v);
        Assert.True(double.IsPositiveInfinity(y.Tangent(0)));
        Assert.Equal(0.0, y.Tangent(1));
    }
}
