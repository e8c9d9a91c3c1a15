using System;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// Inverted dropout: in training each value is kept with probability 1 − rate and then divided by
/// 1 − rate, or zeroed, so E[y] = x and inference needs no rescaling (y = x). The mask is written out,
/// because the backward pass multiplies by the same mask.
/// </summary>
public static partial class Dropout
{
    /// <summary>Draws a mask (0 or 1/(1 − rate) per value) and writes y = x ⊙ mask.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="rate">The probability of dropping a value, in [0, 1).</param>
    /// <param name="random">The random source (seed it for reproducible runs).</param>
    /// <param name="mask">Receives the mask; as long as <paramref name="x"/>.</param>
    /// <param name="y">Receives the outputs; as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">rate is not in [0, 1).</exception>
    /// <exception cref="ArgumentException">A span's length differs from x's.</exception>
    public static void Forward(ReadOnlySpan<double> x, double rate, Random random, Span<double> mask, Span<double> y)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Require(x.Length, mask.Length, nameof(mask));
        Require(x.Length, y.Length, nameof(y));
        double scale = 1.0 / (1.0 - rate);
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = random.NextDouble() < rate ? 0.0 : scale;
        }

        ApplyMask(x, mask, y);
    }

    /// <summary>∂L/∂x = ∂L/∂y ⊙ mask (the mask of the forward pass).</summary>
    /// <exception cref="ArgumentException">A span's length differs from the mask's.</exception>
    public static void Backward(ReadOnlySpan<double> mask, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        Require(mask.Length, upstream.Length, nameof(upstream));
        Require(mask.Length, inputGradient.Length, nameof(inputGradient));
        // The product is linear in x, so its vector-Jacobian product is the same at every x: the upstream serves.
        using var values = new PooledScratch(mask.Length);
        ApplyMaskVjp(upstream, mask, values.Span, upstream, inputGradient);
    }

    /// <summary>y = x ⊙ mask, the forward function whose generated product is <see cref="Backward"/>.</summary>
    [Differentiable]
    private static void ApplyMask(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> mask, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * mask[i];
        }
    }

    internal static void Require(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Expected length {expected}, got {actual}.", name);
        }
    }
}
