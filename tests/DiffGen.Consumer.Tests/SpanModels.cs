using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Models over spans with runtime loops, written as ordinary C#: their generated code keeps the loops.</summary>
public static partial class SpanModels
{
    /// <summary>Rosenbrock in n dimensions: Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }

        return sum;
    }
}
