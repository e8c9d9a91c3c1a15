using System;
using System.Numerics;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Loop-free methods, each with a hand-written gradient over complex numbers (the oracle).</summary>
public static partial class ScalarHessianVectorModels
{
    /// <summary>f = (x1·x2·sin x3 + e^(x1·x2)) / x3, the lectures' example.</summary>
    [Differentiable]
    public static double Lecture(double x1, double x2, double x3)
    {
        double a = x1 * x2;
        double b = a * Math.Sin(x3) + Math.Exp(a);
        return b / x3;
    }

    public static Complex[] LectureGradient(Complex x1, Complex x2, Complex x3)
    {
        var s = (Complex.Sin(x3) + Complex.Exp(x1 * x2)) / x3;
        var a = x1 * x2;
        return [x2 * s, x1 * s, a * Complex.Cos(x3) / x3 - (a * Complex.Sin(x3) + Complex.Exp(a)) / (x3 * x3)];
    }

    [Differentiable]
    public static double Inner(double a, double b) => a * Math.Sin(b);

    /// <summary>A call of another [Differentiable] method: f = x·y·sin y + eˣ, with [NoDiff] and int parameters.</summary>
    [Differentiable]
    public static double Outer(double x, [NoDiff] double scale, int n, double y) => scale * Inner(x * y, y) + Math.Exp(x) / n;

    public static Complex[] OuterGradient(Complex x, double scale, int n, Complex y) =>
        [scale * y * Complex.Sin(y) + Complex.Exp(x) / n, scale * (x * Complex.Sin(y) + x * y * Complex.Cos(y))];

    /// <summary>A branch and an unrolled loop: f = Σᵢ₌₀² xⁱ·y when x &gt; 0, −(x² + y²)/2 otherwise.</summary>
    [Differentiable]
    public static double Branchy(double x, double y)
    {
        if (x > 0)
        {
            double s = 0;
            for (int i = 0; i < 3; i++)
            {
                s += Math.Pow(x, i) * y;
            }

            return s;
        }

        return -(x * x + y * y) / 2;
    }

    public static Complex[] BranchyGradient(Complex x, Complex y) =>
        x.Real > 0 ? [(1 + 2 * x) * y, 1 + x + x * x] : [-x, -y];
}

/// <summary>
/// The Hessian-vector product of loop-free methods (the scalar path) against complex step of an
/// independent, hand-written gradient: H·v = Im ∇f(x + ih·v)/h with h = 1e−20.
/// </summary>
public class ScalarHessianVectorTests
{
    private const double H = 1e-20;

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    private static double[] ComplexStep(Func<Complex[], Complex[]> gradient, double[] x, double[] v)
    {
        var z = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            z[i] = new Complex(x[i], H * v[i]);
        }

        return Array.ConvertAll(gradient(z), g => g.Imaginary / H);
    }

    [Theory]
    [InlineData(0.7, -1.3, 2.1, 0.4, 1.0, -0.6)]
    [InlineData(-2.0, 0.5, -0.8, 1.0, 0.0, 0.0)]
    [InlineData(1.5, 1.5, 3.0, -0.3, 0.9, 2.2)]
    public void Lecture_function(double x1, double x2, double x3, double v1, double v2, double v3)
    {
        double value = ScalarHessianVectorModels.LectureHessianVector(x1, x2, x3, v1, v2, v3, out double h1, out double h2, out double h3);
        Assert.Equal(ScalarHessianVectorModels.Lecture(x1, x2, x3), value, 15);
        var expected = ComplexStep(z => ScalarHessianVectorModels.LectureGradient(z[0], z[1], z[2]), [x1, x2, x3], [v1, v2, v3]);
        Close(expected[0], h1, "(Hv)₁");
        Close(expected[1], h2, "(Hv)₂");
        Close(expected[2], h3, "(Hv)₃");
    }

    [Theory]
    [InlineData(0.3, 1.7, 2, -0.9, 0.8, 0.5)]
    [InlineData(-1.1, -0.4, 5, 2.5, 1.0, -1.0)]
    public void Through_a_call_of_another_differentiable_method(double x, double scale, int n, double y, double vx, double vy)
    {
        double value = ScalarHessianVectorModels.OuterHessianVector(x, scale, n, y, vx, vy, out double hx, out double hy);
        Assert.Equal(ScalarHessianVectorModels.Outer(x, scale, n, y), value, 15);
        var expected = ComplexStep(z => ScalarHessianVectorModels.OuterGradient(z[0], scale, n, z[1]), [x, y], [vx, vy]);
        Close(expected[0], hx, "(Hv)ₓ");
        Close(expected[1], hy, "(Hv)ᵧ");
    }

    [Theory]
    [InlineData(0.8, -1.2, 0.6, 1.4)]
    [InlineData(-0.8, -1.2, 0.6, 1.4)]
    public void Through_a_branch_and_an_unrolled_loop(double x, double y, double vx, double vy)
    {
        double value = ScalarHessianVectorModels.BranchyHessianVector(x, y, vx, vy, out double hx, out double hy);
        Assert.Equal(ScalarHessianVectorModels.Branchy(x, y), value, 15);
        var expected = ComplexStep(z => ScalarHessianVectorModels.BranchyGradient(z[0], z[1]), [x, y], [vx, vy]);
        Close(expected[0], hx, "(Hv)ₓ");
        Close(expected[1], hy, "(Hv)ᵧ");
    }
}
