using System;
using System.Linq;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Element-wise maps printed as vector loops (LoopMapModels): the slice functions against Math's within
/// 1e−12 relative, and the generated members against complex step, forward mode and closed forms. Lengths
/// 3 (all tail), 37 and 1001 (vectors and a tail) run both parts of every map.
/// </summary>
public class LoopMapTests
{
    private static double[] Random(int n, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1001)]
    public void Slice_functions_are_within_1e12_relative_of_Math(int length)
    {
        // magnitudes from 1e−300 to 700, both signs (exp near its overflow, tanh saturated, log of tiny values)
        var x = Enumerable.Range(0, length + 3).Select(k => (k % 2 == 0 ? 1 : -1) * Math.Pow(10, -300 + 303.0 * k / (length + 3))).ToArray();
        var exp = x.Select(v => Math.Clamp(v, -700, 700)).ToArray();
        var tanh = (double[])x.Clone();
        var log = x.Select(Math.Abs).ToArray();
        var expIn = (double[])exp.Clone();
        var logIn = (double[])log.Clone();
        LoopKernels.ExpInPlace(exp, 2, length);
        LoopKernels.TanhInPlace(tanh, 2, length);
        LoopKernels.LogInPlace(log, 2, length);
        for (int k = 0; k < x.Length; k++)
        {
            bool inside = k >= 2 && k < 2 + length;
            Relative(inside ? Math.Exp(expIn[k]) : expIn[k], exp[k], 1e-12, $"exp at {k}");
            Relative(inside ? Math.Tanh(x[k]) : x[k], tanh[k], 1e-12, $"tanh at {k}");
            Relative(inside ? Math.Log(logIn[k]) : logIn[k], log[k], 1e-12, $"log at {k}");
        }
    }

    [Fact]
    public void Lanes_check_their_slices()
    {
        var a = new double[LoopKernels.Lanes];
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.Load(a, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.Store(Vector<double>.One, a, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.ExpInPlace(a, 1, a.Length));
    }

    private static SpanOracle Oracle(Func<double[], double> primal, Func<double[], double[], double> gradient,
        Func<double[], double[], (double, double)> tangent, Func<double[], double[], double[], double> hessianVector,
        Func<Complex[], Complex> complex) => new()
        {
            Primal = primal,
            Gradient = gradient,
            Tangent = tangent,
            HessianVector = hessianVector,
            Complex = complex,
        };

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    [InlineData(1001)]
    public void TanhFeatures_against_complex_step_and_the_closed_form(int n)
    {
        var x = Random(n, 21, 3.0);
        var w = Random(n, 22);
        var gradient = Oracle(
            v => LoopMapModels.TanhFeatures(v, w),
            (v, g) => LoopMapModels.TanhFeaturesGradient(v, w, g),
            (v, t) => (LoopMapModels.TanhFeaturesTangent(v, w, t, out double d), d),
            (v, u, hv) => LoopMapModels.TanhFeaturesHessianVector(v, w, u, hv),
            z => LoopMapModels.TanhFeatures(z, w)).Check(x);
        for (int i = 0; i < n; i++)
        {
            double t = Math.Tanh(x[i]);
            SpanOracle.Close(w[i] * (1 - t * t), gradient[i], 1e-12, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    [InlineData(1001)]
    public void ShiftedLogSum_gradient_is_the_softmax(int n)
    {
        var x = Random(n, 23, 5.0);
        const double c = 0.75;
        var gradient = Oracle(
            v => LoopMapModels.ShiftedLogSum(v, c),
            (v, g) => LoopMapModels.ShiftedLogSumGradient(v, c, g),
            (v, t) => (LoopMapModels.ShiftedLogSumTangent(v, c, t, out double d), d),
            (v, u, hv) => LoopMapModels.ShiftedLogSumHessianVector(v, c, u, hv),
            z => LoopMapModels.ShiftedLogSum(z, c)).Check(x);
        double total = x.Sum(v => Math.Exp(v - c));
        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(Math.Exp(x[i] - c) / total, gradient[i], 1e-12, $"softmax {i}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    public void ReluLog_against_complex_step(int n)
    {
        var x = Random(n, 24, 2.0);
        Oracle(
            v => LoopMapModels.ReluLog(v),
            (v, g) => LoopMapModels.ReluLogGradient(v, g),
            (v, t) => (LoopMapModels.ReluLogTangent(v, t, out double d), d),
            (v, u, hv) => LoopMapModels.ReluLogHessianVector(v, u, hv),
            z => LoopMapModels.ReluLog(z)).Check(x);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    public void Affine_map_has_the_complex_step_jacobian(int n)
    {
        var jacobian = new VectorOracle
        {
            Outputs = n,
            Primal = (u, y) => LoopMapModels.Affine(u.AsSpan(0, n), u.AsSpan(n, n), u[2 * n], y),
            Complex = (u, y) => LoopMapModels.Affine(u.AsSpan(0, n), u.AsSpan(n, n), u[2 * n], y),
            Jacobian = (u, y, j) => LoopMapModels.AffineJacobian(u.AsSpan(0, n), u.AsSpan(n, n), u[2 * n], y, j),
            Vjp = (u, y, ybar, ubar) =>
            {
                LoopMapModels.AffineVjp(u.AsSpan(0, n), u.AsSpan(n, n), u[2 * n], y, ybar, ubar.AsSpan(0, n), ubar.AsSpan(n, n), out double dc);
                ubar[2 * n] = dc;
            },
            Jvp = (u, y, tu, ty) => LoopMapModels.AffineJvp(u.AsSpan(0, n), u.AsSpan(n, n), u[2 * n], y, tu.AsSpan(0, n), tu.AsSpan(n, n), tu[2 * n], ty),
        }.Check(Random(2 * n + 1, 25));
        Assert.Equal(n * (2 * n + 1), jacobian.Length);
    }

    [Fact]
    public void A_mapped_gradient_allocates_nothing()
    {
        var x = Random(1001, 26);
        var w = Random(1001, 27);
        var g = new double[1001];
        LoopMapModels.TanhFeaturesGradient(x, w, g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
        {
            LoopMapModels.TanhFeaturesGradient(x, w, g);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
