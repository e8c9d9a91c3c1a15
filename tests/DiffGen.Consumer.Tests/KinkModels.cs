using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Powers at 0 and max/min at ties, as users write them (issue 8, items 3 and 5).</summary>
public static partial class KinkModels
{
    [Differentiable] public static double PowerByInt(double x, int n) => Math.Pow(x, n);

    [Differentiable(Hessian = true)] public static double Power(double x, double y) => Math.Pow(x, y);

    /// <summary>Σ cᵢ·xⁱ with the exponent a loop counter.</summary>
    [Differentiable]
    public static double Polynomial([NoDiff] ReadOnlySpan<double> c, double x)
    {
        double sum = 0;
        for (int i = 0; i < c.Length; i++)
        {
            sum += c[i] * Math.Pow(x, i);
        }

        return sum;
    }

    [Differentiable] public static double MaxXZero(double x) => Math.Max(x, 0);

    [Differentiable] public static double MaxZeroX(double x) => Math.Max(0, x);

    [Differentiable] public static double MinXZero(double x) => Math.Min(x, 0.0);

    [Differentiable] public static double MinZeroX(double x) => Math.Min(0.0, x);

    [Differentiable] public static double MaxOf(double a, double b) => Math.Max(a, b);

    [Differentiable] public static double MinOf(double a, double b) => Math.Min(a, b);
}
