using System;
using System.Numerics;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

/// <summary>
/// Binary cross-entropy's gradient where the prediction nearly equals a soft target: the exact value
/// (p − t)/(p(1 − p))/n of the double inputs, computed in rational arithmetic, is the oracle (complex
/// step and finite differences of the definition cancel there as the chain rule's form does).
/// </summary>
public class LossStabilityTests
{
    [Theory]
    [InlineData(0.3000001, 0.3)]
    [InlineData(0.70000000001, 0.7)]
    [InlineData(0.001000000001, 0.001)]
    public void Binary_cross_entropy_gradient_keeps_its_digits_where_p_is_close_to_t(double p, double t)
    {
        double[] gradient = new double[1];
        Losses.BinaryCrossEntropy(new[] { p }, new[] { t }, gradient);

        var (numerator, denominator) = Rational.Divide(Rational.Subtract(Rational.Of(p), Rational.Of(t)),
            Rational.Multiply(Rational.Of(p), Rational.Subtract(Rational.Of(1.0), Rational.Of(p))));
        double exact = Rational.ToDouble(numerator, denominator);
        // −t/p + (1 − t)/(1 − p) is off by 9e-11, 7e-7 and 5e-8 relative at these points.
        Oracles.AssertClose(exact, gradient[0], 1e-15, 0, $"BCE gradient at p = {p}, t = {t}");
    }

    /// <summary>Exact arithmetic on doubles as fractions of big integers.</summary>
    private static class Rational
    {
        public static (BigInteger Numerator, BigInteger Denominator) Of(double x)
        {
            long bits = BitConverter.DoubleToInt64Bits(x);
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            if (exponent == 0)
            {
                exponent = 1;
            }
            else
            {
                mantissa |= 1L << 52;
            }

            var numerator = new BigInteger(mantissa) * (bits < 0 ? -1 : 1);
            int power = exponent - 1075;
            return power >= 0 ? (numerator << power, BigInteger.One) : (numerator, BigInteger.One << -power);
        }

        public static (BigInteger, BigInteger) Subtract((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) =>
            (a.N * b.D - b.N * a.D, a.D * b.D);

        public static (BigInteger, BigInteger) Multiply((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) =>
            (a.N * b.N, a.D * b.D);

        public static (BigInteger, BigInteger) Divide((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) =>
            b.N.Sign < 0 ? (-a.N * b.D, a.D * -b.N) : (a.N * b.D, a.D * b.N);

        /// <summary>The quotient to about 1e-30 relative, as a double.</summary>
        public static double ToDouble(BigInteger numerator, BigInteger denominator)
        {
            int shift = (int)(denominator.GetBitLength() - BigInteger.Abs(numerator).GetBitLength()) + 100;
            var scaled = shift >= 0 ? (numerator << shift) / denominator : numerator / (denominator << -shift);
            return (double)scaled * Math.Pow(2, -shift);
        }
    }
}
