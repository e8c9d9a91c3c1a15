using System;
using System.Numerics;

namespace DiffGen.Numerics;

/// <summary>
/// Complex functions accurate when the imaginary part is tiny, which is what complex-step
/// differentiation (Im f(x + ih)/h with h = 1e-20) needs. Branches are decided on the real part,
/// as the real function decides them on x.
/// </summary>
internal static class ComplexMath
{
    /// <summary>log(1 + z): log|1 + z| = ½·log1p(x(2 + x) + y²) and arg(1 + z) = atan2(y, 1 + x) near 0.</summary>
    public static Complex Log1p(Complex z)
    {
        double x = z.Real;
        double y = z.Imaginary;
        if (Math.Abs(x) < 0.5 && Math.Abs(y) < 0.5)
        {
            return new Complex(0.5 * StableMath.Log1p(x * (2.0 + x) + y * y), Math.Atan2(y, 1.0 + x));
        }

        return Complex.Log(1.0 + z);
    }

    /// <summary>e^z − 1: Re = expm1(x)·cos y − 2·sin²(y/2), Im = e^x·sin y near 0.</summary>
    public static Complex Expm1(Complex z)
    {
        double x = z.Real;
        double y = z.Imaginary;
        if (Math.Abs(x) < 0.5 && Math.Abs(y) < 0.5)
        {
            double halfSin = Math.Sin(0.5 * y);
            return new Complex(StableMath.Expm1(x) * Math.Cos(y) - 2.0 * halfSin * halfSin, Math.Exp(x) * Math.Sin(y));
        }

        return Complex.Exp(z) - 1.0;
    }

    /// <summary>
    /// tanh(x + iy) = (t(1 + s²) + i·s·sech²x) / (1 + t²s²) with t = tanh x, s = tan y; unlike
    /// <see cref="Complex.Tanh"/> it does not produce ∞/∞ for large |x|.
    /// </summary>
    public static Complex Tanh(Complex z)
    {
        double s = Math.Tan(z.Imaginary);
        if (!double.IsFinite(s))
        {
            return Complex.Tanh(z);
        }

        double t = Math.Tanh(z.Real);
        double denominator = 1.0 + t * t * s * s;
        return new Complex(t * (1.0 + s * s) / denominator, s * StableMath.Sech2(z.Real) / denominator);
    }

    /// <summary>σ(z) = 1/(1 + e^−z) for Re z ≥ 0, e^z/(1 + e^z) otherwise.</summary>
    public static Complex Sigmoid(Complex z)
    {
        if (z.Real >= 0)
        {
            return 1.0 / (1.0 + Complex.Exp(-z));
        }

        Complex e = Complex.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>softplus(z) = z + log1p(e^−z) for Re z ≥ 0, log1p(e^z) otherwise.</summary>
    public static Complex Softplus(Complex z)
        => z.Real >= 0 ? z + Log1p(Complex.Exp(-z)) : Log1p(Complex.Exp(z));
}
