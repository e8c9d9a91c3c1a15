using System;
using System.Linq;
using DiffGen.GradBench.Evals;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// ode and ba each differentiate one vector-output method that is also their primal: the generated
/// members checked beyond what the protocol's outputs show, against MathNet central differences.
/// </summary>
public class VectorOutputEvalTests
{
    [Fact]
    public void Ode_vjp_along_any_cotangent_matches_central_differences_and_writes_the_primal_values()
    {
        // n ≤ 4s, so every output depends on the inputs before it; ȳ weights every component.
        var random = new Random(11);
        double[] x = Enumerable.Range(0, 6).Select(_ => 0.5 + random.NextDouble()).ToArray();
        double[] cotangent = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
        const int s = 2;
        double Weighted(double[] at)
        {
            var y = new double[at.Length];
            Ode.Solve(at, s, y);
            return cotangent.Zip(y, (w, v) => w * v).Sum();
        }

        var values = new double[x.Length];
        var gradient = new double[x.Length];
        Ode.SolveVjp(x, s, values, cotangent, gradient);

        var primal = new double[x.Length];
        Ode.Solve(x, s, primal);
        Assert.Equal(primal, values);
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-2);
        Harness.Close(SmallEvalTests.FiniteDifferenceGradient(Weighted, x), gradient, 1e-9);
    }

    [Theory]
    [InlineData(0.3, -0.2, 0.1)]
    [InlineData(0.0, 0.0, 0.0)]
    public void Ba_jacobian_writes_every_observations_block_in_its_two_rows(double r0, double r1, double r2)
    {
        // Two cameras, three points, five observations: blocks k = 0 … 4 at rows 2k and 2k + 1.
        double[] camera = [r0, r1, r2, 0.5, -0.3, -4.0, 2.0, 0.1, -0.2, 0.05, 0.01];
        double[] point = [0.7, 0.4, 1.5];
        const double weight = 0.8;
        double[] feature = [0.3, -0.6];
        var problem = new Ba.Problem(new BaInput { N = 2, M = 3, P = 5, Cam = camera, X = point, W = weight, Feat = feature });
        int entries = (2 * Ba.BlockWidth + 1) * problem.P;
        var vals = new double[entries];
        Ba.Jacobian(problem, new int[3 * problem.P + 1], new int[entries], vals);

        double[] parameters = [.. camera, .. point, weight];
        for (int axis = 0; axis < 2; axis++)
        {
            double[] expected = SmallEvalTests.FiniteDifferenceGradient(p =>
            {
                var residual = new double[2];
                Ba.Reproject(p.AsSpan(0, Ba.CameraSize), p.AsSpan(Ba.CameraSize, Ba.PointSize), p[^1], feature, residual);
                return residual[axis];
            }, parameters);
            for (int k = 0; k < problem.P; k++)
            {
                int at = (2 * k + axis) * Ba.BlockWidth;
                Harness.Close(expected, vals[at..(at + Ba.BlockWidth)], 1e-8);
            }
        }
    }
}
