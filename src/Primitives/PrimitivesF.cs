using System;

namespace DiffGen.Expr;

/// <summary>
/// <see cref="Primitives"/> over float, as <c>MathF</c> is <c>Math</c> over float: what the code generated for a
/// float [Differentiable] method calls (its values and derivatives are printed in float). A separate class, not
/// overloads, so that a call with int arguments keeps binding the double functions. Each is the float nearest
/// to the double function's value: evaluated in double and rounded once, so it is at least as accurate as a
/// float evaluation; the exact ones (sign, relu, leaky relu, scaling) give what the float operations give, and
/// Round is MathF.Round's, the function a float method's <c>MathF.Round(x, digits)</c> calls.
/// </summary>
public static class PrimitivesF
{
    /// <summary>ln(1 + x) in float: <see cref="Primitives.Log1p(double)"/> rounded once.</summary>
    public static float Log1p(float x) => (float)Primitives.Log1p((double)x);

    /// <summary>eˣ − 1 in float: <see cref="Primitives.Expm1(double)"/> rounded once.</summary>
    public static float Expm1(float x) => (float)Primitives.Expm1((double)x);

    /// <summary>erf x in float: <see cref="Primitives.Erf(double)"/> rounded once.</summary>
    public static float Erf(float x) => (float)Primitives.Erf((double)x);

    /// <summary>erfc x in float: <see cref="Primitives.Erfc(double)"/> rounded once.</summary>
    public static float Erfc(float x) => (float)Primitives.Erfc((double)x);

    /// <summary>x·2ⁿ in float, with the integer n passed as a float (as graphs hold it): exact, as MathF.ScaleB.</summary>
    public static float ScaleB(float x, float n) => (float)MathCompat.ScaleB(x, (int)n);

    /// <summary>MathF.Round(x, digits, mode), with the integer digits and the MidpointRounding mode passed as floats (as graphs hold them).</summary>
#if NET
    public static float Round(float x, float digits, float mode) => MathF.Round(x, (int)digits, (MidpointRounding)(int)mode);
#else
    public static float Round(float x, float digits, float mode) => (float)Math.Round(x, (int)digits, (MidpointRounding)(int)mode);
#endif

    /// <summary>sign x as a float: −1, 0 or 1 (NaN stays NaN).</summary>
    public static float Sign(float x) => x > 0 ? 1f : x < 0 ? -1f : x;

    /// <summary>x itself: the derivative rule (0) is what differs, see <c>Diff.StopGradient</c>.</summary>
    public static float StopGradient(float x) => x;

    /// <summary>σ(x) in float: <see cref="Primitives.Sigmoid(double)"/> rounded once.</summary>
    public static float Sigmoid(float x) => (float)Primitives.Sigmoid((double)x);

    /// <summary>softplus(x) in float: <see cref="Primitives.Softplus(double)"/> rounded once.</summary>
    public static float Softplus(float x) => (float)Primitives.Softplus((double)x);

    /// <summary>relu(x) = max(x, 0) in float.</summary>
    public static float Relu(float x) => x > 0 ? x : 0f;

    /// <summary>leaky relu(x, α) = x if x &gt; 0 else α·x, the product in float.</summary>
    public static float LeakyRelu(float x, float alpha) => x > 0 ? x : alpha * x;

    /// <summary>elu(x, α) = x if x &gt; 0 else α(eˣ − 1), the product in float.</summary>
    public static float Elu(float x, float alpha) => x > 0 ? x : alpha * Expm1(x);

    /// <summary>log-sum-exp of two floats: <see cref="Primitives.LogSumExp(double, double)"/> rounded once.</summary>
    public static float LogSumExp(float a, float b) => (float)Primitives.LogSumExp((double)a, (double)b);
}
