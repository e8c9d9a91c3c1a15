using System;
using System.Linq;
using DiffGen.Expr;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DiffGen.Expr.Tests;

/// <summary>Hash-consing, structural equality, validation and depth safety of the graph itself.</summary>
public class GraphTests
{
    [Fact]
    public void Building_the_same_structure_twice_yields_the_same_node()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var a = g.Sin(x * y) + g.Exp(x);
        var b = g.Sin(x * y) + g.Exp(x);
        Assert.Same(a, b);
        Assert.Same(g.Var("x"), x);
        int count = g.NodeCount;
        _ = g.Sin(x * y);
        Assert.Equal(count, g.NodeCount);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, QuietOnSuccess = true)]
    public void Hash_consing_makes_structurally_equal_random_graphs_one_node(ExprCase c)
    {
        var g = new Graph(simplify: false);
        var vars = g.Vars(Enumerable.Range(0, c.VariableCount).Select(i => "x" + i).ToArray());
        var first = c.Spec.Build(g, vars);
        int nodes = g.NodeCount;
        var second = c.Spec.Build(g, vars);
        Assert.Same(first, second);
        Assert.Equal(nodes, g.NodeCount);

        // In another graph: a different object, structurally equal, with the same hash.
        var (_, other, _) = c.Build(simplify: false);
        Assert.NotSame(first, other);
        Assert.Equal(first, other);
        Assert.Equal(first.GetHashCode(), other.GetHashCode());
    }

    [Fact]
    public void Structurally_different_graphs_are_not_equal()
    {
        var g1 = new Graph();
        var g2 = new Graph();
        Node F(Graph g, double c) => g.Exp(g.Var("x")) * c;
        Assert.Equal(F(g1, 2.0), F(g2, 2.0));
        Assert.NotEqual(F(g1, 2.0), F(g2, 3.0));
        Assert.NotEqual(g1.Sin(g1.Var("x")), g2.Cos(g2.Var("x")));
        Assert.NotEqual(g1.Var("x"), g2.Var("y"));
        Assert.NotEqual(g1.Const(0.0), g2.Const(-0.0));
    }

    [Fact]
    public void Shared_subgraphs_stay_shared_so_size_is_linear_not_exponential()
    {
        // x₁ = x₀·x₀, x₂ = x₁·x₁, …: as a tree 2⁶⁰ leaves, as a DAG 61 nodes.
        var g = new Graph();
        var x = g.Var("x");
        var f = x;
        for (int i = 0; i < 60; i++)
        {
            f = g.Sin(f) * g.Sin(f);
        }

        Assert.True(Traversal.TopologicalOrder(f).Count < 200);
        var grad = Derivatives.Gradient(f, new[] { x });
        Assert.True(Traversal.TopologicalOrder(grad).Count < 1000);

        var other = new Graph();
        var y = other.Var("x");
        var h = y;
        for (int i = 0; i < 60; i++)
        {
            h = other.Sin(h) * other.Sin(h);
        }

        Assert.Equal(f, h); // structural comparison does not walk the 2⁶⁰ paths
    }

    [Fact]
    public void A_100000_node_chain_is_built_differentiated_evaluated_and_emitted_without_recursion()
    {
        const int length = 100_000;
        var g = new Graph();
        var x = g.Var("x");
        var f = x;
        for (int i = 0; i < length; i++)
        {
            // alternate so nothing simplifies away: f ← sin(f)·0.5 + x
            f = g.Sin(f) * 0.5 + x;
        }

        Assert.True(f.Depth >= length);
        var grad = Derivatives.Gradient(f, new[] { x })[0];
        var tangent = Derivatives.Tangent(f, new[] { x }, new[] { g.One });

        var schedule = new Schedule(new[] { f, grad, tangent }, new[] { x });
        var outputs = new double[3];
        schedule.Evaluate(new[] { 0.3 }, outputs);

        // Reference: the same recurrence with its derivative, in plain doubles.
        double v = 0.3, dv = 1.0;
        for (int i = 0; i < length; i++)
        {
            dv = Math.Cos(v) * 0.5 * dv + 1.0;
            v = Math.Sin(v) * 0.5 + 0.3;
        }

        Assert.Equal(v, outputs[0], 12);
        Assert.Equal(dv, outputs[1], 10);
        Assert.Equal(dv, outputs[2], 10);

        var code = new System.Text.StringBuilder();
        var emitter = new CSharpEmitter(n => n.Name!, new NameBuilder(new[] { "x" }));
        emitter.Emit(code, new[] { new Assignment("value", f), new Assignment("dx", grad) });
        Assert.True(code.Length > length);
        Assert.Equal(new Graph().Import(f), f); // importing (simplify + CSE) a deep graph is iterative too
    }

    [Fact]
    public void Nodes_of_another_graph_are_rejected_with_a_clear_error()
    {
        var g1 = new Graph();
        var g2 = new Graph();
        var ex = Assert.Throws<ArgumentException>(() => g1.Add(g1.Var("x"), g2.Var("y")));
        Assert.Contains("another graph", ex.Message);
        Assert.Equal("args", ex.ParamName);
    }

    [Fact]
    public void Wrong_arity_and_non_variables_are_rejected()
    {
        var g = new Graph();
        var x = g.Var("x");
        Assert.Throws<ArgumentException>(() => g.Apply(Op.Sin, x, x));
        Assert.Throws<ArgumentException>(() => g.Apply(Op.Const));
        var ex = Assert.Throws<ArgumentException>(() => Derivatives.Gradient(g.Sin(x), new[] { g.Sin(x) }));
        Assert.Equal("wrt", ex.ParamName);
        var missing = Assert.Throws<ArgumentException>(() => new Schedule(new[] { x + g.Var("y") }, new[] { x }));
        Assert.Contains("'y'", missing.Message);
    }

    [Fact]
    public void Jacobian_and_Hessian_vector_product_match_their_definitions()
    {
        var g = new Graph();
        var v = g.Vars("a", "b", "c");
        var outputs = new[] { v[0] * v[1], g.Sin(v[2]) + v[0], g.Exp(v[1] * v[2]), v[0] * v[0] * v[2] };
        var at = new[] { 0.5, -1.25, 2.0 };

        // 4 outputs > 3 inputs: forward per input; compare each row with reverse mode.
        var jacobian = Derivatives.Jacobian(outputs, v);
        for (int i = 0; i < outputs.Length; i++)
        {
            var row = Oracles.Evaluate(Derivatives.Gradient(outputs[i], v), v, at);
            var fromJacobian = Oracles.Evaluate(Enumerable.Range(0, 3).Select(j => jacobian[i, j]).ToArray(), v, at);
            Oracles.AssertClose(row, fromJacobian, 1e-15, $"J row {i}");
        }

        var f = g.Exp(v[0] * v[1]) * g.Sin(v[2]) + v[0] * v[0] * v[0];
        var direction = g.Vars("v0", "v1", "v2");
        var hv = Derivatives.HessianVector(f, v, direction);
        var hessian = Derivatives.Hessian(f, v);
        var dir = new[] { 0.3, -0.7, 1.1 };
        var inputs = v.Concat(direction).ToArray();
        var point = at.Concat(dir).ToArray();
        var hvValues = Oracles.Evaluate(hv, inputs, point);
        var h = Oracles.Evaluate(hessian.Cast<Node>().ToArray(), v, at);
        for (int i = 0; i < 3; i++)
        {
            double expected = Enumerable.Range(0, 3).Sum(j => h[i * 3 + j] * dir[j]);
            Oracles.AssertClose(expected, hvValues[i], 1e-14, $"Hv[{i}]");
        }
    }
}
