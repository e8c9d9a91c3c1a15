using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 8: a derivative term whose seed (tangent or adjoint) is exactly 0 at run time is exactly 0 even
/// where the partial is ∞, in forward and in reverse mode, as complex step says; never 0·∞ = NaN.
/// </summary>
public class ZeroSeedTests
{
    private const double H = 1e-20;

    /// <summary>∂f/∂xᵢ by complex step through the generated Complex overload.</summary>
    private static double[] ComplexStep(Func<Complex[], Complex> f, double[] x) =>
        Enumerable.Range(0, x.Length).Select(i => f(x.Select((v, k) => new Complex(v, k == i ? H : 0.0)).ToArray()).Imaginary / H).ToArray();

    [Fact]
    public void A_clamped_input_meeting_an_infinite_partial_has_tangent_zero()
    {
        double[] x = { 0.5, 0.5, -0.25 };
        double[] direction = { 0.3, -0.7, 0.2 };
        ZeroSeedModels.ClampedThenSingularTangent(x, direction, out double tangent);
        Assert.Equal(0.0, tangent);
        var dx = new double[3];
        ZeroSeedModels.ClampedThenSingularGradient(x, dx);
        Assert.Equal(new double[3], dx);
        Assert.Equal(new double[3], ComplexStep(z => ZeroSeedModels.ClampedThenSingular(z), x));
        var hv = new double[3];
        ZeroSeedModels.ClampedThenSingularHessianVector(x, direction, hv);
        Assert.Equal(new double[3], hv);
    }

    [Fact]
    public void An_adjoint_zero_at_run_time_meeting_an_infinite_partial_gives_a_finite_gradient()
    {
        double[] x = { 1.0, 0.5, -0.25 };
        var dx = new double[3];
        ZeroSeedModels.SingularThenClampedGradient(x, dx);
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, dx);
        Assert.Equal(dx, ComplexStep(z => ZeroSeedModels.SingularThenClamped(z), x));
        double[] direction = { 0.3, -0.7, 0.2 };
        ZeroSeedModels.SingularThenClampedTangent(x, direction, out double tangent);
        Assert.Equal(2.0 * (0.3 - 0.7 + 0.2), tangent, 1e-15);
    }

    [Fact]
    public void The_fuzzer_case_at_seed_8705121_agrees_with_complex_step()
    {
        double[] x = { 0.564, 0.472, -0.974, 1.623 };
        double x0 = -1.322;
        double[] direction = { 0.281, -0.751, -0.733, 0.952 };
        const double directionX0 = 0.407;
        var dx = new double[4];
        double value = ZeroSeedModels.FuzzerM3219Gradient(x, x0, 3, dx, out double dx0);
        Assert.Equal(ZeroSeedModels.FuzzerM3219(x, x0, 3), value);
        Complex F(Complex[] z) => ZeroSeedModels.FuzzerM3219(z.AsSpan(0, 4), z[4], 3);
        var steps = ComplexStep(F, x.Append(x0).ToArray());
        Assert.Equal(steps, dx.Append(dx0));
        ZeroSeedModels.FuzzerM3219Tangent(x, x0, 3, direction, directionX0, out double tangent);
        Assert.Equal(F(x.Select((v, i) => new Complex(v, H * direction[i])).Append(new Complex(x0, H * directionX0)).ToArray()).Imaginary / H, tangent);
    }
}
