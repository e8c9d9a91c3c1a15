using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 8: values that overflow or are singular where they cannot reach the result leave the derivatives
/// finite and exact (closed forms and complex step), in reverse and in forward mode.
/// </summary>
public class DeadCodeTests
{
    private const double H = 1e-20;

    [Fact]
    public void Dead_overflowing_power_in_a_loop_leaves_the_gradient_exact()
    {
        double[] x = { 10.0, -8.0, 0.5 };
        var dx = new double[3];
        Assert.Equal(164.25, DeadCodeModels.DeadPowerInLoopGradient(x, dx));
        Assert.Equal(x.Select(v => 2 * v), dx);
        double[] direction = { 1.0, 2.0, -3.0 };
        DeadCodeModels.DeadPowerInLoopTangent(x, direction, out double tangent);
        Assert.Equal(2 * (10.0 - 16.0 - 1.5), tangent);
    }

    [Fact]
    public void Overwritten_overflow_leaves_the_gradient_exact()
    {
        double[] x = { 1.0, 2.0 };
        var dx = new double[2];
        Assert.Equal(800.0 * 800.0 + 3.0, DeadCodeModels.OverwrittenOverflowGradient(x, 800.0, dx, out double dy));
        Assert.Equal(1600.0, dy);
        Assert.Equal(new[] { 1.0, 1.0 }, dx);
        DeadCodeModels.OverwrittenOverflowTangent(x, 800.0, new[] { 0.5, 0.25 }, 1.0, out double tangent);
        Assert.Equal(1600.75, tangent);
    }

    [Fact]
    public void A_singular_branch_not_taken_leaves_the_gradient_exact()
    {
        // At the origin the branch is not taken: r = 0, f = x, ∇f = (1, 0).
        Assert.Equal(0.0, DeadCodeModels.SingularBranchNotTakenGradient(0.0, 0.0, out double dx, out double dy));
        Assert.Equal(1.0, dx);
        Assert.Equal(0.0, dy);
        DeadCodeModels.SingularBranchNotTakenTangent(0.0, 0.0, 0.5, 2.0, out double tangent);
        Assert.Equal(0.5, tangent);
        var hessian = new double[4];
        DeadCodeModels.SingularBranchNotTakenHessian(0.0, 0.0, new double[2], hessian);
        Assert.Equal(new double[4], hessian);

        // Where it is taken: f = √(x² + y²) + xy/√(x² + y²) + x, against complex step.
        foreach (var (x, y) in new[] { (0.3, -1.2), (2.0, 0.5) })
        {
            DeadCodeModels.SingularBranchNotTakenGradient(x, y, out double gx, out double gy);
            Assert.Equal(DeadCodeModels.SingularBranchNotTaken(new Complex(x, H), y).Imaginary / H, gx, 1e-12);
            Assert.Equal(DeadCodeModels.SingularBranchNotTaken(x, new Complex(y, H)).Imaginary / H, gy, 1e-12);
        }
    }

    [Fact]
    public void Fuzzed_dead_pow_loop_has_a_zero_gradient()
    {
        foreach (double x0 in new[] { 0.133, -1.0, 1.7 })
        {
            double value = DeadCodeModels.FuzzedDeadPowLoopGradient(x0, 0.7, 3, out double d);
            Assert.Equal(DeadCodeModels.FuzzedDeadPowLoop(x0, 0.7, 3), value);
            Assert.Equal(0.0, d);
            DeadCodeModels.FuzzedDeadPowLoopTangent(x0, 0.7, 3, 1.0, out double tangent);
            Assert.Equal(0.0, tangent);
        }
    }
}
