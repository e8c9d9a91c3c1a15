using System;
using System.Numerics;

namespace DiffGen.Expr;

/// <summary>
/// The operations over <see cref="Complex"/> as analytic continuations of their real versions, for
/// complex-step differentiation: f'(x) ≈ Im f(x + ih)/h. Branches (abs, min, max, relu, comparisons)
/// are decided on the real part; functions with a real-axis cut in <see cref="Complex"/> (cube root,
/// powers of negative numbers) use the real branch.
/// </summary>
public static class ComplexPrimitives
{
    /// <summary>eᶻ</summary>
    public static Complex Exp(Complex z) => Complex.Exp(z);
    /// <summary>ln z</summary>
    public static Complex Log(Complex z) => Complex.Log(z);
    /// <summary>log₁₀ z</summary>
    public static Complex Log10(Complex z) => Complex.Log(z) / Math.Log(10.0);
    /// <summary>log₂ z</summary>
    public static Complex Log2(Complex z) => Complex.Log(z) / Math.Log(2.0);

    /// <summary>ln(1 + z): real part by the accurate real log1p, imaginary part atan2(Im, 1 + Re).</summary>
    public static Complex Log1p(Complex z)
    {
        double re = z.Real, im = z.Imaginary;
        double u = 1.0 + re;
        double realPart = Primitives.Log1p(re) + 0.5 * Primitives.Log1p(im * im / (u * u));
        return new Complex(realPart, Math.Atan2(im, u));
    }

    /// <summary>eᶻ − 1 = (e^Re cos Im − 1) + i e^Re sin Im, with the real part kept accurate near 0.</summary>
    public static Complex Expm1(Complex z)
    {
        double re = z.Real, im = z.Imaginary;
        double halfSin = Math.Sin(0.5 * im);
        double realPart = Primitives.Expm1(re) * Math.Cos(im) - 2.0 * halfSin * halfSin;
        return new Complex(realPart, Math.Exp(re) * Math.Sin(im));
    }

    /// <summary>√z</summary>
    public static Complex Sqrt(Complex z) => Complex.Sqrt(z);

    /// <summary>Real cube root continued: −∛(−z) for Re z &lt; 0.</summary>
    public static Complex Cbrt(Complex z) => z.Real < 0 ? -Complex.Pow(-z, 1.0 / 3.0) : Complex.Pow(z, 1.0 / 3.0);

    /// <summary>
    /// aᵇ. For a real integer exponent and Re a &lt; 0 this is (−1)ᵇ(−a)ᵇ, which keeps the tiny
    /// imaginary part of a complex step instead of drowning it in the rounding of e^(iπb).
    /// </summary>
    public static Complex Pow(Complex a, Complex b)
    {
        if (b.Imaginary == 0 && a.Real < 0 && Math.Floor(b.Real) == b.Real)
        {
            double sign = Math.IEEERemainder(b.Real, 2.0) == 0 ? 1.0 : -1.0;
            return sign * Complex.Pow(-a, b.Real);
        }

        if (a == Complex.Zero)
        {
            return b.Real == 0 ? Complex.One : Complex.Zero;
        }

        if (b.Imaginary == 0 && a.Imaginary == 0)
        {
            return new Complex(Math.Pow(a.Real, b.Real), 0);
        }

        return Complex.Pow(a, b);
    }

    /// <summary>a·b + c</summary>
    public static Complex Fma(Complex a, Complex b, Complex c) => a * b + c;
    /// <summary>sin z</summary>
    public static Complex Sin(Complex z) => Complex.Sin(z);
    /// <summary>cos z</summary>
    public static Complex Cos(Complex z) => Complex.Cos(z);
    /// <summary>tan z</summary>
    public static Complex Tan(Complex z) => Complex.Tan(z);
    /// <summary>arcsin z</summary>
    public static Complex Asin(Complex z) => Complex.Asin(z);
    /// <summary>arccos z</summary>
    public static Complex Acos(Complex z) => Complex.Acos(z);
    /// <summary>
    /// arctan z = ½ atan2(2x, 1 − x² − y²) + i·¼ log1p(4y/(x² + (1 − y)²)). <see cref="Complex.Atan"/>
    /// subtracts two nearly equal logarithms and loses a tiny imaginary part entirely.
    /// </summary>
    public static Complex Atan(Complex z)
    {
        double x = z.Real, y = z.Imaginary;
        double real = 0.5 * Math.Atan2(2.0 * x, (1.0 - y) * (1.0 + y) - x * x);
        double imaginary = 0.25 * Primitives.Log1p(4.0 * y / (x * x + (1.0 - y) * (1.0 - y)));
        return new Complex(real, imaginary);
    }

    /// <summary>
    /// atan2(y, x) for complex steps: the real part is exactly <see cref="Math.Atan2"/> of the real parts
    /// (same quadrant and signed-zero rules), the imaginary part its first-order change
    /// (x·Im y − y·Im x)/(x² + y²), exact to rounding when the imaginary parts are tiny.
    /// </summary>
    public static Complex Atan2(Complex y, Complex x)
    {
        double yr = y.Real, xr = x.Real;
        return new Complex(Math.Atan2(yr, xr), (xr * y.Imaginary - yr * x.Imaginary) / (xr * xr + yr * yr));
    }

    /// <summary>
    /// hypot(a, b) for complex steps: the real part is exactly double.Hypot of the real parts, the
    /// imaginary part its first-order change (Re a·Im a + Re b·Im b)/hypot, and 0 at the origin (as the rule).
    /// </summary>
    public static Complex Hypot(Complex a, Complex b)
    {
        double h = MathCompat.Hypot(a.Real, b.Real);
        return new Complex(h, h == 0 ? 0.0 : (a.Real * a.Imaginary + b.Real * b.Imaginary) / h);
    }

    /// <summary>erf z for complex steps: Re = <see cref="Primitives.Erf"/>(Re z), Im = its first-order change (2/√π)e^(−Re²)·Im z.</summary>
    public static Complex Erf(Complex z) =>
        new(Primitives.Erf(z.Real), Primitives.TwoOverSqrtPi * Math.Exp(-z.Real * z.Real) * z.Imaginary);

    /// <summary>erfc z for complex steps: Re = <see cref="Primitives.Erfc"/>(Re z), Im = −(2/√π)e^(−Re²)·Im z.</summary>
    public static Complex Erfc(Complex z) =>
        new(Primitives.Erfc(z.Real), -Primitives.TwoOverSqrtPi * Math.Exp(-z.Real * z.Real) * z.Imaginary);

    /// <summary>sinh z</summary>
    public static Complex Sinh(Complex z) => Complex.Sinh(z);
    /// <summary>cosh z</summary>
    public static Complex Cosh(Complex z) => Complex.Cosh(z);

    /// <summary>
    /// tanh(x + iy) = (t(1 + s²) + i·s·sech²x)/(1 + t²s²) with t = tanh x, s = tan y: the real part is
    /// <see cref="Math.Tanh"/>'s when y = 0, nothing cancels for small x, and nothing overflows for large |x|.
    /// </summary>
    public static Complex Tanh(Complex z)
    {
        double s = Math.Tan(z.Imaginary);
        if (double.IsInfinity(s))
        {
            return Complex.Tanh(z);
        }

        double t = Math.Tanh(z.Real);
        double sech = 1.0 / Math.Cosh(z.Real);
        double denominator = 1.0 + t * t * s * s;
        return new Complex(t * (1.0 + s * s) / denominator, s * (sech * sech) / denominator);
    }

    /// <summary>arsinh z = ln(z + √(z² + 1)), odd-symmetrised for accuracy at negative z.</summary>
    public static Complex Asinh(Complex z) => z.Real < 0 ? -Asinh(-z) : Complex.Log(z + Complex.Sqrt(z * z + 1.0));
    /// <summary>arcosh z = ln(z + √(z² − 1))</summary>
    public static Complex Acosh(Complex z) => Complex.Log(z + Complex.Sqrt(z * z - 1.0));
    /// <summary>artanh z = ½ ln((1 + z)/(1 − z))</summary>
    public static Complex Atanh(Complex z) => 0.5 * Complex.Log((1.0 + z) / (1.0 - z));

    /// <summary>|z| continued: −z for Re z &lt; 0, z for Re z &gt; 0, and |Re z| with no imaginary part at 0 (|x|'(0) = 0, as the rule).</summary>
    public static Complex Abs(Complex z) => z.Real < 0 ? -z : z.Real > 0 ? z : new Complex(Math.Abs(z.Real), 0.0);
    /// <summary>sign of the real part.</summary>
    public static Complex Sign(Complex z) => Primitives.Sign(z.Real);

    /// <summary>The real part: a stopped gradient carries no perturbation, so complex step sees derivative 0.</summary>
    public static Complex StopGradient(Complex z) => z.Real;
    /// <summary>min by real part; the mean at a tie and both parts' sum at a NaN, as the rule in OpTable.</summary>
    public static Complex Min(Complex a, Complex b) => -Max(-a, -b);
    /// <summary>max by real part; the mean at a tie and both parts' sum at a NaN, as the rule in OpTable.</summary>
    public static Complex Max(Complex a, Complex b) =>
        a.Real > b.Real ? a
        : a.Real < b.Real ? b
        : a.Real == b.Real ? new Complex(a.Real, 0.5 * (a.Imaginary + b.Imaginary))
        : new Complex(double.NaN, a.Imaginary + b.Imaginary);
    /// <summary>copysign continued: z or −z by whether Re z already has Re w's sign; at Re z = 0 a real ±0 (derivative 0, as the rule).</summary>
    public static Complex CopySign(Complex z, Complex w)
    {
        double value = MathCompat.CopySign(z.Real, w.Real);
        return z.Real == 0 || double.IsNaN(z.Real) ? new Complex(value, 0.0) : value == z.Real ? z : -z;
    }

    /// <summary>z·2ⁿ with n the real part of <paramref name="n"/>, an integer (derivative 0 in n).</summary>
    public static Complex ScaleB(Complex z, Complex n) => new(Primitives.ScaleB(z.Real, n.Real), Primitives.ScaleB(z.Imaginary, n.Real));

    /// <summary>Re z rounded to Re digits with the MidpointRounding mode Re mode (derivative zero).</summary>
    public static Complex Round(Complex z, Complex digits, Complex mode) => Primitives.Round(z.Real, digits.Real, mode.Real);

    /// <summary>The double after Re z (derivative zero).</summary>
    public static Complex BitIncrement(Complex z) => MathCompat.BitIncrement(z.Real);

    /// <summary>The double before Re z (derivative zero).</summary>
    public static Complex BitDecrement(Complex z) => MathCompat.BitDecrement(z.Real);

    /// <summary>⌊Re z⌋ (derivative zero).</summary>
    public static Complex Floor(Complex z) => Math.Floor(z.Real);
    /// <summary>⌈Re z⌉ (derivative zero).</summary>
    public static Complex Ceiling(Complex z) => Math.Ceiling(z.Real);
    /// <summary>Re z rounded, ties to even (derivative zero).</summary>
    public static Complex Round(Complex z) => Math.Round(z.Real);
    /// <summary>Re z truncated (derivative zero).</summary>
    public static Complex Truncate(Complex z) => Math.Truncate(z.Real);

    /// <summary>σ(z), through e^(−z) or eᶻ by the sign of Re z.</summary>
    public static Complex Sigmoid(Complex z)
    {
        if (z.Real >= 0)
        {
            return 1.0 / (1.0 + Complex.Exp(-z));
        }

        Complex e = Complex.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>
    /// softplus(z) = z + ln(1 + e^−z) for Re z &gt; 0, else ln(1 + eᶻ): one branch for both terms, so at
    /// Re z = 0 the kinks of max(z, 0) and |z| cannot disagree (they gave −σ(0) instead of σ(0)).
    /// </summary>
    public static Complex Softplus(Complex z) => z.Real > 0 ? z + Log1p(Complex.Exp(-z)) : Log1p(Complex.Exp(z));

    /// <summary>relu(z) = z if Re z &gt; 0 else 0.</summary>
    public static Complex Relu(Complex z) => z.Real > 0 ? z : Complex.Zero;
    /// <summary>leaky relu(z, α) = z if Re z &gt; 0 else α·z.</summary>
    public static Complex LeakyRelu(Complex z, Complex alpha) => z.Real > 0 ? z : alpha * z;
    /// <summary>elu(z, α) = z if Re z &gt; 0 else α(eᶻ − 1).</summary>
    public static Complex Elu(Complex z, Complex alpha) => z.Real > 0 ? z : alpha * Expm1(z);

    /// <summary>log-sum-exp of two values, shifted by the one with the larger real part.</summary>
    public static Complex LogSumExp(Complex a, Complex b)
    {
        Complex m = Max(a, b);
        return m + Complex.Log(Complex.Exp(a - m) + Complex.Exp(b - m));
    }

    /// <summary>log-sum-exp, shifted by the argument with the largest real part.</summary>
    public static Complex LogSumExp(Complex[] x)
    {
        if (x is null)
        {
            throw new ArgumentNullException(nameof(x));
        }

#if NET
        return LogSumExp(new ReadOnlySpan<Complex>(x));
    }

    /// <summary>log-sum-exp, shifted by the argument with the largest real part.</summary>
    public static Complex LogSumExp(ReadOnlySpan<Complex> x)
    {
#endif
        if (x.Length == 0)
        {
            return double.NegativeInfinity;
        }

        Complex m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            m = Max(m, x[i]);
        }

        Complex sum = Complex.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Complex.Exp(x[i] - m);
        }

        return m + Complex.Log(sum);
    }

    /// <summary>A condition as 1 or 0.</summary>
    public static Complex Bool(bool condition) => condition ? Complex.One : Complex.Zero;
}
