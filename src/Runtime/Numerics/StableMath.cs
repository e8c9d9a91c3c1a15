using System;

namespace DiffGen.Numerics;

/// <summary>
/// Real functions evaluated without overflow or cancellation. .NET's <c>double.LogP1</c> and
/// <c>double.ExpM1</c> are plain <c>Log(1 + x)</c> and <c>Exp(x) - 1</c>, which lose every digit
/// for tiny x, so the accurate forms live here.
/// </summary>
internal static class StableMath
{
    // One implementation of each, shared with the code the generator writes (DiffGen.Expr.Primitives),
    // so Activations and generated gradients agree bit for bit.

    /// <summary>log(1 + x), accurate for tiny x (Goldberg's correction: the rounding of 1 + x is undone).</summary>
    public static double Log1p(double x) => DiffGen.Expr.Primitives.Log1p(x);

    /// <summary>exp(x) − 1, accurate for tiny x (Kahan's correction).</summary>
    public static double Expm1(double x) => DiffGen.Expr.Primitives.Expm1(x);

    /// <summary>σ(x) = 1/(1 + e^−x), evaluated through e^−|x| so nothing overflows.</summary>
    public static double Sigmoid(double x) => DiffGen.Expr.Primitives.Sigmoid(x);

    /// <summary>σ'(x) = e^−|x| / (1 + e^−|x|)², symmetric and free of the cancellation in σ(1 − σ).</summary>
    public static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double onePlus = 1.0 + e;
        return e / (onePlus * onePlus);
    }

    /// <summary>softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^−|x|).</summary>
    public static double Softplus(double x) => DiffGen.Expr.Primitives.Softplus(x);

    /// <summary>sech²(x) = 4e^−2|x| / (1 + e^−2|x|)², which underflows to 0 instead of overflowing.</summary>
    public static double Sech2(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        double onePlus = 1.0 + e;
        return 4.0 * e / (onePlus * onePlus);
    }
}
