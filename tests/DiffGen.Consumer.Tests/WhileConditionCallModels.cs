using System;

namespace DiffGen.Consumer.Tests;

/// <summary>while and do loops whose condition calls a [Differentiable] span method (once DG0029); p is <see cref="SpanModels.Horner"/>.</summary>
public static partial class WhileConditionCallModels
{
    /// <summary>p′(t) = Σₖ k cₖ tᵏ⁻¹.</summary>
    [Differentiable]
    public static double Slope(ReadOnlySpan<double> c, double t)
    {
        double p = 0;
        for (int k = c.Length - 1; k >= 1; k--)
        {
            p = p * t + k * c[k];
        }

        return p;
    }

    /// <summary>A root of p by Newton's method from <paramref name="start"/>, run while |p(t)| is above 1e-13.</summary>
    [Differentiable]
    public static double Root(ReadOnlySpan<double> c, double start)
    {
        double t = start;
        int iter = 0;
        while (Math.Abs(SpanModels.Horner(c, t)) > 1e-13 && iter < 60)
        {
            t -= SpanModels.Horner(c, t) / Slope(c, t);
            iter++;
        }

        return t;
    }

    /// <summary>y ← 2y + 1 from x₀ until y reaches Σ x (a do loop: at least one trip).</summary>
    [Differentiable]
    public static double Doubling(ReadOnlySpan<double> x, double scale)
    {
        double y = x[0];
        do
        {
            y = y * 2 + scale;
        }
        while (y < SpanModels.Horner(x, 1.0));

        return y;
    }
}
