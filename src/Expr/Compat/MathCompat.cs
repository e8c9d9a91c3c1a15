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
#else
    public const bool Exact = true;
    public static double Cbrt(double x) => Math.Cbrt(x);
    public static double Log2(double x) => Math.Log2(x);
    public static double Asinh(double x) => Math.Asinh(x);
    public static double Acosh(double x) => Math.Acosh(x);
    public static double Atanh(double x) => Math.Atanh(x);
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
#endif
}
