using System;

namespace DiffGen.Numerics;

/// <summary>
/// The derivative rule of each elementary function, written once: every method returns f(x) and
/// its local partial derivatives. <see cref="Dual"/>, <see cref="DualVector"/> and the
/// <see cref="Tape"/> all apply these same rules, each in its own mode.
/// </summary>
internal static class ScalarRules
{
    private const double Ln2 = 0.69314718055994530941723212145818;
    private const double Ln10 = 2.3025850929940456840179914546844;

    public static double Exp(double x, out double d)
    {
        double e = Math.Exp(x);
        d = e;
        return e;
    }

    public static double Log(double x, out double d)
    {
        d = 1.0 / x;
        return Math.Log(x);
    }

    public static double Log10(double x, out double d)
    {
        d = 1.0 / (x * Ln10);
        return Math.Log10(x);
    }

    public static double Log2(double x, out double d)
    {
        d = 1.0 / (x * Ln2);
        return Math.Log2(x);
    }

    public static double Log1p(double x, out double d)
    {
        d = 1.0 / (1.0 + x);
        return StableMath.Log1p(x);
    }

    public static double Expm1(double x, out double d)
    {
        d = Math.Exp(x);
        return StableMath.Expm1(x);
    }

    public static double Sqrt(double x, out double d)
    {
        double s = Math.Sqrt(x);
        d = 0.5 / s;
        return s;
    }

    public static double Cbrt(double x, out double d)
    {
        double c = Math.Cbrt(x);
        d = 1.0 / (3.0 * c * c);
        return c;
    }

    public static double PowConstantExponent(double x, double p, out double d)
    {
        // p·x^(p−1), with the p = 0 case kept at 0 even where x^(−1) is infinite.
        d = p == 0 ? 0.0 : p * Math.Pow(x, p - 1.0);
        return Math.Pow(x, p);
    }

    public static double Pow(double x, double p, out double dx, out double dp)
    {
        double value = Math.Pow(x, p);
        dx = p == 0 ? 0.0 : p * Math.Pow(x, p - 1.0);
        // x^p·ln x, masked to 0 at x = 0 with p ≥ 0 (as PyTorch) where ln 0 = −∞ would give NaN.
        dp = x == 0 && p >= 0 ? 0.0 : value * Math.Log(x);
        return value;
    }

    public static double Sin(double x, out double d)
    {
        d = Math.Cos(x);
        return Math.Sin(x);
    }

    public static double Cos(double x, out double d)
    {
        d = -Math.Sin(x);
        return Math.Cos(x);
    }

    public static double Tan(double x, out double d)
    {
        double c = Math.Cos(x);
        d = 1.0 / (c * c);
        return Math.Tan(x);
    }

    public static double Asin(double x, out double d)
    {
        d = 1.0 / Math.Sqrt(1.0 - x * x);
        return Math.Asin(x);
    }

    public static double Acos(double x, out double d)
    {
        d = -1.0 / Math.Sqrt(1.0 - x * x);
        return Math.Acos(x);
    }

    public static double Atan(double x, out double d)
    {
        d = 1.0 / (1.0 + x * x);
        return Math.Atan(x);
    }

    public static double Atan2(double y, double x, out double dy, out double dx)
    {
        double r2 = x * x + y * y;
        dy = x / r2;
        dx = -y / r2;
        return Math.Atan2(y, x);
    }

    public static double Sinh(double x, out double d)
    {
        d = Math.Cosh(x);
        return Math.Sinh(x);
    }

    public static double Cosh(double x, out double d)
    {
        d = Math.Sinh(x);
        return Math.Cosh(x);
    }

    public static double Tanh(double x, out double d)
    {
        d = StableMath.Sech2(x);
        return Math.Tanh(x);
    }

    public static double Asinh(double x, out double d)
    {
        // arsinh' = 1/√(x² + 1), written as 1/hypot-like to avoid overflow of x²
        double ax = Math.Abs(x);
        d = ax > 1e150 ? 1.0 / ax : 1.0 / Math.Sqrt(x * x + 1.0);
        return Math.Asinh(x);
    }

    public static double Acosh(double x, out double d)
    {
        // arcosh' = 1/√(x² − 1) = 1/√((x − 1)(x + 1)), accurate near 1
        d = 1.0 / Math.Sqrt((x - 1.0) * (x + 1.0));
        return Math.Acosh(x);
    }

    public static double Atanh(double x, out double d)
    {
        // artanh' = 1/(1 − x²) = 1/((1 − x)(1 + x))
        d = 1.0 / ((1.0 - x) * (1.0 + x));
        return Math.Atanh(x);
    }

    public static double Truncate(double x, out double d)
    {
        d = 0.0;
        return Math.Truncate(x);
    }

    public static double Abs(double x, out double d)
    {
        // |x|'(0) = 0, as PyTorch.
        d = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
        return Math.Abs(x);
    }

    public static double Sign(double x, out double d)
    {
        d = 0.0;
        return double.IsNaN(x) ? double.NaN : Math.Sign(x);
    }

    public static double Floor(double x, out double d)
    {
        d = 0.0;
        return Math.Floor(x);
    }

    public static double Ceiling(double x, out double d)
    {
        d = 0.0;
        return Math.Ceiling(x);
    }

    public static double Round(double x, out double d)
    {
        d = 0.0;
        return Math.Round(x);
    }

    /// <summary>
    /// max(a, b) and the weight of each argument's derivative, as the expression rule (OpTable): the
    /// argument taken gets 1; at a tie each gets ½, so the result does not depend on argument order;
    /// where an argument is NaN both get 1 (as PyTorch), so the NaN reaches the derivative.
    /// </summary>
    public static double Max(double a, double b, out double weightA, out double weightB)
    {
        weightA = a < b ? 0.0 : a == b ? 0.5 : 1.0;
        weightB = b < a ? 0.0 : a == b ? 0.5 : 1.0;
        return Math.Max(a, b);
    }

    /// <summary>min(a, b) and the weight of each argument's derivative; ties and NaN as <see cref="Max"/>.</summary>
    public static double Min(double a, double b, out double weightA, out double weightB)
    {
        weightA = a > b ? 0.0 : a == b ? 0.5 : 1.0;
        weightB = b > a ? 0.0 : a == b ? 0.5 : 1.0;
        return Math.Min(a, b);
    }
}
