using System;
using System.Linq;
using MathNet.Numerics.Differentiation;
using M = DiffGen.Consumer.Tests.WhileConditionCallModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// A call of a span method in a while or do condition runs before every test (once DG0029): the root of a
/// polynomial by Newton's method, whose derivative in the coefficients is the implicit function theorem's
/// −tᵏ/p′(t), and a do loop with a closed form, each also against MathNet's central differences.
/// </summary>
public class WhileConditionCallTests
{
    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.5)]
    public void Newton_root_with_the_residual_in_the_condition_has_the_implicit_derivative(double start)
    {
        double[] c = { -2.0, 0.5, 1.0, 0.1 }; // p(t) = 0.1t³ + t² + 0.5t − 2
        var dc = new double[c.Length];
        double root = M.RootGradient(c, start, dc, out double dstart);
        Assert.Equal(M.Root(c, start), root);
        Assert.True(Math.Abs(SpanModels.Horner(c, root)) <= 1e-13, $"p(root) = {SpanModels.Horner(c, root)}");

        double slope = c.Select((v, k) => k * v * Math.Pow(root, k - 1)).Sum();
        for (int k = 0; k < c.Length; k++)
        {
            Close(-Math.Pow(root, k) / slope, dc[k], 1e-10, $"∂t/∂c{k}");
            int i = k;
            double fd = new NumericalDerivative().EvaluateDerivative(v => { var p = (double[])c.Clone(); p[i] = v; return M.Root(p, start); }, c[k], 1);
            Close(fd, dc[k], 1e-6, $"∂t/∂c{k} vs MathNet");
        }

        Assert.True(Math.Abs(dstart) < 1e-10, $"∂t/∂start = {dstart}"); // converged: the start is forgotten

        double[] direction = { 0.3, -0.2, 0.7, 1.1 };
        double tangentValue = M.RootTangent(c, start, direction, 0.0, out double tangent);
        Assert.Equal(root, tangentValue);
        Close(direction.Select((v, k) => v * dc[k]).Sum(), tangent, 1e-12, "tangent");
    }

    [Theory]
    [InlineData(0.3, 1.0)]
    [InlineData(-0.2, 0.5)]
    public void Do_loop_with_a_call_in_its_condition_matches_the_closed_form(double x0, double scale)
    {
        double[] x = { x0, 2.0, 3.5, 1.25 };
        // Independently: k trips of y ← 2y + s until y ≥ Σ x, so y = 2ᵏx₀ + (2ᵏ − 1)s.
        int trips = 0;
        double y = x0;
        do
        {
            y = 2 * y + scale;
            trips++;
        }
        while (y < x.Sum());

        var dx = new double[x.Length];
        double value = M.DoublingGradient(x, scale, dx, out double dscale);
        Assert.Equal(y, value);
        double power = Math.Pow(2, trips);
        Close(power, dx[0], 1e-15, "∂y/∂x0");
        Assert.All(dx.Skip(1), d => Assert.Equal(0.0, d)); // the condition is not differentiated
        Close(power - 1, dscale, 1e-15, "∂y/∂s");
        double fd = new NumericalDerivative().EvaluateDerivative(s => M.Doubling(x, s), scale, 1);
        Close(fd, dscale, 1e-7, "∂y/∂s vs MathNet");
    }
}
