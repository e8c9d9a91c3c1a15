using System;
using System.Numerics;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Models.Tests;

/// <summary>Independent derivative oracles: complex step and MathNet's central differences.</summary>
public static class Oracles
{
    /// <summary>Step of the complex-step derivative Im f(x + ih)/h.</summary>
    public const double ComplexStep = 1e-20;

    /// <summary>∂f/∂p_i by MathNet's 5-point central differences, for every i.</summary>
    public static double[] CentralDifferences(Func<double[], double> f, double[] p)
    {
        var derivative = new NumericalDerivative(5, 2);
        var gradient = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            gradient[i] = derivative.EvaluatePartialDerivative(f, (double[])p.Clone(), i, 1);
        }

        return gradient;
    }

    /// <summary>∂f/∂p_i by complex step for the listed components.</summary>
    public static double ComplexStepComponent(Func<Complex[], Complex> f, double[] p, int i)
    {
        var z = new Complex[p.Length];
        for (int j = 0; j < p.Length; j++)
        {
            z[j] = p[j];
        }

        z[i] = new Complex(p[i], ComplexStep);
        return f(z).Imaginary / ComplexStep;
    }

    /// <summary>|a − b| ≤ tolerance·max(|a|, |b|, floor): relative, with an absolute floor near 0.</summary>
    public static void AssertRelative(double expected, double actual, double tolerance, string what, double floor = 1e-300)
    {
        double scale = Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), floor);
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale,
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / scale:E2}, tolerance {tolerance:E0})");
    }
}
