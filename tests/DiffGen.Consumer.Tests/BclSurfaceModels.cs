using System;

namespace DiffGen.Consumer.Tests;

/// <summary>The rest of the BCL's differentiable surface for double (issue 12, item 7), as users write it.</summary>
public static partial class BclSurfaceModels
{
    [Differentiable] public static double RoundToDigits(double x, double y) => Math.Round(x, 2) * y + x;

    [Differentiable] public static double RoundAwayFromZero(double x) => x * Math.Round(x, MidpointRounding.AwayFromZero);

    [Differentiable] public static double RoundDigitsMode(double x) => Math.Round(x * x, 1, MidpointRounding.ToZero) + Math.Sin(x);

    [Differentiable] public static double DoubleRound(double x) => double.Round(x, 3) * x;

    [Differentiable] public static double Hypot(double x, double y) => double.Hypot(x, y) * x;

    [Differentiable] public static double CopySign(double x, double y) => Math.CopySign(x, y) * Math.Exp(y);

    [Differentiable] public static double ScaleB(double x, int n) => Math.ScaleB(x * x, n);

    [Differentiable] public static double NextDoubles(double x) => Math.BitIncrement(x) * x + Math.BitDecrement(x);

    /// <summary>double's INumber statics, aliases of Math's (LogP1 and ExpM1 are log1p and expm1).</summary>
    [Differentiable]
    public static double DoubleStatics(double x, double y) =>
        double.Exp(x) + double.Log(x) * double.Sin(y) + double.Sqrt(x) + double.Atan2(y, x) + double.Pow(x, 3)
        + double.LogP1(x) + double.ExpM1(y) + double.Tanh(x * y) + double.Cbrt(y) + double.Max(x, y) + double.Log(x, 3)
        + double.Abs(y) + double.FusedMultiplyAdd(x, y, 1) + double.Asinh(y) + double.Clamp(x, 0, 2);
}
