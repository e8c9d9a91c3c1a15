using System;

namespace DiffGen.Expr;

/// <summary>
/// Math functions that netstandard2.0 lacks. On .NET they forward to <see cref="Math"/>, so the
/// interpreter and generated code agree bit for bit there; the netstandard2.0 build (the copy inside
/// the source generator) uses them only for constant folding of those few functions, which it skips.
/// </summary>
internal static class MathCompat
{
#if NETSTANDARD2_0
    public const bool Exact = false;
    public static double Cbrt(double x) => x < 0 ? -Math.Pow(-x, 1.0 / 3.0) : Math.Pow(x, 1.0 / 3.0);
    public static double Log2(double x) => Math.Log(x) / Math.Log(2.0);
    public static double Asinh(double x) => x < 0 ? -Asinh(-x) : Math.Log(x + Math.Sqrt(x * x + 1.0));
    public static double Acosh(double x) => Math.Log(x + Math.Sqrt(x * x - 1.0));
    public static double Atanh(double x) => 0.5 * Math.Log((1.0 + x) / (1.0 - x));
    public static double FusedMultiplyAdd(double a, double b, double c) => a * b + c;

    public static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (double.IsInfinity(x) || double.IsInfinity(y))
        {
            return double.PositiveInfinity;
        }

        double big = Math.Max(x, y), small = Math.Min(x, y);
        if (big == 0 || double.IsNaN(big))
        {
            return big + small;
        }

        double ratio = small / big;
        return big * Math.Sqrt(1.0 + ratio * ratio);
    }

    public static double CopySign(double a, double b)
    {
        long magnitude = BitConverter.DoubleToInt64Bits(a) & long.MaxValue;
        long sign = BitConverter.DoubleToInt64Bits(b) & long.MinValue;
        return BitConverter.Int64BitsToDouble(magnitude | sign);
    }

    public static double ScaleB(double x, int n) => x * Math.Pow(2.0, n);

    public static double BitIncrement(double x)
    {
        if (double.IsNaN(x) || double.IsPositiveInfinity(x))
        {
            return x;
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        return x == 0 ? double.Epsilon : BitConverter.Int64BitsToDouble(bits < 0 ? bits - 1 : bits + 1);
    }

    public static double BitDecrement(double x) => -BitIncrement(-x);
#else
    public const bool Exact = true;
    public static double Cbrt(double x) => Math.Cbrt(x);
    public static double Log2(double x) => Math.Log2(x);
    public static double Asinh(double x) => Math.Asinh(x);
    public static double Acosh(double x) => Math.Acosh(x);
    public static double Atanh(double x) => Math.Atanh(x);
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    public static double Hypot(double a, double b) => double.Hypot(a, b);
    public static double CopySign(double a, double b) => Math.CopySign(a, b);
    public static double ScaleB(double x, int n) => Math.ScaleB(x, n);
    public static double BitIncrement(double x) => Math.BitIncrement(x);
    public static double BitDecrement(double x) => Math.BitDecrement(x);
#endif
}
