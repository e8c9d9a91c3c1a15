using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// The reverse sweep's clean-ups (<see cref="AdjointSimplification"/>): what they do to Rosenbrock's gradient, what
/// they must not do on look-alikes, and random procedures whose values the interpreter gives equal before and after.
/// </summary>
public class AdjointSimplificationTests
{
    private static Block B(params Statement[] s) => new(s);

    private static string Printed(Procedure p) => new ProcedurePrinter(p, new NameBuilder()).PrintBody();

    private static List<Statement> All(Procedure p)
    {
        var all = new List<Statement>();
        ProcedureAnalysis.Visit(p.Body, all.Add);
        return all;
    }

    [Fact]
    public void Rosenbrock_gradient_loop_reads_no_adjoint_local_and_accumulates_each_element_once()
    {
        var gradient = ProcedureDerivatives.Gradient(ProcedureTests.Rosenbrock(), n => "d" + n);
        string code = Printed(gradient);
        Assert.Equal(1, Count(code, "dx[i] += "));
        Assert.Equal(1, Count(code, "dx[i + 1] += "));
        Assert.DoesNotContain("_d_", code, StringComparison.Ordinal);
        Assert.DoesNotContain("1.0 *", code, StringComparison.Ordinal);
    }

    /// <summary>An adjoint read twice keeps its local; the copy of a single accumulation reads the value directly.</summary>
    [Fact]
    public void A_value_read_by_two_statements_is_not_substituted()
    {
        var g = new Graph();
        var (t, u) = (g.Var("t"), g.Var("u"));
        var x0 = g.Load("x", g.Zero);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Declare("t", ValueKind.Real, g.Zero),
            new Declare("u", ValueKind.Real, g.Zero),
            new Accumulate("t", g.Sin(x0)),
            new Declare("r", ValueKind.Real, t),
            new Assign("t", g.Zero),
            new AccumulateElement("d", g.One, g.Var("r")),
            new AccumulateElement("d", g.Const(2), g.Var("r") * x0),
            new Accumulate("u", g.Cos(x0)),
            new Declare("s", ValueKind.Real, u),
            new Assign("u", g.Zero),
            new AccumulateElement("d", g.Zero, g.Var("s")),
            new Return(x0)), g);
        var simplified = AdjointSimplification.Apply(p);
        var statements = All(simplified);

        // r = sin(x[0]) is read twice: it stays a local; s = cos(x[0]) is read once: substituted, t and u never written
        Assert.Contains(statements, s => s is Declare { Name: "r", Initial: { Op: Op.Sin } });
        Assert.Contains(statements, s => s is AccumulateElement { Value: { Op: Op.Cos } });
        Assert.DoesNotContain(statements, s => s is Assign { Target: "t" or "u" } or Accumulate);
        SameValues(p, simplified, seed: 1);
    }

    /// <summary>d[0] += p; read d[0]; d[0] += q: the read must see p, so the two stay apart.</summary>
    [Fact]
    public void An_element_read_between_two_accumulations_keeps_both()
    {
        var g = new Graph();
        var x0 = g.Load("x", g.Zero);
        var d0 = g.Load("d", g.Zero);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new AccumulateElement("d", g.Zero, g.Sin(x0)),
            new Store("d", g.One, d0 * x0),
            new AccumulateElement("d", g.Zero, g.Cos(x0)),
            new AccumulateElement("d", g.One, x0),
            new AccumulateElement("d", g.Const(2), x0),
            new AccumulateElement("d", g.One, g.Exp(x0)),
            new Return(x0)), g);
        var simplified = AdjointSimplification.Apply(p);
        var accumulations = All(simplified).OfType<AccumulateElement>().ToList();

        // d[0] twice (read between), d[1] once (merged over d[2]'s), d[2] once
        Assert.Equal(4, accumulations.Count);
        Assert.Equal(2, accumulations.Count(a => a.Index.IsConstantValue(0)));
        Assert.Single(accumulations, a => a.Index.IsConstantValue(1) && a.Value.Op == Op.Add);
        SameValues(p, simplified, seed: 2);
    }

    /// <summary>
    /// An adjoint accumulated on every trip and reset only after the loop is loop-carried: it keeps +=. One reset
    /// at the end of every trip is 0 at the next trip's first accumulation: that one becomes =.
    /// </summary>
    [Fact]
    public void A_loop_carried_adjoint_keeps_accumulating()
    {
        var g = new Graph();
        var (i, carried, fresh) = (g.Var("i"), g.Var("carried"), g.Var("fresh"));
        var xi = g.Load("x", i);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Declare("carried", ValueKind.Real, g.Zero),
            new Declare("fresh", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Accumulate("carried", g.Sin(xi)),
                new Accumulate("fresh", g.Cos(xi)),
                new AccumulateElement("d", i, fresh * carried),
                new Assign("fresh", g.Zero))),
            new AccumulateElement("d", g.Zero, carried),
            new Assign("carried", g.Zero),
            new Return(g.Zero)), g);
        var simplified = AdjointSimplification.Apply(p);
        var statements = All(simplified);
        Assert.Contains(statements, s => s is Accumulate { Target: "carried" });
        Assert.DoesNotContain(statements, s => s is Accumulate { Target: "fresh" } || s is Assign { Target: "fresh", Value.IsConstant: true });
        SameValues(p, simplified, seed: 3);
    }

    /// <summary>A value known in one branch only, or on the first trip only, is not known after.</summary>
    [Fact]
    public void Constants_meet_over_branches_and_loop_trips()
    {
        var g = new Graph();
        var (i, k, scale, step) = (g.Var("i"), g.Var("k"), g.Var("scale"), g.Var("step"));
        var xi = g.Load("x", i);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Declare("scale", ValueKind.Real, g.One),
            new Declare("step", ValueKind.Real, g.One),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new AccumulateElement("d", i, scale * xi),
                new If(g.Greater(xi, g.Zero), B(new Assign("scale", g.Const(2))), B(new Assign("step", g.One))),
                new For("k", g.Zero, g.Const(2), B(
                    new AccumulateElement("d", i, step * scale * g.Load("x", k)),
                    new Assign("step", step * g.Const(3)))),
                new Assign("step", g.One))),
            new Return(scale + step)), g);
        var simplified = AdjointSimplification.Apply(p);
        string code = Printed(simplified);

        // scale is 1 or 2 on the trip; step is 1 when the inner loop starts but not on its second trip
        Assert.Contains("scale *", code, StringComparison.Ordinal);
        Assert.Contains("step", code, StringComparison.Ordinal);
        SameValues(p, simplified, seed: 4);
    }

    /// <summary>
    /// Random procedures over three real locals, an input and an output array: assignments, accumulations, resets,
    /// element stores and accumulations, declarations, nested loops and branches. Simplified, each gives the values it
    /// gave before (to rounding: merged sums are reassociated), and across them every clean-up happened.
    /// </summary>
    [Fact]
    public void Random_procedures_keep_their_values()
    {
        int assignmentsFromAccumulations = 0, removed = 0, merged = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            var p = RandomProcedure(seed);
            var simplified = AdjointSimplification.Apply(p);
            SameValues(p, simplified, seed);
            var before = All(p);
            var after = All(simplified);
            assignmentsFromAccumulations += Math.Max(0, before.Count(s => s is Accumulate) - after.Count(s => s is Accumulate));
            removed += Math.Max(0, before.Count(s => s is Assign) - after.Count(s => s is Assign));
            merged += Math.Max(0, before.Count(s => s is AccumulateElement) - after.Count(s => s is AccumulateElement));
        }

        Assert.True(assignmentsFromAccumulations > 50 && removed > 50 && merged > 50, $"{assignmentsFromAccumulations} accumulations became assignments, {removed} assignments went, {merged} element accumulations merged");
    }

    private static Procedure RandomProcedure(int seed)
    {
        var random = new Random(seed);
        var g = new Graph();
        string[] locals = { "a", "b", "c" };
        int temporaries = 0, counters = 0;
        var openCounters = new List<string>();

        Node Index() => openCounters.Count > 0 && random.Next(2) == 0 ? g.Var(openCounters[random.Next(openCounters.Count)]) : g.Const(random.Next(4));

        Node Leaf() => random.Next(5) switch
        {
            0 => g.Load("x", Index()),
            1 => g.Load("d", Index()),
            2 => g.Const(random.Next(1, 3)),
            _ => g.Var(locals[random.Next(locals.Length)]),
        };

        Node Expression(int depth) => depth == 0 || random.Next(3) == 0 ? Leaf() : random.Next(4) switch
        {
            0 => g.Add(Expression(depth - 1), Expression(depth - 1)),
            1 => g.Mul(Expression(depth - 1), g.Sin(Expression(depth - 1))),
            2 => g.Sub(Expression(depth - 1), Expression(depth - 1)),
            _ => g.Cos(Expression(depth - 1)),
        };

        Block Statements(int count, int depth)
        {
            var block = new List<Statement>();
            for (int n = 0; n < count; n++)
            {
                string local = locals[random.Next(locals.Length)];
                switch (random.Next(depth > 0 ? 10 : 8))
                {
                    case 0:
                        block.Add(new Assign(local, Expression(2)));
                        break;
                    case 1:
                    case 2:
                        block.Add(new Accumulate(local, Expression(2)));
                        break;
                    case 3:
                        block.Add(new Assign(local, g.Zero));
                        break;
                    case 4:
                        block.Add(new Store("d", Index(), Expression(2)));
                        break;
                    case 5:
                    case 6:
                        block.Add(new AccumulateElement("d", Index(), Expression(2)));
                        break;
                    case 7:
                        string temporary = "t" + temporaries++;
                        block.Add(new Declare(temporary, ValueKind.Real, g.Var(local)));
                        block.Add(new Assign(local, g.Zero));
                        block.Add(new AccumulateElement("d", Index(), g.Var(temporary)));
                        break;
                    case 8:
                        string counter = "k" + counters++;
                        openCounters.Add(counter);
                        block.Add(new For(counter, g.Zero, g.Const(random.Next(4)), Statements(random.Next(1, 6), depth - 1), Backward: random.Next(2) == 0));
                        openCounters.Remove(counter);
                        break;
                    default:
                        block.Add(new If(g.Greater(Expression(1), g.Zero), Statements(random.Next(0, 4), depth - 1), Statements(random.Next(0, 4), depth - 1)));
                        break;
                }
            }

            return new Block(block);
        }

        var body = new List<Statement>
        {
            new Declare("a", ValueKind.Real, g.Zero),
            new Declare("b", ValueKind.Real, random.Next(2) == 0 ? g.One : g.Load("x", g.Zero)),
            new Declare("c", ValueKind.Real, g.Zero),
        };
        body.AddRange(Statements(random.Next(3, 12), depth: 2).Statements);
        body.Add(new Assign("r", g.Var("b")));
        body.Add(new Return(g.Var("a") + g.Const(3) * g.Var("c")));
        return new Procedure("Random", new[]
        {
            new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true),
            new Parameter("r", ValueKind.Real, false, IsOutput: true),
        }, new Block(body), g);
    }

    /// <summary>The value, the output array and the output scalar agree to rounding on inputs drawn from <paramref name="seed"/>.</summary>
    private static void SameValues(Procedure before, Procedure after, int seed)
    {
        var random = new Random(seed + 1000);
        var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var d = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        (double Value, double[] D, double R) Run(Procedure p)
        {
            var scalars = new Dictionary<string, double> { ["r"] = 0.0 };
            var arrays = new Dictionary<string, double[]> { ["x"] = (double[])x.Clone(), ["d"] = (double[])d.Clone() };
            double value = ProcedureInterpreter.Run(p, scalars, arrays);
            return (value, arrays["d"], scalars["r"]);
        }

        var expected = Run(before);
        var actual = Run(after);
        void Close(double e, double a, string what) =>
            Assert.True(Math.Abs(e - a) <= 1e-12 * Math.Max(1.0, Math.Abs(e)) || (double.IsNaN(e) && double.IsNaN(a)), $"seed {seed}, {what}: {e:R} before, {a:R} after\n{Printed(before)}\n----\n{Printed(after)}");
        Close(expected.Value, actual.Value, "value");
        Close(expected.R, actual.R, "r");
        for (int k = 0; k < d.Length; k++)
        {
            Close(expected.D[k], actual.D[k], $"d[{k}]");
        }
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
