using System;

namespace DiffGen.Nn;

/// <summary>
/// Batch normalization of F features over a batch of N rows (row-major N×F): in training each feature is
/// normalized with the batch's mean and (biased) variance, x̂ = (x − μ)/√(σ² + ε), then scaled and shifted,
/// y = γ x̂ + β; running averages of μ and σ² (with <see cref="Momentum"/>) are kept for inference, where
/// y = γ (x − running μ)/√(running σ² + ε) + β. <see cref="Backward"/> gives ∂L/∂x, ∂L/∂γ and ∂L/∂β of the
/// last training forward pass. Not thread-safe: one instance caches one batch.
/// </summary>
public sealed class BatchNorm
{
    private double[] _normalized = Array.Empty<double>();
    private readonly double[] _inverseStd;
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
        _inverseStd = new double[features];
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
            for (int f = 0; f < Features; f++)
            {
                double inverse = 1.0 / Math.Sqrt(RunningVariance[f] + Epsilon);
                for (int r = 0; r < rows; r++)
                {
                    int k = r * Features + f;
                    y[k] = Gamma[f] * (x[k] - RunningMean[f]) * inverse + Beta[f];
                }
            }

            return;
        }

        if (rows < 2)
        {
            throw new ArgumentException("Training batch normalization needs at least two rows.", nameof(x));
        }

        if (_normalized.Length != x.Length)
        {
            _normalized = new double[x.Length];
        }

        _rows = rows;
        for (int f = 0; f < Features; f++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++)
            {
                mean += x[r * Features + f];
            }

            mean /= rows;
            double variance = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = x[r * Features + f] - mean;
                variance += d * d;
            }

            variance /= rows;
            double inverse = 1.0 / Math.Sqrt(variance + Epsilon);
            _inverseStd[f] = inverse;
            for (int r = 0; r < rows; r++)
            {
                int k = r * Features + f;
                _normalized[k] = (x[k] - mean) * inverse;
                y[k] = Gamma[f] * _normalized[k] + Beta[f];
            }

            RunningMean[f] = (1 - Momentum) * RunningMean[f] + Momentum * mean;
            RunningVariance[f] = (1 - Momentum) * RunningVariance[f] + Momentum * variance * rows / (rows - 1);
        }
    }

    /// <summary>
    /// Gradients of the last training pass: ∂L/∂β = Σ dy, ∂L/∂γ = Σ dy·x̂ and
    /// ∂L/∂x = γ/(N√(σ² + ε)) · (N dy − Σ dy − x̂ Σ dy·x̂), per feature.
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

        Dropout.Require(_normalized.Length, upstream.Length, nameof(upstream));
        Dropout.Require(_normalized.Length, inputGradient.Length, nameof(inputGradient));
        Dropout.Require(Features, gammaGradient.Length, nameof(gammaGradient));
        Dropout.Require(Features, betaGradient.Length, nameof(betaGradient));
        for (int f = 0; f < Features; f++)
        {
            double sum = 0, sumNormalized = 0;
            for (int r = 0; r < _rows; r++)
            {
                int k = r * Features + f;
                sum += upstream[k];
                sumNormalized += upstream[k] * _normalized[k];
            }

            betaGradient[f] = sum;
            gammaGradient[f] = sumNormalized;
            double scale = Gamma[f] * _inverseStd[f] / _rows;
            for (int r = 0; r < _rows; r++)
            {
                int k = r * Features + f;
                inputGradient[k] = scale * (_rows * upstream[k] - sum - _normalized[k] * sumNormalized);
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
