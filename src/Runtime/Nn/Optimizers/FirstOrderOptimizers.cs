using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>Plain gradient descent: θ ← θ − η·g.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Constant learning rate η.</summary>
    public Sgd(int parameterCount, double learningRate) : this(parameterCount, Constant(learningRate)) { }

    /// <summary>Learning rate from a schedule.</summary>
    public Sgd(int parameterCount, ILearningRateSchedule schedule) : base(parameterCount, schedule) { }

    /// <summary>θ ← θ − η·g.</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradient[i];
        }
    }
}

/// <summary>Heavy-ball momentum (PyTorch's SGD with momentum): v ← μv + g, θ ← θ − η·v.</summary>
public sealed class Momentum : Optimizer
{
    private readonly double[] velocity;

    /// <summary>Constant learning rate η and momentum μ (default 0.9).</summary>
    public Momentum(int parameterCount, double learningRate, double momentum = 0.9)
        : this(parameterCount, Constant(learningRate), momentum) { }

    /// <summary>Learning rate from a schedule, momentum μ.</summary>
    public Momentum(int parameterCount, ILearningRateSchedule schedule, double momentum = 0.9) : base(parameterCount, schedule)
    {
        MomentumCoefficient = Require.Fraction(momentum, nameof(momentum));
        velocity = new double[parameterCount];
    }

    /// <summary>μ.</summary>
    public double MomentumCoefficient { get; }

    /// <summary>v ← μv + g, θ ← θ − η·v.</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            velocity[i] = MomentumCoefficient * velocity[i] + gradient[i];
            parameters[i] -= learningRate * velocity[i];
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        Array.Clear(velocity);
    }
}

/// <summary>
/// Nesterov momentum in PyTorch's form: v ← μv + g, θ ← θ − η·(g + μv) (the gradient is taken at θ,
/// the look-ahead is folded into the update).
/// </summary>
public sealed class Nesterov : Optimizer
{
    private readonly double[] velocity;

    /// <summary>Constant learning rate η and momentum μ (default 0.9).</summary>
    public Nesterov(int parameterCount, double learningRate, double momentum = 0.9)
        : this(parameterCount, Constant(learningRate), momentum) { }

    /// <summary>Learning rate from a schedule, momentum μ.</summary>
    public Nesterov(int parameterCount, ILearningRateSchedule schedule, double momentum = 0.9) : base(parameterCount, schedule)
    {
        MomentumCoefficient = Require.Fraction(momentum, nameof(momentum));
        velocity = new double[parameterCount];
    }

    /// <summary>μ.</summary>
    public double MomentumCoefficient { get; }

    /// <summary>v ← μv + g, θ ← θ − η·(g + μv).</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            velocity[i] = MomentumCoefficient * velocity[i] + gradient[i];
            parameters[i] -= learningRate * (gradient[i] + MomentumCoefficient * velocity[i]);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        Array.Clear(velocity);
    }
}

/// <summary>AdaGrad (Duchi et al. 2011): G ← G + g², θ ← θ − η·g/(√G + ε).</summary>
public sealed class AdaGrad : Optimizer
{
    private readonly double[] sumOfSquares;

    /// <summary>Constant learning rate η, ε (default 1e-10).</summary>
    public AdaGrad(int parameterCount, double learningRate, double epsilon = 1e-10)
        : this(parameterCount, Constant(learningRate), epsilon) { }

    /// <summary>Learning rate from a schedule, ε.</summary>
    public AdaGrad(int parameterCount, ILearningRateSchedule schedule, double epsilon = 1e-10) : base(parameterCount, schedule)
    {
        Epsilon = Require.Positive(epsilon, nameof(epsilon));
        sumOfSquares = new double[parameterCount];
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>G ← G + g², θ ← θ − η·g/(√G + ε).</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            sumOfSquares[i] += g * g;
            parameters[i] -= learningRate * g / (Math.Sqrt(sumOfSquares[i]) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        Array.Clear(sumOfSquares);
    }
}

/// <summary>RMSProp (Hinton): s ← ρs + (1 − ρ)g², θ ← θ − η·g/(√s + ε).</summary>
public sealed class RmsProp : Optimizer
{
    private readonly double[] meanSquare;

    /// <summary>Constant learning rate η, decay ρ (default 0.99, as PyTorch), ε (default 1e-8).</summary>
    public RmsProp(int parameterCount, double learningRate, double decay = 0.99, double epsilon = 1e-8)
        : this(parameterCount, Constant(learningRate), decay, epsilon) { }

    /// <summary>Learning rate from a schedule, decay ρ, ε.</summary>
    public RmsProp(int parameterCount, ILearningRateSchedule schedule, double decay = 0.99, double epsilon = 1e-8) : base(parameterCount, schedule)
    {
        Decay = Require.Fraction(decay, nameof(decay));
        Epsilon = Require.Positive(epsilon, nameof(epsilon));
        meanSquare = new double[parameterCount];
    }

    /// <summary>ρ.</summary>
    public double Decay { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>s ← ρs + (1 − ρ)g², θ ← θ − η·g/(√s + ε).</summary>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            meanSquare[i] = Decay * meanSquare[i] + (1.0 - Decay) * g * g;
            parameters[i] -= learningRate * g / (Math.Sqrt(meanSquare[i]) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        Array.Clear(meanSquare);
    }
}
