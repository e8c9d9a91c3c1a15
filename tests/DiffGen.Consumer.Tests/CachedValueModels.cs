using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 11/14: costly values the reverse sweep would compute again — an eˣ kept in the output span it overwrites,
/// an e^q that does not change with the point loop kept in a table — and look-alikes: <see cref="CachedValueTests"/>
/// checks all against complex step; ValueCacheCodeTests in the generator tests checks what is cached.
/// </summary>
public static partial class CachedValueModels
{
    /// <summary>log Σ exp(xᵢ − s) + s: eˣ kept in dx between the sweeps.</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x, [NoDiff] double shift)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - shift);
        }

        return shift + Math.Log(sum);
    }

    /// <summary>Max-shifted log-sum-exp: the reverse step needs eˣ twice (for x and for the max) around the store.</summary>
    [Differentiable]
    public static double MaxShiftedLogSumExp(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Between the loops x's adjoint is accumulated into: the eˣ cannot be kept there, it is computed again.</summary>
    [Differentiable]
    public static double LogSumExpPlusSquares(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i]);
        }

        double squares = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            squares += x[i] * x[i];
        }

        return Math.Log(sum) + squares;
    }

    /// <summary>
    /// Points × components × coordinates: e^q[c·d + j] and e^(−q[c·d]) depend on the component (and coordinate)
    /// only, so each is computed once per index into a table before each point loop; e^(x·μ) reads the point and is not.
    /// p holds q (k·d) then μ (k·d).
    /// </summary>
    [Differentiable]
    public static double Mixture(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d, int k)
    {
        int n = x.Length / d;
        int muStart = k * d;
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double s = 0.0;
                for (int j = 0; j < d; j++)
                {
                    double w = p[c * d + j];
                    double z = Math.Exp(w) * (x[i * d + j] - p[muStart + c * d + j]);
                    s += z * z + Math.Exp(-p[c * d]) * Math.Exp(0.1 * x[i * d + j] * p[muStart + c * d + j]);
                }

                total += Math.Log(1.0 + s);
            }
        }

        return total;
    }

    /// <summary>The invariant e^q[j] only under the user's <c>?:</c>: not tabled (a branch may guard what it reads), computed in the loop.</summary>
    [Differentiable]
    public static double GuardedMixture(ReadOnlySpan<double> q, [NoDiff] ReadOnlySpan<double> x, int d)
    {
        int n = x.Length / d;
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double w = q[j];
                total += x[i * d + j] > 0 ? Math.Exp(w) * x[i * d + j] : w * w;
            }
        }

        return total;
    }
}
