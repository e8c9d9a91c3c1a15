using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// The max-norm constraint: after each optimizer step, every unit's incoming weight vector (a row of
/// <c>rowLength</c> weights) with ‖w‖₂ &gt; c is scaled back to norm c; shorter rows are left alone. The
/// projection P(w) = w·min(1, c/‖w‖) is differentiable away from ‖w‖ = c; <see cref="Backward"/> gives
/// its vector-Jacobian product.
/// </summary>
public static partial class MaxNorm
{
    /// <summary>Projects every row onto the ball of radius <paramref name="maxNorm"/>; returns how many rows were scaled.</summary>
    /// <exception cref="ArgumentOutOfRangeException">rowLength is not positive or does not divide the length, or maxNorm is not positive.</exception>
    public static int Apply(Span<double> weights, int rowLength, double maxNorm)
    {
        Check(weights.Length, rowLength, maxNorm);
        int scaled = 0;
        for (int start = 0; start < weights.Length; start += rowLength)
        {
            if (Norm(weights.Slice(start, rowLength)) > maxNorm)
            {
                scaled++;
            }
        }

        // In place: each row's norm is read before the row is written.
        Project(weights, rowLength, maxNorm, weights);
        return scaled;
    }

    /// <summary>
    /// ∂L/∂w from ∂L/∂P(w), row by row: the upstream itself where ‖w‖ ≤ c, else (c/‖w‖)(u − w (w·u)/‖w‖²).
    /// </summary>
    /// <param name="weights">The weights before the projection.</param>
    /// <param name="rowLength">Weights per row.</param>
    /// <param name="maxNorm">The bound c.</param>
    /// <param name="upstream">∂L/∂P(w).</param>
    /// <param name="inputGradient">Receives ∂L/∂w.</param>
    /// <exception cref="ArgumentException">A span's length differs from the weights'.</exception>
    public static void Backward(ReadOnlySpan<double> weights, int rowLength, double maxNorm, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        Check(weights.Length, rowLength, maxNorm);
        Dropout.Require(weights.Length, upstream.Length, nameof(upstream));
        Dropout.Require(weights.Length, inputGradient.Length, nameof(inputGradient));
        using var projected = new PooledScratch(weights.Length);
        ProjectVjp(weights, rowLength, maxNorm, projected.Span, upstream, inputGradient);
    }

    /// <summary>P(w) = w·min(1, c/‖w‖) row by row, the forward function whose generated product is <see cref="Backward"/>.</summary>
    [Differentiable]
    private static void Project(ReadOnlySpan<double> weights, int rowLength, [NoDiff] double maxNorm, Span<double> projected)
    {
        for (int row = 0; row < weights.Length / rowLength; row++)
        {
            int start = row * rowLength;
            double norm = Norm(weights.Slice(start, rowLength));
            double factor = norm > maxNorm ? maxNorm / norm : 1.0;
            for (int i = start; i < start + rowLength; i++)
            {
                projected[i] = weights[i] * factor;
            }
        }
    }

    [Differentiable]
    private static double Norm(ReadOnlySpan<double> row)
    {
        double sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            sum += row[i] * row[i];
        }

        return Math.Sqrt(sum);
    }

    private static void Check(int length, int rowLength, double maxNorm)
    {
        if (rowLength <= 0 || length % rowLength != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"The row length must be positive and divide {length}.");
        }

        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The norm bound must be positive.");
        }
    }
}
