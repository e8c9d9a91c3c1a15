using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Element-wise maps over spans and their adjoints, which print as vector loops with scalar tails and
/// whole-slice functions (LoopMapCodeTests in the generator tests checks which loops do).
/// </summary>
public static partial class LoopMapModels
{
    /// <summary>Σᵢ wᵢ·tanh(xᵢ): a tanh map into a local span, its adjoint x̄ᵢ = ȳᵢ(1 − yᵢ²) a map too.</summary>
    [Differentiable]
    public static double TanhFeatures(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
    {
        Span<double> y = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Tanh(x[i]);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += w[i] * y[i];
        }

        return s;
    }

    /// <summary>log Σᵢ e^(xᵢ − c): an exp map with a shift and a sum of what it wrote, in one loop.</summary>
    [Differentiable]
    public static double ShiftedLogSum(ReadOnlySpan<double> x, [NoDiff] double c)
    {
        Span<double> e = stackalloc double[x.Length];
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            e[i] = Math.Exp(x[i] - c);
            sum += e[i];
        }

        return Math.Log(sum);
    }

    /// <summary>yᵢ = aᵢ·bᵢ + c: an affine map into the output.</summary>
    [Differentiable]
    public static void Affine(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double c, Span<double> y)
    {
        for (int i = 0; i < a.Length; i++)
        {
            y[i] = a[i] * b[i] + c;
        }
    }

    /// <summary>Σᵢ relu(xᵢ)²·log(1 + xᵢ²) through two maps (relu, then a product with a log map).</summary>
    [Differentiable]
    public static double ReluLog(ReadOnlySpan<double> x)
    {
        Span<double> r = stackalloc double[x.Length];
        Span<double> l = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            r[i] = Math.Max(x[i], 0.0);
            l[i] = Math.Log(1.0 + x[i] * x[i]);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += r[i] * r[i] * l[i];
        }

        return s;
    }
}
