using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Losses whose reverse loop runs inside the forward loop (one pass) and look-alikes that must keep two passes
/// (ReverseFusionCodeTests in the generator tests checks which is which).
/// </summary>
public static partial class ReverseFusionModels
{
    /// <summary>Σ c·(x[i+1] − x[i]²)² + (1 − x[i])²: the seed of sum is 1 and c's adjoint only accumulates: one pass.</summary>
    [Differentiable]
    public static double ScaledRosenbrock(ReadOnlySpan<double> x, double c)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + c * b * b;
        }

        return sum / x.Length;
    }

    /// <summary>√(Σ xᵢ²·wᵢ): the seed of the sum reads the sum, known only after the loop: two passes.</summary>
    [Differentiable]
    public static double Norm(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i] * w[i];
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Σ sin(xᵢ)·xᵢ₊₁ + the last term's sine: a loop-local value read after the loop: two passes.</summary>
    [Differentiable]
    public static double LastTermAfter(ReadOnlySpan<double> x)
    {
        double sum = 0;
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            s = Math.Sin(x[i]);
            sum += s * x[i + 1];
        }

        return sum + s;
    }

    /// <summary>
    /// Σ tanh(xᵢ − m)² after a loop computing the mean m. The second loop saves t on the value stack (m is not a
    /// read-only input, so t is not recomputed), and a reverse loop that pops keeps its own pass.
    /// </summary>
    [Differentiable]
    public static double CenteredTanh(ReadOnlySpan<double> x)
    {
        double m = 0;
        for (int i = 0; i < x.Length; i++)
        {
            m += x[i];
        }

        m /= x.Length;
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = Math.Tanh(x[i] - m);
            sum += t * t;
        }

        return sum;
    }
}
