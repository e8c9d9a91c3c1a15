using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>A learning rate as a function of the number of optimizer steps already taken (0 for the first step).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the step that follows <paramref name="step"/> completed steps.</summary>
    double LearningRate(int step);
}

/// <summary>η(t) = <paramref name="Rate"/>.</summary>
/// <param name="Rate">The constant learning rate η.</param>
/// <exception cref="ArgumentOutOfRangeException">Rate is negative, NaN or infinite.</exception>
public sealed record ConstantLearningRate(double Rate) : ILearningRateSchedule
{
    /// <summary>η (finite, ≥ 0).</summary>
    public double Rate { get; } = Require.NonNegative(Rate, nameof(Rate));

    /// <summary>η(t) = η.</summary>
    public double LearningRate(int step) => Rate;
}

/// <summary>Step decay: η(t) = η₀·γ^⌊t/s⌋ (PyTorch's StepLR).</summary>
/// <param name="InitialRate">η₀.</param>
/// <param name="StepSize">s, the number of steps between decays (positive).</param>
/// <param name="Gamma">γ, the factor applied every s steps.</param>
/// <exception cref="ArgumentOutOfRangeException">η₀ is negative or not finite, s is not positive, or γ is outside (0, 1].</exception>
public sealed record StepDecay(double InitialRate, int StepSize, double Gamma) : ILearningRateSchedule
{
    /// <summary>η₀ (finite, ≥ 0).</summary>
    public double InitialRate { get; } = Require.NonNegative(InitialRate, nameof(InitialRate));

    /// <summary>s (positive).</summary>
    public int StepSize { get; } = StepSize > 0 ? StepSize : throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "StepSize must be positive.");

    /// <summary>γ in (0, 1].</summary>
    public double Gamma { get; } = Decay(Gamma, nameof(Gamma));

    /// <summary>η(t) = η₀·γ^⌊t/s⌋.</summary>
    public double LearningRate(int step) => InitialRate * Math.Pow(Gamma, step / StepSize);

    /// <summary>A decay factor γ: in (0, 1], so the rate never grows or changes sign.</summary>
    internal static double Decay(double gamma, string name) =>
        gamma > 0 && gamma <= 1 ? gamma : throw new ArgumentOutOfRangeException(name, gamma, $"{name} must lie in (0, 1].");
}

/// <summary>Exponential decay: η(t) = η₀·γ^t (PyTorch's ExponentialLR).</summary>
/// <param name="InitialRate">η₀.</param>
/// <param name="Gamma">γ, the factor applied every step.</param>
/// <exception cref="ArgumentOutOfRangeException">η₀ is negative or not finite, or γ is outside (0, 1].</exception>
public sealed record ExponentialDecay(double InitialRate, double Gamma) : ILearningRateSchedule
{
    /// <summary>η₀ (finite, ≥ 0).</summary>
    public double InitialRate { get; } = Require.NonNegative(InitialRate, nameof(InitialRate));

    /// <summary>γ in (0, 1].</summary>
    public double Gamma { get; } = StepDecay.Decay(Gamma, nameof(Gamma));

    /// <summary>η(t) = η₀·γ^t.</summary>
    public double LearningRate(int step) => InitialRate * Math.Pow(Gamma, step);
}

/// <summary>
/// Cosine annealing: η(t) = η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)), then η_min after T steps
/// (PyTorch's CosineAnnealingLR without restarts).
/// </summary>
/// <param name="InitialRate">η₀.</param>
/// <param name="Period">T, the number of steps to anneal over (positive).</param>
/// <param name="MinimumRate">η_min.</param>
/// <exception cref="ArgumentOutOfRangeException">η₀ or η_min is negative or not finite, η_min &gt; η₀, or T is not positive.</exception>
public sealed record CosineAnnealing(double InitialRate, int Period, double MinimumRate = 0.0) : ILearningRateSchedule
{
    /// <summary>η₀ (finite, ≥ 0).</summary>
    public double InitialRate { get; } = Require.NonNegative(InitialRate, nameof(InitialRate));

    /// <summary>T (positive).</summary>
    public int Period { get; } = Period > 0 ? Period : throw new ArgumentOutOfRangeException(nameof(Period), Period, "Period must be positive.");

    /// <summary>η_min, in [0, η₀].</summary>
    public double MinimumRate { get; } = Require.NonNegative(MinimumRate, nameof(MinimumRate)) <= InitialRate
        ? MinimumRate
        : throw new ArgumentOutOfRangeException(nameof(MinimumRate), MinimumRate, "MinimumRate must not exceed InitialRate.");

    /// <summary>η(t) = η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)).</summary>
    public double LearningRate(int step)
    {
        double progress = Math.Min(step, Period) / (double)Period;
        return MinimumRate + 0.5 * (InitialRate - MinimumRate) * (1.0 + Math.Cos(Math.PI * progress));
    }
}
