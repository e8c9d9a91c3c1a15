using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DiffGen.Runtime.Tests;

public class DualTests
{
    /// <summary>A unary function over Dual, its System.Math value, and an independent derivative reference.</summary>
    public sealed record UnaryCase(string Name, Func<Dual, Dual> F, Func<double, double> Value, Func<double, double> Reference, double[] Points)
    {
        public override string ToString() => Name;
    }

    private static Complex AccurateAtan(Complex w) => Complex.Asin(w / Complex.Sqrt(1.0 + w * w));

    private static Func<double, double> Step(Func<Complex, Complex> f) => x => Oracles.ComplexStepDerivative(f, x);

    private static readonly double[] Everywhere = { -3.1, -1.0, -0.2, 0.3, 1.0, 2.5, 7.0 };
    private static readonly double[] Positive = { 0.01, 0.3, 1.0, 2.5, 7.0, 123.0 };
    private static readonly double[] UnitInterval = { -0.9, -0.5, 0.0, 0.1, 0.7, 0.95 };

    public static readonly UnaryCase[] Unary =
    {
        new("Exp", DualMath.Exp, Math.Exp, Step(Complex.Exp), Everywhere),
        new("Log", DualMath.Log, Math.Log, Step(Complex.Log), Positive),
        new("Log10", DualMath.Log10, Math.Log10, Step(Complex.Log10), Positive),
        new("Log2", DualMath.Log2, Math.Log2, x => 1.0 / (x * Math.Log(2.0)), Positive),
        new("Log1p", DualMath.Log1p, x => Math.Log(1.0 + x), x => 1.0 / (1.0 + x), new[] { -0.5, 0.3, 1.0, 2.5, 7.0 }),
        new("Expm1", DualMath.Expm1, x => Math.Exp(x) - 1.0, Math.Exp, Everywhere),
        new("Sqrt", DualMath.Sqrt, Math.Sqrt, Step(Complex.Sqrt), Positive),
        new("Cbrt", DualMath.Cbrt, Math.Cbrt, x => Math.Pow(Math.Abs(x), -2.0 / 3.0) / 3.0, new[] { -8.0, -0.3, 0.3, 1.0, 27.0 }),
        new("Pow 2.5", x => DualMath.Pow(x, 2.5), x => Math.Pow(x, 2.5), Step(z => Complex.Pow(z, 2.5)), Positive),
        new("Pow 3 (negative base)", x => DualMath.Pow(x, 3.0), x => Math.Pow(x, 3.0), x => 3.0 * x * x, Everywhere),
        new("Pow 0", x => DualMath.Pow(x, 0.0), x => 1.0, x => 0.0, Everywhere),
        new("Pow const base", x => DualMath.Pow(2.0, x), x => Math.Pow(2.0, x), Step(z => Complex.Pow(2.0, z)), Everywhere),
        new("Sin", DualMath.Sin, Math.Sin, Step(Complex.Sin), Everywhere),
        new("Cos", DualMath.Cos, Math.Cos, Step(Complex.Cos), Everywhere),
        new("Tan", DualMath.Tan, Math.Tan, Step(Complex.Tan), new[] { -1.2, -0.3, 0.0, 0.5, 1.4 }),
        new("Asin", DualMath.Asin, Math.Asin, Step(Complex.Asin), UnitInterval),
        new("Acos", DualMath.Acos, Math.Acos, Step(Complex.Acos), UnitInterval),
        // System.Numerics.Complex.Atan loses the tiny imaginary part; atan w = asin(w/√(1 + w²)) keeps it.
        new("Atan", DualMath.Atan, Math.Atan, Step(AccurateAtan), Everywhere),
        new("Sinh", DualMath.Sinh, Math.Sinh, Step(Complex.Sinh), Everywhere),
        new("Cosh", DualMath.Cosh, Math.Cosh, Step(Complex.Cosh), Everywhere),
        new("Tanh", DualMath.Tanh, Math.Tanh, Step(Complex.Tanh), Everywhere),
        new("Abs", DualMath.Abs, Math.Abs, x => Math.Sign(x), Everywhere),
        new("Sign", DualMath.Sign, x => Math.Sign(x), x => 0.0, Everywhere),
        new("Floor", DualMath.Floor, Math.Floor, x => 0.0, Everywhere),
        new("Ceiling", DualMath.Ceiling, Math.Ceiling, x => 0.0, Everywhere),
        new("Round", DualMath.Round, Math.Round, x => 0.0, Everywhere),
        new("Arithmetic", x => (x * x + 3.0) / (x - 5.0) - 2.0 / x + 0.5 * x - (1.0 - x) * (x + 4.0) + (-x) / 3.0,
            x => (x * x + 3.0) / (x - 5.0) - 2.0 / x + 0.5 * x - (1.0 - x) * (x + 4.0) + (-x) / 3.0,
            Step(z => (z * z + 3.0) / (z - 5.0) - 2.0 / z + 0.5 * z - (1.0 - z) * (z + 4.0) + (-z) / 3.0), Everywhere),
    };

    public static IEnumerable<object[]> UnaryCases => Unary.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Derivative_matches_reference_and_value_matches_Math(UnaryCase c)
    {
        foreach (double x in c.Points)
        {
            Dual result = c.F(Dual.Variable(x));
            Oracles.AssertClose(c.Value(x), result.Value, 1e-15, 1e-300, $"{c.Name}({x})");
            Oracles.AssertClose(c.Reference(x), result.Derivative, 1e-13, Oracles.DerivativeAbsolute(c.Name), $"{c.Name}'({x})");
        }
    }

    /// <summary>A unary case (index into <see cref="Unary"/>) and where in its listed range to evaluate it (0–1).</summary>
    public readonly record struct UnaryPick(int Case, double T);

    /// <summary>The draws of the property below, registered with FsCheck.</summary>
    public static class Picks
    {
        public static Arbitrary<UnaryPick> UnaryPicks() =>
            (from index in Gen.Choose(0, Unary.Length - 1)
             from t in Gen.Choose(0, 1_000_000)
             select new UnaryPick(index, t / 1_000_000.0)).ToArbitrary();
    }

    /// <summary>Each case at random points inside its domain (scaled from its listed points); a failure prints the replay seed.</summary>
    [Property(Arbitrary = new[] { typeof(Picks) }, MaxTest = 100, QuietOnSuccess = true)]
    public bool Random_points_property_derivative_equals_complex_step(UnaryPick pick)
    {
        UnaryCase c = Unary[pick.Case];
        double lo = c.Points.Min();
        double hi = c.Points.Max();
        double x = lo + pick.T * (hi - lo);
        if (c.Name is "Abs" or "Sign" or "Floor" or "Ceiling" or "Round" && x == Math.Round(x))
        {
            return true;
        }

        return Oracles.Close(c.Reference(x), c.F(Dual.Variable(x)).Derivative, 1e-12, Oracles.DerivativeAbsolute(c.Name));
    }

    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(-2.0, 0.4)]
    [InlineData(3.0, -1.5)]
    public void Atan2_partials_match_closed_form(double y, double x)
    {
        Dual dy = DualMath.Atan2(Dual.Variable(y), Dual.Constant(x));
        Dual dx = DualMath.Atan2(Dual.Constant(y), Dual.Variable(x));
        Assert.Equal(Math.Atan2(y, x), dy.Value);
        Oracles.AssertClose(x / (x * x + y * y), dy.Derivative, 1e-15, 0, "∂atan2/∂y");
        Oracles.AssertClose(-y / (x * x + y * y), dx.Derivative, 1e-15, 0, "∂atan2/∂x");
    }

    [Theory]
    [InlineData(1.7, 2.3)]
    [InlineData(0.4, -1.2)]
    public void Pow_dual_dual_partials_match_complex_step(double a, double b)
    {
        double expectedA = Oracles.ComplexStepDerivative(z => Complex.Pow(z, b), a);
        double expectedB = Oracles.ComplexStepDerivative(z => Complex.Exp(z * Math.Log(a)), b);
        Oracles.AssertClose(expectedA, DualMath.Pow(Dual.Variable(a), Dual.Constant(b)).Derivative, 1e-13, 0, "∂/∂base");
        Oracles.AssertClose(expectedB, DualMath.Pow(Dual.Constant(a), Dual.Variable(b)).Derivative, 1e-13, 0, "∂/∂exponent");
    }

    [Fact]
    public void Pow_follows_PyTorch_at_zero_and_negative_bases()
    {
        // 0^y with y ≥ 0: the exponent's partial is masked to 0 rather than 0·(−∞) = NaN.
        Assert.Equal(0.0, DualMath.Pow(Dual.Constant(0.0), Dual.Variable(2.0)).Derivative);
        // A negative base with a constant exponent: 3·(−2)² = 12, with no NaN from ln(−2).
        Assert.Equal(12.0, DualMath.Pow(Dual.Variable(-2.0), Dual.Constant(3.0)).Derivative);
        Assert.Equal(-4.0, DualMath.Pow(Dual.Variable(-2.0), Dual.Constant(2.0)).Derivative);
    }

    [Fact]
    public void Min_and_max_pass_the_derivative_of_the_branch_taken()
    {
        var a = new Dual(2.0, 1.0);
        var b = new Dual(2.0, 5.0);
        // A tie splits the derivative ½/½, whichever the argument order (as the expression rule).
        Assert.Equal(3.0, DualMath.Max(a, b).Derivative);
        Assert.Equal(3.0, DualMath.Max(b, a).Derivative);
        Assert.Equal(3.0, DualMath.Min(a, b).Derivative);
        Assert.Equal(3.0, DualMath.Min(b, a).Derivative);
        Assert.Equal(0.5, DualMath.Max(Dual.Variable(0.0), Dual.Constant(0.0)).Derivative); // Max(x, 0)
        Assert.Equal(0.5, DualMath.Max(Dual.Constant(0.0), Dual.Variable(0.0)).Derivative); // Max(0, x)
        // A NaN argument: both derivatives pass (as PyTorch), the value is NaN.
        var nan = DualMath.Max(new Dual(double.NaN, 1.0), new Dual(2.0, 5.0));
        Assert.True(double.IsNaN(nan.Value));
        Assert.Equal(6.0, nan.Derivative);
        Assert.Equal(6.0, DualMath.Min(new Dual(2.0, 5.0), new Dual(double.NaN, 1.0)).Derivative);
        // The argument not taken contributes nothing, even an infinite derivative.
        Assert.Equal(1.0, DualMath.Max(new Dual(1.0, 1.0), new Dual(0.0, double.PositiveInfinity)).Derivative);
        Assert.Equal(5.0, DualMath.Max(new Dual(1.0, 1.0), new Dual(3.0, 5.0)).Derivative);
        Assert.Equal(1.0, DualMath.Min(new Dual(1.0, 1.0), new Dual(3.0, 5.0)).Derivative);
        Assert.Equal(0.0, DualMath.Abs(Dual.Variable(0.0)).Derivative); // |x|'(0) = 0
    }

    [Fact]
    public void Fused_multiply_add_partials()
    {
        Dual r = DualMath.FusedMultiplyAdd(new Dual(2.0, 1.0), new Dual(3.0, 10.0), new Dual(4.0, 100.0));
        Assert.Equal(10.0, r.Value);
        Assert.Equal(1.0 * 3.0 + 2.0 * 10.0 + 100.0, r.Derivative);
    }

    [Fact]
    public void Comparisons_use_the_value_only()
    {
        Assert.True(new Dual(1.0, 5.0) == new Dual(1.0, -5.0));
        Assert.True(new Dual(1.0, 5.0) < 2.0);
        Assert.True(3.0 > new Dual(2.0, 9.0));
        Assert.True(new Dual(1.0, 0.0) <= new Dual(1.0, 9.0));
        Assert.False(new Dual(1.0, 0.0) != new Dual(1.0, 9.0));
    }

    [Fact]
    public void DualVector_max_and_min_split_ties_in_either_order()
    {
        DualVector x = DualVector.Variable(0.0, 0, 2), zero = DualVector.Variable(0.0, 1, 2);
        foreach (var result in new[] { DualVectorMath.Max(x, zero), DualVectorMath.Max(zero, x), DualVectorMath.Min(x, zero), DualVectorMath.Min(zero, x) })
        {
            Assert.Equal(0.5, result.Tangent(0));
            Assert.Equal(0.5, result.Tangent(1));
        }

        var strict = DualVectorMath.Max(DualVector.Variable(1.0, 0, 2), DualVector.Variable(2.0, 1, 2));
        Assert.Equal(0.0, strict.Tangent(0));
        Assert.Equal(1.0, strict.Tangent(1));
    }

    [Fact]
    public void DualVector_gives_all_partials_in_one_pass()
    {
        // f(x, y, z) = sin(x·y) + exp(z)/y + atan2(z, x)
        double x = 0.7, y = 1.9, z = -0.4;
        DualVector vx = DualVector.Variable(x, 0, 3);
        DualVector vy = DualVector.Variable(y, 1, 3);
        DualVector vz = DualVector.Variable(z, 2, 3);
        DualVector f = DualVectorMath.Sin(vx * vy) + DualVectorMath.Exp(vz) / vy + DualVectorMath.Atan2(vz, vx);

        Complex F(Complex cx, Complex cy, Complex cz) => Complex.Sin(cx * cy) + Complex.Exp(cz) / cy + AccurateAtan(cz / cx); // atan2 = atan(z/x) for x > 0
        const double h = Oracles.ComplexStep;
        double[] expected =
        {
            F(new Complex(x, h), y, z).Imaginary / h,
            F(x, new Complex(y, h), z).Imaginary / h,
            F(x, y, new Complex(z, h)).Imaginary / h,
        };
        Span<double> tangents = stackalloc double[3];
        f.CopyTangentsTo(tangents);
        Assert.Equal(3, f.Directions);
        for (int i = 0; i < 3; i++)
        {
            Oracles.AssertClose(expected[i], tangents[i], 1e-13, 0, $"∂f/∂{i}");
        }
    }

    [Fact]
    public void DualVector_matches_Dual_for_every_unary_function()
    {
        // Two directions with different seeds: each tangent must be Dual's derivative scaled by its seed.
        foreach (UnaryCase c in Unary.Where(c => c.Name != "Arithmetic"))
        {
            Func<DualVector, DualVector>? vectorF = VectorVersion(c.Name);
            if (vectorF is null)
            {
                continue;
            }

            double x = c.Points[1];
            var input = new DualVector(x, new[] { 1.0, -2.0 });
            DualVector result = vectorF(input);
            double reference = c.Reference(x);
            Oracles.AssertClose(reference, result.Tangent(0), 1e-13, 1e-300, c.Name);
            Oracles.AssertClose(-2.0 * reference, result.Tangent(1), 1e-13, 1e-300, c.Name);
        }
    }

    private static Func<DualVector, DualVector>? VectorVersion(string name) => name switch
    {
        "Exp" => x => DualVectorMath.Exp(x),
        "Log" => x => DualVectorMath.Log(x),
        "Log10" => x => DualVectorMath.Log10(x),
        "Log2" => x => DualVectorMath.Log2(x),
        "Log1p" => x => DualVectorMath.Log1p(x),
        "Expm1" => x => DualVectorMath.Expm1(x),
        "Sqrt" => x => DualVectorMath.Sqrt(x),
        "Cbrt" => x => DualVectorMath.Cbrt(x),
        "Pow 2.5" => x => DualVectorMath.Pow(x, 2.5),
        "Pow const base" => x => DualVectorMath.Pow(2.0, x),
        "Sin" => x => DualVectorMath.Sin(x),
        "Cos" => x => DualVectorMath.Cos(x),
        "Tan" => x => DualVectorMath.Tan(x),
        "Asin" => x => DualVectorMath.Asin(x),
        "Acos" => x => DualVectorMath.Acos(x),
        "Atan" => x => DualVectorMath.Atan(x),
        "Sinh" => x => DualVectorMath.Sinh(x),
        "Cosh" => x => DualVectorMath.Cosh(x),
        "Tanh" => x => DualVectorMath.Tanh(x),
        "Abs" => x => DualVectorMath.Abs(x),
        _ => null,
    };

    [Fact]
    public void DualVector_rejects_too_many_directions()
    {
        Assert.Throws<ArgumentException>("tangents", () => new DualVector(1.0, new double[DualVector.MaxDirections + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DualVector.Variable(1.0, 3, 3));
    }
}
