using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>Updates parameters in place from their gradient: one call is one optimization step.</summary>
public interface IOptimizer
{
    /// <summary>The number of steps taken so far.</summary>
    int StepCount { get; }

    /// <summary>Applies one update to <paramref name="parameters"/> given ∂loss/∂parameters.</summary>
    void Step(Span<double> parameters, ReadOnlySpan<double> gradient);
}

/// <summary>
/// The common part of the optimizers: state is allocated once for a fixed parameter count, so a
/// <see cref="Step"/> allocates nothing; the learning rate of step t (from 0) is
/// <see cref="Schedule"/>.LearningRate(t).
/// </summary>
public abstract class Optimizer : IOptimizer
{
    /// <summary>Prepares state for <paramref name="parameterCount"/> parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">parameterCount is not positive.</exception>
    /// <exception cref="ArgumentNullException">schedule is null.</exception>
    protected Optimizer(int parameterCount, ILearningRateSchedule schedule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentNullException.ThrowIfNull(schedule);
        ParameterCount = parameterCount;
        Schedule = schedule;
    }

    /// <summary>How many parameters the state is sized for.</summary>
    public int ParameterCount { get; }

    /// <summary>The learning-rate schedule.</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <inheritdoc />
    public int StepCount { get; private set; }

    /// <summary>The learning rate the next step will use.</summary>
    public double CurrentLearningRate => Schedule.LearningRate(StepCount);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">parameters or gradient does not have <see cref="ParameterCount"/> elements, or holds a NaN or ∞.</exception>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        if (parameters.Length != ParameterCount)
        {
            throw new ArgumentException($"parameters has {parameters.Length} elements; this optimizer was created for {ParameterCount}.", nameof(parameters));
        }

        if (gradient.Length != ParameterCount)
        {
            throw new ArgumentException($"gradient has {gradient.Length} elements; this optimizer was created for {ParameterCount}.", nameof(gradient));
        }

        Require.Finite(parameters, nameof(parameters));
        Require.Finite(gradient, nameof(gradient));

        double learningRate = Schedule.LearningRate(StepCount);
        StepCount++;
        Update(parameters, gradient, learningRate, StepCount);
    }

    /// <summary>A constant learning rate, checked under the optimizers' own parameter name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">learningRate is negative, NaN or infinite.</exception>
    protected static ConstantLearningRate Constant(double learningRate) => new(Require.NonNegative(learningRate, nameof(learningRate)));

    /// <summary>Clears the accumulated state and the step count.</summary>
    public virtual void Reset() => StepCount = 0;

    /// <summary>Applies step number <paramref name="step"/> (1 for the first) with learning rate η.</summary>
    protected abstract void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step);
}
