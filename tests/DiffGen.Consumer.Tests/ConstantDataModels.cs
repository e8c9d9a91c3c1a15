using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Models that read constant data: local spans with initializers, collection expressions, static tables.</summary>
public static partial class ConstantDataModels
{
    /// <summary>Weights of a static readonly array, read by runtime and constant index.</summary>
    internal static readonly double[] Weights = { 0.5, -1.25, 2.0, 0.75 };

    /// <summary>A table the compiler keeps in the assembly: reading it allocates nothing.</summary>
    internal static ReadOnlySpan<double> Scales => [1.5, 0.25, -3.0, 0.125];

    /// <summary>c₀ + c₁x + c₂x² + c₃x³ by Horner's rule over a stackalloc'd coefficient list, read backwards.</summary>
    [Differentiable]
    public static double Polynomial(double x)
    {
        ReadOnlySpan<double> c = stackalloc double[] { 0.5, -1.25, 2.0, 0.75 };
        double p = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            p = p * x + c[i];
        }

        return p;
    }

    /// <summary>Σᵢ Weights[i]·sin(xᵢ + shiftᵢ) + Scales[i]·xᵢ², with the shifts a collection expression; a branch compares a table entry.</summary>
    [Differentiable]
    public static double Mixed(ReadOnlySpan<double> x)
    {
        ReadOnlySpan<double> shift = [0.1, -0.2, 0.3, -0.4];
        double s = 0;
        for (int i = 0; i < Weights.Length; i++)
        {
            s += Weights[i] * Math.Sin(x[i] + shift[i]) + Scales[i] * x[i] * x[i];
        }

        return Scales[0] > x[0] ? s * Weights[3] : s + Scales[2] * x[0];
    }

    /// <summary>Σᵢ Weights[i]·(xᵢ − shiftᵢ)², with the shifts a collection expression: constant data only on the stack and in a static array.</summary>
    [Differentiable]
    public static double Weighted(ReadOnlySpan<double> x)
    {
        ReadOnlySpan<double> shift = [0.1, -0.2, 0.3, -0.4];
        double s = 0;
        foreach (double w in Weights)
        {
            s += w;
        }

        for (int i = 0; i < Weights.Length; i++)
        {
            double d = x[i] - shift[i];
            s += Weights[i] * d * d;
        }

        return s;
    }

    /// <summary>A loop-free method reading table entries by constant index.</summary>
    [Differentiable]
    public static double Fixed(double x, double y) => Weights[0] * x * y + Scales[2] * Math.Sin(y) + Weights[3] * Math.Exp(Scales[3] * x);

    /// <summary>An entry chosen by an int parameter, and a local span with computed elements.</summary>
    [Differentiable]
    public static double Pick(double x, int k)
    {
        Span<double> basis = stackalloc double[] { 1, x, x * x };
        return Weights[k] * basis[2] + Scales[k] * basis[1] + basis[0];
    }
}
