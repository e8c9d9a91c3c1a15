using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Scratch arrays refilled in every iteration, as GMM's objective uses them (issue 11), and look-alikes whose
/// reverse sweep must keep saving them: <see cref="ScratchArrayTests"/> checks all against complex step, and
/// SaveLessCodeTests in the generator tests checks which saves are left.
/// </summary>
public static partial class ScratchArrayModels
{
    /// <summary>
    /// A small GMM: per point and component, centered = x − μ_c (filled again in the reverse sweep, never saved),
    /// qx = exp(q_c)·centered + L_c·centered (saved once per component, not at each of its updates), then a
    /// max-shifted log-sum-exp over the components. p holds μ (k·d), q (k·d) and L (k·d(d−1)/2, packed by column).
    /// </summary>
    [Differentiable]
    public static double MiniGmm(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d, int k)
    {
        int n = x.Length / d;
        int lower = d * (d - 1) / 2;
        Span<double> beta = stackalloc double[k];
        Span<double> centered = stackalloc double[d];
        Span<double> qx = stackalloc double[d];
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double sumQ = 0.0;
                for (int j = 0; j < d; j++)
                {
                    double q = p[k * d + c * d + j];
                    centered[j] = x[i * d + j] - p[c * d + j];
                    qx[j] = Math.Exp(q) * centered[j];
                    sumQ += q;
                }

                int next = 2 * k * d + c * lower;
                for (int col = 0; col < d; col++)
                {
                    for (int r = col + 1; r < d; r++)
                    {
                        qx[r] += p[next] * centered[col];
                        next++;
                    }
                }

                double norm = 0.0;
                for (int j = 0; j < d; j++)
                {
                    norm += qx[j] * qx[j];
                }

                beta[c] = sumQ - 0.5 * norm;
            }

            double best = beta[0];
            for (int c = 1; c < k; c++)
            {
                best = Math.Max(best, beta[c]);
            }

            double sum = 0.0;
            for (int c = 0; c < k; c++)
            {
                sum += Math.Exp(beta[c] - best);
            }

            total += best + Math.Log(sum);
        }

        return total;
    }

    /// <summary>Reads the scratch array before refilling it: the previous component's values, which must be saved.</summary>
    [Differentiable]
    public static double ReadBeforeRefill(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d)
    {
        int k = p.Length / d;
        Span<double> centered = stackalloc double[d];
        double s = 0.0;
        for (int c = 0; c < k; c++)
        {
            s += p[c] * p[c] * centered[0];
            for (int j = 0; j < d; j++)
            {
                centered[j] = x[j] - p[c * d + j];
            }

            for (int j = 0; j < d; j++)
            {
                s += Math.Sin(p[c * d + j]) * centered[j];
            }
        }

        return s;
    }

    /// <summary>Reads, while refilling, elements not yet refilled (the previous component's): they must be saved.</summary>
    [Differentiable]
    public static double ReadAheadWhileRefilling(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d)
    {
        int k = p.Length / d;
        Span<double> centered = stackalloc double[d];
        double s = 0.0;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                centered[j] = x[j] - p[c * d + j];
                s += Math.Cos(p[c * d + j]) * centered[d - 1 - j];
            }
        }

        return s;
    }

    /// <summary>Updates the scratch array by products, whose reverse steps read it between its stores: saved at every store.</summary>
    [Differentiable]
    public static double ProductUpdates(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d)
    {
        int k = p.Length / d;
        Span<double> a = stackalloc double[d];
        double s = 0.0;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                a[j] = x[j] * p[c * d + j];
            }

            for (int j = 1; j < d; j++)
            {
                a[j] = a[j] * a[j - 1] + p[c * d + j - 1];
            }

            for (int j = 0; j < d; j++)
            {
                s += Math.Tanh(a[j]);
            }
        }

        return s;
    }

    /// <summary>
    /// A one-dimensional GMM with a shared scale: e^(−s) reads only a scalar parameter, so it is computed once
    /// before the loops and the per-component d = (x − μ)·e^(−s) is recomputed in the reverse sweep instead of
    /// saved. p holds μ (k values) and the log-weights (k values).
    /// </summary>
    [Differentiable]
    public static double SharedScaleGmm(ReadOnlySpan<double> p, double s, [NoDiff] ReadOnlySpan<double> x, int k)
    {
        double total = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double best = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                double d = (x[i] - p[c]) * Math.Exp(-s);
                double term = p[k + c] - 0.5 * d * d;
                if (term > best)
                {
                    best = term;
                }
            }

            double sum = 0.0;
            for (int c = 0; c < k; c++)
            {
                double d = (x[i] - p[c]) * Math.Exp(-s);
                sum += Math.Exp(p[k + c] - 0.5 * d * d - best);
            }

            total -= best + Math.Log(sum) - s;
        }

        return total;
    }
}
