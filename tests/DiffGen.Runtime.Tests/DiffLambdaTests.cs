using System;
using System.Linq.Expressions;
using System.Numerics;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

/// <summary>Diff.Compile on lambdas: closed forms, complex step, the lecture circuit, and clear errors.</summary>
public sealed class DiffLambdaTests
{
    [Fact]
    public void Sin_x_times_y_has_its_closed_form_gradient_tangent_and_hessian()
    {
        var f = Diff.Compile((double x, double y) => Math.Sin(x) * y);
        Assert.Equal(Math.Sin(1.0) * 2.0, f.Evaluate(1.0, 2.0));
        var g = f.Gradient(1.0, 2.0);
        Oracles.AssertClose(2.0 * Math.Cos(1.0), g[0], 1e-15, what: "∂/∂x");
        Oracles.AssertClose(Math.Sin(1.0), g[1], 1e-15, what: "∂/∂y");
        Oracles.AssertClose(2.0 * Math.Cos(1.0) * 0.5 - Math.Sin(1.0) * 3.0, f.Tangent(new[] { 1.0, 2.0 }, new[] { 0.5, -3.0 }), 1e-15, what: "tangent");
        var h = f.Hessian(1.0, 2.0);
        Oracles.AssertClose(-2.0 * Math.Sin(1.0), h[0, 0], 1e-15, what: "H00");
        Oracles.AssertClose(Math.Cos(1.0), h[0, 1], 1e-15, what: "H01");
        Oracles.AssertClose(Math.Cos(1.0), h[1, 0], 1e-15, what: "H10");
        Assert.Equal(0.0, h[1, 1]);
        Assert.Equal(new[] { "x", "y" }, f.ParameterNames);
    }

    [Fact]
    public void The_lecture_circuit_gives_minus_four_minus_four_three_on_its_wires()
    {
        var f = Diff.Compile((double x, double y, double z) => (x + y) * z);
        Assert.Equal(new[] { -4.0, -4.0, 3.0 }, f.Gradient(-2, 5, -4));
        var values = f.ForwardValues(-2, 5, -4);
        var gradients = f.BackwardGradients(-2, 5, -4);
        Assert.Equal(-12.0, values[f.Output]);
        Assert.Equal(1.0, gradients[f.Output]);
        string dot = f.ToDot(-2, 5, -4);
        Assert.Contains("<font color=\"darkgreen\">-12</font><br/><font color=\"red\">1</font>", dot);
        Assert.Contains("<font color=\"darkgreen\">3</font><br/><font color=\"red\">-4</font>", dot);
    }

    [Fact]
    public void Activations_and_math_calls_match_complex_step()
    {
        var f = Diff.Compile((double w, double x) => Activations.Sigmoid(w * x) + Math.Log(1 + x * x) * Activations.Softplus(w) + Math.Atan2(w, 2.0));
        Func<Complex, Complex, Complex> fc = (w, x) => 1 / (1 + Complex.Exp(-(w * x))) + Complex.Log(1 + x * x) * Complex.Log(1 + Complex.Exp(w));
        double w0 = 0.3, x0 = -1.7;
        var g = f.Gradient(w0, x0);
        // Complex.Atan loses a 1e-20 imaginary part, so atan2(w, 2)' = 2/(4 + w²) is added in closed form.
        Oracles.AssertClose(fc(new Complex(w0, Oracles.ComplexStep), x0).Imaginary / Oracles.ComplexStep + 2.0 / (4.0 + w0 * w0), g[0], 1e-13, what: "∂/∂w");
        Oracles.AssertClose(fc(w0, new Complex(x0, Oracles.ComplexStep)).Imaginary / Oracles.ComplexStep, g[1], 1e-13, what: "∂/∂x");
    }

    [Fact]
    public void Ternaries_follow_the_branch_taken_and_captured_values_are_read_at_compile_time()
    {
        double scale = 3.0;
        var f = Diff.Compile((double x) => x > 0 ? scale * x * x : -x);
        scale = 100.0;
        Assert.Equal(new[] { 12.0 }, f.Gradient(2.0));
        Assert.Equal(new[] { -1.0 }, f.Gradient(-2.0));
    }

    [Fact]
    public void Logic_over_constant_conditions_folds_as_csharp_evaluates_it()
    {
        bool always = true, never = false;
        // x > 0 || true is true, x > 0 && false is false: the branch taken does not depend on x.
        var or = Diff.Compile((double x) => x > 0 || always ? x * x : -x);
        var and = Diff.Compile((double x) => x > 0 && never ? x * x : -x);
        var not = Diff.Compile((double x) => !never ? 3 * x : x);
        Assert.Equal(new[] { -4.0 }, or.Gradient(-2.0));
        Assert.Equal(new[] { -1.0 }, and.Gradient(2.0));
        Assert.Equal(new[] { 3.0 }, not.Gradient(2.0));
    }

    [Fact]
    public void Printers_show_the_formula_and_the_generated_members()
    {
        var f = Diff.Compile((double x, double y) => Math.Sin(x) * y);
        Assert.Equal("\\sin\\left(x\\right) y", f.ToLatex().Replace(" \\cdot ", " "));
        string code = f.ToCSharp("F");
        Assert.Contains("public static double FGradient(double x, double y, out double dx, out double dy)", code);
        Assert.Contains("public static double FTangent(double x, double y, double tx, double ty, out double tangent)", code);
        Assert.Contains("global::System.Math.Cos(x)", code);
        Assert.DoesNotContain("FHessian", code);
        Assert.Contains("public static double FHessian(double x, double y, Span<double> gradient, Span<double> hessian)", f.ToCSharp("F", hessian: true));
    }

    [Fact]
    public void Unsupported_bodies_name_the_construct()
    {
        var call = Assert.Throws<NotSupportedException>(() => Diff.Compile((double x) => double.Parse(x.ToString())));
        Assert.Contains("Parse", call.Message);
        var remainder = Assert.Throws<NotSupportedException>(() => Diff.Compile((double x) => x % 2.0));
        Assert.Contains("(x % 2)", remainder.Message);
        Assert.Contains("remainder", remainder.Message);
        Func<double, double> opaque = Math.Exp;
        var invoke = Assert.Throws<NotSupportedException>(() => Diff.Compile((double x) => opaque(x)));
        Assert.Contains("Invoke", invoke.Message);
        Expression<Func<int, double>> integer = n => n * 2.0;
        var parameter = Assert.Throws<ArgumentException>(() => Diff.Compile(integer));
        Assert.Contains("'n'", parameter.Message);
    }

    [Fact]
    public void Wrong_lengths_name_the_argument()
    {
        var f = Diff.Compile((double x, double y) => x * y);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => f.Gradient(1.0)).ParamName);
        Assert.Equal("direction", Assert.Throws<ArgumentException>(() => f.Tangent(new[] { 1.0, 2.0 }, new[] { 1.0 })).ParamName);
        Assert.Equal("hessian", Assert.Throws<ArgumentException>(() => f.Hessian(new[] { 1.0, 2.0 }, new double[2], new double[3])).ParamName);
    }
}
