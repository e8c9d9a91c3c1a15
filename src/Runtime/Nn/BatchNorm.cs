using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// Batch normalization of F features over a batch of N rows (row-major N×F): in training each feature is
/// normalized with the batch's mean and (biased) variance, x̂ = (x − μ)/√(σ² + ε), then scaled and shifted,
/// y = γ x̂ + β; running averages of μ and σ² (with <see cref="Momentum"/>) are kept for inference, where
/// y = γ (x − running μ)/√(running σ² + ε) + β. <see cref="Backward"/> gives ∂L/∂x, ∂L/∂γ and ∂L/∂β of the
/// last training forward pass. Not thread-safe: one instance caches one batch.
/// </summary>
public sealed partial class BatchNorm
{
    private double[] _input = Array.Empty<double>();
    private readonly double[] _statistics;
    private int _rows;

    /// <summary>A layer for <paramref name="features"/> features: γ = 1, β = 0, running μ = 0, running σ² = 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">features is not positive, epsilon is not positive, or momentum is not in [0, 1].</exception>
    public BatchNorm(int features, double epsilon = 1e-5, double momentum = 0.1)
    {
        if (features <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, "There must be at least one feature.");
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        }

        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1].");
        }

        Features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        Gamma = new double[features];
        Beta = new double[features];
        RunningMean = new double[features];
        RunningVariance = new double[features];
        Array.Fill(Gamma, 1.0);
        Array.Fill(RunningVariance, 1.0);
        _statistics = new double[2 * features];
    }

    /// <summary>F, the number of features.</summary>
    public int Features { get; }

    /// <summary>ε, added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Weight of the new batch in the running averages.</summary>
    public double Momentum { get; }

    /// <summary>The scale γ, one per feature (a parameter).</summary>
    public double[] Gamma { get; }

    /// <summary>The shift β, one per feature (a parameter).</summary>
    public double[] Beta { get; }

    /// <summary>The running mean used at inference.</summary>
    public double[] RunningMean { get; }

    /// <summary>The running (unbiased) variance used at inference.</summary>
    public double[] RunningVariance { get; }

    /// <summary>Normalizes a batch (training: batch statistics, cached for <see cref="Backward"/>; else running statistics).</summary>
    /// <param name="x">N×F inputs, row-major.</param>
    /// <param name="y">Receives N×F outputs.</param>
    /// <param name="training">Use and update batch statistics.</param>
    /// <exception cref="ArgumentException">x is empty or not a whole number of rows, y's length differs, or training with one row.</exception>
    public void Forward(ReadOnlySpan<double> x, Span<double> y, bool training)
    {
        int rows = Rows(x.Length, nameof(x));
        Dropout.Require(x.Length, y.Length, nameof(y));
        if (!training)
        {
            Standardize(x, RunningMean, RunningVariance, Gamma, Beta, Epsilon, y);
            return;
        }

        if (rows < 2)
        {
            throw new ArgumentException("Training batch normalization needs at least two rows.", nameof(x));
        }

        if (_input.Length != x.Length)
        {
            _input = new double[x.Length];
        }

        x.CopyTo(_input);
        _rows = rows;
        // Normalize's two layers, with the statistics kept for the running averages.
        BatchStatistics(x, Features, _statistics);
        Standardize(x, _statistics.AsSpan(0, Features), _statistics.AsSpan(Features), Gamma, Beta, Epsilon, y);
        for (int f = 0; f < Features; f++)
        {
            RunningMean[f] = (1 - Momentum) * RunningMean[f] + Momentum * _statistics[f];
            RunningVariance[f] = (1 - Momentum) * RunningVariance[f] + Momentum * _statistics[Features + f] * rows / (rows - 1);
        }
    }

    /// <summary>
    /// Gradients of the last training pass: ∂L/∂β = Σ dy, ∂L/∂γ = Σ dy·x̂ and
    /// ∂L/∂x = γ/(N√(σ² + ε)) · (N dy − Σ dy − x̂ Σ dy·x̂), per feature; computed as the generated
    /// vector-Jacobian product of the training forward function at that pass's batch.
    /// </summary>
    /// <param name="upstream">∂L/∂y, N×F.</param>
    /// <param name="inputGradient">Receives ∂L/∂x, N×F.</param>
    /// <param name="gammaGradient">Receives ∂L/∂γ, F.</param>
    /// <param name="betaGradient">Receives ∂L/∂β, F.</param>
    /// <exception cref="InvalidOperationException">No training forward pass has run.</exception>
    /// <exception cref="ArgumentException">A length does not match that pass.</exception>
    public void Backward(ReadOnlySpan<double> upstream, Span<double> inputGradient, Span<double> gammaGradient, Span<double> betaGradient)
    {
        if (_rows == 0)
        {
            throw new InvalidOperationException("Backward needs a training Forward pass first.");
        }

        Dropout.Require(_input.Length, upstream.Length, nameof(upstream));
        Dropout.Require(_input.Length, inputGradient.Length, nameof(inputGradient));
        Dropout.Require(Features, gammaGradient.Length, nameof(gammaGradient));
        Dropout.Require(Features, betaGradient.Length, nameof(betaGradient));
        using var values = new PooledScratch(_input.Length);
        NormalizeVjp(_input, Gamma, Beta, Epsilon, values.Span, upstream, inputGradient, gammaGradient, betaGradient);
    }

    // The forward functions, written once: Backward is the generated product of Normalize.

    /// <summary>
    /// Training: y = γ (x − μ)/√(σ² + ε) + β with the batch's mean μ and biased variance σ² per feature. Run only
    /// through its generated product, whose copy of the statistics comes from the pool past 512 values.
    /// </summary>
    [Differentiable]
    private static void Normalize(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, [NoDiff] double epsilon, Span<double> y)
    {
        int features = gamma.Length;
        Span<double> statistics = stackalloc double[2 * features];
        BatchStatistics(x, features, statistics);
        Standardize(x, statistics.Slice(0, features), statistics.Slice(features, features), gamma, beta, epsilon, y);
    }

    /// <summary>Writes each feature's mean, then each feature's biased variance, of the N×F batch x.</summary>
    [Differentiable]
    private static void BatchStatistics(ReadOnlySpan<double> x, int features, Span<double> statistics)
    {
        int rows = x.Length / features;
        statistics.Clear(); // as in Standardize
        for (int f = 0; f < features; f++)
        {
            double mean = 0.0;
            for (int r = 0; r < rows; r++)
            {
                mean += x[r * features + f];
            }

            mean /= rows;
            double variance = 0.0;
            for (int r = 0; r < rows; r++)
            {
                double d = x[r * features + f] - mean;
                variance += d * d;
            }

            statistics[f] = mean;
            statistics[features + f] = variance / rows;
        }
    }

    /// <summary>y = γ (x − μ)/√(σ² + ε) + β per feature, for given μ and σ² (the batch's, or the running ones at inference).</summary>
    [Differentiable]
    private static void Standardize(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> variance,
        ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, [NoDiff] double epsilon, Span<double> y)
    {
        int features = gamma.Length;
        int rows = x.Length / features;
        y.Clear(); // shows the generator that every element is written (the loops below write each once)
        for (int f = 0; f < features; f++)
        {
            double inverse = 1.0 / Math.Sqrt(variance[f] + epsilon);
            for (int r = 0; r < rows; r++)
            {
                int k = r * features + f;
                y[k] = gamma[f] * (x[k] - mean[f]) * inverse + beta[f];
            }
        }
    }

    private int Rows(int length, string name)
    {
        if (length == 0 || length % Features != 0)
        {
            throw new ArgumentException($"Expected a whole number of rows of {Features} features, got {length} values.", name);
        }

        return length / Features;
    }
}
