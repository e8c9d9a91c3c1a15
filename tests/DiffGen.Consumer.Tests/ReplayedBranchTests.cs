using System;
using System.Linq;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Branches replayed by their condition in the reverse sweep (<see cref="ReplayedBranchModels"/>): every generated
/// member against complex step, forward mode and finite differences, and k-means' gradient against its closed form.
/// </summary>
public class ReplayedBranchTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.7 * i + phase)).ToArray();

    [Theory]
    [InlineData(5, 3, 2)]
    [InlineData(4, 1, 3)]
    [InlineData(0, 2, 2)]
    public void AssignedCost_gradient(int n, int k, int d)
    {
        var points = Wave(n * d, 0.4, 2.0);
        var assignment = Enumerable.Range(0, n).Select(i => (double)((3 * i + 1) % k)).ToArray();
        new SpanOracle
        {
            Primal = v => ReplayedBranchModels.AssignedCost(v, points, assignment, n, k, d),
            Gradient = (v, g) => ReplayedBranchModels.AssignedCostGradient(v, points, assignment, n, k, d, g),
            Tangent = (v, t) => (ReplayedBranchModels.AssignedCostTangent(v, points, assignment, n, k, d, t, out double dt), dt),
            HessianVector = (v, u, hv) => ReplayedBranchModels.AssignedCostHessianVector(v, points, assignment, n, k, d, u, hv),
            Complex = z => ReplayedBranchModels.AssignedCost(z, points, assignment, n, k, d),
        }.Check(Wave(k * d, 1.3, 1.0));
    }

    [Fact]
    public void AssignedCost_gradient_is_twice_the_sum_of_differences_per_centroid()
    {
        const int n = 6, k = 2, d = 2;
        var points = Wave(n * d, 0.1, 3.0);
        var assignment = new double[] { 0, 1, 1, 0, 1, 0 };
        var centroids = new[] { 0.5, -0.25, 1.5, 2.0 };
        var gradient = new double[k * d];
        ReplayedBranchModels.AssignedCostGradient(centroids, points, assignment, n, k, d, gradient);
        for (int j = 0; j < k; j++)
        {
            for (int c = 0; c < d; c++)
            {
                double expected = 0;
                for (int i = 0; i < n; i++)
                {
                    expected += assignment[i] == j ? 2 * (centroids[j * d + c] - points[i * d + c]) : 0;
                }

                Assert.Equal(expected, gradient[j * d + c], 12);
            }
        }
    }

    [Theory]
    [InlineData(new[] { 0.7, -0.4, 1.2, -1.9, 0.3 })]
    [InlineData(new[] { -0.2 })]
    public void SignedPowers_gradient(double[] x)
    {
        new SpanOracle
        {
            Primal = v => ReplayedBranchModels.SignedPowers(v),
            Gradient = (v, g) => ReplayedBranchModels.SignedPowersGradient(v, g),
            Tangent = (v, t) => (ReplayedBranchModels.SignedPowersTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => ReplayedBranchModels.SignedPowersHessianVector(v, u, hv),
            Complex = z => ReplayedBranchModels.SignedPowers(z),
        }.Check(x);
    }

    [Theory]
    [InlineData(new[] { 0.7, -0.4, 1.2, -1.9, 0.3, 0.8 })]
    [InlineData(new[] { -3.0, -2.0 })]
    public void RunningThreshold_gradient(double[] x)
    {
        new SpanOracle
        {
            Primal = v => ReplayedBranchModels.RunningThreshold(v),
            Gradient = (v, g) => ReplayedBranchModels.RunningThresholdGradient(v, g),
            Tangent = (v, t) => (ReplayedBranchModels.RunningThresholdTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => ReplayedBranchModels.RunningThresholdHessianVector(v, u, hv),
            Complex = z => ReplayedBranchModels.RunningThreshold(z),
        }.Check(x);
    }
}
