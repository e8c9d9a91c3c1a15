using System;
using System.Linq;
using System.Numerics;
using MathNet.Numerics.Differentiation;
using M = DiffGen.Consumer.Tests.WhileLoopModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// while and do loops with runtime conditions: value, gradient and tangent against complex step (the generated
/// Complex overload, whose conditions compare real parts) and MathNet's central differences, closed forms where
/// the loop converges to one, and Hessian-vector products against differences of the gradient.
/// </summary>
public class WhileLoopTests
{
    private const double H = 1e-20;

    private static void Close(double expected, double actual, string what, double relative = 1e-12, double absolute = 0) =>
        Assert.True(Math.Abs(expected - actual) <= Math.Max(absolute, relative * Math.Max(1.0, Math.Abs(expected))),
            $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>The tangent along <paramref name="direction"/> against the complex step Im f(x + ih·v)/h.</summary>
    private static void TangentIsComplexStep(Func<Complex[], Complex> complex, Func<double[], double[], (double Value, double Tangent)> tangent, double[] x, double[] direction)
    {
        var z = x.Select((xi, i) => new Complex(xi, H * direction[i])).ToArray();
        var (value, t) = tangent(x, direction);
        var fz = complex(z);
        Close(fz.Real, value, "tangent's value vs the Complex overload");
        Close(fz.Imaginary / H, t, "tangent vs directional complex step", 1e-11);
    }

    private static Oracle Scalar2(string name, Func<double, double, double> f, GradientOf2 gradient, TangentOf2 tangent, Func<Complex, Complex, Complex> complex) => new()
    {
        Name = name,
        Primal = v => f(v[0], v[1]),
        Gradient = (v, d) => gradient(v[0], v[1], out d[0], out d[1]),
        Tangent = (v, t) => (tangent(v[0], v[1], t[0], t[1], out double dt), dt),
        Complex = z => complex(z[0], z[1]),
    };

    private delegate double GradientOf2(double x, double y, out double dx, out double dy);

    private delegate double TangentOf2(double x, double y, double tx, double ty, out double tangent);

    private delegate double HessianVectorOf2(double x, double y, double vx, double vy, out double hvx, out double hvy);

    /// <summary>H·v against MathNet's central differences of the generated gradient (itself checked against complex step).</summary>
    private static void HessianVectorIsDifferenceOfGradient(HessianVectorOf2 hvp, GradientOf2 gradient, Func<double, double, double> f, double x, double y, double vx, double vy)
    {
        double value = hvp(x, y, vx, vy, out double hx, out double hy);
        Close(f(x, y), value, "Hessian-vector product's value");
        var numerical = new NumericalDerivative(5, 2);
        double Dx(double[] p)
        {
            gradient(p[0], p[1], out double dx, out _);
            return dx;
        }

        double Dy(double[] p)
        {
            gradient(p[0], p[1], out _, out double dy);
            return dy;
        }

        double expectedX = vx * numerical.EvaluatePartialDerivative(Dx, new[] { x, y }, 0, 1) + vy * numerical.EvaluatePartialDerivative(Dx, new[] { x, y }, 1, 1);
        double expectedY = vx * numerical.EvaluatePartialDerivative(Dy, new[] { x, y }, 0, 1) + vy * numerical.EvaluatePartialDerivative(Dy, new[] { x, y }, 1, 1);
        Close(expectedX, hx, "(Hv)ₓ vs MathNet differences of the gradient", 1e-5, 1e-6);
        Close(expectedY, hy, "(Hv)ᵧ vs MathNet differences of the gradient", 1e-5, 1e-6);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.25)]
    [InlineData(90.0)]
    public void Newton_iteration_for_the_square_root_has_gradient_one_over_two_root_a(double a)
    {
        new Oracle
        {
            Name = "NewtonSqrt",
            Primal = v => M.NewtonSqrt(v[0]),
            Gradient = (v, d) => M.NewtonSqrtGradient(v[0], out d[0]),
            Tangent = (v, t) => (M.NewtonSqrtTangent(v[0], t[0], out double dt), dt),
            Complex = z => M.NewtonSqrt(z[0]),
            Hessian = (v, g, h) => M.NewtonSqrtHessian(v[0], g, h),
        }.Check(a);

        double value = M.NewtonSqrtGradient(a, out double da);
        Close(Math.Sqrt(a), value, "√a (the loop stops at a residual below 1e-12·a)", 1e-12);
        Close(1 / (2 * Math.Sqrt(a)), da, "d√a/da = 1/(2√a) (the last step's derivative converges a step behind the value)", 1e-10);
        TangentIsComplexStep(z => M.NewtonSqrt(z[0]), (v, t) => (M.NewtonSqrtTangent(v[0], t[0], out double dt), dt), new[] { a }, new[] { -0.75 });

        // Second order through the loop: d²√a/da² = −1/(4 a^{3/2}).
        M.NewtonSqrtHessianVector(a, 1.0, out double hv);
        Close(-1 / (4 * a * Math.Sqrt(a)), hv, "d²√a/da²", 1e-9);
    }

    [Theory]
    [InlineData(0.5, 0.2)]
    [InlineData(-0.7, 1.0)]
    public void Fixed_point_iteration_matches_the_implicit_function_derivative(double c, double d)
    {
        var oracle = Scalar2("FixedPoint", M.FixedPoint, M.FixedPointGradient, M.FixedPointTangent, M.FixedPoint);
        oracle.Check(c, d);
        TangentIsComplexStep(z => M.FixedPoint(z[0], z[1]), oracle.Tangent, new[] { c, d }, new[] { 0.4, -1.1 });

        // x = c cos x + d: dx/dc = cos x / (1 + c sin x), dx/dd = 1 / (1 + c sin x).
        double x = M.FixedPointGradient(c, d, out double dc, out double dd);
        Close(x, c * Math.Cos(x) + d, "the fixed point", 1e-14);
        Close(Math.Cos(x) / (1 + c * Math.Sin(x)), dc, "∂x/∂c by the implicit function theorem", 1e-12);
        Close(1 / (1 + c * Math.Sin(x)), dd, "∂x/∂d by the implicit function theorem", 1e-12);
    }

    [Theory]
    [InlineData(1.3, 0.8)]
    [InlineData(-2.2, 1.7)]
    [InlineData(0.005, 2.0)]
    public void Do_loop_runs_until_its_bottom_test_fails(double x, double y)
    {
        var oracle = Scalar2("DampedSum", M.DampedSum, M.DampedSumGradient, M.DampedSumTangent, M.DampedSum);
        oracle.Check(x, y);
        TangentIsComplexStep(z => M.DampedSum(z[0], z[1]), oracle.Tangent, new[] { x, y }, new[] { 1.0, 0.5 });

        // By hand: one pass at least, then while |t| > 0.01.
        double sum = 0, ds = 0, t = x;
        do
        {
            sum += Math.Sin(t) * y;
            ds += Math.Cos(t) * t / x * y;
            t *= 0.7;
        }
        while (Math.Abs(t) > 0.01);

        double value = M.DampedSumGradient(x, y, out double dx, out double dy);
        Close(sum + t * y, value, "value");
        Close(ds + t / x * y, dx, "∂/∂x by hand");
        Close(sum / y + t, dy, "∂/∂y by hand");
    }

    [Theory]
    [InlineData(0.05, 0.75)] // breaks at k = 14, the differences' stencil inside that trip count
    [InlineData(1.5, 0.9)] // runs all 40 trips
    [InlineData(-0.9, -0.85)]
    public void Break_and_continue_inside_a_while_loop(double x, double w)
    {
        var oracle = Scalar2("BreakContinue", M.BreakContinue, M.BreakContinueGradient, M.BreakContinueTangent, M.BreakContinue);
        oracle.Check(x, w);
        TangentIsComplexStep(z => M.BreakContinue(z[0], z[1]), oracle.Tangent, new[] { x, w }, new[] { -0.3, 0.9 });
        HessianVectorIsDifferenceOfGradient(M.BreakContinueHessianVector, M.BreakContinueGradient, M.BreakContinue, x, w, 0.6, -0.4);
    }

    [Fact]
    public void A_while_loop_whose_body_runs_zero_times_passes_the_gradient_through()
    {
        // x = 1.1, limit 2: y = x² = 1.21 never exceeds the limit, f = x³.
        double value = M.RootDownGradient(1.1, 2.0, out double dx, out double dlimit);
        Close(1.1 * 1.1 * 1.1, value, "value with no trip");
        Close(3 * 1.1 * 1.1, dx, "3x² with no trip");
        Assert.Equal(0.0, dlimit);
        M.RootDownTangent(1.1, 2.0, 1.0, 0.0, out double tangent);
        Close(3 * 1.1 * 1.1, tangent, "tangent with no trip");

        // x = 3, limit 1.5: 9 → 3 → √3 → 3^{1/4}: three trips, f = x^{5/4}.
        value = M.RootDownGradient(3.0, 1.5, out dx, out _);
        Close(Math.Pow(3.0, 1.25), value, "value after three trips");
        Close(1.25 * Math.Pow(3.0, 0.25), dx, "(5/4) x^{1/4} after three trips");

        foreach (var (x, limit) in new[] { (1.1, 2.0), (3.0, 1.5) })
        {
            var oracle = Scalar2("RootDown", M.RootDown, M.RootDownGradient, M.RootDownTangent, M.RootDown);
            oracle.Check(x, limit);
            TangentIsComplexStep(z => M.RootDown(z[0], z[1]), oracle.Tangent, new[] { x, limit }, new[] { 1.0, 0.0 });
        }
    }

    [Fact]
    public void A_while_loop_inside_a_for_loop_replays_each_element_s_own_trip_count()
    {
        var a = new[] { 0.5, 2.0, 17.0, 60.0, 0.9 };
        var oracle = new SpanOracle
        {
            Primal = x => M.SqrtSum(x),
            Gradient = (x, g) => M.SqrtSumGradient(x, g),
            Tangent = (x, t) => (M.SqrtSumTangent(x, t, out double dt), dt),
            HessianVector = (x, v, hv) => M.SqrtSumHessianVector(x, v, hv),
            Complex = z => M.SqrtSum(z),
        };
        var gradient = oracle.Check(a);
        var numerical = new NumericalDerivative(5, 2);
        for (int i = 0; i < a.Length; i++)
        {
            Close((i + 1) / (2 * Math.Sqrt(a[i])), gradient[i], $"∂/∂a{i} = (i + 1)/(2√aᵢ)", 1e-12);
            double fd = numerical.EvaluatePartialDerivative(x => M.SqrtSum(x), (double[])a.Clone(), i, 1);
            Close(fd, gradient[i], $"∂/∂a{i} vs MathNet central difference", 1e-6, 1e-7);
        }

        // The Hessian is diagonal: −(i + 1)/(4 aᵢ^{3/2}).
        var hv = new double[a.Length];
        var ones = Enumerable.Repeat(1.0, a.Length).ToArray();
        M.SqrtSumHessianVector(a, ones, hv);
        for (int i = 0; i < a.Length; i++)
        {
            Close(-(i + 1) / (4 * a[i] * Math.Sqrt(a[i])), hv[i], $"(H·1)[{i}]", 1e-8);
        }
    }

    [Theory]
    [InlineData(0.1, 0.2)]
    [InlineData(-0.6, 0.3)]
    [InlineData(0.9, -0.8)]
    public void Hessian_vector_product_through_a_while_loop(double u, double v)
    {
        new Oracle
        {
            Name = "Orbit",
            Primal = p => M.Orbit(p[0], p[1]),
            Gradient = (p, d) => M.OrbitGradient(p[0], p[1], out d[0], out d[1]),
            Tangent = (p, t) => (M.OrbitTangent(p[0], p[1], t[0], t[1], out double dt), dt),
            Complex = z => M.Orbit(z[0], z[1]),
            Hessian = (p, g, h) => M.OrbitHessian(p[0], p[1], g, h),
        }.Check(u, v);
        TangentIsComplexStep(z => M.Orbit(z[0], z[1]), (p, t) => (M.OrbitTangent(p[0], p[1], t[0], t[1], out double dt), dt), new[] { u, v }, new[] { 0.7, 0.2 });
        HessianVectorIsDifferenceOfGradient(M.OrbitHessianVector, M.OrbitGradient, M.Orbit, u, v, 0.7, 0.2);
    }

    [Theory]
    [InlineData(30.0, 2.0)] // returns in the first trip
    [InlineData(30.0, 0.5)] // leaves the loop after six trips and returns after it
    public void Return_inside_a_while_loop(double a, double cap)
    {
        var oracle = Scalar2("HalveUntil", M.HalveUntil, M.HalveUntilGradient, M.HalveUntilTangent, M.HalveUntil);
        oracle.Check(a, cap);
        TangentIsComplexStep(z => M.HalveUntil(z[0], z[1]), oracle.Tangent, new[] { a, cap }, new[] { 0.3, 1.0 });
    }

    [Theory]
    [InlineData(1.0, -0.3)] // one pass: the bottom test fails at once
    [InlineData(0.3, -0.8)] // two passes
    [InlineData(1.0, 0.3)] // six passes, then break
    public void Break_inside_a_do_loop(double x, double r)
    {
        var oracle = Scalar2("DoBreak", M.DoBreak, M.DoBreakGradient, M.DoBreakTangent, M.DoBreak);
        oracle.Check(x, r);
        TangentIsComplexStep(z => M.DoBreak(z[0], z[1]), oracle.Tangent, new[] { x, r }, new[] { -0.5, 0.8 });
        HessianVectorIsDifferenceOfGradient(M.DoBreakHessianVector, M.DoBreakGradient, M.DoBreak, x, r, 0.5, 0.5);
    }

    [Theory]
    [InlineData(1.7, 0.8)] // five outer trips of 6, 5, 4, 3, 3 inner trips
    [InlineData(0.9, -1.2)] // three outer trips of 5, 4, 3
    [InlineData(0.1, 2.0)] // no trip at all
    public void A_while_loop_inside_a_while_loop(double x, double y)
    {
        var oracle = Scalar2("NestedWhile", M.NestedWhile, M.NestedWhileGradient, M.NestedWhileTangent, M.NestedWhile);
        oracle.Check(x, y);
        TangentIsComplexStep(z => M.NestedWhile(z[0], z[1]), oracle.Tangent, new[] { x, y }, new[] { 0.6, -0.3 });
        HessianVectorIsDifferenceOfGradient(M.NestedWhileHessianVector, M.NestedWhileGradient, M.NestedWhile, x, y, 0.6, -0.3);
    }

    [Theory]
    [InlineData(1.3, 0.7)] // 12 trips
    [InlineData(2.0, 3.3)] // 2 trips
    [InlineData(3.5, 0.5)] // none: s starts above 10
    public void An_accumulator_read_before_the_loop_is_restored_after_its_replay(double x, double y)
    {
        var oracle = Scalar2("AccumulateAround", M.AccumulateAround, M.AccumulateAroundGradient, M.AccumulateAroundTangent, M.AccumulateAround);
        oracle.Check(x, y);
        TangentIsComplexStep(z => M.AccumulateAround(z[0], z[1]), oracle.Tangent, new[] { x, y }, new[] { 1.0, 1.0 });

        // By hand: s = x² + k·y after k trips, f = x⁴ + s·y.
        int k = 0;
        for (double s = x * x; s < 10 && k < 30; s += y)
        {
            k++;
        }

        M.AccumulateAroundGradient(x, y, out double dx, out double dy);
        Close(4 * x * x * x + 2 * x * y, dx, "∂/∂x = 4x³ + 2xy");
        Close(x * x + 2 * k * y, dy, "∂/∂y = x² + 2ky");
    }

    [Fact]
    public void Gradients_through_while_loops_allocate_nothing_in_steady_state()
    {
        var a = Enumerable.Range(1, 200).Select(k => 0.5 + k * 0.37).ToArray();
        var da = new double[a.Length];
        for (int k = 0; k < 10; k++)
        {
            M.SqrtSumGradient(a, da);
            M.NestedWhileHessianVector(1.7, 0.8, 0.6, -0.3, out _, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++)
        {
            M.SqrtSumGradient(a, da); // about 1,000 trips, each pushing x
            M.NestedWhileHessianVector(1.7, 0.8, 0.6, -0.3, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(new[] { 0.5, 1.5, 2.5 })] // every element: the test at i = x.Length must not read x[i]
    [InlineData(new[] { 0.5, -1.5, 2.5 })] // stops at the negative element
    [InlineData(new[] { -0.5, 1.5 })] // no trip
    public void A_search_loop_whose_condition_guards_the_index(double[] x)
    {
        var oracle = new SpanOracle
        {
            Primal = v => M.LeadingSquares(v),
            Gradient = (v, g) => M.LeadingSquaresGradient(v, g),
            Tangent = (v, t) => (M.LeadingSquaresTangent(v, t, out double dt), dt),
            HessianVector = (v, d, hv) => M.LeadingSquaresHessianVector(v, d, hv),
            Complex = z => M.LeadingSquares(z),
        };
        var gradient = oracle.Check(x);
        int leading = x.TakeWhile(v => v > 0).Count();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(i < leading ? 2 * x[i] : 0.0, gradient[i]);
        }
    }
}
