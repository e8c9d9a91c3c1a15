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

    /// <summary>
    /// Rosenbrock's one-pass gradient as a person writes it: no adjoint local, each element of dx stored once by the
    /// trip it belongs to (the part of dx[i + 1] carried to the next trip in a local), the last element after the loop.
    /// </summary>
    [Fact]
    public void Rosenbrock_gradient_stores_each_element_once_and_carries_the_next()
    {
        var gradient = ProcedureDerivatives.Gradient(ProcedureTests.Rosenbrock(), n => "d" + n);
        string code = Printed(gradient);
        Assert.Equal(1, Count(code, "dx[i] = _carry_dx - "));
        Assert.Equal(1, Count(code, "_carry_dx = _r;"));
        Assert.Equal(1, Count(code, "dx[x.Length - 1] = _carry_dx;"));

        // the loop and the carried last element cover dx: it is cleared only when the loop does not run
        Assert.Contains("else\n        {\n            dx.Clear();", code, StringComparison.Ordinal);
        Assert.Contains("for (int k = x.Length; k < dx.Length; k++)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("dx[i + 1]", code, StringComparison.Ordinal);

        // x[i] loaded once per trip (SharedValues): the store to dx between its uses might alias it for the JIT
        Assert.Equal(1, Count(code, "x[i]") - Count(code, "dx[i]"));
        Assert.DoesNotContain("_d_", code, StringComparison.Ordinal);
        Assert.DoesNotContain("1.0 *", code, StringComparison.Ordinal);
    }

    /// <summary>
    /// Counting down, the trip accumulates into d[i] and d[i + 1], and d[i] is what the next trip (i − 1) accumulates
    /// into again: that one is carried, d[i + 1] stored once per trip (it was cleared and no earlier trip wrote it).
    /// </summary>
    [Fact]
    public void A_loop_counting_down_carries_the_lower_element()
    {
        var g = new Graph();
        var i = g.Var("i");
        var xi = g.Load("x", i);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Clear("d"),
            new For("i", g.Zero, g.Var("x.Length") - 1.0, B(
                new AccumulateElement("d", i, g.Sin(xi)),
                new AccumulateElement("d", i + 1.0, g.Cos(xi) * g.Load("x", i + 1.0))), Backward: true),
            new Return(g.Zero)), g);
        var simplified = AdjointSimplification.Apply(p);
        var statements = All(simplified);
        Assert.Contains(statements, s => s is Store { Array: "d", Index: { Op: Op.Add } });
        Assert.Contains(statements, s => s is Accumulate or Assign { Target: "_carry_d" });
        SameValues(p, simplified, seed: 5);
    }

    /// <summary>A loop that reads the array it accumulates into, or accumulates three neighbours, keeps its accumulations.</summary>
    [Fact]
    public void Accumulations_read_in_the_loop_or_three_apart_stay_in_memory()
    {
        var g = new Graph();
        var i = g.Var("i");
        var xi = g.Load("x", i);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true), new Parameter("e", ValueKind.Array, false, IsOutput: true) }, B(
            new For("i", g.Zero, g.Var("x.Length") - 2.0, B(
                new AccumulateElement("d", i, g.Sin(xi)),
                new AccumulateElement("d", i + 1.0, g.Cos(xi) * g.Load("d", i)),
                new AccumulateElement("e", i, xi),
                new AccumulateElement("e", i + 1.0, xi),
                new AccumulateElement("e", i + 2.0, xi))),
            new Return(g.Zero)), g);
        var simplified = AdjointSimplification.Apply(p);
        Assert.DoesNotContain(All(simplified), s => s is Declare { Name: var name } && name.StartsWith("_carry", StringComparison.Ordinal));
        Assert.Equal(5, All(simplified).Count(s => s is AccumulateElement));
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
    /// Only the first loop after d.Clear() finds its elements at 0; the second accumulates onto the first's. A loop
    /// whose end the body changes (read once at entry) is not carried: the end read again after it would differ.
    /// </summary>
    [Fact]
    public void Only_the_first_loop_after_a_clear_stores_and_a_moving_end_is_not_carried()
    {
        var g = new Graph();
        var (i, j, k) = (g.Var("i"), g.Var("j"), g.Var("k"));
        var m = g.Var("m");
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Clear("d"),
            new For("i", g.Zero, g.Var("x.Length"), B(new AccumulateElement("d", i, g.Sin(g.Load("x", i))))),
            new For("j", g.Zero, g.Var("x.Length"), B(new AccumulateElement("d", j, g.Cos(g.Load("x", j))))),
            new Declare("m", ValueKind.Integer, g.Var("x.Length") - 1.0),
            new For("k", g.Zero, m, B(
                new Assign("m", m - 1.0),
                new AccumulateElement("d", k, g.Load("x", k)),
                new AccumulateElement("d", k + 1.0, g.Exp(g.Load("x", k))))),
            new Return(g.Zero)), g);
        var simplified = AdjointSimplification.Apply(p);
        var statements = All(simplified);
        Assert.Single(statements.OfType<Store>());
        Assert.Contains(statements, s => s is AccumulateElement { Index: { Op: Op.Var, Name: "j" } });
        Assert.DoesNotContain(statements, s => s is Declare { Name: var name } && name.StartsWith("_carry", StringComparison.Ordinal));
        SameValues(p, simplified, seed: 6);
    }

    /// <summary>
    /// A value two statements compute is computed once, but not out of a ?: branch: x[k] read only when k is in range
    /// must stay there (C# throws on an element out of range; the interpreter evaluates both branches, so k is in range here).
    /// </summary>
    [Fact]
    public void Shared_values_are_computed_once_but_never_out_of_a_branch()
    {
        var g = new Graph();
        var k = g.Var("k");
        var inRange = g.Less(k, g.Var("x.Length"));
        var xk = g.Load("x", k);
        var x0 = g.Load("x", g.Zero);
        var p = new Procedure("P", new[] { new Parameter("x", ValueKind.Array), new Parameter("d", ValueKind.Array, false, IsOutput: true) }, B(
            new Declare("k", ValueKind.Integer, g.Const(3)),
            new AccumulateElement("d", g.Const(2), g.Tanh(x0) * x0),
            new AccumulateElement("d", g.Zero, g.Select(inRange, xk, g.Tanh(x0))),
            new AccumulateElement("d", g.One, g.Select(inRange, xk * 2.0, g.Tanh(x0) * 3.0)),
            new Return(g.Tanh(x0))), g);
        var simplified = AdjointSimplification.Apply(p);
        var declared = All(simplified).OfType<Declare>().Where(d => d.Kind == ValueKind.Real).ToList();
        Assert.Contains(declared, d => d.Initial!.Op == Op.Tanh);
        Assert.DoesNotContain(declared, d => ProcedureAnalysis.Reads(d.Initial).Contains("k"));
        SameValues(p, simplified, seed: 7);
    }

    /// <summary>
    /// d.Clear(), then a loop over [1, m) accumulating into d[i] and d[i + 1]: carried, stored, and cleared only outside
    /// [1, m] when the loop runs. Every element of a longer d comes out as before, for m from 0 (no trip) to the end.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_covered_clear_clears_only_what_the_loop_does_not_store(int m)
    {
        var g = new Graph();
        var i = g.Var("i");
        var xi = g.Load("x", i);
        var p = new Procedure("P", new[]
        {
            new Parameter("x", ValueKind.Array), new Parameter("m", ValueKind.Integer, false),
            new Parameter("d", ValueKind.Array, false, IsOutput: true),
        }, B(
            new Clear("d"),
            new For("i", g.One, g.Var("m"), B(
                new AccumulateElement("d", i, g.Sin(xi)),
                new AccumulateElement("d", i + 1.0, g.Cos(xi) * xi))),
            new Return(g.Zero)), g);
        var simplified = AdjointSimplification.Apply(p);
        Assert.Contains(All(simplified), s => s is If { Else.Statements: var otherwise } && otherwise.Count == 1 && otherwise[0] is Clear);
        Assert.Contains(All(simplified), s => s is Store { Array: "d", Index: { Op: Op.Var, Name: "m" } });

        double[] Run(Procedure procedure)
        {
            var arrays = new Dictionary<string, double[]>
            {
                ["x"] = new[] { 0.3, -1.2, 0.8, 1.5, -0.4, 0.9 },
                ["d"] = new[] { 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0 },
            };
            ProcedureInterpreter.Run(procedure, new Dictionary<string, double> { ["m"] = m }, arrays);
            return arrays["d"];
        }

        var expected = Run(p);
        var actual = Run(simplified);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-15, $"m = {m}, d[{k}]: {expected[k]:R} before, {actual[k]:R} after");
        }
    }

    /// <summary>
    /// Random procedures over three real locals, an input and an output array: assignments, accumulations, resets,
    /// element stores and accumulations, declarations, nested loops and branches. Simplified, each gives the values it
    /// gave before (to rounding: merged sums are reassociated), and across them every clean-up happened.
    /// </summary>
    [Fact]
    public void Random_procedures_keep_their_values()
    {
        int assignmentsFromAccumulations = 0, removed = 0, merged = 0, carried = 0, fresh = 0;
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
            carried += after.Count(s => s is Declare { Name: var name } && name.StartsWith("_carry", StringComparison.Ordinal));
            fresh += Math.Max(0, after.Count(s => s is Store) - before.Count(s => s is Store));
        }

        Assert.True(assignmentsFromAccumulations > 50 && removed > 50 && merged > 50 && carried > 10 && fresh > 10,
            $"{assignmentsFromAccumulations} accumulations became assignments, {removed} assignments went, {merged} element accumulations merged, {carried} loops carried, {fresh} fresh elements stored");
    }

    private static Procedure RandomProcedure(int seed)
    {
        var random = new Random(seed);
        var g = new Graph();
        string[] locals = { "a", "b", "c" };
        int temporaries = 0, counters = 0;
        var openCounters = new List<string>();

        // d has 4 elements and counters stay below 3, so counter + 1 is in range
        Node Index() => openCounters.Count == 0 || random.Next(3) == 0 ? g.Const(random.Next(4))
            : g.Var(openCounters[random.Next(openCounters.Count)]) + (double)random.Next(2);

        bool readsD = true;
        Node Leaf() => random.Next(5) switch
        {
            0 => g.Load("x", Index()),
            1 when !readsD => g.Load("x", Index()),
            4 when openCounters.Count > 0 && random.Next(2) == 0 => g.Load("x", g.Var(openCounters[^1]) + 1.0),
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
                    case 8 when random.Next(3) == 0:
                        // a cleared d, then a loop accumulating into neighbouring elements of it that reads none
                        if (random.Next(2) == 0)
                        {
                            block.Add(new Clear("d"));
                        }

                        string stencil = "k" + counters++;
                        openCounters.Add(stencil);
                        readsD = false;
                        var trip = new List<Statement>(Statements(random.Next(0, 3), depth: 0).Statements.Where(s => s is not (Store or AccumulateElement or Declare)));
                        var k = g.Var(stencil);
                        trip.Insert(random.Next(trip.Count + 1), new AccumulateElement("d", k + 1.0, Expression(2)));
                        trip.Insert(random.Next(trip.Count + 1), new AccumulateElement("d", k, Expression(2)));
                        if (random.Next(2) == 0)
                        {
                            trip.Insert(random.Next(trip.Count + 1), new AccumulateElement("d", random.Next(2) == 0 ? k : k + 1.0, Expression(2)));
                        }

                        readsD = true;
                        openCounters.Remove(stencil);
                        block.Add(new For(stencil, g.Zero, g.Const(random.Next(4)), new Block(trip), Backward: random.Next(2) == 0));
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
