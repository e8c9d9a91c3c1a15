using System;
using System.Threading.Tasks;
using DiffGen.Compilation;
using DiffGen.Expr;

namespace DiffGen.Runtime.Tests.Compilation;

/// <summary>
/// The public entry points: the lecture's neuron, the cache, allocation, threads and the errors a
/// user meets. Every test that touches <see cref="GraphCompiler"/>'s shared cache lives in this class,
/// so xunit runs them one after another.
/// </summary>
public class GraphCompilerTests
{
    private static (Node F, Node[] Vars) Neuron(Graph g)
    {
        var v = g.Vars("w0", "w1", "w2", "x0", "x1");
        var f = 1.0 / (1.0 + g.Exp(-(v[0] * v[3] + v[1] * v[4] + v[2])));
        return (f, v);
    }

    [Fact]
    public void Sigmoid_neuron_from_the_backprop_lecture_on_both_backends()
    {
        var (f, vars) = Neuron(new Graph());
        double[] point = { 2.0, -3.0, -3.0, -1.0, -2.0 };
        double s = 1.0 / (1.0 + Math.Exp(-1.0));
        double ds = s * (1.0 - s);
        double[] expected = { -1.0 * ds, -2.0 * ds, ds, 2.0 * ds, -3.0 * ds };
        foreach (var backend in new[] { GraphBackend.ExpressionTrees, RoslynBackend.Instance })
        {
            var compiled = GraphCompiler.CompileGradient(f, vars, backend);
            var gradient = new double[5];
            Assert.Equal(s, compiled.Evaluate(point, gradient), 15);
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(expected[i], gradient[i], 15);
            }

            Assert.Equal(backend.Name, compiled.Backend);
        }
    }

    [Fact]
    public void The_same_graph_compiled_twice_returns_the_cached_delegate()
    {
        var (f, vars) = Neuron(new Graph());
        var first = GraphCompiler.CompileGradient(f, vars);
        var second = GraphCompiler.CompileGradient(f, vars);
        Assert.Same(first, second);

        var function = GraphCompiler.Compile(new[] { f }, vars);
        Assert.Same(function, GraphCompiler.Compile(new[] { f }, vars));
        Assert.True(GraphCompiler.CacheCount >= 2);
    }

    [Fact]
    public void A_structurally_equal_graph_built_in_another_graph_hits_the_cache()
    {
        var (f1, vars1) = Neuron(new Graph());
        var (f2, vars2) = Neuron(new Graph());
        Assert.NotSame(f1, f2);
        Assert.Same(GraphCompiler.CompileGradient(f1, vars1), GraphCompiler.CompileGradient(f2, vars2));
    }

    [Fact]
    public void Different_graphs_variable_orders_kinds_and_backends_get_different_delegates()
    {
        var g = new Graph();
        var (f, vars) = Neuron(g);
        var gradient = GraphCompiler.CompileGradient(f, vars);
        Assert.NotSame(gradient, GraphCompiler.CompileGradient(f * 2.0, vars));
        Assert.NotSame(gradient, GraphCompiler.CompileGradient(f, new[] { vars[1], vars[0], vars[2], vars[3], vars[4] }));
        Assert.NotSame(gradient, GraphCompiler.CompileGradient(f, vars, RoslynBackend.Instance));

        // A reordered variable list reorders the gradient.
        var swapped = GraphCompiler.CompileGradient(f, new[] { vars[1], vars[0], vars[2], vars[3], vars[4] });
        double[] point = { 2.0, -3.0, -3.0, -1.0, -2.0 }, swappedPoint = { -3.0, 2.0, -3.0, -1.0, -2.0 };
        var a = new double[5];
        var b = new double[5];
        gradient.Evaluate(point, a);
        swapped.Evaluate(swappedPoint, b);
        Assert.Equal(a[0], b[1]);
        Assert.Equal(a[1], b[0]);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var g = new Graph();
        var x = g.Var("x");
        for (int i = 0; i < GraphCompiler.CacheCapacity + 10; i++)
        {
            GraphCompiler.CompileGradient(x * (double)i + 1.0, new[] { x });
            Assert.True(GraphCompiler.CacheCount <= GraphCompiler.CacheCapacity);
        }

        GraphCompiler.ClearCache();
        Assert.Equal(0, GraphCompiler.CacheCount);
    }

    [Fact]
    public void Evaluating_a_compiled_gradient_allocates_nothing_after_warm_up()
    {
        var g = new Graph();
        var v = g.Vars("a", "b", "c");
        // Shared nodes, a 3-way log-sum-exp (per-thread scratch), a select and activations.
        var f = g.LogSumExp(v[0] * v[1], g.Sigmoid(v[2]), g.Tanh(v[0])) + g.Select(g.Less(v[0], v[1]), g.Relu(v[2]), g.Softplus(v[1]));
        double[] point = { 0.3, -0.7, 1.1 };
        var gradient = new double[3];
        foreach (var backend in new[] { GraphBackend.ExpressionTrees, RoslynBackend.Instance })
        {
            var compiled = backend.CompileGradient(f, v);
            compiled.Evaluate(point, gradient);
            long before = GC.GetAllocatedBytesForCurrentThread();
            double sum = 0;
            for (int i = 0; i < 1000; i++)
            {
                sum += compiled.Evaluate(point, gradient);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{backend}: {allocated} bytes over 1000 evaluations");
            Assert.True(double.IsFinite(sum));
        }
    }

    [Fact]
    public void A_variable_missing_from_the_list_is_a_clear_ArgumentException()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var f = x * g.Sin(y);
        var e = Assert.Throws<ArgumentException>(() => GraphCompiler.CompileGradient(f, new[] { x }));
        Assert.Equal("variables", e.ParamName);
        Assert.Contains("'y'", e.Message);
        Assert.Contains("not listed", e.Message);
        Assert.Throws<ArgumentException>(() => GraphCompiler.Compile(new[] { f }, new[] { y }));

        // The failure is not cached: listing the variable afterwards works.
        Assert.Equal(2, GraphCompiler.CompileGradient(f, new[] { x, y }).VariableCount);
    }

    [Fact]
    public void Invalid_variable_lists_and_outputs_are_ArgumentExceptions()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var f = x * y;
        Assert.Equal("variables", Assert.Throws<ArgumentException>(() => GraphCompiler.CompileGradient(f, new[] { x, y, x })).ParamName);
        Assert.Equal("variables", Assert.Throws<ArgumentException>(() => GraphCompiler.CompileGradient(f, new[] { x, y + 1.0 })).ParamName);
        var other = new Graph();
        Assert.Equal("variables", Assert.Throws<ArgumentException>(() => GraphCompiler.CompileGradient(f, new[] { x, other.Var("y") })).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => GraphCompiler.Compile(new[] { f, other.Var("z") }, new[] { x, y })).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => GraphCompiler.Compile(Array.Empty<Node>(), new[] { x, y })).ParamName);
        Assert.Throws<ArgumentNullException>(() => GraphCompiler.CompileGradient(null!, new[] { x }));
        Assert.Throws<NotSupportedException>(() => GraphCompiler.Compile(new[] { g.Call("External", x) }, new[] { x }));
    }

    [Fact]
    public void Wrong_lengths_name_the_parameter()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var gradient = GraphCompiler.CompileGradient(x * y, new[] { x, y });
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => gradient.Evaluate(new double[3], new double[2])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => gradient.Evaluate(new double[2], new double[1])).ParamName);

        var function = GraphCompiler.Compile(new[] { x + y, x - y }, new[] { x, y });
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => function.Evaluate(new double[1], new double[2])).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => function.Evaluate(new double[2], new double[3])).ParamName);
        Assert.Throws<InvalidOperationException>(() => function.Evaluate(new double[2]));
    }

    [Fact]
    public void Unused_variables_get_a_zero_gradient_and_constants_compile()
    {
        var g = new Graph();
        var (x, y, z) = (g.Var("x"), g.Var("y"), g.Var("z"));
        var compiled = GraphCompiler.CompileGradient(x * x, new[] { x, y, z });
        var gradient = new double[] { 9, 9, 9 };
        Assert.Equal(9.0, compiled.Evaluate(new[] { 3.0, 1.0, 2.0 }, gradient));
        Assert.Equal(new[] { 6.0, 0.0, 0.0 }, gradient);

        var constant = GraphCompiler.Compile(new[] { g.Const(2.5) }, Array.Empty<Node>());
        Assert.Equal(2.5, constant.Evaluate(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void One_compiled_gradient_serves_many_threads()
    {
        var (f, vars) = Neuron(new Graph());
        var compiled = GraphCompiler.CompileGradient(f, vars);
        var reference = new double[5];
        double[] point = { 0.1, 0.2, 0.3, 0.4, 0.5 };
        double value = compiled.Evaluate(point, reference);
        Parallel.For(0, 64, _ =>
        {
            var gradient = new double[5];
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal(value, compiled.Evaluate(point, gradient));
                Assert.Equal(reference, gradient);
            }
        });
    }

    [Fact]
    public void Roslyn_backend_compiles_the_emitters_text()
    {
        var (f, vars) = Neuron(new Graph());
        string source = RoslynBackend.SourceOf(new[] { f }, vars);
        Assert.Contains("global::System.Math.Exp", source);
        Assert.Contains("public static double Run(global::System.ReadOnlySpan<double> inputs, global::System.Span<double> rest)", source);
    }
}
