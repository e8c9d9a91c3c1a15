using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Loops that print as vectorized kernels (dot products, axpys: LoopKernelCodeTests in the generator tests
/// checks which) and look-alikes whose statements depend on each other, which must stay scalar loops.
/// </summary>
public static partial class LoopKernelModels
{
    /// <summary>(Σ_{k≥2} wₖ·xₖ)²: a dot product and, in reverse, an axpy over slices that start at 2.</summary>
    [Differentiable]
    public static double TailEnergy(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> weights)
    {
        double s = 0;
        for (int k = 2; k < x.Length; k++)
        {
            s += weights[k] * x[k];
        }

        return s * s;
    }

    /// <summary>
    /// Σⱼ relu(Σₖ W[j·n + k]·xₖ + bⱼ)² with W and b packed in p (n inputs, rows = p.Length / (n + 1)): dead
    /// rows give exactly zero adjoints, which the axpy kernel skips.
    /// </summary>
    [Differentiable]
    public static double ReluLayer(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x)
    {
        int n = x.Length;
        int rows = p.Length / (n + 1);
        double total = 0;
        for (int j = 0; j < rows; j++)
        {
            double a = p[rows * n + j];
            for (int k = 0; k < n; k++)
            {
                a += p[j * n + k] * x[k];
            }

            double h = Math.Max(a, 0.0);
            total += h * h;
        }

        return total;
    }

    /// <summary>y = x, then y[k+1] += c·y[k] (a recurrence: each step reads the previous one's store), then Σ y².</summary>
    [Differentiable]
    public static double Recurrence(ReadOnlySpan<double> x, double c)
    {
        Span<double> y = stackalloc double[64];
        for (int k = 0; k < x.Length; k++)
        {
            y[k] = x[k];
        }

        for (int k = 0; k < x.Length - 1; k++)
        {
            y[k + 1] += c * y[k];
        }

        double s = 0;
        for (int k = 0; k < x.Length; k++)
        {
            s += y[k] * y[k];
        }

        return s;
    }

    /// <summary>A running dot product that scales each step's axpy: the axpy reads the accumulator, so the loop stays scalar.</summary>
    [Differentiable]
    public static double RunningScale(ReadOnlySpan<double> a, [NoDiff] ReadOnlySpan<double> b)
    {
        Span<double> d = stackalloc double[64];
        double s = 0;
        for (int k = 0; k < a.Length; k++)
        {
            s += a[k] * b[k];
            d[k] += s * b[k];
        }

        double t = 0;
        for (int k = 0; k < a.Length; k++)
        {
            t += d[k] * a[k];
        }

        return t;
    }

    /// <summary>Inputs and units of <see cref="BatchLayer"/>.</summary>
    public const int BatchInputs = 20, BatchUnits = 24;

    /// <summary>
    /// Σₛ yₛ·Σⱼ relu(bⱼ + Σₖ W[j·n + k]·x[s·n + k])² over <paramref name="count"/> samples sharing W and b: a
    /// network's first layer under a batch loss. The printer computes the products with W's rows for a block of
    /// samples at a time and applies W's gradient a block at a time (BlockedRowDots, DeferredRowUpdates).
    /// </summary>
    [Differentiable]
    public static double BatchLayer(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> y, int count)
    {
        double total = 0;
        for (int s = 0; s < count; s++)
        {
            int sample = s * BatchInputs;
            for (int j = 0; j < BatchUnits; j++)
            {
                double a = p[BatchUnits * BatchInputs + j];
                for (int k = 0; k < BatchInputs; k++)
                {
                    a += p[j * BatchInputs + k] * x[sample + k];
                }

                double h = Math.Max(a, 0.0);
                total += y[s] * h * h;
            }
        }

        return total;
    }
}
