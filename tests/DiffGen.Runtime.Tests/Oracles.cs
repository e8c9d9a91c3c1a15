using System;
using System.Numerics;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Runtime.Tests;

/// <summary>The independent references the tests compare against.</summary>
internal static class Oracles
{
    public const double ComplexStep = 1e-20;

    /// <summary>f'(x) ≈ Im f(x + ih)/h, h = 1e-20.</summary>
    /// <summary>
    /// Absolute tolerance of a derivative where the relative one cannot hold: tanh′ = 1 − tanh² is read from the
    /// rounded value (as PyTorch and JAX do; one transcendental, and the reverse sweep reuses a stored tanh), so
    /// its error is absolute, below 2.3e−16, and the relative error grows in the tails (1e−8 at x = 10).
    /// </summary>
    public static double DerivativeAbsolute(string function) => function == "Tanh" ? 2.3e-16 : 1e-300;

    public static double ComplexStepDerivative(Func<Complex, Complex> f, double x)
        => f(new Complex(x, ComplexStep)).Imaginary / ComplexStep;

    /// <summary>MathNet's 3-point central difference (an oracle written by someone else).</summary>
    public static double MathNetDerivative(Func<double, double> f, double x)
        => new NumericalDerivative().EvaluateDerivative(f, x, 1);

    /// <summary>|a − b| ≤ abs + rel·max(|a|, |b|); equal values (including infinities) pass, NaN fails.</summary>
    public static bool Close(double expected, double actual, double relative, double absolute = 0.0)
        => expected == actual || Math.Abs(expected - actual) <= absolute + relative * Math.Max(Math.Abs(expected), Math.Abs(actual));

    public static void AssertClose(double expected, double actual, double relative, double absolute = 0.0, string? what = null)
    {
        Assert.True(Close(expected, actual, relative, absolute),
            $"{what}: expected {expected:R}, actual {actual:R}, difference {Math.Abs(expected - actual):G3}, relative {Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), Math.Abs(actual)):G3}");
    }
}
