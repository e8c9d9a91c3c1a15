using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Branches whose condition reads only names the method never writes (and the enclosing loop counters): the reverse
/// sweep evaluates the condition again instead of popping a saved flag. Look-alikes whose condition reads a value the
/// method changes keep the flag. <see cref="ReplayedBranchTests"/> checks them against complex step.
/// </summary>
public static partial class ReplayedBranchModels
{
    /// <summary>GradBench k-means' cost with a fixed assignment: Σᵢ ‖Pᵢ − C_{a(i)}‖², the branch on [NoDiff] data and counters.</summary>
    [Differentiable]
    public static double AssignedCost(ReadOnlySpan<double> centroids, [NoDiff] ReadOnlySpan<double> points, [NoDiff] ReadOnlySpan<double> assignment, int n, int k, int d)
    {
        double cost = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                if (assignment[i] == j)
                {
                    for (int c = 0; c < d; c++)
                    {
                        cost += (points[i * d + c] - centroids[j * d + c]) * (points[i * d + c] - centroids[j * d + c]);
                    }
                }
            }
        }

        return cost;
    }

    /// <summary>A branch on the differentiable input itself (never written): replayed; a kink at 0 like relu's.</summary>
    [Differentiable]
    public static double SignedPowers(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0.0)
            {
                sum += x[i] * x[i] * x[i];
            }
            else
            {
                sum += Math.Sin(x[i]) * sum;
            }
        }

        return sum;
    }

    /// <summary>The look-alike: the condition reads a running sum the loop changes, so the branch taken is saved.</summary>
    [Differentiable]
    public static double RunningThreshold(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            if (sum > 1.0)
            {
                sum += 0.5 * x[i] * x[i];
            }
            else
            {
                sum += Math.Exp(x[i]);
            }
        }

        return sum;
    }
}
