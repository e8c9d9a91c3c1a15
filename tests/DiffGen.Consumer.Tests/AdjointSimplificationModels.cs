using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Losses whose reverse sweeps stress the adjoint clean-ups (AdjointSimplification): an adjoint read twice, an
/// element accumulated, read and accumulated again, a loop-carried adjoint, nested loops, branches inside a loop.
/// </summary>
public static partial class AdjointSimplificationModels
{
    /// <summary>t = sin(xᵢ) read by two terms: its adjoint gathers both before flowing to xᵢ.</summary>
    [Differentiable]
    public static double ReadTwice(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double t = Math.Sin(x[i]);
            sum += t * x[i + 1] + t * t;
        }

        return sum;
    }

    /// <summary>
    /// h[k] is stored, then read and overwritten from itself: its adjoint element is accumulated, read (to pass
    /// through h[k]·h[k]) and accumulated again, so no two accumulations of it may merge across the read.
    /// </summary>
    [Differentiable]
    public static double ElementReadBetween(ReadOnlySpan<double> x)
    {
        Span<double> h = stackalloc double[2];
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            int k = i % 2;
            h[k] = x[i];
            sum += h[k] * x[i + 1];
            h[k] = h[k] * h[k] + x[i + 1];
            sum += h[k] * h[k];
        }

        return sum;
    }

    /// <summary>p ← p·xᵢ + c·sin(p): the adjoint of p carries from trip to trip and must keep accumulating.</summary>
    [Differentiable]
    public static double Recurrence(ReadOnlySpan<double> x, double c)
    {
        double p = 1;
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            p = p * x[i] + c * Math.Sin(p);
            total += p;
        }

        return total + p * p;
    }

    /// <summary>Σᵢ tanh(Σⱼ≤ᵢ xⱼ·xᵢ₋ⱼ): an inner accumulator whose adjoint is fresh on every outer trip.</summary>
    [Differentiable]
    public static double Nested(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double a = 0;
            for (int j = 0; j <= i; j++)
            {
                a += x[j] * x[i - j];
            }

            sum += Math.Tanh(a);
        }

        return sum;
    }

    /// <summary>A branch per element: the adjoint of the branch's local is fresh in one arm and absent in the other.</summary>
    [Differentiable]
    public static double Branches(ReadOnlySpan<double> x)
    {
        double sum = 0;
        double scale = 1;
        for (int i = 0; i < x.Length; i++)
        {
            double u = x[i] * scale;
            if (x[i] > 0)
            {
                sum += u * u;
                scale = 1.5;
            }
            else
            {
                sum += Math.Sin(u);
            }
        }

        return sum * scale;
    }

    /// <summary>A condition on a local that never changes: its known value folds the condition, which must still print as one.</summary>
    [Differentiable]
    public static double ConstantCondition(ReadOnlySpan<double> x)
    {
        double sum = 0;
        double floor = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (floor > 1)
            {
                sum += x[i];
            }
            else
            {
                sum += x[i] * x[i];
            }
        }

        return sum + floor;
    }
}
