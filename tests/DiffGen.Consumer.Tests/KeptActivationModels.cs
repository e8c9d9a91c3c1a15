using System;
using DiffGen;
using DiffGen.Nn;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 11, the MLP's reverse sweep as a person writes it: a layer stored in an element of its own per iteration
/// needs no saving, tanh(a), relu(a) and eˣ are read back from the forward sweep's value instead of being computed
/// again from a saved input; and look-alikes whose reverse sweep must keep saving. <see cref="KeptActivationTests"/>
/// checks all against complex step; KeptActivationCodeTests in the generator tests checks which saves are left.
/// </summary>
public static partial class KeptActivationModels
{
    /// <summary>
    /// An MLP n → h (tanh) → h (tanh) → 1, binary cross-entropy with logits; x holds the n inputs, then the label.
    /// p: W1 (h×n), b1, W2 (h×h), b2, w3, b3.
    /// </summary>
    [Differentiable]
    public static double TwoLayerTanh(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int h)
    {
        int n = x.Length - 1;
        int b1 = h * n;
        int w2 = b1 + h;
        int b2 = w2 + h * h;
        int w3 = b2 + h;
        Span<double> h1 = stackalloc double[h];
        for (int j = 0; j < h; j++)
        {
            double s = p[b1 + j];
            for (int q = 0; q < n; q++)
            {
                s += p[j * n + q] * x[q];
            }

            h1[j] = Math.Tanh(s);
        }

        double z = p[w3 + h];
        for (int j = 0; j < h; j++)
        {
            double a = p[b2 + j];
            for (int q = 0; q < h; q++)
            {
                a += p[w2 + j * h + q] * h1[q];
            }

            z += p[w3 + j] * Math.Tanh(a);
        }

        return Activations.Softplus(z) - x[n] * z;
    }

    /// <summary>Samples of n inputs through n → h (relu) → 1, squared error against 1, summed; p: W (h×n), w (h).</summary>
    [Differentiable]
    public static double ReluSamples(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int n, int h)
    {
        Span<double> hidden = stackalloc double[h];
        double total = 0;
        for (int i = 0; i < x.Length / n; i++)
        {
            for (int j = 0; j < h; j++)
            {
                double a = 0;
                for (int q = 0; q < n; q++)
                {
                    a += p[j * n + q] * x[i * n + q];
                }

                hidden[j] = Activations.Relu(a);
            }

            double y = 0;
            for (int j = 0; j < h; j++)
            {
                y += p[h * n + j] * hidden[j];
            }

            total += (y - 1) * (y - 1);
        }

        return total;
    }

    /// <summary>Σ exp(pᵢ² − running sum of p/2), clamped at 1, plus that running sum: eˣ kept in a local of its own.</summary>
    [Differentiable]
    public static double ClampedExponentials(ReadOnlySpan<double> p)
    {
        double shift = 0;
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            shift += 0.5 * p[i];
            sum += Math.Exp(p[i] * p[i] - shift);
        }

        return Math.Min(sum, 1.0) + shift;
    }

    /// <summary>Look-alike: the same layer stored again for every sample (the previous sample's reverse reads it).</summary>
    [Differentiable]
    public static double RepeatedLayer(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int n)
    {
        Span<double> h = stackalloc double[n];
        double s = 0;
        for (int i = 0; i < x.Length / n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[j] = Math.Tanh(p[j] * x[i * n + j]);
            }

            for (int j = 0; j < n; j++)
            {
                s += p[n + j] * h[j] * h[j];
            }
        }

        return s;
    }

    /// <summary>Look-alike: a statement before the store, in the same iteration, reads the element it overwrites.</summary>
    [Differentiable]
    public static double ReadBeforeOverwrite(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x)
    {
        int n = x.Length;
        Span<double> h = stackalloc double[n];
        for (int j = 0; j < n; j++)
        {
            h[j] = p[j] * x[j];
        }

        double s = 0;
        for (int j = 0; j < n; j++)
        {
            s += Math.Sin(h[j]) * p[2 * n + j];
            h[j] = Math.Tanh(p[n + j] * x[j]);
        }

        for (int j = 0; j < n; j++)
        {
            s += h[j] * h[j];
        }

        return s;
    }

    /// <summary>Look-alike: two iterations share an element (j / 2), so a store overwrites one the reverse sweep reads.</summary>
    [Differentiable]
    public static double SharedSlots(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x)
    {
        int n = x.Length;
        Span<double> h = stackalloc double[(n + 1) / 2];
        double s = 0;
        for (int j = 0; j < n; j++)
        {
            h[j / 2] = Math.Tanh(p[j] * x[j]);
            s += h[j / 2] * p[n + j];
        }

        return s;
    }
}
