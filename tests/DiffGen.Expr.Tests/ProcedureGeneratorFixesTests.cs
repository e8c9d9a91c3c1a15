using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Fixes found while generating code from procedures (issue 4): branch flags and changing loop bounds
/// are pushed after what their branch or loop pushed, so the reverse sweep pops them in order; a value
/// overwritten in one branch of a loop and read by the other branch's reverse step is saved; a loop
/// counting down is replayed counting up; pooled local arrays print without <c>using System;</c>.
/// </summary>
public class ProcedureGeneratorFixesTests
{
    private static Block B(params Statement[] s) => new(s);

    /// <summary>A branch whose body saves values (a nested branch, a reassigned scalar) inside a loop: the shape of break/continue flags.</summary>
    private static Procedure NestedBranches()
    {
        var g = new Graph();
        var i = g.Var("i");
        var xi = g.Load("x", i);
        var s = g.Var("s");
        var stop = g.Var("stop");
        return new Procedure("Nested", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new Declare("stop", ValueKind.Integer, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new If(g.Equal(stop, g.Zero), B(
                    new If(g.Greater(xi, g.Zero), B(new Assign("s", s * g.Cos(xi) + xi)), B(new Assign("s", s + xi * xi))),
                    new If(g.Greater(s, g.Const(1.5)), B(new Assign("stop", g.One)), Block.Empty)),
                    Block.Empty))),
            new Return(g.Sin(s))), g);
    }

    /// <summary>Horner's rule with a loop counting down: p ← p·t + cᵢ for i = n−1 … 0.</summary>
    private static Procedure Horner()
    {
        var g = new Graph();
        var p = g.Var("p");
        return new Procedure("Horner", new[] { new Parameter("c", ValueKind.Array), new Parameter("t", ValueKind.Real) }, B(
            new Declare("p", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("c.Length"), B(new Assign("p", p * g.Var("t") + g.Load("c", g.Var("i")))), Backward: true),
            new Return(p)), g);
    }

    /// <summary>An inner loop whose bound is a local that the outer loop reassigns, with saved values inside.</summary>
    private static Procedure ChangingBound()
    {
        var g = new Graph();
        var (i, j, m, p) = (g.Var("i"), g.Var("j"), g.Var("m"), g.Var("p"));
        return new Procedure("Bound", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("p", ValueKind.Real, g.One),
            new Declare("m", ValueKind.Integer, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Assign("m", i + 1.0),
                new For("j", g.Zero, m, B(new Assign("p", g.Sin(p) + g.Load("x", j) * p))))),
            new Return(p)), g);
    }

    /// <summary>An accumulation in one branch whose running value the other branch reads: it must be saved per iteration.</summary>
    private static Procedure AccumulationReadByTheOtherBranch()
    {
        var g = new Graph();
        var (i, s, t) = (g.Var("i"), g.Var("s"), g.Var("t"));
        var xi = g.Load("x", i);
        return new Procedure("Other", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new Declare("t", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new If(g.Greater(xi, g.Zero), B(new Assign("s", s + g.Exp(xi))), B(new Assign("t", t + g.Sin(s) * xi))))),
            new Return(s + t)), g);
    }

    public static IEnumerable<object[]> Cases() => new[] { new object[] { "nested" }, new object[] { "horner" }, new object[] { "bound" }, new object[] { "other" } };

    private static (Procedure, Dictionary<string, double>, Dictionary<string, double[]>) Case(string name) => name switch
    {
        "nested" => (NestedBranches(), new(), new() { ["x"] = new[] { 0.3, -0.8, 0.9, 0.4, -0.2, 1.1, 0.7, -0.5 } }),
        "horner" => (Horner(), new() { ["t"] = 1.3 }, new() { ["c"] = new[] { 0.5, -1.0, 2.0, 0.25, -0.75 } }),
        "other" => (AccumulationReadByTheOtherBranch(), new(), new() { ["x"] = new[] { 0.3, -0.2, 0.5, -0.7, 0.1, -0.4 } }),
        _ => (ChangingBound(), new(), new() { ["x"] = new[] { 0.3, -0.2, 0.5, 0.1 } }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reverse_mode_equals_complex_step(string name)
    {
        var (p, scalars, arrays) = Case(name);
        var expected = ProcedureTests.ComplexStep(p, scalars, arrays);
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var gs = new Dictionary<string, double>(scalars);
        var ga = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        foreach (var x in p.Parameters.Where(x => x.Kind == ValueKind.Array))
        {
            ga["d" + x.Name] = new double[arrays[x.Name].Length];
        }

        ProcedureInterpreter.Run(gradient, gs, ga);
        foreach (var (parameter, d) in expected)
        {
            var actual = ga.TryGetValue("d" + parameter, out var array) ? array : new[] { gs["d" + parameter] };
            Oracles.AssertClose(d, actual, 1e-12, $"{name}: d{parameter}");
        }
    }

    [Fact]
    public void Horner_gradient_is_the_powers_of_t()
    {
        var (p, scalars, arrays) = Case("horner");
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var ga = new Dictionary<string, double[]> { ["c"] = arrays["c"], ["dc"] = new double[5] };
        ProcedureInterpreter.Run(gradient, new Dictionary<string, double>(scalars), ga);
        Oracles.AssertClose(Enumerable.Range(0, 5).Select(k => Math.Pow(1.3, k)).ToArray(), ga["dc"], 1e-14, "∂p/∂cₖ");
    }

    [Fact]
    public void Pooled_local_arrays_print_without_a_using_directive()
    {
        var g = new Graph();
        var i = g.Var("i");
        var p = new Procedure("Copy", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("y", ValueKind.Array, Length: g.Var("x.Length")),
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(new Store("y", i, g.Exp(g.Load("x", i))))),
            new For("i", g.Zero, g.Var("x.Length"), B(new Assign("s", g.Var("s") + g.Load("y", i) * g.Load("x", i)))),
            new Return(g.Var("s"))), g);
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        string body = new ProcedurePrinter(gradient, new NameBuilder()).PrintBody();
        Assert.DoesNotContain("AsSpan", body);
        // no 'using System;': the printed code names everything it needs
        string source = "public static class Printed\n{\n    public static double G(global::System.ReadOnlySpan<double> x, global::System.Span<double> dx)\n    {\n"
            + body + "    }\n    public static double Run(double[] x, double[] dx) => G(x, dx);\n}\n";
        var type = EmittedCodeTests.Compile(source).GetType("Printed")!;
        var x = Enumerable.Range(0, 600).Select(k => Math.Sin(k) * 0.5).ToArray(); // longer than the stackalloc limit: pooled
        var dx = new double[600];
        double value = (double)type.GetMethod("Run")!.Invoke(null, new object[] { x, dx })!;
        Assert.Equal(x.Sum(v => Math.Exp(v) * v), value, 10);
        for (int k = 0; k < 600; k++)
        {
            Oracles.AssertClose(Math.Exp(x[k]) * (1 + x[k]), dx[k], 1e-13, $"dx[{k}]");
        }
    }
}

/// <summary>Printing fixes: int counters compared with reals over complex numbers, and tangents that pass through unchanged.</summary>
public class ProcedurePrintingFixesTests
{
    [Fact]
    public void Complex_printing_compares_an_int_counter_with_a_real_by_its_real_part()
    {
        var g = new Graph();
        var i = g.Var("i");
        var s = g.Var("s");
        var p = new Procedure("Cmp", new[] { new Parameter("x", ValueKind.Array), new Parameter("y", ValueKind.Real) }, new Block(new Statement[]
        {
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), new Block(new Statement[]
            {
                new If(g.Less(i, g.Var("y")), new Block(new Statement[] { new Assign("s", s + g.Load("x", i)) }), Block.Empty),
                new If(g.Less(g.Const(0.25) * i, g.Var("y")), new Block(new Statement[] { new Assign("s", s * g.Load("x", i)) }), Block.Empty),
            })),
            new Return(s),
        }), g);
        string body = new ProcedurePrinter(p, new NameBuilder(), complex: true).PrintBody();
        Assert.Contains("i < y.Real", body);
        Assert.Contains("0.25 * i < y.Real", body);
        string source = "using System.Numerics;\npublic static class Printed\n{\n    public static Complex C(System.ReadOnlySpan<Complex> x, Complex y)\n    {\n"
            + body + "    }\n    public static Complex Run(Complex[] x, Complex y) => C(x, y);\n}\n";
        var type = EmittedCodeTests.Compile(source).GetType("Printed")!;
        var x = new[] { new Complex(0.5, 0), new Complex(2.0, 0), new Complex(-1.0, 1e-20) };
        var value = (Complex)type.GetMethod("Run")!.Invoke(null, new object[] { x, new Complex(1.5, 0) })!;
        var expected = ProcedureInterpreter.Run(p, new Dictionary<string, Complex> { ["y"] = new Complex(1.5, 0) }, new Dictionary<string, Complex[]> { ["x"] = x });
        Assert.Equal(expected, value);
    }

    [Fact]
    public void A_tangent_that_passes_through_unchanged_prints_nothing()
    {
        var g = new Graph();
        var s = g.Var("s");
        var p = new Procedure("Pass", new[] { new Parameter("x", ValueKind.Array), new Parameter("c", ValueKind.Real, Differentiable: false) }, new Block(new Statement[]
        {
            new Declare("s", ValueKind.Real, g.Load("x", g.Zero)),
            new For("i", g.Zero, g.Var("x.Length"), new Block(new Statement[] { new Assign("s", s + g.Sin(g.Var("c"))) })),
            new Return(s * s),
        }), g);
        var tangent = ProcedureDerivatives.Tangent(p, n => "t" + n);
        string body = new ProcedurePrinter(tangent, new NameBuilder()).PrintBody();
        Assert.DoesNotContain("_tan_s = _tan_s;", body);
    }
}
