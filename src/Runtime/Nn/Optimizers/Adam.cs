using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − η·m̂/(√v̂ + ε).
/// </summary>
public class Adam : Optimizer
{
    private readonly double[] firstMoment;
    private readonly double[] secondMoment;

    /// <summary>Constant learning rate η (default 1e-3), β₁ = 0.9, β₂ = 0.999, ε = 1e-8 by default.</summary>
    public Adam(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : this(parameterCount, Constant(learningRate), beta1, beta2, epsilon) { }

    /// <summary>Learning rate from a schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">β₁ or β₂ is outside [0, 1), or ε is not positive.</exception>
    public Adam(int parameterCount, ILearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(parameterCount, schedule)
    {
        Beta1 = Require.Fraction(beta1, nameof(beta1));
        Beta2 = Require.Fraction(beta2, nameof(beta2));
        Epsilon = Require.Positive(epsilon, nameof(epsilon));
        firstMoment = new double[parameterCount];
        secondMoment = new double[parameterCount];
    }

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The Adam update of step t (bias-corrected moments).</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        double firstCorrection = 1.0 - Math.Pow(Beta1, step);
        double secondCorrection = 1.0 - Math.Pow(Beta2, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            firstMoment[i] = Beta1 * firstMoment[i] + (1.0 - Beta1) * g;
            secondMoment[i] = Beta2 * secondMoment[i] + (1.0 - Beta2) * g * g;
            double mHat = firstMoment[i] / firstCorrection;
            double vHat = secondMoment[i] / secondCorrection;
            parameters[i] -= learningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        Array.Clear(firstMoment);
        Array.Clear(secondMoment);
    }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): weight decay decoupled from the gradient,
/// θ ← θ − η·λ·θ, then the <see cref="Adam"/> update with the unchanged gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Constant learning rate η (default 1e-3), weight decay λ (default 0.01, as PyTorch).</summary>
    public AdamW(int parameterCount, double learningRate = 1e-3, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : this(parameterCount, Constant(learningRate), weightDecay, beta1, beta2, epsilon) { }

    /// <summary>Learning rate from a schedule, weight decay λ.</summary>
    public AdamW(int parameterCount, ILearningRateSchedule schedule, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(parameterCount, schedule, beta1, beta2, epsilon)
    {
        WeightDecay = Require.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>θ ← θ(1 − ηλ), then the Adam update.</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        double shrink = 1.0 - learningRate * WeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] *= shrink;
        }

        base.Update(parameters, gradient, learningRate, step);
    }
}
