using System;
using System.Numerics;
using DiffGen.Expr;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Expr.Tests;

/// <summary>Independent references for derivatives: complex step and MathNet's finite differences.</summary>
internal static class Oracles
{
    public const double ComplexStep = 1e-20;

    /// <summary>∂f/∂xᵢ = Im f(x + ih·eᵢ)/h through the interpreter's complex evaluation.</summary>
    public static double[] ComplexStepGradient(Schedule f, double[] x)
    {
        var grad = new double[x.Length];
        var z = new Complex[x.Length];
        var output = new Complex[f.OutputCount];
        for (int i = 0; i < x.Length; i++)
        {
            for (int k = 0; k < x.Length; k++)
            {
                z[k] = new Complex(x[k], k == i ? ComplexStep : 0.0);
            }

            f.Evaluate(z, output);
            grad[i] = output[0].Imaginary / ComplexStep;
        }

        return grad;
    }

    /// <summary>
    /// Central differences (MathNet.Numerics, 5-point stencil, h = 1e−4: truncation O(h⁴), rounding
    /// O(ε/h)); the stencil spans ±2e−4, inside the ±1e−3 where random cases keep every branch fixed.
    /// </summary>
    public static double[] FiniteDifferenceGradient(Func<double[], double> f, double[] x, double step = 1e-4)
    {
        var nd = new NumericalDerivative(5, 2) { StepType = StepType.Absolute, StepSize = step };
        var grad = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            grad[i] = nd.EvaluatePartialDerivative(f, (double[])x.Clone(), i, 1);
        }

        return grad;
    }

    /// <summary>|a − b| ≤ tol·max(1, |a|, |b|): relative for large values, absolute near zero.</summary>
    public static bool Close(double a, double b, double tol) =>
        a.Equals(b) || Math.Abs(a - b) <= tol * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));

    public static void AssertClose(double expected, double actual, double tol, string what)
    {
        if (!Close(expected, actual, tol))
        {
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected:R}, got {actual:R} (tolerance {tol:G3})");
        }
    }

    public static void AssertClose(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i], tol, $"{what}[{i}]");
        }
    }

    /// <summary>Evaluates the symbolic gradient nodes at x.</summary>
    public static double[] Evaluate(Node[] nodes, Node[] vars, double[] x)
    {
        var schedule = new Schedule(nodes, vars);
        var result = new double[nodes.Length];
        schedule.Evaluate(x, result);
        return result;
    }
}
