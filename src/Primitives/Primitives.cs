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

    /// <summary>
    /// The error function erf x = (2/√π)∫₀ˣ e^(−t²) dt, within about 2 ulp: its Taylor series below 0.5,
    /// 1 − erfc x above (where erfc x &lt; 0.48, so the subtraction loses nothing), ±1 past 6.
    /// </summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(x) || a < 0.5)
        {
            return ErfSeries(x);
        }

        double magnitude = a >= 6.0 ? 1.0 : 1.0 - ErfcContinuedFraction(a);
        return x < 0 ? -magnitude : magnitude;
    }

    /// <summary>
    /// The complementary error function erfc x = 1 − erf x without cancellation for large x, within
    /// about 2.5 ulp: Laplace's continued fraction from 0.5 on (its tail to 0 where erfc underflows), 1 − erf x below.
    /// </summary>
    public static double Erfc(double x)
    {
        if (x < 0.5 || double.IsNaN(x))
        {
            return 1.0 - Erf(x);
        }

        return x > 27.3 ? 0.0 : ErfcContinuedFraction(x);
    }

    /// <summary>2/√π, the scale of erf's derivative.</summary>
    internal const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>erf x = (2/√π)·Σ (−1)ⁿ x^(2n+1)/(n!(2n+1)), for |x| &lt; 0.5 (terms fall by 4× or more).</summary>
    private static double ErfSeries(double x)
    {
        double x2 = x * x;
        double power = x;
        double sum = x;
        for (int n = 1; n < 40; n++)
        {
            power *= -x2 / n;
            double next = sum + power / (2 * n + 1);
            if (next == sum)
            {
                break;
            }

            sum = next;
        }

        return TwoOverSqrtPi * sum;
    }

    /// <summary>
    /// erfc a = e^(−a²)/√π · 1/(a + ½/(a + 1/(a + (3/2)/(a + …)))) for a ≥ 0.5, evaluated from the tail
    /// (stable, unlike forward recurrences), with enough terms for full precision at a (about 240/a² + 20).
    /// e^(−a²) is e^(−hi)·(1 − lo) with a² = hi + lo split exactly, as a² rounded would cost up to a²·ε.
    /// </summary>
    private static double ErfcContinuedFraction(double a)
    {
        int terms = (int)Math.Min(1000.0, 240.0 / (a * a)) + 20;
        double t = a;
        for (int k = terms; k > 0; k--)
        {
            t = a + 0.5 * k / t;
        }

        double hi = a * a;
        double lo = MathCompat.FusedMultiplyAdd(a, a, -hi);
        double e = Math.Exp(-hi);
        return InverseSqrtPi * (e - e * lo) / t;
    }

    private const double InverseSqrtPi = 0.56418958354775628;

    /// <summary>x·2ⁿ computed exactly (Math.ScaleB), with the integer n passed as a double (as graphs hold it).</summary>
    public static double ScaleB(double x, double n) => MathCompat.ScaleB(x, (int)n);

    /// <summary>Math.Round(x, digits, mode), with the integer digits and the MidpointRounding mode passed as doubles (as graphs hold them).</summary>
    public static double Round(double x, double digits, double mode) => Math.Round(x, (int)digits, (MidpointRounding)(int)mode);

    /// <summary>sign x as a double: −1, 0 or 1 (NaN stays NaN, unlike <see cref="Math.Sign(double)"/>).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    /// <summary>x itself: the derivative rule (0) is what differs, see <c>Diff.StopGradient</c>.</summary>
    public static double StopGradient(double x) => x;

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
