using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>Procedures with loops and arrays: reverse and forward mode against complex step.</summary>
public class ProcedureTests
{
    private static Block B(params Statement[] s) => new(s);

    /// <summary>Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)²</summary>
    internal static Procedure Rosenbrock()
    {
        var g = new Graph();
        var i = g.Var("i");
        var xi = g.Load("x", i);
        var xn = g.Load("x", i + 1.0);
        var a = g.Var("a");
        var b = g.Var("b");
        var s = g.Var("s");
        return new Procedure("Rosenbrock", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length") - 1.0, B(
                new Declare("a", ValueKind.Real, 1.0 - xi),
                new Declare("b", ValueKind.Real, xn - xi * xi),
                new Assign("s", s + (a * a + 100.0 * b * b)))),
            new Return(s)), g);
    }

    /// <summary>A product recurrence p ← p·xᵢ + c·sin(p): not an accumulation, so every old p is saved.</summary>
    internal static Procedure Recurrence()
    {
        var g = new Graph();
        var p = g.Var("p");
        var xi = g.Load("x", g.Var("i"));
        return new Procedure("Recurrence", new[] { new Parameter("x", ValueKind.Array), new Parameter("c", ValueKind.Real) }, B(
            new Declare("p", ValueKind.Real, g.One),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Assign("p", p * xi + g.Var("c") * g.Sin(p)))),
            new Return(p)), g);
    }

    /// <summary>
    /// A 2-layer network on one sample: hidden[j] = tanh(Σₖ w[j·d + k]·x[k] + w[h·d + j]), out = Σⱼ v[j]·hidden[j],
    /// loss = softplus(−y·out) — a local array written in a loop and read in a later one.
    /// </summary>
    internal static Procedure TinyNetwork()
    {
        var g = new Graph();
        var (j, k, d, h) = (g.Var("j"), g.Var("k"), g.Var("d"), g.Var("h"));
        var z = g.Var("z");
        var o = g.Var("o");
        return new Procedure("Net", new[]
        {
            new Parameter("w", ValueKind.Array), new Parameter("v", ValueKind.Array),
            new Parameter("x", ValueKind.Array, Differentiable: false), new Parameter("y", ValueKind.Real, Differentiable: false),
            new Parameter("d", ValueKind.Integer, Differentiable: false), new Parameter("h", ValueKind.Integer, Differentiable: false),
        }, B(
            new Declare("hidden", ValueKind.Array, Length: h),
            new For("j", g.Zero, h, B(
                new Declare("z", ValueKind.Real, g.Load("w", h * d + j)),
                new For("k", g.Zero, d, B(
                    new Assign("z", z + g.Load("w", j * d + k) * g.Load("x", k)))),
                new Store("hidden", j, g.Tanh(z)))),
            new Declare("o", ValueKind.Real, g.Zero),
            new For("j2", g.Zero, h, B(
                new Assign("o", o + g.Load("v", g.Var("j2")) * g.Load("hidden", g.Var("j2"))))),
            new Return(g.Softplus(-(g.Var("y") * o)))), g);
    }

    /// <summary>
    /// Σₛ Σⱼ tanh(bⱼ + Σₖ W[j·20 + k]·x[s·20 + k]) over a batch of samples sharing W (6 units, 20 inputs): the
    /// printer computes its products and applies W's gradient a block of samples at a time.
    /// </summary>
    internal static Procedure BatchLayer()
    {
        var g = new Graph();
        var (s, j, k) = (g.Var("s"), g.Var("j"), g.Var("k"));
        var (a, total, sample) = (g.Var("a"), g.Var("total"), g.Var("sample"));
        return new Procedure("Batch", new[]
        {
            new Parameter("w", ValueKind.Array), new Parameter("x", ValueKind.Array, Differentiable: false),
            new Parameter("count", ValueKind.Integer, Differentiable: false),
        }, B(
            new Declare("total", ValueKind.Real, g.Zero),
            new For("s", g.Zero, g.Var("count"), B(
                new Declare("sample", ValueKind.Integer, s * 20),
                new For("j", g.Zero, g.Const(6), B(
                    new Declare("a", ValueKind.Real, g.Load("w", 120 + j)),
                    new For("k", g.Zero, g.Const(20), B(
                        new Assign("a", a + g.Load("w", j * 20 + k) * g.Load("x", sample + k)))),
                    new Assign("total", total + g.Tanh(a)))))),
            new Return(total)), g);
    }

    /// <summary>Running max with a branch in the loop and an integer argmax used as an index afterwards.</summary>
    internal static Procedure RunningMax()
    {
        var g = new Graph();
        var i = g.Var("i");
        var m = g.Var("m");
        var xi = g.Load("x", i);
        return new Procedure("Max", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("m", ValueKind.Real, g.Load("x", g.Zero)),
            new Declare("arg", ValueKind.Integer, g.Zero),
            new For("i", g.One, g.Var("x.Length"), B(
                new If(g.Greater(xi, m), B(new Assign("m", xi), new Assign("arg", i)), Block.Empty))),
            new Return(m * g.Load("x", g.Var("arg")) + g.Exp(m))), g);
    }

    /// <summary>A triangular double loop whose inner bound is the outer counter, with a local array reassigned.</summary>
    internal static Procedure Triangular()
    {
        var g = new Graph();
        var (i, j) = (g.Var("i"), g.Var("j"));
        var acc = g.Var("acc");
        return new Procedure("Tri", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("t", ValueKind.Array, Length: g.Var("x.Length")),
            new Declare("acc", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Store("t", i, g.Load("x", i)),
                new For("j", g.Zero, i, B(
                    new Store("t", i, g.Load("t", i) * g.Cos(g.Load("x", j)) + g.Load("t", j)))),
                new Assign("acc", acc + g.Load("t", i) * g.Load("t", i)))),
            new Return(g.Log(acc))), g);
    }

    /// <summary>
    /// A recurrence updated only in the else branch of a loop (the then branch is empty), as in the generator's
    /// property test M41: the adjoint of t flows from one iteration to the previous one through that branch.
    /// </summary>
    internal static Procedure ElseOnlyRecurrence()
    {
        var g = new Graph();
        var t = g.Var("t");
        var xi = g.Load("x", g.Var("i"));
        return new Procedure("ElseOnly", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("t", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new If(g.Less(xi, g.Const(-0.5)), Block.Empty, B(
                    new Assign("t", 0.5 * t + g.Tanh(xi)))))),
            new Return(g.Sin(t + t * t))), g);
    }

    /// <summary>
    /// Locals recomputed in the reverse sweep, one from the other: b is read by the partials, a only by b's
    /// value, so a must be recomputed before b although nothing reads a in reverse.
    /// </summary>
    internal static Procedure ChainedLocals()
    {
        var g = new Graph();
        var i = g.Var("i");
        var (a, b, s) = (g.Var("a"), g.Var("b"), g.Var("s"));
        return new Procedure("Chained", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length") - 1.0, B(
                new Declare("a", ValueKind.Real, 2.0 * g.Load("x", i) - 0.5),
                new Declare("b", ValueKind.Real, a + g.Load("x", i + 1.0)),
                new Assign("s", s + g.Sin(b * b)))),
            new Return(s)), g);
    }

    public static IEnumerable<object[]> Cases() => new[]
    {
        new object[] { "rosenbrock" }, new object[] { "recurrence" }, new object[] { "network" }, new object[] { "max" }, new object[] { "triangular" },
        new object[] { "else-only" }, new object[] { "chained-locals" }, new object[] { "newton-while" }, new object[] { "while-in-for" }, new object[] { "search-while" },
        new object[] { "batch" },
    };

    internal static (Procedure Procedure, Dictionary<string, double> Scalars, Dictionary<string, double[]> Arrays) Case(string name, int n = 7)
    {
        var random = new Random(name.Length * 7919 + n);
        double[] R(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return name switch
        {
            "rosenbrock" => (Rosenbrock(), new(), new() { ["x"] = R(n) }),
            "recurrence" => (Recurrence(), new() { ["c"] = 0.3 }, new() { ["x"] = R(n) }),
            "network" => (TinyNetwork(), new() { ["y"] = 1.0, ["d"] = 3, ["h"] = 4 }, new() { ["w"] = R(4 * 3 + 4), ["v"] = R(4), ["x"] = R(3) }),
            "max" => (RunningMax(), new(), new() { ["x"] = R(n) }),
            "chained-locals" => (ChainedLocals(), new(), new() { ["x"] = R(n) }),
            "else-only" => (ElseOnlyRecurrence(), new(), new() { ["x"] = new[] { 0.4, -0.9, 1.2, 0.7, -0.2 } }),
            "triangular" => (Triangular(), new(), new() { ["x"] = R(n).Select(v => v * 0.5).ToArray() }),
            "batch" => (BatchLayer(), new() { ["count"] = 37 }, new() { ["w"] = R(126), ["x"] = R(740) }),
            "newton-while" => (WhileProcedures.NewtonSqrt(), new() { ["a"] = 2.7 }, new()),
            "while-in-for" => (WhileProcedures.ShrinkThenHalve(), new(), new() { ["x"] = R(n).Select(v => v * 3).ToArray() }),
            "search-while" => (WhileProcedures.LeadingSquares(), new(), new() { ["x"] = R(n).Select(v => Math.Abs(v) + 0.1).ToArray() }),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>Complex-step gradient of a procedure w.r.t. every element of its differentiable inputs.</summary>
    internal static Dictionary<string, double[]> ComplexStep(Procedure p, Dictionary<string, double> scalars, Dictionary<string, double[]> arrays)
    {
        var result = new Dictionary<string, double[]>();
        foreach (var parameter in p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer))
        {
            int count = parameter.Kind == ValueKind.Array ? arrays[parameter.Name].Length : 1;
            var d = new double[count];
            for (int e = 0; e < count; e++)
            {
                var cs = scalars.ToDictionary(kv => kv.Key, kv => new Complex(kv.Value, 0));
                var ca = arrays.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => new Complex(v, 0)).ToArray());
                if (parameter.Kind == ValueKind.Array)
                {
                    ca[parameter.Name][e] += new Complex(0, 1e-20);
                }
                else
                {
                    cs[parameter.Name] += new Complex(0, 1e-20);
                }

                d[e] = ProcedureInterpreter.Run(p, cs, ca).Imaginary / 1e-20;
            }

            result[parameter.Name] = d;
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reverse_mode_procedure_equals_complex_step(string name)
    {
        var (p, scalars, arrays) = Case(name);
        var expected = ComplexStep(p, scalars, arrays);
        double value = ProcedureInterpreter.Run(p, new Dictionary<string, double>(scalars), arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone()));

        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var gs = new Dictionary<string, double>(scalars);
        var ga = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        foreach (var parameter in p.Parameters.Where(x => x.Differentiable && x.Kind == ValueKind.Array))
        {
            ga["d" + parameter.Name] = new double[arrays[parameter.Name].Length];
        }

        double gradientValue = ProcedureInterpreter.Run(gradient, gs, ga);
        Assert.Equal(value, gradientValue);
        foreach (var (parameter, d) in expected)
        {
            var actual = ga.TryGetValue("d" + parameter, out var array) ? array : new[] { gs["d" + parameter] };
            Oracles.AssertClose(d, actual, 1e-12, $"{name}: d{parameter}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_mode_procedure_equals_gradient_dot_direction(string name)
    {
        var (p, scalars, arrays) = Case(name);
        var expected = ComplexStep(p, scalars, arrays);
        var tangent = ProcedureDerivatives.Tangent(p, n => "t" + n);
        var random = new Random(5);
        var ts = new Dictionary<string, double>(scalars);
        var ta = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        double dot = 0;
        foreach (var (parameter, d) in expected)
        {
            var direction = d.Select(_ => random.NextDouble() - 0.5).ToArray();
            dot += direction.Zip(d, (a, b) => a * b).Sum();
            if (arrays.ContainsKey(parameter))
            {
                ta["t" + parameter] = direction;
            }
            else
            {
                ts["t" + parameter] = direction[0];
            }
        }

        ProcedureInterpreter.Run(tangent, ts, ta);
        Oracles.AssertClose(dot, ts["tangent"], 1e-12, $"{name}: tangent");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hessian_vector_product_by_forward_over_reverse_equals_complex_step_of_the_gradient(string name)
    {
        var (p, scalars, arrays) = Case(name);
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var hvp = ProcedureDerivatives.Tangent(gradient, n => "t" + n);
        var random = new Random(11);
        var differentiable = p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer).ToList();
        var direction = differentiable.ToDictionary(x => x.Name, x => Enumerable.Range(0, x.Kind == ValueKind.Array ? arrays[x.Name].Length : 1).Select(_ => random.NextDouble() - 0.5).ToArray());

        // Reference: Im ∇f(x + ih·v)/h, the gradient procedure run over complex numbers.
        var cs = scalars.ToDictionary(kv => kv.Key, kv => new Complex(kv.Value, 0));
        var ca = arrays.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => new Complex(v, 0)).ToArray());
        foreach (var x in differentiable)
        {
            if (x.Kind == ValueKind.Array)
            {
                ca[x.Name] = ca[x.Name].Select((v, e) => v + new Complex(0, 1e-20 * direction[x.Name][e])).ToArray();
                ca["d" + x.Name] = new Complex[arrays[x.Name].Length];
            }
            else
            {
                cs[x.Name] += new Complex(0, 1e-20 * direction[x.Name][0]);
            }
        }

        ProcedureInterpreter.Run(gradient, cs, ca);

        var hs = new Dictionary<string, double>(scalars);
        var ha = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        foreach (var x in differentiable)
        {
            if (x.Kind == ValueKind.Array)
            {
                ha["t" + x.Name] = direction[x.Name];
                ha["d" + x.Name] = new double[arrays[x.Name].Length];
                ha["td" + x.Name] = new double[arrays[x.Name].Length];
            }
            else
            {
                hs["t" + x.Name] = direction[x.Name][0];
            }
        }

        ProcedureInterpreter.Run(hvp, hs, ha);
        foreach (var x in differentiable)
        {
            var expected = x.Kind == ValueKind.Array ? ca["d" + x.Name].Select(c => c.Imaginary / 1e-20).ToArray() : new[] { cs["d" + x.Name].Imaginary / 1e-20 };
            var actual = x.Kind == ValueKind.Array ? ha["td" + x.Name] : new[] { hs["td" + x.Name] };
            Oracles.AssertClose(expected, actual, 1e-10, $"{name}: (Hv) for {x.Name}");
        }
    }

    [Fact]
    public void Rosenbrock_gradient_saves_nothing_per_iteration()
    {
        // a and b are read by the partials but are fresh each iteration, computed from x and i: the reverse
        // iteration recomputes them; the accumulation s += … saves nothing.
        var gradient = ProcedureDerivatives.Gradient(Rosenbrock(), n => "d" + n);
        var pushesInLoops = 0;
        ProcedureAnalysisVisit(gradient.Body, inLoop: false, (s, inLoop) => { if (s is Push && inLoop) pushesInLoops++; });
        Assert.Equal(0, pushesInLoops);
    }

    private static void ProcedureAnalysisVisit(Block block, bool inLoop, Action<Statement, bool> visit)
    {
        foreach (var s in block.Statements)
        {
            visit(s, inLoop);
            if (s is For f)
            {
                ProcedureAnalysisVisit(f.Body, true, visit);
            }
            else if (s is If i)
            {
                ProcedureAnalysisVisit(i.Then, inLoop, visit);
                ProcedureAnalysisVisit(i.Else, inLoop, visit);
            }
        }
    }
}
