using System;

namespace DiffGen.Nn;

/// <summary>A learning rate as a function of the number of optimizer steps already taken (0 for the first step).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the step that follows <paramref name="step"/> completed steps.</summary>
    double LearningRate(int step);
}

/// <summary>η(t) = <paramref name="Rate"/>.</summary>
/// <param name="Rate">The constant learning rate η.</param>
public sealed record ConstantLearningRate(double Rate) : ILearningRateSchedule
{
    /// <summary>η(t) = η.</summary>
    public double LearningRate(int step) => Rate;
}

/// <summary>Step decay: η(t) = η₀·γ^⌊t/s⌋ (PyTorch's StepLR).</summary>
/// <param name="InitialRate">η₀.</param>
/// <param name="StepSize">s, the number of steps between decays (positive).</param>
/// <param name="Gamma">γ, the factor applied every s steps.</param>
public sealed record StepDecay(double InitialRate, int StepSize, double Gamma) : ILearningRateSchedule
{
    /// <summary>η(t) = η₀·γ^⌊t/s⌋.</summary>
    public double LearningRate(int step) => InitialRate * Math.Pow(Gamma, step / Math.Max(1, StepSize));
}

/// <summary>Exponential decay: η(t) = η₀·γ^t (PyTorch's ExponentialLR).</summary>
/// <param name="InitialRate">η₀.</param>
/// <param name="Gamma">γ, the factor applied every step.</param>
public sealed record ExponentialDecay(double InitialRate, double Gamma) : ILearningRateSchedule
{
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
public sealed record CosineAnnealing(double InitialRate, int Period, double MinimumRate = 0.0) : ILearningRateSchedule
{
    /// <summary>η(t) = η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)).</summary>
    public double LearningRate(int step)
    {
        int period = Math.Max(1, Period);
        double progress = Math.Min(step, period) / (double)period;
        return MinimumRate + 0.5 * (InitialRate - MinimumRate) * (1.0 + Math.Cos(Math.PI * progress));
    }
}
