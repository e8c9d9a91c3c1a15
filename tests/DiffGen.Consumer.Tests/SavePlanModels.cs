using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 10 leftovers: loops whose bounds read integer locals (read again in reverse when declared
/// once from unwritten names; saved when they change), and normalizations <c>p[i] /= sum</c> (unsaved where the fill's
/// eˣ can be computed again; saved where it cannot). <see cref="SavePlanTests"/> checks them against complex step;
/// SavePlanCodeTests in the generator tests checks what is saved.
/// </summary>
public static partial class SavePlanModels
{
    /// <summary>Rows of width d (declared once from a constant) and of n = x.Length / d rows: Σ_b tanh(Σ_k w_k·x_{b·d+k})².</summary>
    [Differentiable]
    public static double RowsOfFixedWidth(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
    {
        int d = 3;
        int rows = x.Length / d;
        double total = 0.0;
        for (int b = 0; b < rows; b++)
        {
            double a = 0.0;
            for (int k = 0; k < d; k++)
            {
                a += w[k] * x[b * d + k];
            }

            double t = Math.Tanh(a);
            total += t * t;
        }

        return total;
    }

    /// <summary>A triangle: the inner bound m = b + 1 reads the outer counter, so it changes per row.</summary>
    [Differentiable]
    public static double Triangle(ReadOnlySpan<double> w)
    {
        double total = 0.0;
        for (int b = 0; b < w.Length; b++)
        {
            int m = b + 1;
            double s = 0.0;
            for (int k = 0; k < m; k++)
            {
                s += w[k] * w[b];
            }

            total += Math.Sin(s);
        }

        return total;
    }

    /// <summary>The inner bound grows by one per row through an assignment: it is saved, not read again.</summary>
    [Differentiable]
    public static double GrowingBound(ReadOnlySpan<double> w)
    {
        int m = 1;
        double total = 0.0;
        for (int b = 0; b < w.Length; b++)
        {
            double s = 0.0;
            for (int k = 0; k < m; k++)
            {
                s += Math.Cos(w[k] * w[b]);
            }

            total += s * s;
            m = m + 1;
        }

        return total;
    }

    /// <summary>Σ wᵢ·pᵢ² with p = softmax(x) in a local array: p[i] /= sum reads back what it stored, eˣ is computed again.</summary>
    [Differentiable]
    public static double NormalizedSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        Span<double> p = stackalloc double[x.Length];
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = Math.Exp(x[i]);
            sum += p[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            p[i] /= sum;
        }

        double total = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            total += w[i] * p[i] * p[i];
        }

        return total;
    }

    /// <summary>As <see cref="NormalizedSquares"/>, but the fill reads a scale assigned after it: eˣ is read from p, so p /= sum saves p.</summary>
    [Differentiable]
    public static double NormalizedThenRescaled(ReadOnlySpan<double> x, double s)
    {
        double scale = s;
        Span<double> p = stackalloc double[x.Length];
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = Math.Exp(scale * x[i]);
            sum += p[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            p[i] /= sum;
        }

        scale = scale * scale;
        double total = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            total += scale * p[i] * x[i];
        }

        return total;
    }
}
