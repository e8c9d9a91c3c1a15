using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Issue 14 (GradBench gmm): <see cref="InnerLoopTables"/> computes a value of an inner counter that the loop around
/// does not change once per index, over the largest of a triangle's nested ranges; <see cref="LogSumExpShift"/> holds
/// the shift of a log-sum-exp constant and nothing else; <see cref="SharedValues"/> keeps a packed index two
/// statements read in one int local; <see cref="RestoredElements"/> drops an adjoint's reset and re-add that leave it as
/// it was. Values are checked with the interpreter (and complex step for the gradient).
/// </summary>
public class TriangularPassesTests
{
    private static Block B(params Statement[] s) => new(s);

    private static int Count(Block block, Op op)
    {
        int n = 0;
        ProcedureAnalysis.Visit(block, s =>
        {
            var roots = s switch
            {
                Declare { Initial: { } i } => new[] { i },
                Assign a => new[] { a.Value },
                Store st => new[] { st.Index, st.Value },
                AccumulateElement ae => new[] { ae.Index, ae.Value },
                Accumulate ac => new[] { ac.Value },
                Return r => new[] { r.Value },
                _ => Array.Empty<Node>(),
            };
            foreach (var root in roots)
            {
                n += Traversal.TopologicalOrder(root).FindAll(x => x.Op == op).Count;
            }
        });
        return n;
    }

    /// <summary>Σ_r (Σ_{col ≤ r} w[r·d + col]·cos(x[col]) + bias)² with the triangle <paramref name="lower"/> (col &lt; r) or upper (col &gt; r).</summary>
    private static Procedure Triangle(bool lower, Func<Graph, Node, Node, Node> term)
    {
        var g = new Graph();
        var (r, col, row, total, d) = (g.Var("r"), g.Var("col"), g.Var("row"), g.Var("total"), g.Var("x.Length"));
        var inner = lower ? new For("col", g.Zero, r, B(new Assign("row", row + term(g, r, col))))
            : new For("col", r + 1.0, d, B(new Assign("row", row + term(g, r, col))));
        return new Procedure("T", new[] { new Parameter("w", ValueKind.Array), new Parameter("x", ValueKind.Array, Differentiable: false) }, B(
            new Declare("total", ValueKind.Real, g.Zero),
            new For("r", g.Zero, d, B(
                new Declare("row", ValueKind.Real, g.Zero),
                inner,
                new Assign("total", total + row * row))),
            new Return(total)), g);
    }

    private static double Run(Procedure p, double[] w, double[] x) =>
        ProcedureInterpreter.Run(p, new Dictionary<string, double>(), new Dictionary<string, double[]> { ["w"] = (double[])w.Clone(), ["x"] = (double[])x.Clone() });

    private static double[] Wave(int n, double phase) => Enumerable.Range(0, n).Select(i => Math.Sin(1.7 * i + phase)).ToArray();

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 5)]
    [InlineData(false, 5)]
    public void A_value_of_the_inner_counter_is_computed_once_per_index_over_the_largest_range(bool lower, int d)
    {
        var p = Triangle(lower, (g, r, col) => g.Load("w", r * g.Var("x.Length") + col) * g.Cos(g.Load("x", col)));
        var tabled = InnerLoopTables.Apply(p);

        // one cos, in the fill before the row loop (not in the row loop, whose inner loop reads the table)
        var loop = tabled.Body.Statements.OfType<For>().Single();
        Assert.Equal(0, Count(loop.Body, Op.Cos));
        Assert.Equal(1, Count(tabled.Body, Op.Cos));
        Assert.Contains(tabled.Body.Statements, s => s is Declare { Kind: ValueKind.Array } table && table.Name.StartsWith("_table", StringComparison.Ordinal));
        double[] w = Wave(d * d, 0.3), x = Wave(d, 1.1);
        Assert.Equal(Run(p, w, x), Run(tabled, w, x), 14);
    }

    [Fact]
    public void A_value_reading_the_outer_counter_or_read_under_a_condition_is_not_tabled()
    {
        var outer = Triangle(true, (g, r, col) => g.Cos(g.Load("x", col) * g.Load("x", r)));
        Assert.Same(outer, InnerLoopTables.Apply(outer));

        // cos(x[col + 1]) only where col > 0: at col = r − 1 = d − 2 it reads x[d − 1], which the table would read for every col
        var guarded = Triangle(true, (g, r, col) => g.Select(g.Less(g.Zero, col), g.Cos(g.Load("x", col + 1.0)), g.Zero));
        Assert.Same(guarded, InnerLoopTables.Apply(guarded));
    }

    /// <summary>m + log Σ exp(x[i] − m) with m the running max, times <paramref name="scale"/> on m (1: a log-sum-exp).</summary>
    private static Procedure LogSumExp(double scale)
    {
        var g = new Graph();
        var (i, m, s) = (g.Var("i"), g.Var("m"), g.Var("s"));
        return new Procedure("L", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("m", ValueKind.Real, g.Load("x", g.Zero)),
            new For("i", g.One, g.Var("x.Length"), B(new Assign("m", g.Max(m, g.Load("x", i))))),
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(new Assign("s", s + g.Exp(g.Load("x", i) - m)))),
            new Return(scale * m + g.Log(s))), g);
    }

    [Fact]
    public void The_shift_of_a_log_sum_exp_is_stopped_and_the_gradient_is_the_softmax()
    {
        var p = LogSumExp(1.0);
        var shifted = LogSumExpShift.Apply(p);
        Assert.Equal(2, Count(shifted.Body, Op.StopGradient));

        double[] x = { 0.4, 1.3, 1.3, -0.7, 0.2 };
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var arrays = new Dictionary<string, double[]> { ["x"] = (double[])x.Clone(), ["dx"] = new double[x.Length] };
        double value = ProcedureInterpreter.Run(gradient, new Dictionary<string, double>(), arrays);
        double sum = x.Sum(v => Math.Exp(v - 1.3));
        Assert.Equal(1.3 + Math.Log(sum), value, 14);
        for (int k = 0; k < x.Length; k++)
        {
            Assert.Equal(Math.Exp(x[k] - 1.3) / sum, arrays["dx"][k], 15);
        }

        // the max's reverse loop (its saved values, its tie rule) is gone: the gradient has the forward max only
        Assert.Equal(1, Count(gradient.Body, Op.Max));
    }

    [Fact]
    public void A_shift_counted_twice_or_a_sum_read_elsewhere_keeps_its_derivative()
    {
        var twice = LogSumExp(2.0);
        Assert.Same(twice, LogSumExpShift.Apply(twice));

        var g = new Graph();
        var (i, m, s) = (g.Var("i"), g.Var("m"), g.Var("s"));
        var readElsewhere = new Procedure("L", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("m", ValueKind.Real, g.Load("x", g.Zero)),
            new For("i", g.One, g.Var("x.Length"), B(new Assign("m", g.Max(m, g.Load("x", i))))),
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(new Assign("s", s + g.Exp(g.Load("x", i) - m)))),
            new Return(m + g.Log(s) + s)), g);
        Assert.Same(readElsewhere, LogSumExpShift.Apply(readElsewhere));

        // m written between the sum and its log: the log does not take back the shift the terms used
        var moved = new Procedure("L", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("m", ValueKind.Real, g.Load("x", g.Zero)),
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(new Assign("s", s + g.Exp(g.Load("x", i) - m)))),
            new Assign("m", m * 2.0),
            new Return(m + g.Log(s))), g);
        Assert.Same(moved, LogSumExpShift.Apply(moved));
    }

    [Fact]
    public void A_packed_index_two_statements_read_is_kept_in_an_int_local()
    {
        var g = new Graph();
        var (j, d) = (g.Var("j"), g.Var("d"));
        var index = j * (2.0 * d - j - 1.0);
        var packed = g.IntDiv(index, g.Const(2)) + d;
        var p = new Procedure("P", new[] { new Parameter("w", ValueKind.Array), new Parameter("d", ValueKind.Integer), new Parameter("out", ValueKind.Array, Differentiable: false) }, B(
            new Declare("t", ValueKind.Real, g.Zero),
            new For("j", g.Zero, d, B(
                new AccumulateElement("out", packed, g.Var("t") * 2.0),
                new Assign("t", g.Var("t") + g.Load("w", packed)))),
            new Return(g.Var("t"))), g);

        var shared = SharedValues.Apply(p);
        var loop = shared.Body.Statements.OfType<For>().Single();
        var local = Assert.IsType<Declare>(loop.Body.Statements[0]);
        Assert.Equal(ValueKind.Integer, local.Kind);
        Assert.Equal(1, Count(loop.Body, Op.IntDiv));
        var arrays = new Dictionary<string, double[]> { ["w"] = Wave(20, 0.2), ["out"] = new double[20] };
        var scalars = new Dictionary<string, double> { ["d"] = 4 };
        double expected = ProcedureInterpreter.Run(p, scalars, new Dictionary<string, double[]> { ["w"] = Wave(20, 0.2), ["out"] = new double[20] });
        Assert.Equal(expected, ProcedureInterpreter.Run(shared, scalars, arrays), 14);
    }

    /// <summary>t = a[k]; a[k] = 0; [between]; a[k] += t; out = t + a[k] (a has 3 elements, k = 1).</summary>
    private static Procedure ResetAndAdd(Func<Graph, Statement?> between)
    {
        var g = new Graph();
        var k = g.Var("k");
        var statements = new List<Statement>
        {
            new Declare("a", ValueKind.Array, Length: g.Const(3)),
            new Store("a", k, g.Load("x", k) * 2.0),
            new Declare("t", ValueKind.Real, g.Load("a", k)),
            new Store("a", k, g.Zero),
        };
        if (between(g) is { } statement)
        {
            statements.Add(statement);
        }

        statements.Add(new AccumulateElement("a", k, g.Var("t")));
        statements.Add(new Return(g.Var("t") + g.Load("a", k) + g.Var("u")));
        return new Procedure("R", new[] { new Parameter("x", ValueKind.Array), new Parameter("k", ValueKind.Integer) },
            new Block(new Statement[] { new Declare("u", ValueKind.Real, g.Zero) }.Concat(statements)), g);
    }

    [Fact]
    public void A_reset_and_re_add_of_the_copied_element_go()
    {
        var p = ResetAndAdd(g => new Assign("u", g.Load("x", g.Zero)));
        var restored = RestoredElements.Apply(p);
        Assert.DoesNotContain(restored.Body.Statements, s => s is Store { Value.IsConstant: true } or AccumulateElement);
        var scalars = new Dictionary<string, double> { ["k"] = 1 };
        double Run(Procedure q) => ProcedureInterpreter.Run(q, scalars, new Dictionary<string, double[]> { ["x"] = new[] { 0.5, -1.5, 2.0 } });
        Assert.Equal(Run(p), Run(restored));
    }

    [Fact]
    public void A_reset_element_read_before_the_re_add_stays()
    {
        var p = ResetAndAdd(g => new Assign("u", g.Load("a", g.Var("k"))));
        Assert.Same(p, RestoredElements.Apply(p));
    }
}
