using System;
using System.Linq;
using DiffGen.Expr;
using MathNet.Numerics.LinearAlgebra;

namespace DiffGen.Expr.Tests;

/// <summary>The worked examples of the backpropagation and matrix-calculus lectures, exactly.</summary>
public class LectureExamplesTests
{
    [Fact]
    public void Circuit_x_plus_y_times_z_has_the_gradients_of_the_slides()
    {
        var g = new Graph();
        var (x, y, z) = (g.Var("x"), g.Var("y"), g.Var("z"));
        var f = (x + y) * z;

        var grad = Derivatives.Gradient(f, new[] { x, y, z });
        var at = new[] { -2.0, 5.0, -4.0 };

        Assert.Equal(-12.0, new Schedule(f).Evaluate(at));
        Assert.Equal(new[] { -4.0, -4.0, 3.0 }, Oracles.Evaluate(grad, new[] { x, y, z }, at));
    }

    [Fact]
    public void Sigmoid_neuron_has_the_gradients_of_the_slides()
    {
        var g = new Graph();
        var v = g.Vars("w0", "w1", "w2", "x0", "x1");
        var (w0, w1, w2, x0, x1) = (v[0], v[1], v[2], v[3], v[4]);
        var f = 1.0 / (1.0 + g.Exp(-(w0 * x0 + w1 * x1 + w2)));

        var at = new[] { 2.0, -3.0, -3.0, -1.0, -2.0 };
        var grad = Oracles.Evaluate(Derivatives.Gradient(f, v), v, at);

        Assert.Equal(0.7311, new Schedule(f).Evaluate(at), 4);
        // dw ≈ (−0.20, −0.39, 0.20), dx ≈ (0.39, −0.59) as the slides round them.
        Assert.Equal(new[] { -0.20, -0.39, 0.20, 0.39, -0.59 }, grad.Select(d => Math.Round(d, 2)).ToArray());
        // and exactly: σ(1)(1 − σ(1)) times the other factor
        double s = 1.0 / (1.0 + Math.Exp(-1.0)), ds = s * (1 - s);
        Oracles.AssertClose(new[] { -ds, -2 * ds, ds, 2 * ds, -3 * ds }, grad, 1e-15, "neuron");
    }

    [Fact]
    public void Sigmoid_primitive_gives_the_same_neuron_gradient_as_the_expanded_formula()
    {
        var g = new Graph();
        var v = g.Vars("w0", "w1", "w2", "x0", "x1");
        var f = g.Sigmoid(v[0] * v[3] + v[1] * v[4] + v[2]);
        var grad = Oracles.Evaluate(Derivatives.Gradient(f, v), v, new[] { 2.0, -3.0, -3.0, -1.0, -2.0 });
        double s = 1.0 / (1.0 + Math.Exp(-1.0)), ds = s * (1 - s);
        Oracles.AssertClose(new[] { -ds, -2 * ds, ds, 2 * ds, -3 * ds }, grad, 1e-15, "σ neuron");
    }

    [Fact]
    public void Forward_and_reverse_mode_agree_with_the_closed_form_on_the_lecture_function()
    {
        // f = (x1·x2·sin x3 + e^(x1·x2)) / x3
        var g = new Graph();
        var v = g.Vars("x1", "x2", "x3");
        var (x1, x2, x3) = (v[0], v[1], v[2]);
        var f = (x1 * x2 * g.Sin(x3) + g.Exp(x1 * x2)) / x3;
        double a = 1.5, b = -0.5, c = 2.0;
        var at = new[] { a, b, c };

        double e = Math.Exp(a * b);
        var expected = new[]
        {
            (b * Math.Sin(c) + b * e) / c,
            (a * Math.Sin(c) + a * e) / c,
            (a * b * Math.Cos(c)) / c - (a * b * Math.Sin(c) + e) / (c * c),
        };

        var reverse = Oracles.Evaluate(Derivatives.Gradient(f, v), v, at);
        Oracles.AssertClose(expected, reverse, 1e-15, "reverse");

        for (int i = 0; i < 3; i++)
        {
            var direction = new Node?[3];
            direction[i] = g.One;
            var tangent = Derivatives.Tangent(f, v, direction);
            Oracles.AssertClose(expected[i], new Schedule(new[] { tangent }, v).Evaluate(at), 1e-15, $"forward ∂f/∂x{i + 1}");
        }
    }

    [Theory]
    [InlineData(-1.5)]
    [InlineData(0.3)]
    [InlineData(2.0)]
    public void Derivative_table_of_the_lecture(double x0)
    {
        var g = new Graph();
        var x = g.Var("x");
        const double a = 3.5, c = -7.0;
        double D(Node f) => new Schedule(new[] { Derivatives.Gradient(f, new[] { x })[0] }, new[] { x }).Evaluate(x0);

        Assert.Equal(Math.Exp(x0), D(g.Exp(x)));          // (eˣ)' = eˣ
        Assert.Equal(a, D(a * x));                         // (ax)' = a
        Oracles.AssertClose(-1.0 / (x0 * x0), D(1.0 / x), 1e-15, "(1/x)'");    // (1/x)' = −1/x²
        Assert.Equal(1.0, D(c + x));                       // (c + x)' = 1
        double s = 1.0 / (1.0 + Math.Exp(-x0));
        Oracles.AssertClose(s * (1 - s), D(g.Sigmoid(x)), 1e-15, "σ'");    // σ' = σ(1 − σ)
        Oracles.AssertClose(s * (1 - s), D(1.0 / (1.0 + g.Exp(-x))), 1e-15, "σ' expanded");
    }

    [Fact]
    public void Hessian_of_norm_cubed_is_3xxT_over_norm_plus_3_norm_I()
    {
        var g = new Graph();
        var v = g.Vars("x0", "x1", "x2", "x3");
        var norm2 = g.Sum(v.Select(g.Square).ToArray());
        var f = g.Pow(norm2, 1.5); // ‖x‖³
        var h = Derivatives.Hessian(f, v);

        var at = new[] { 0.5, -1.0, 2.0, 0.25 };
        var xv = Vector<double>.Build.DenseOfArray(at);
        double norm = xv.L2Norm();
        var expected = xv.OuterProduct(xv) * (3.0 / norm) + Matrix<double>.Build.DenseIdentity(4) * (3.0 * norm);

        var flat = Oracles.Evaluate(h.Cast<Node>().ToArray(), v, at);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                Oracles.AssertClose(expected[i, j], flat[i * 4 + j], 1e-14, $"H[{i},{j}]");
            }
        }
    }

    [Fact]
    public void Gradient_of_product_of_quadratic_forms_matches_matrix_calculus()
    {
        // ∇[(xᵀAx)(xᵀBx)] = 2(xᵀBx)Ax + 2(xᵀAx)Bx for symmetric A, B
        const int n = 4;
        var random = new Random(7);
        Matrix<double> Symmetric()
        {
            var m = Matrix<double>.Build.Dense(n, n, (i, j) => random.NextDouble() * 2 - 1);
            return (m + m.Transpose()) * 0.5;
        }

        var a = Symmetric();
        var b = Symmetric();
        var g = new Graph();
        var v = g.Vars(Enumerable.Range(0, n).Select(i => "x" + i).ToArray());
        Node Quadratic(Matrix<double> m)
        {
            var terms = (from i in Enumerable.Range(0, n) from j in Enumerable.Range(0, n) select v[i] * m[i, j] * v[j]).ToArray();
            return g.Sum(terms);
        }

        var f = Quadratic(a) * Quadratic(b);
        var at = new[] { 0.3, -1.2, 0.7, 2.0 };
        var x = Vector<double>.Build.DenseOfArray(at);
        var expected = 2 * (x * b * x) * (a * x) + 2 * (x * a * x) * (b * x);

        var grad = Oracles.Evaluate(Derivatives.Gradient(f, v), v, at);
        Oracles.AssertClose(expected.ToArray(), grad, 1e-13, "∇(xᵀAx)(xᵀBx)");
    }
}
