using System;

namespace DiffGen.Expr;

/// <summary>
/// Double-precision functions that <see cref="System.Math"/> lacks, in numerically stable forms.
/// The interpreter and the emitted C# both call these, so they agree bit for bit.
/// </summary>
public static class Primitives
{
    /// <summary>ln(1 + x), accurate for tiny x: log(u)·x/(u − 1) with u = 1 + x (Goldberg).</summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsInfinity(u))
        {
            return Math.Log(u);
        }

        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1, accurate for tiny x: (u − 1)·x/ln u with u = eˣ (Kahan).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u))
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>sign x as a double: −1, 0 or 1 (NaN stays NaN, unlike <see cref="Math.Sign(double)"/>).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    /// <summary>σ(x) = 1/(1 + e⁻ˣ), evaluated through e^−|x| so it never overflows.</summary>
    public static double Sigmoid(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /// <summary>softplus(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|).</summary>
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>relu(x) = max(x, 0).</summary>
    public static double Relu(double x) => x > 0 ? x : 0.0;

    /// <summary>leaky relu(x, α) = x if x &gt; 0 else α·x.</summary>
    public static double LeakyRelu(double x, double alpha) => x > 0 ? x : alpha * x;

    /// <summary>elu(x, α) = x if x &gt; 0 else α(eˣ − 1).</summary>
    public static double Elu(double x, double alpha) => x > 0 ? x : alpha * Expm1(x);

    /// <summary>log-sum-exp of two values: m + ln(e^(a−m) + e^(b−m)), m = max(a, b).</summary>
    public static double LogSumExp(double a, double b)
    {
        double m = Math.Max(a, b);
        if (double.IsNegativeInfinity(m))
        {
            return m;
        }

        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    /// <summary>log-sum-exp: m + ln Σ e^(xᵢ−m), m = max xᵢ (summed left to right).</summary>
    public static double LogSumExp(double[] x)
    {
        if (x is null)
        {
            throw new ArgumentNullException(nameof(x));
        }

#if NET
        return LogSumExp(new ReadOnlySpan<double>(x));
    }

    /// <summary>log-sum-exp: m + ln Σ e^(xᵢ−m), m = max xᵢ (summed left to right).</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
#endif
        if (x.Length == 0)
        {
            return double.NegativeInfinity;
        }

        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            m = Math.Max(m, x[i]);
        }

        if (double.IsNegativeInfinity(m))
        {
            return m;
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - m);
        }

        return m + Math.Log(sum);
    }
}
