using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// <see cref="System.Math"/> over <see cref="Var"/> handles: each function records f(x) on x's
/// <see cref="Tape"/> with its local partial f'(x), which <see cref="Tape.Backward"/> multiplies
/// by the adjoint (the chain rule of reverse mode).
/// Non-differentiable points follow PyTorch: |x|'(0) = 0; Max/Min pass the derivative of the branch
/// taken, half to each argument at a tie (as torch.maximum; independent of argument order); Sign, Floor, Ceiling and
/// Round have derivative 0.
/// </summary>
public static class VarMath
{
    private static Var Chain(double value, double localDerivative, Var x) => x.Tape.RecordUnary(value, x, localDerivative);

    /// <summary>x with partial 0 (see <see cref="Diff.StopGradient"/>): Backward sends nothing through it.</summary>
    public static Var StopGradient(Var x) => Chain(x.Value, 0.0, x);

    /// <summary>exp(x): partial e^x.</summary>
    public static Var Exp(Var x) => Chain(ScalarRules.Exp(x.Value, out double d), d, x);

    /// <summary>ln x: partial 1/x.</summary>
    public static Var Log(Var x) => Chain(ScalarRules.Log(x.Value, out double d), d, x);

    /// <summary>log₁₀ x: partial 1/(x·ln 10).</summary>
    public static Var Log10(Var x) => Chain(ScalarRules.Log10(x.Value, out double d), d, x);

    /// <summary>log₂ x: partial 1/(x·ln 2).</summary>
    public static Var Log2(Var x) => Chain(ScalarRules.Log2(x.Value, out double d), d, x);

    /// <summary>ln(1 + x), accurate for tiny x: partial 1/(1 + x).</summary>
    public static Var Log1p(Var x) => Chain(ScalarRules.Log1p(x.Value, out double d), d, x);

    /// <summary>e^x − 1, accurate for tiny x: partial e^x.</summary>
    public static Var Expm1(Var x) => Chain(ScalarRules.Expm1(x.Value, out double d), d, x);

    /// <summary>√x: partial 1/(2√x).</summary>
    public static Var Sqrt(Var x) => Chain(ScalarRules.Sqrt(x.Value, out double d), d, x);

    /// <summary>∛x: partial 1/(3·∛x²).</summary>
    public static Var Cbrt(Var x) => Chain(ScalarRules.Cbrt(x.Value, out double d), d, x);

    /// <summary>x^p for a constant p: partial p·x^(p−1) (0 when p = 0).</summary>
    public static Var Pow(Var x, double p) => Chain(ScalarRules.PowBase(x.Value, p, out double d), d, x);

    /// <summary>x^y: partials ∂/∂x = y·x^(y−1) and ∂/∂y = x^y·ln x (0 at x = 0, y ≥ 0, as PyTorch).</summary>
    public static Var Pow(Var x, Var y)
    {
        double value = ScalarRules.Pow(x.Value, y.Value, out double dx, out double dy);
        return x.Tape.RecordBinary(value, x, dx, y, dy);
    }

    /// <summary>c^y for a constant base: partial c^y·ln c.</summary>
    public static Var Pow(double x, Var y)
    {
        double value = ScalarRules.PowExponent(x, y.Value, out double dy);
        return y.Tape.RecordUnary(value, y, dy);
    }

    /// <summary>sin x: partial cos x.</summary>
    public static Var Sin(Var x) => Chain(ScalarRules.Sin(x.Value, out double d), d, x);

    /// <summary>cos x: partial −sin x.</summary>
    public static Var Cos(Var x) => Chain(ScalarRules.Cos(x.Value, out double d), d, x);

    /// <summary>tan x: partial 1/cos²x.</summary>
    public static Var Tan(Var x) => Chain(ScalarRules.Tan(x.Value, out double d), d, x);

    /// <summary>asin x: partial 1/√(1 − x²).</summary>
    public static Var Asin(Var x) => Chain(ScalarRules.Asin(x.Value, out double d), d, x);

    /// <summary>acos x: partial −1/√(1 − x²).</summary>
    public static Var Acos(Var x) => Chain(ScalarRules.Acos(x.Value, out double d), d, x);

    /// <summary>atan x: partial 1/(1 + x²).</summary>
    public static Var Atan(Var x) => Chain(ScalarRules.Atan(x.Value, out double d), d, x);

    /// <summary>atan2(y, x): partials ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²).</summary>
    public static Var Atan2(Var y, Var x)
    {
        double value = ScalarRules.Atan2(y.Value, x.Value, out double dy, out double dx);
        return y.Tape.RecordBinary(value, y, dy, x, dx);
    }

    /// <summary>hypot(x, y) = √(x² + y²) without overflow: partials x/hypot, y/hypot (0 at the origin).</summary>
    public static Var Hypot(Var x, Var y)
    {
        double value = ScalarRules.Hypot(x.Value, y.Value, out double dx, out double dy);
        return x.Tape.RecordBinary(value, x, dx, y, dy);
    }

    /// <summary>erf x: partial (2/√π)·e^(−x²).</summary>
    public static Var Erf(Var x) => Chain(ScalarRules.Erf(x.Value, out double d), d, x);

    /// <summary>erfc x = 1 − erf x, accurate for large x: partial −(2/√π)·e^(−x²).</summary>
    public static Var Erfc(Var x) => Chain(ScalarRules.Erfc(x.Value, out double d), d, x);

    /// <summary>sinh x: partial cosh x.</summary>
    public static Var Sinh(Var x) => Chain(ScalarRules.Sinh(x.Value, out double d), d, x);

    /// <summary>cosh x: partial sinh x.</summary>
    public static Var Cosh(Var x) => Chain(ScalarRules.Cosh(x.Value, out double d), d, x);

    /// <summary>tanh x: partial sech²x (computed without overflow).</summary>
    public static Var Tanh(Var x) => Chain(ScalarRules.Tanh(x.Value, out double d), d, x);

    /// <summary>arsinh x; d = ẋ/√(x² + 1).</summary>
    public static Var Asinh(Var x) => Chain(ScalarRules.Asinh(x.Value, out double d), d, x);

    /// <summary>arcosh x; d = ẋ/√(x² − 1).</summary>
    public static Var Acosh(Var x) => Chain(ScalarRules.Acosh(x.Value, out double d), d, x);

    /// <summary>artanh x; d = ẋ/(1 − x²).</summary>
    public static Var Atanh(Var x) => Chain(ScalarRules.Atanh(x.Value, out double d), d, x);

    /// <summary>x truncated toward zero; d = 0.</summary>
    public static Var Truncate(Var x) => Chain(ScalarRules.Truncate(x.Value, out double d), d, x);

    /// <summary>|x|: partial sign(x), with |x|'(0) = 0.</summary>
    public static Var Abs(Var x) => Chain(ScalarRules.Abs(x.Value, out double d), d, x);

    /// <summary>sign(x) ∈ {−1, 0, 1}: partial 0.</summary>
    public static Var Sign(Var x) => Chain(ScalarRules.Sign(x.Value, out double d), d, x);

    /// <summary>max(x, y): the argument taken (the same entry: no new record); at a tie (or a NaN) a record with partials ½, ½ (1, 1).</summary>
    public static Var Max(Var x, Var y)
    {
        double value = ScalarRules.Max(x.Value, y.Value, out double wx, out double wy);
        return wy == 0.0 ? x : wx == 0.0 ? y : x.Tape.RecordBinary(value, x, wx, y, wy);
    }

    /// <summary>min(x, y): the argument taken (the same entry: no new record); at a tie (or a NaN) a record with partials ½, ½ (1, 1).</summary>
    public static Var Min(Var x, Var y)
    {
        double value = ScalarRules.Min(x.Value, y.Value, out double wx, out double wy);
        return wy == 0.0 ? x : wx == 0.0 ? y : x.Tape.RecordBinary(value, x, wx, y, wy);
    }

    /// <summary>⌊x⌋: partial 0.</summary>
    public static Var Floor(Var x) => Chain(ScalarRules.Floor(x.Value, out double d), d, x);

    /// <summary>⌈x⌉: partial 0.</summary>
    public static Var Ceiling(Var x) => Chain(ScalarRules.Ceiling(x.Value, out double d), d, x);

    /// <summary>Round to nearest, ties to even (as <see cref="System.Math.Round(double)"/>): partial 0.</summary>
    public static Var Round(Var x) => Chain(ScalarRules.Round(x.Value, out double d), d, x);

    /// <summary>x·y + z with one rounding, recorded as two entries: the rule's partials of x and y, then 1 and z's.</summary>
    public static Var FusedMultiplyAdd(Var x, Var y, Var z)
    {
        // Three parents: record the x·y part (its value unused), then its sum with z, keeping the fused value.
        double value = ScalarRules.Fma(x.Value, y.Value, z.Value, out double dx, out double dy, out double dz);
        Var product = x.Tape.RecordBinary(0.0, x, dx, y, dy);
        return x.Tape.RecordBinary(value, product, 1.0, z, dz);
    }
}
