using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// <see cref="System.Math"/> over <see cref="DualVector"/> values: each function returns f(x) with tangents
/// f'(x)·ẋᵢ in every direction i (the chain rule of forward mode).
/// Non-differentiable points follow PyTorch: |x|'(0) = 0; Max/Min pass the derivative of the branch
/// taken, half to each argument at a tie (as torch.maximum; independent of argument order); Sign, Floor, Ceiling and
/// Round have derivative 0.
/// </summary>
public static class DualVectorMath
{
    /// <summary>exp(x); d = e^x·ẋ.</summary>
    public static DualVector Exp(in DualVector x) => x.Chain(ScalarRules.Exp(x.Value, out double d), d);

    /// <summary>ln x; d = ẋ/x.</summary>
    public static DualVector Log(in DualVector x) => x.Chain(ScalarRules.Log(x.Value, out double d), d);

    /// <summary>log₁₀ x; d = ẋ/(x·ln 10).</summary>
    public static DualVector Log10(in DualVector x) => x.Chain(ScalarRules.Log10(x.Value, out double d), d);

    /// <summary>log₂ x; d = ẋ/(x·ln 2).</summary>
    public static DualVector Log2(in DualVector x) => x.Chain(ScalarRules.Log2(x.Value, out double d), d);

    /// <summary>ln(1 + x), accurate for tiny x; d = ẋ/(1 + x).</summary>
    public static DualVector Log1p(in DualVector x) => x.Chain(ScalarRules.Log1p(x.Value, out double d), d);

    /// <summary>e^x − 1, accurate for tiny x; d = e^x·ẋ.</summary>
    public static DualVector Expm1(in DualVector x) => x.Chain(ScalarRules.Expm1(x.Value, out double d), d);

    /// <summary>√x; d = ẋ/(2√x).</summary>
    public static DualVector Sqrt(in DualVector x) => x.Chain(ScalarRules.Sqrt(x.Value, out double d), d);

    /// <summary>∛x; d = ẋ/(3·∛x²).</summary>
    public static DualVector Cbrt(in DualVector x) => x.Chain(ScalarRules.Cbrt(x.Value, out double d), d);

    /// <summary>x^p for a constant p; d = p·x^(p−1)·ẋ (0 when p = 0).</summary>
    public static DualVector Pow(in DualVector x, double p) => x.Chain(ScalarRules.PowBase(x.Value, p, out double d), d);

    /// <summary>x^y; d = y·x^(y−1)·ẋ + x^y·ln x·ẏ (the ẏ term is 0 at x = 0, y ≥ 0, as PyTorch).</summary>
    public static DualVector Pow(in DualVector x, in DualVector y)
    {
        double value = ScalarRules.Pow(x.Value, y.Value, out double dx, out double dy);
        // A constant exponent must not bring ln x (NaN for x < 0) into the tangents.
        return DualVector.Chain(value, x, dx, y, y.Directions == 0 ? 0.0 : dy);
    }

    /// <summary>c^y for a constant base; d = c^y·ln c·ẏ.</summary>
    public static DualVector Pow(double x, in DualVector y)
    {
        double value = ScalarRules.PowExponent(x, y.Value, out double dy);
        return y.Chain(value, y.Directions == 0 ? 0.0 : dy);
    }

    /// <summary>sin x; d = cos x·ẋ.</summary>
    public static DualVector Sin(in DualVector x) => x.Chain(ScalarRules.Sin(x.Value, out double d), d);

    /// <summary>cos x; d = −sin x·ẋ.</summary>
    public static DualVector Cos(in DualVector x) => x.Chain(ScalarRules.Cos(x.Value, out double d), d);

    /// <summary>tan x; d = ẋ/cos²x.</summary>
    public static DualVector Tan(in DualVector x) => x.Chain(ScalarRules.Tan(x.Value, out double d), d);

    /// <summary>asin x; d = ẋ/√(1 − x²).</summary>
    public static DualVector Asin(in DualVector x) => x.Chain(ScalarRules.Asin(x.Value, out double d), d);

    /// <summary>acos x; d = −ẋ/√(1 − x²).</summary>
    public static DualVector Acos(in DualVector x) => x.Chain(ScalarRules.Acos(x.Value, out double d), d);

    /// <summary>atan x; d = ẋ/(1 + x²).</summary>
    public static DualVector Atan(in DualVector x) => x.Chain(ScalarRules.Atan(x.Value, out double d), d);

    /// <summary>atan2(y, x); d = (x·ẏ − y·ẋ)/(x² + y²).</summary>
    public static DualVector Atan2(in DualVector y, in DualVector x)
    {
        double value = ScalarRules.Atan2(y.Value, x.Value, out double dy, out double dx);
        return DualVector.Chain(value, y, dy, x, dx);
    }

    /// <summary>hypot(x, y) = √(x² + y²) without overflow; d = (x·ẋ + y·ẏ)/hypot (0 at the origin).</summary>
    public static DualVector Hypot(in DualVector x, in DualVector y)
    {
        double value = ScalarRules.Hypot(x.Value, y.Value, out double dx, out double dy);
        return DualVector.Chain(value, x, dx, y, dy);
    }

    /// <summary>erf x; d = (2/√π)·e^(−x²)·ẋ.</summary>
    public static DualVector Erf(in DualVector x) => x.Chain(ScalarRules.Erf(x.Value, out double d), d);

    /// <summary>erfc x = 1 − erf x, accurate for large x; d = −(2/√π)·e^(−x²)·ẋ.</summary>
    public static DualVector Erfc(in DualVector x) => x.Chain(ScalarRules.Erfc(x.Value, out double d), d);

    /// <summary>sinh x; d = cosh x·ẋ.</summary>
    public static DualVector Sinh(in DualVector x) => x.Chain(ScalarRules.Sinh(x.Value, out double d), d);

    /// <summary>cosh x; d = sinh x·ẋ.</summary>
    public static DualVector Cosh(in DualVector x) => x.Chain(ScalarRules.Cosh(x.Value, out double d), d);

    /// <summary>tanh x; d = sech²x·ẋ (computed without overflow).</summary>
    public static DualVector Tanh(in DualVector x) => x.Chain(ScalarRules.Tanh(x.Value, out double d), d);

    /// <summary>arsinh x; d = ẋ/√(x² + 1).</summary>
    public static DualVector Asinh(in DualVector x) => x.Chain(ScalarRules.Asinh(x.Value, out double d), d);

    /// <summary>arcosh x; d = ẋ/√(x² − 1).</summary>
    public static DualVector Acosh(in DualVector x) => x.Chain(ScalarRules.Acosh(x.Value, out double d), d);

    /// <summary>artanh x; d = ẋ/(1 − x²).</summary>
    public static DualVector Atanh(in DualVector x) => x.Chain(ScalarRules.Atanh(x.Value, out double d), d);

    /// <summary>x truncated toward zero; d = 0.</summary>
    public static DualVector Truncate(in DualVector x) => x.Chain(ScalarRules.Truncate(x.Value, out double d), d);

    /// <summary>|x|; d = sign(x)·ẋ, with |x|'(0) = 0.</summary>
    public static DualVector Abs(in DualVector x) => x.Chain(ScalarRules.Abs(x.Value, out double d), d);

    /// <summary>sign(x) ∈ {−1, 0, 1}; d = 0.</summary>
    public static DualVector Sign(in DualVector x) => x.Chain(ScalarRules.Sign(x.Value, out double d), d);

    /// <summary>max(x, y) with the tangents of the argument taken; at a tie (or a NaN) the weighted sum of both.</summary>
    public static DualVector Max(in DualVector x, in DualVector y)
    {
        double value = ScalarRules.Max(x.Value, y.Value, out double wx, out double wy);
        return wy == 0.0 ? x : wx == 0.0 ? y : DualVector.Chain(value, x, wx, y, wy);
    }

    /// <summary>min(x, y) with the tangents of the argument taken; at a tie (or a NaN) the weighted sum of both.</summary>
    public static DualVector Min(in DualVector x, in DualVector y)
    {
        double value = ScalarRules.Min(x.Value, y.Value, out double wx, out double wy);
        return wy == 0.0 ? x : wx == 0.0 ? y : DualVector.Chain(value, x, wx, y, wy);
    }

    /// <summary>⌊x⌋; d = 0.</summary>
    public static DualVector Floor(in DualVector x) => x.Chain(ScalarRules.Floor(x.Value, out double d), d);

    /// <summary>⌈x⌉; d = 0.</summary>
    public static DualVector Ceiling(in DualVector x) => x.Chain(ScalarRules.Ceiling(x.Value, out double d), d);

    /// <summary>Round to nearest, ties to even (as <see cref="System.Math.Round(double)"/>); d = 0.</summary>
    public static DualVector Round(in DualVector x) => x.Chain(ScalarRules.Round(x.Value, out double d), d);

    /// <summary>x·y + z with one rounding; d = ẋ·y + x·ẏ + ż.</summary>
    public static DualVector FusedMultiplyAdd(in DualVector x, in DualVector y, in DualVector z)
    {
        double value = ScalarRules.Fma(x.Value, y.Value, z.Value, out double dx, out double dy, out double dz);
        return DualVector.Chain(value, DualVector.Chain(0.0, x, dx, y, dy), 1.0, z, dz);
    }
}
