using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>Gradient clipping, applied in place before an optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>gᵢ ← clamp(gᵢ, −c, c).</summary>
    /// <exception cref="ArgumentOutOfRangeException">limit is negative or NaN.</exception>
    public static void ClipByValue(Span<double> gradient, double limit)
    {
        if (!(limit >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be non-negative.");
        }

        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = Math.Clamp(gradient[i], -limit, limit);
        }
    }

    /// <summary>
    /// If ‖g‖₂ &gt; c, g ← g·c/‖g‖₂ (the direction is kept). Returns ‖g‖₂ before clipping. For several
    /// parameter groups, keep them in one flat span so the norm is global.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">maxNorm is negative or NaN.</exception>
    public static double ClipByGlobalNorm(Span<double> gradient, double maxNorm)
    {
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The norm bound must be non-negative.");
        }

        double sumOfSquares = 0.0;
        for (int i = 0; i < gradient.Length; i++)
        {
            sumOfSquares += gradient[i] * gradient[i];
        }

        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            double scale = maxNorm / norm;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= scale;
            }
        }

        return norm;
    }
}

/// <summary>Weight penalties: each returns its value (add it to the loss) and adds its gradient into <c>gradient</c>.</summary>
public static class Penalties
{
    /// <summary>L1 (lasso): P = λ·Σᵢ|wᵢ|; adds ∂P/∂wᵢ = λ·sign(wᵢ) (0 at wᵢ = 0) to gradient.</summary>
    /// <exception cref="ArgumentException">gradient is not as long as weights, or λ is negative or not finite.</exception>
    public static double L1(ReadOnlySpan<double> weights, double lambda, Span<double> gradient)
    {
        Require.NonNegative(lambda, nameof(lambda));
        RequireLength(weights.Length, gradient.Length);
        double sum = 0.0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            sum += Math.Abs(w);
            gradient[i] += lambda * (w > 0 ? 1.0 : w < 0 ? -1.0 : 0.0);
        }

        return lambda * sum;
    }

    /// <summary>L2 (ridge): P = (λ/2)·Σᵢ wᵢ²; adds ∂P/∂wᵢ = λ·wᵢ to gradient.</summary>
    /// <exception cref="ArgumentException">gradient is not as long as weights, or λ is negative or not finite.</exception>
    public static double L2(ReadOnlySpan<double> weights, double lambda, Span<double> gradient)
    {
        Require.NonNegative(lambda, nameof(lambda));
        RequireLength(weights.Length, gradient.Length);
        double sum = 0.0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            sum += w * w;
            gradient[i] += lambda * w;
        }

        return 0.5 * lambda * sum;
    }

    private static void RequireLength(int weights, int gradient)
    {
        if (weights != gradient)
        {
            throw new ArgumentException($"gradient has {gradient} elements but weights has {weights}.", nameof(gradient));
        }
    }
}

/// <summary>
/// Early stopping on a metric to minimize (e.g. validation loss): an evaluation improves when it is
/// below best − minDelta; training should stop after <see cref="Patience"/> evaluations in a row
/// without improvement.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Stops after <paramref name="patience"/> evaluations without an improvement larger than <paramref name="minDelta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">patience is negative or minDelta is negative.</exception>
    public EarlyStopping(int patience, double minDelta = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!(minDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be non-negative.");
        }

        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>How many evaluations without improvement are tolerated.</summary>
    public int Patience { get; }

    /// <summary>The smallest decrease that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The best value seen (+∞ before the first evaluation).</summary>
    public double BestValue { get; private set; } = double.PositiveInfinity;

    /// <summary>The 0-based evaluation at which <see cref="BestValue"/> was seen (−1 before any).</summary>
    public int BestEvaluation { get; private set; } = -1;

    /// <summary>The number of evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Evaluations since the last improvement.</summary>
    public int EvaluationsWithoutImprovement { get; private set; }

    /// <summary>
    /// True once the last evaluation did not improve and <see cref="EvaluationsWithoutImprovement"/> ≥
    /// <see cref="Patience"/> (so patience 0 stops at the first evaluation that does not improve).
    /// </summary>
    public bool ShouldStop => EvaluationsWithoutImprovement > 0 && EvaluationsWithoutImprovement >= Patience;

    /// <summary>Records a metric value; returns <see cref="ShouldStop"/>. NaN never improves.</summary>
    public bool Update(double value)
    {
        if (value < BestValue - MinDelta)
        {
            BestValue = value;
            BestEvaluation = Evaluations;
            EvaluationsWithoutImprovement = 0;
        }
        else
        {
            EvaluationsWithoutImprovement++;
        }

        Evaluations++;
        return ShouldStop;
    }

    /// <summary>Forgets all evaluations.</summary>
    public void Reset()
    {
        BestValue = double.PositiveInfinity;
        BestEvaluation = -1;
        Evaluations = 0;
        EvaluationsWithoutImprovement = 0;
    }
}
