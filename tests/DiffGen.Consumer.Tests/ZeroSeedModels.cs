using System;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 8: a tangent or an adjoint that is exactly 0 only at run time (a clamped input, a branch of max
/// not taken) meeting a partial that is ∞ there (acosh′(1)): the term is 0, as a symbolic zero's would be.
/// </summary>
public static partial class ZeroSeedModels
{
    /// <summary>At x₀ &lt; 1, v is clamped (tangent 0 at run time) and acosh′(v) = ∞: forward mode gave 0·∞ = NaN.</summary>
    [Differentiable]
    public static double ClampedThenSingular(ReadOnlySpan<double> x)
    {
        double v = Math.Max(x[0], 1.0);
        double s = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * Math.Acosh(v);
        }

        return s;
    }

    /// <summary>At x₀ = 1, acosh′ = ∞ and max(v, 2) takes 2 (adjoint of v 0 at run time): reverse mode gave 0·∞ = NaN.</summary>
    [Differentiable]
    public static double SingularThenClamped(ReadOnlySpan<double> x)
    {
        double v = Math.Acosh(x[0]);
        double s = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * Math.Max(v, 2.0);
        }

        return s;
    }

    /// <summary>The generator fuzzer's body (seed 8705121, M3219): v0 is clamped, then the loop drives it to 3π/2, where acosh′(2 + sin v0) = ∞.</summary>
    [Differentiable]
    public static double FuzzerM3219(ReadOnlySpan<double> x, double x0, int n)
    {
        double v0 = Math.Clamp(x0, -1.0, Math.Atanh(0.5 * Math.Sin(-2.8)) * Math.Atanh(0.5 * Math.Sin(-2.8)));
        if (Math.Pow(x[0], n % 4) <= x0)
        {
            return x0 - v0;
        }

        for (int i2 = 0; i2 < 2; i2++)
        {
            for (int i3 = 0; i3 < x.Length; i3++)
            {
                v0 += Math.Acosh(2.0 + Math.Sin((double)i3 > v0 ? 1.3 : v0));
            }
        }

        return Math.FusedMultiplyAdd(v0 * n, 1.8 * 1.7, 0.5);
    }
}
