using System;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// The rules at the points where a naive formula gives 0·∞ (powers at 0) or depends on argument
/// order (max/min at a tie), compared to closed forms; regression tests for issue 8, items 3 and 5.
/// </summary>
public class KinkRuleTests
{
    private static double[] Gradient(Node f, Node[] vars, params double[] point) =>
        Oracles.Evaluate(Derivatives.Gradient(f, vars), vars, point);

    private static double Tangent(Node f, Node[] vars, double[] direction, params double[] point) =>
        Oracles.Evaluate(new[] { Derivatives.Tangent(f, vars, direction.Select(d => (Node?)f.Graph.Const(d)).ToArray()) }, vars, point)[0];

    private static double[,] Hessian(Node f, Node[] vars, params double[] point)
    {
        var h = Derivatives.Hessian(f, vars);
        int n = vars.Length;
        var flat = Oracles.Evaluate(Enumerable.Range(0, n * n).Select(k => h[k / n, k % n]).ToArray(), vars, point);
        var result = new double[n, n];
        for (int k = 0; k < n * n; k++)
        {
            result[k / n, k % n] = flat[k];
        }

        return result;
    }

    // xUnit takes 0.0 and −0.0 for the same InlineData, so −0.0 gets a test of its own.
    [Fact]
    public void Power_with_a_runtime_exponent_zero_has_derivative_zero_at_negative_zero()
        => Power_with_a_runtime_exponent_zero_has_derivative_zero_everywhere(-0.0);

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.5)]
    public void Power_with_a_runtime_exponent_zero_has_derivative_zero_everywhere(double x0)
    {
        // x^n with n = 0 is the constant 1: ∂/∂x = 0, also at x = 0 where n·x^(n−1) = 0·∞.
        var g = new Graph();
        var (x, n) = (g.Var("x"), g.Var("n"));
        var f = g.Pow(x, n);
        var gradient = Gradient(f, new[] { x, n }, x0, 0.0);
        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(x0 == 0 ? 0.0 : Math.Log(x0), gradient[1]); // ∂/∂n = x⁰·ln x, 0·ln 0 = 0
        Assert.Equal(0.0, Tangent(f, new[] { x, n }, new[] { 1.0, 0.0 }, x0, 0.0));
    }

    [Fact]
    public void Polynomial_with_runtime_powers_has_the_exact_derivative_at_zero()
    {
        // p(x) = Σ cᵢ·xⁱ with the exponents as variables: p'(0) = c₁.
        var g = new Graph();
        var x = g.Var("x");
        var exponents = Enumerable.Range(0, 4).Select(i => g.Var("i" + i)).ToArray();
        double[] c = { 3.0, -2.0, 5.0, 7.0 };
        var p = g.Sum(Enumerable.Range(0, 4).Select(i => g.Const(c[i]) * g.Pow(x, exponents[i])).ToArray());
        var vars = new[] { x }.Concat(exponents).ToArray();
        var point = new[] { 0.0, 0.0, 1.0, 2.0, 3.0 };
        Assert.Equal(3.0, Oracles.Evaluate(new[] { p }, vars, point)[0]);
        Assert.Equal(c[1], Gradient(p, vars, point)[0]);
        Assert.Equal(2.0 * c[2], Hessian(p, vars, point)[0, 0]); // p''(0) = 2c₂
    }

    [Fact]
    public void Power_at_the_origin_has_finite_exact_partials()
    {
        // f(x, y) = x^y at (0, 0): f(x, 0) = 1 gives ∂/∂x = 0; ∂/∂y = 0⁰·ln 0 = 0 by the 0·ln 0 = 0 convention.
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var gradient = Gradient(g.Pow(x, y), new[] { x, y }, 0.0, 0.0);
        Assert.Equal(new[] { 0.0, 0.0 }, gradient);
    }

    [Fact]
    public void Hessian_of_a_power_at_zero_one_is_finite_with_the_exact_diagonal()
    {
        // f(x, y) = x^y at (0, 1): f(x, 1) = x gives ∂²/∂x² = 0; f(0, y) = 0 for y > 0 gives ∂²/∂y² = 0.
        // The mixed partial does not exist there (x^(y−1)(1 + y ln x) → −∞ as x → 0⁺): it must be a
        // finite number, not NaN, and is the select convention's (as JAX's rules give).
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var h = Hessian(g.Pow(x, y), new[] { x, y }, 0.0, 1.0);
        Assert.Equal(0.0, h[0, 0]);
        Assert.Equal(0.0, h[1, 1]);
        Assert.True(double.IsFinite(h[0, 1]) && double.IsFinite(h[1, 0]), $"mixed partials {h[0, 1]}, {h[1, 0]}");
        // Away from the singular point the Hessian is the closed form, at (2, 3): f_xx = 6x, f_yy = x³ln²x, f_xy = x²(1 + 3 ln x).
        var smooth = Hessian(g.Pow(x, y), new[] { x, y }, 2.0, 3.0);
        Oracles.AssertClose(12.0, smooth[0, 0], 1e-14, "f_xx");
        Oracles.AssertClose(8.0 * Math.Log(2) * Math.Log(2), smooth[1, 1], 1e-14, "f_yy");
        Oracles.AssertClose(4.0 * (1.0 + 3.0 * Math.Log(2)), smooth[0, 1], 1e-14, "f_xy");
        Oracles.AssertClose(4.0 * (1.0 + 3.0 * Math.Log(2)), smooth[1, 0], 1e-14, "f_yx");
    }

    [Fact]
    public void Complex_step_agrees_with_the_rules_at_the_kinks()
    {
        // The complex evaluation (complex-step oracle, generated Complex overloads) follows the same
        // conventions as the rules: softplus'(0) = σ(0) (it gave −½), log σ'(0) = ½, |x|'(0) = 0, ties split.
        var g = new Graph();
        var x = g.Var("x");
        foreach (var (f, expected) in new[] { (g.Softplus(x), 0.5), (g.LogSigmoid(x), 0.5), (g.Abs(x), 0.0), (g.Max(x, g.Zero), 0.5), (g.Min(g.Zero, x), 0.5), (g.Max(x, x), 1.0) })
        {
            var schedule = new Schedule(new[] { f }, new[] { x });
            Assert.Equal(expected, Oracles.ComplexStepGradient(schedule, new[] { 0.0 })[0], 15);
            Assert.Equal(expected, Gradient(f, new[] { x }, 0.0)[0], 15);
        }
    }

    [Theory]
    [InlineData("max")]
    [InlineData("min")]
    public void Max_and_min_split_the_gradient_at_a_tie_in_either_argument_order(string kind)
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        Node Apply(Node a, Node b) => kind == "max" ? g.Max(a, b) : g.Min(a, b);

        // Against a constant (relu-like Max(x, 0)): both orders give ½ at the tie.
        Assert.Equal(0.5, Gradient(Apply(x, g.Zero), new[] { x }, 0.0)[0]);
        Assert.Equal(0.5, Gradient(Apply(g.Zero, x), new[] { x }, 0.0)[0]);
        Assert.Equal(0.5, Tangent(Apply(g.Zero, x), new[] { x }, new[] { 1.0 }, 0.0));
        // Two variables at a tie: ½ each, in either order; max(x, x) = x keeps derivative 1.
        Assert.Equal(new[] { 0.5, 0.5 }, Gradient(Apply(x, y), new[] { x, y }, 1.5, 1.5));
        Assert.Equal(new[] { 0.5, 0.5 }, Gradient(Apply(y, x), new[] { x, y }, 1.5, 1.5));
        Assert.Equal(1.0, Gradient(Apply(x, x * 1.0), new[] { x }, 0.7)[0]);
        // Away from a tie the argument taken gets everything, whichever its position.
        double taken = kind == "max" ? 1.0 : 0.0;
        Assert.Equal(new[] { taken, 1.0 - taken }, Gradient(Apply(x, y), new[] { x, y }, 2.0, 1.0));
        Assert.Equal(new[] { taken, 1.0 - taken }, Gradient(Apply(y, x), new[] { x, y }, 2.0, 1.0));
        // A NaN argument: both get the gradient (as PyTorch), so the NaN of √(−1)' reaches it.
        var nanGradient = Gradient(Apply(g.Sqrt(x), y), new[] { x, y }, -1.0, 2.0);
        Assert.True(double.IsNaN(nanGradient[0]));
        Assert.Equal(1.0, nanGradient[1]);
        // The argument not taken contributes an exact 0 even where its own derivative is infinite.
        Assert.Equal(kind == "max" ? 0.0 : double.PositiveInfinity, Gradient(Apply(g.Const(1.0), g.Sqrt(x)), new[] { x }, 0.0)[0]);
    }
}
