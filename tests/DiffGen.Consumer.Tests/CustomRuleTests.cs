using System;
using System.Linq;
using System.Numerics;
using MathNet.Numerics.Differentiation;
using M = DiffGen.Consumer.Tests.CustomRuleModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Hand-written rules ([CustomGradient]): a method calling a hidden bisection solver gets the gradient and tangent
/// of the implicit-function rule, equal to the generator's own derivative of Cardano's closed form, to MathNet's
/// central differences of the solver and to complex step through the rule's first-order continuation.
/// </summary>
public class CustomRuleTests
{
    private static void Close(double expected, double actual, double relative, string what, double absolute = 1e-300)
    {
        double tolerance = Math.Max(absolute, relative * Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(-1.1, 0.4)]
    [InlineData(2.5, -3.0)]
    public void The_hidden_solver_finds_Cardanos_root(double p, double q)
    {
        double t = M.CubicRoot(Math.Abs(p) + 0.5, q);
        Close(M.Cardano(Math.Abs(p) + 0.5, q), t, 1e-13, "bisection vs Cardano");
        Assert.True(Math.Abs(t * t * t + (Math.Abs(p) + 0.5) * t + q) < 1e-12 * (1 + Math.Abs(q)));
    }

    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(-1.1, 0.4)]
    [InlineData(2.5, -3.0)]
    public void A_method_calling_the_solver_gets_the_closed_forms_gradient_and_tangent(double a, double b)
    {
        double value = M.ModelGradient(a, b, out double da, out double db);
        double closedValue = M.ModelByCardanoGradient(a, b, out double cda, out double cdb);
        Close(closedValue, value, 1e-13, "value vs Cardano");
        Close(cda, da, 1e-11, "∂/∂a vs Cardano's generated gradient");
        Close(cdb, db, 1e-11, "∂/∂b vs Cardano's generated gradient");

        M.ModelTangent(a, b, 0.6, -1.7, out double tangent);
        M.ModelByCardanoTangent(a, b, 0.6, -1.7, out double closedTangent);
        Close(closedTangent, tangent, 1e-11, "tangent vs Cardano's generated tangent");

        new Oracle
        {
            Name = nameof(M.Model),
            Primal = x => M.Model(x[0], x[1]),
            Gradient = (x, g) => M.ModelGradient(x[0], x[1], out g[0], out g[1]),
            Tangent = (x, v) => (M.ModelTangent(x[0], x[1], v[0], v[1], out double t), t),
            Complex = z => M.Model(z[0], z[1]),
        }.Check(a, b);
    }

    [Fact]
    public void Each_call_of_a_rule_is_one_call_of_its_gradient_method_however_often_its_value_and_partials_are_used()
    {
        // CountedCube(xy) is used three times; the value and the partial come from a single CountedCubeGradient call.
        const double x = 0.7, y = -1.3;
        double c = Math.Pow(x * y, 3), dc = 3 * Math.Pow(x * y, 2);
        M.CountedCubeCalls = 0;
        double value = M.UsesCountedCubeGradient(x, y, out double dx, out double dy);
        Assert.Equal(1, M.CountedCubeCalls);
        Close(c * c + Math.Sin(c), value, 1e-14, "value");
        Close((2 * c + Math.Cos(c)) * dc * y, dx, 1e-14, "∂/∂x");
        Close((2 * c + Math.Cos(c)) * dc * x, dy, 1e-14, "∂/∂y");
        M.CountedCubeCalls = 0;
        M.UsesCountedCubeTangent(x, y, 1.0, 0.0, out double tangent);
        Assert.Equal(1, M.CountedCubeCalls);
        Close(dx, tangent, 1e-14, "tangent along x");
    }

    [Theory]
    [InlineData(0.4, -0.8)]
    [InlineData(1.5, 2.0)]
    public void The_rule_in_an_unrolled_loop_chains_through_its_own_output(double x, double y)
    {
        new Oracle
        {
            Name = nameof(M.ChainedRoots),
            Primal = v => M.ChainedRoots(v[0], v[1]),
            Gradient = (v, g) => M.ChainedRootsGradient(v[0], v[1], out g[0], out g[1]),
            Tangent = (v, d) => (M.ChainedRootsTangent(v[0], v[1], d[0], d[1], out double t), t),
            Complex = z => M.ChainedRoots(z[0], z[1]),
        }.Check(x + 1.0, y);

        // Closed form: t₀ = y, tₖ₊₁ = root(x + 1 + k, tₖ); ∂tₖ₊₁ = ∂root/∂p·∂x + ∂root/∂q·∂tₖ.
        double t = y, dtdx = 0.0, dtdy = 1.0;
        for (int k = 0; k < 3; k++)
        {
            double p = x + 1.0 + k;
            double root = M.Cardano(p, t);
            double slope = 3 * root * root + p;
            (dtdx, dtdy) = (-root / slope - dtdx / slope, -dtdy / slope);
            t = root;
        }

        Close(t, M.ChainedRootsGradient(x + 1.0, y, out double gx, out double gy), 1e-13, "value");
        Close(dtdx, gx, 1e-11, "∂/∂x closed form");
        Close(dtdy, gy, 1e-11, "∂/∂y closed form");
    }

    [Fact]
    public void The_rule_inside_a_runtime_loop_over_spans_matches_the_inlined_closed_form()
    {
        var w = new[] { 0.3, -1.2, 0.8, 2.1, -0.5 };
        var q = new[] { 1.0, -0.4, 2.5, 0.7, -3.0 };
        const double s = 0.9;
        var dw = new double[w.Length];
        var cdw = new double[w.Length];
        double value = M.RootsOverDataGradient(w, q, s, dw, out double ds);
        double closed = M.RootsOverDataByCardanoGradient(w, q, s, cdw, out double cds);
        Close(closed, value, 1e-13, "value vs Cardano");
        Close(cds, ds, 1e-11, "∂/∂s vs Cardano");
        for (int i = 0; i < w.Length; i++)
        {
            Close(cdw[i], dw[i], 1e-11, $"∂/∂w{i} vs Cardano");
        }

        // Tangent = gradient · direction, and MathNet central differences of the solver's sum.
        var tw = w.Select((_, i) => Math.Cos(i + 0.5)).ToArray();
        M.RootsOverDataTangent(w, q, s, tw, -0.7, out double tangent);
        Close(dw.Zip(tw, (g, d) => g * d).Sum() + ds * -0.7, tangent, 1e-12, "tangent vs gradient·direction");
        var numerical = new NumericalDerivative(5, 2);
        var all = w.Append(s).ToArray();
        Func<double[], double> primal = v => M.RootsOverData(v.AsSpan(0, w.Length), q, v[w.Length]);
        for (int i = 0; i <= w.Length; i++)
        {
            double fd = numerical.EvaluatePartialDerivative(primal, (double[])all.Clone(), i, 1);
            Close(fd, i < w.Length ? dw[i] : ds, 1e-7, $"∂/∂{i} vs MathNet", absolute: 1e-9);
        }

        // Complex step through the rule's continuation f(x + ih) = f(x) + i·Σ ∂ᵢf·Im xᵢ.
        const double h = 1e-20;
        var z = w.Select(v => new Complex(v, 0)).ToArray();
        z[2] = new Complex(w[2], h);
        Close(dw[2], M.RootsOverData(z, q, s).Imaginary / h, 1e-12, "∂/∂w2 vs complex step");
        Close(ds, M.RootsOverData(w.Select(v => new Complex(v, 0)).ToArray(), q, new Complex(s, h)).Imaginary / h, 1e-12, "∂/∂s vs complex step");
    }

    [Theory]
    [InlineData(0.8, 1.7)]
    [InlineData(-2.0, 0.6)]
    public void A_NoDiff_argument_of_a_rule_carries_no_gradient(double x, double y)
    {
        // ClippedProduct = y·tanh(xy/y) + y with the limit y as [NoDiff]: ∂/∂x = (1 − tanh²(x))·y, ∂/∂y = (1 − tanh²(x))·x + 1.
        double sech2 = 1 - Math.Tanh(x) * Math.Tanh(x);
        Close(y * Math.Tanh(x) + y, M.ClippedProductGradient(x, y, out double dx, out double dy), 1e-14, "value");
        Close(sech2 * y, dx, 1e-14, "∂/∂x");
        Close(sech2 * x + 1.0, dy, 1e-14, "∂/∂y through the differentiable argument only");
        M.ClippedProductTangent(x, y, 0.4, -1.1, out double tangent);
        Close(0.4 * dx - 1.1 * dy, tangent, 1e-14, "tangent");
        const double h = 1e-20;
        Close(dy, M.ClippedProduct(x, new Complex(y, h)).Imaginary / h, 1e-14, "complex step sees the same stop at the [NoDiff] argument");
    }

    [Theory]
    [InlineData(1.3, 5)]
    [InlineData(-0.7, 4)]
    [InlineData(0.9, 1)]
    public void An_int_argument_of_a_rule_may_be_a_loop_counter_or_int_arithmetic(double x, int n)
    {
        // PowerSeries = x^(n/2) + Σₖ₌₁ⁿ xᵏ/k, ∂/∂x = (n/2)·x^(n/2 − 1) + Σ xᵏ⁻¹.
        int half = n / 2;
        double expected = Math.Pow(x, half) + Enumerable.Range(1, n).Sum(k => Math.Pow(x, k) / k);
        double derivative = half * Math.Pow(x, half - 1) + Enumerable.Range(1, n).Sum(k => Math.Pow(x, k - 1));
        Close(expected, M.PowerSeriesGradient(x, n, out double dx), 1e-13, "value");
        Close(derivative, dx, 1e-13, "∂/∂x");
        M.PowerSeriesTangent(x, n, 0.3, out double tangent);
        Close(0.3 * derivative, tangent, 1e-13, "tangent");
        Close(derivative, M.PowerSeries(new Complex(x, 1e-20), n).Imaginary / 1e-20, 1e-13, "complex step");

        // The loop-free road lowers n / 2 in double and passes it back as an int.
        Close(Math.Pow(x, half) * x, M.HalfPowerGradient(x, n, out double hx), 1e-14, "x^(n/2)·x");
        Close((half + 1) * Math.Pow(x, half), hx, 1e-13, "∂/∂x x^(n/2)·x");
        Close(hx, M.HalfPower(new Complex(x, 1e-20), n).Imaginary / 1e-20, 1e-13, "complex step of x^(n/2)·x");
    }

    [Fact]
    public void A_rule_gives_first_derivatives_only_so_no_HessianVector_is_generated()
    {
        Assert.Null(typeof(CustomRuleModels).GetMethod("ModelHessianVector"));
        Assert.Null(typeof(CustomRuleModels).GetMethod("RootsOverDataHessianVector"));
        Assert.NotNull(typeof(CustomRuleModels).GetMethod("ModelByCardanoHessianVector"));
    }
}
