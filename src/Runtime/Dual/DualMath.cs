using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// <see cref="System.Math"/> over <see cref="Dual"/> numbers: each function returns
/// f(a) + f'(a)·b·ε for the argument a + bε (the chain rule of forward mode).
/// Non-differentiable points follow PyTorch: |x|'(0) = 0; Max/Min pass the derivative of the branch
/// taken, half to each argument at a tie (as torch.maximum; independent of argument order); Sign, Floor, Ceiling and
/// Round have derivative 0.
/// </summary>
public static class DualMath
{
    // A zero tangent is a symbolic zero: a value that does not depend on the direction has derivative 0
    // even where f' is infinite (∛ at 0, √ at 0), instead of 0·∞ = NaN.
    private static Dual Chain(double value, double localDerivative, Dual x) =>
        new(value, x.Derivative == 0 ? 0.0 : localDerivative * x.Derivative);

    private static Dual Chain(double value, double partialX, Dual x, double partialY, Dual y) =>
        new(value, (x.Derivative == 0 ? 0.0 : partialX * x.Derivative) + (y.Derivative == 0 ? 0.0 : partialY * y.Derivative));

    /// <summary>x with derivative 0 (see <see cref="Diff.StopGradient"/>).</summary>
    public static Dual StopGradient(Dual x) => Dual.Constant(x.Value);

    /// <summary>exp(x); d = e^x·ẋ.</summary>
    public static Dual Exp(Dual x) => Chain(ScalarRules.Exp(x.Value, out double d), d, x);

    /// <summary>ln x; d = ẋ/x.</summary>
    public static Dual Log(Dual x) => Chain(ScalarRules.Log(x.Value, out double d), d, x);

    /// <summary>log₁₀ x; d = ẋ/(x·ln 10).</summary>
    public static Dual Log10(Dual x) => Chain(ScalarRules.Log10(x.Value, out double d), d, x);

    /// <summary>log₂ x; d = ẋ/(x·ln 2).</summary>
    public static Dual Log2(Dual x) => Chain(ScalarRules.Log2(x.Value, out double d), d, x);

    /// <summary>ln(1 + x), accurate for tiny x; d = ẋ/(1 + x).</summary>
    public static Dual Log1p(Dual x) => Chain(ScalarRules.Log1p(x.Value, out double d), d, x);

    /// <summary>e^x − 1, accurate for tiny x; d = e^x·ẋ.</summary>
    public static Dual Expm1(Dual x) => Chain(ScalarRules.Expm1(x.Value, out double d), d, x);

    /// <summary>√x; d = ẋ/(2√x).</summary>
    public static Dual Sqrt(Dual x) => Chain(ScalarRules.Sqrt(x.Value, out double d), d, x);

    /// <summary>∛x; d = ẋ/(3·∛x²).</summary>
    public static Dual Cbrt(Dual x) => Chain(ScalarRules.Cbrt(x.Value, out double d), d, x);

    /// <summary>x^p for a constant p; d = p·x^(p−1)·ẋ (0 when p = 0).</summary>
    public static Dual Pow(Dual x, double p) => Chain(ScalarRules.PowBase(x.Value, p, out double d), d, x);

    /// <summary>x^y; d = y·x^(y−1)·ẋ + x^y·ln x·ẏ (the ẏ term is 0 at x = 0, y ≥ 0, as PyTorch).</summary>
    public static Dual Pow(Dual x, Dual y)
    {
        double value = ScalarRules.Pow(x.Value, y.Value, out double dx, out double dy);
        // A constant exponent must not bring ln x (NaN for x < 0) into the tangent, nor a constant base its x^(y−1).
        return Chain(value, dx, x, dy, y);
    }

    /// <summary>c^y for a constant base; d = c^y·ln c·ẏ.</summary>
    public static Dual Pow(double x, Dual y)
    {
        double value = ScalarRules.PowExponent(x, y.Value, out double dy);
        return new(value, y.Derivative == 0 ? 0.0 : dy * y.Derivative);
    }

    /// <summary>sin x; d = cos x·ẋ.</summary>
    public static Dual Sin(Dual x) => Chain(ScalarRules.Sin(x.Value, out double d), d, x);

    /// <summary>cos x; d = −sin x·ẋ.</summary>
    public static Dual Cos(Dual x) => Chain(ScalarRules.Cos(x.Value, out double d), d, x);

    /// <summary>tan x; d = ẋ/cos²x.</summary>
    public static Dual Tan(Dual x) => Chain(ScalarRules.Tan(x.Value, out double d), d, x);

    /// <summary>asin x; d = ẋ/√(1 − x²).</summary>
    public static Dual Asin(Dual x) => Chain(ScalarRules.Asin(x.Value, out double d), d, x);

    /// <summary>acos x; d = −ẋ/√(1 − x²).</summary>
    public static Dual Acos(Dual x) => Chain(ScalarRules.Acos(x.Value, out double d), d, x);

    /// <summary>atan x; d = ẋ/(1 + x²).</summary>
    public static Dual Atan(Dual x) => Chain(ScalarRules.Atan(x.Value, out double d), d, x);

    /// <summary>atan2(y, x); d = (x·ẏ − y·ẋ)/(x² + y²).</summary>
    public static Dual Atan2(Dual y, Dual x)
    {
        double value = ScalarRules.Atan2(y.Value, x.Value, out double dy, out double dx);
        return Chain(value, dy, y, dx, x);
    }

    /// <summary>hypot(x, y) = √(x² + y²) without overflow; d = (x·ẋ + y·ẏ)/hypot (0 at the origin).</summary>
    public static Dual Hypot(Dual x, Dual y)
    {
        double value = ScalarRules.Hypot(x.Value, y.Value, out double dx, out double dy);
        return Chain(value, dx, x, dy, y);
    }

    /// <summary>erf x; d = (2/√π)·e^(−x²)·ẋ.</summary>
    public static Dual Erf(Dual x) => Chain(ScalarRules.Erf(x.Value, out double d), d, x);

    /// <summary>erfc x = 1 − erf x, accurate for large x; d = −(2/√π)·e^(−x²)·ẋ.</summary>
    public static Dual Erfc(Dual x) => Chain(ScalarRules.Erfc(x.Value, out double d), d, x);

    /// <summary>sinh x; d = cosh x·ẋ.</summary>
    public static Dual Sinh(Dual x) => Chain(ScalarRules.Sinh(x.Value, out double d), d, x);

    /// <summary>cosh x; d = sinh x·ẋ.</summary>
    public static Dual Cosh(Dual x) => Chain(ScalarRules.Cosh(x.Value, out double d), d, x);

    /// <summary>tanh x; d = sech²x·ẋ (computed without overflow).</summary>
    public static Dual Tanh(Dual x) => Chain(ScalarRules.Tanh(x.Value, out double d), d, x);

    /// <summary>arsinh x; d = ẋ/√(x² + 1).</summary>
    public static Dual Asinh(Dual x) => Chain(ScalarRules.Asinh(x.Value, out double d), d, x);

    /// <summary>arcosh x; d = ẋ/√(x² − 1).</summary>
    public static Dual Acosh(Dual x) => Chain(ScalarRules.Acosh(x.Value, out double d), d, x);

    /// <summary>artanh x; d = ẋ/(1 − x²).</summary>
    public static Dual Atanh(Dual x) => Chain(ScalarRules.Atanh(x.Value, out double d), d, x);

    /// <summary>x truncated toward zero; d = 0.</summary>
    public static Dual Truncate(Dual x) => Chain(ScalarRules.Truncate(x.Value, out double d), d, x);

    /// <summary>|x|; d = sign(x)·ẋ, with |x|'(0) = 0.</summary>
    public static Dual Abs(Dual x) => Chain(ScalarRules.Abs(x.Value, out double d), d, x);

    /// <summary>sign(x) ∈ {−1, 0, 1}; d = 0.</summary>
    public static Dual Sign(Dual x) => Chain(ScalarRules.Sign(x.Value, out double d), d, x);

    /// <summary>max(x, y) with the derivative of the argument taken; at a tie (or a NaN) the weighted sum of both.</summary>
    public static Dual Max(Dual x, Dual y)
    {
        double value = ScalarRules.Max(x.Value, y.Value, out double wx, out double wy);
        // Exactly one argument taken: its derivative unchanged (no 0·∞ from the other).
        return wy == 0.0 ? x : wx == 0.0 ? y : new Dual(value, wx * x.Derivative + wy * y.Derivative);
    }

    /// <summary>min(x, y) with the derivative of the argument taken; at a tie (or a NaN) the weighted sum of both.</summary>
    public static Dual Min(Dual x, Dual y)
    {
        double value = ScalarRules.Min(x.Value, y.Value, out double wx, out double wy);
        // Exactly one argument taken: its derivative unchanged (no 0·∞ from the other).
        return wy == 0.0 ? x : wx == 0.0 ? y : new Dual(value, wx * x.Derivative + wy * y.Derivative);
    }

    /// <summary>⌊x⌋; d = 0.</summary>
    public static Dual Floor(Dual x) => Chain(ScalarRules.Floor(x.Value, out double d), d, x);

    /// <summary>⌈x⌉; d = 0.</summary>
    public static Dual Ceiling(Dual x) => Chain(ScalarRules.Ceiling(x.Value, out double d), d, x);

    /// <summary>Round to nearest, ties to even (as <see cref="System.Math.Round(double)"/>); d = 0.</summary>
    public static Dual Round(Dual x) => Chain(ScalarRules.Round(x.Value, out double d), d, x);

    /// <summary>x·y + z with one rounding; d = ẋ·y + x·ẏ + ż.</summary>
    public static Dual FusedMultiplyAdd(Dual x, Dual y, Dual z)
    {
        double value = ScalarRules.Fma(x.Value, y.Value, z.Value, out double dx, out double dy, out double dz);
        return new(value, Chain(0.0, dx, x, dy, y).Derivative + (z.Derivative == 0 ? 0.0 : dz * z.Derivative));
    }
}
