using System;
using System.Runtime.CompilerServices;
using DiffGen.Expr;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// Loss functions. Each returns the loss and, in the overload with a <c>gradient</c> span, writes
/// ∂loss/∂prediction (or ∂loss/∂logits) into it, overwriting it. Losses over n elements are means.
/// The forms are stable: nothing overflows for logits of magnitude 1000.
/// </summary>
public static partial class Losses
{
    /// <summary>The probability clamp of <see cref="BinaryCrossEntropy(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>: p ∈ [ε, 1 − ε], ε = 1e-12.</summary>
    public const double ProbabilityEpsilon = 1e-12;

    /// <summary>Mean squared error L = (1/n)·Σᵢ (pᵢ − tᵢ)².</summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double MeanSquaredError(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target)
        => MeanSquaredError(prediction, target, Span<double>.Empty, computeGradient: false);

    /// <summary>L = (1/n)·Σᵢ (pᵢ − tᵢ)²; gradient ∂L/∂pᵢ = 2(pᵢ − tᵢ)/n.</summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double MeanSquaredError(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, Span<double> gradient)
        => MeanSquaredError(prediction, target, gradient, computeGradient: true);

    private static double MeanSquaredError(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, Span<double> gradient, bool computeGradient)
    {
        int n = RequireShapes(prediction, target, gradient, computeGradient);
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (computeGradient)
            {
                sum += ScalarRules.SquaredError(prediction[i], target[i], out double dp);
                gradient[i] = dp / n;
            }
            else
            {
                sum += ScalarRules.SquaredError(prediction[i], target[i]);
            }
        }

        return sum / n;
    }

    /// <summary>
    /// Binary cross-entropy on probabilities, L = −(1/n)·Σᵢ [tᵢ·log pᵢ + (1 − tᵢ)·log(1 − pᵢ)], with pᵢ clamped to
    /// [ε, 1 − ε] (<see cref="ProbabilityEpsilon"/>) so that log 0 never occurs. Prefer
    /// <see cref="BinaryCrossEntropyWithLogits(ReadOnlySpan{double}, ReadOnlySpan{double})"/> where logits are available.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double BinaryCrossEntropy(ReadOnlySpan<double> probability, ReadOnlySpan<double> target)
        => BinaryCrossEntropy(probability, target, Span<double>.Empty, computeGradient: false);

    /// <summary>
    /// Binary cross-entropy on clamped probabilities (see the overload without gradient); gradient
    /// ∂L/∂pᵢ = (pᵢ − tᵢ)/(pᵢ(1 − pᵢ))/n, evaluated at the clamped pᵢ (so a saturated prediction still
    /// gets a finite, non-zero push, as PyTorch does).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double BinaryCrossEntropy(ReadOnlySpan<double> probability, ReadOnlySpan<double> target, Span<double> gradient)
        => BinaryCrossEntropy(probability, target, gradient, computeGradient: true);

    private static double BinaryCrossEntropy(ReadOnlySpan<double> probability, ReadOnlySpan<double> target, Span<double> gradient, bool computeGradient)
    {
        int n = RequireShapes(probability, target, gradient, computeGradient);
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            double p = Math.Clamp(probability[i], ProbabilityEpsilon, 1.0 - ProbabilityEpsilon);
            double t = target[i];
            sum -= t * Math.Log(p) + (1.0 - t) * Primitives.Log1p(-p);
            if (computeGradient)
            {
                // Written here, not generated: the chain rule through log and log1p gives −t/p + (1 − t)/(1 − p),
                // two large terms that cancel where p ≈ t (soft targets near the optimum); one quotient does not.
                gradient[i] = (p - t) / (p * (1.0 - p)) / n;
            }
        }

        return sum / n;
    }

    /// <summary>
    /// Binary cross-entropy on logits zᵢ (sigmoid folded in), L = (1/n)·Σᵢ [softplus(zᵢ) − tᵢ·zᵢ], evaluated as
    /// max(zᵢ, 0) − tᵢzᵢ + log1p(e^−|zᵢ|), which never overflows.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target)
        => BinaryCrossEntropyWithLogits(logits, target, Span<double>.Empty, computeGradient: false);

    /// <summary>L = (1/n)·Σᵢ [softplus(zᵢ) − tᵢ·zᵢ]; gradient ∂L/∂zᵢ = (σ(zᵢ) − tᵢ)/n.</summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target, Span<double> gradient)
        => BinaryCrossEntropyWithLogits(logits, target, gradient, computeGradient: true);

    private static double BinaryCrossEntropyWithLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target, Span<double> gradient, bool computeGradient)
    {
        int n = RequireShapes(logits, target, gradient, computeGradient);
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (computeGradient)
            {
                sum += ScalarRules.BinaryCrossEntropyWithLogits(logits[i], target[i], out double dz);
                gradient[i] = dz / n;
            }
            else
            {
                sum += ScalarRules.BinaryCrossEntropyWithLogits(logits[i], target[i]);
            }
        }

        return sum / n;
    }

    /// <summary>
    /// Softmax cross-entropy for one sample with class index c: L = logsumexp(z) − z_c (max-shifted, so
    /// stable for any finite logits).
    /// </summary>
    /// <exception cref="ArgumentException">logits is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">label is not a valid class index.</exception>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label)
    {
        RequireLabel(logits, label);
        return LabelCrossEntropy(logits, label);
    }

    /// <summary>L = logsumexp(z) − z_c; gradient ∂L/∂zᵢ = softmax(z)ᵢ − [i = c].</summary>
    /// <exception cref="ArgumentException">logits is empty or gradient has a different length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">label is not a valid class index.</exception>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label, Span<double> gradient)
    {
        RequireLabel(logits, label);
        RequireLength(logits.Length, gradient.Length, nameof(gradient));
        return LabelCrossEntropyGradient(logits, label, gradient);
    }

    /// <summary>logsumexp(z) − z_c, whose generated gradient is softmax(z) − e_c.</summary>
    [Differentiable]
    private static double LabelCrossEntropy(ReadOnlySpan<double> logits, int label)
    {
        return Activations.ShiftedLogSumExp(logits) - logits[label];
    }

    /// <summary>
    /// Softmax cross-entropy against a target distribution t (one-hot or soft labels), for one sample:
    /// L = −Σᵢ tᵢ·log softmax(z)ᵢ = (Σᵢ tᵢ)·logsumexp(z) − Σᵢ tᵢzᵢ.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> target)
        => SoftmaxCrossEntropy(logits, target, Span<double>.Empty, computeGradient: false);

    /// <summary>L = (Σᵢ tᵢ)·logsumexp(z) − Σᵢ tᵢzᵢ; gradient ∂L/∂zᵢ = (Σⱼ tⱼ)·softmax(z)ᵢ − tᵢ.</summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> target, Span<double> gradient)
        => SoftmaxCrossEntropy(logits, target, gradient, computeGradient: true);

    private static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> target, Span<double> gradient, bool computeGradient)
    {
        RequireShapes(logits, target, gradient, computeGradient);
        return computeGradient ? TargetCrossEntropyGradient(logits, target, gradient) : TargetCrossEntropy(logits, target);
    }

    /// <summary>Σᵢ tᵢ(logsumexp(z) − zᵢ), whose generated gradient is (Σⱼ tⱼ)·softmax(z) − t.</summary>
    [Differentiable]
    private static double TargetCrossEntropy(ReadOnlySpan<double> logits, [NoDiff] ReadOnlySpan<double> target)
    {
        double logSumExp = Activations.ShiftedLogSumExp(logits);
        double loss = 0.0;
        for (int i = 0; i < logits.Length; i++)
        {
            // Each term tᵢ(lse − zᵢ) is non-negative for tᵢ ≥ 0: no cancellation between large terms.
            loss += target[i] * (logSumExp - logits[i]);
        }

        return loss;
    }

    /// <summary>Hinge loss for labels yᵢ ∈ {−1, +1} and scores sᵢ: L = (1/n)·Σᵢ max(0, 1 − yᵢsᵢ).</summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double Hinge(ReadOnlySpan<double> score, ReadOnlySpan<double> label)
        => Hinge(score, label, Span<double>.Empty, computeGradient: false);

    /// <summary>
    /// L = (1/n)·Σᵢ max(0, 1 − yᵢsᵢ); gradient ∂L/∂sᵢ = −yᵢ/n where 1 − yᵢsᵢ &gt; 0, else 0 (0 at the
    /// hinge, as relu'(0) = 0).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or the spans are empty.</exception>
    public static double Hinge(ReadOnlySpan<double> score, ReadOnlySpan<double> label, Span<double> gradient)
        => Hinge(score, label, gradient, computeGradient: true);

    private static double Hinge(ReadOnlySpan<double> score, ReadOnlySpan<double> label, Span<double> gradient, bool computeGradient)
    {
        int n = RequireShapes(score, label, gradient, computeGradient);
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (computeGradient)
            {
                sum += ScalarRules.Hinge(score[i], label[i], out double ds);
                gradient[i] = ds / n;
            }
            else
            {
                sum += ScalarRules.Hinge(score[i], label[i]);
            }
        }

        return sum / n;
    }

    private static int RequireShapes(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, Span<double> gradient, bool computeGradient,
        [CallerArgumentExpression(nameof(prediction))] string predictionName = "prediction", [CallerArgumentExpression(nameof(target))] string targetName = "target")
    {
        if (prediction.IsEmpty)
        {
            throw new ArgumentException($"{predictionName} must not be empty.", predictionName);
        }

        RequireLength(prediction.Length, target.Length, targetName);
        if (computeGradient)
        {
            RequireLength(prediction.Length, gradient.Length, nameof(gradient));
        }

        return prediction.Length;
    }

    private static void RequireLabel(ReadOnlySpan<double> logits, int label)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The logits must not be empty.", nameof(logits));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, logits.Length);
    }

    private static void RequireLength(int expected, int actual, string parameterName)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{parameterName} has {actual} elements but the prediction has {expected}.", parameterName);
        }
    }
}
