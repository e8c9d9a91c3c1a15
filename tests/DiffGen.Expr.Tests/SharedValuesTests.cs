using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Issue 11: <see cref="SharedValues"/> computes a costly value once for the statements of a run that read it,
/// never across a write to what it reads, and a loop-invariant one once before the loops; the procedure's value
/// is unchanged (the interpreter runs both).
/// </summary>
public class SharedValuesTests
{
    private static Block B(params Statement[] s) => new(s);

    private static int CountExp(Block block)
    {
        int n = 0;
        ProcedureAnalysis.Visit(block, s =>
        {
            var roots = s switch
            {
                Declare { Initial: { } i } => new[] { i },
                Assign a => new[] { a.Value },
                _ => Array.Empty<Node>(),
            };
            foreach (var root in roots)
            {
                n += Traversal.TopologicalOrder(root).FindAll(x => x.Op == Op.Exp).Count;
            }
        });
        return n;
    }

    [Fact]
    public void A_value_is_shared_until_what_it_reads_is_written()
    {
        var g = new Graph();
        var (x, s) = (g.Var("x"), g.Var("s"));
        var p = new Procedure("F", new[] { new Parameter("x0", ValueKind.Real) }, B(
            new Declare("x", ValueKind.Real, g.Var("x0")),
            new Declare("s", ValueKind.Real, g.Exp(x)),
            new Assign("s", s + 2.0 * g.Exp(x)),
            new Assign("x", x + 1.0),
            new Assign("s", s + 3.0 * g.Exp(x)),
            new Return(s)), g);

        var shared = SharedValues.Apply(p);
        // e^x once for the first two statements, then again after x changed
        Assert.Equal(2, CountExp(shared.Body));
        var scalars = new Dictionary<string, double> { ["x0"] = 0.3 };
        double expected = 3.0 * Math.Exp(0.3) + 3.0 * Math.Exp(1.3);
        Assert.Equal(expected, ProcedureInterpreter.Run(shared, scalars, new Dictionary<string, double[]>()), 12);
        Assert.Equal(expected, ProcedureInterpreter.Run(p, scalars, new Dictionary<string, double[]>()), 12);
    }

    [Fact]
    public void A_value_reading_only_unwritten_scalars_is_computed_once_before_the_loops()
    {
        var g = new Graph();
        var (i, t, s) = (g.Var("i"), g.Var("t"), g.Var("s"));
        var p = new Procedure("F", new[] { new Parameter("x", ValueKind.Array), new Parameter("t", ValueKind.Real) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Assign("s", s + g.Load("x", i) * g.Exp(-t) + g.Exp(g.Load("x", i) * t)))),
            new Return(s)), g);

        var shared = SharedValues.Apply(p);
        var first = Assert.IsType<Declare>(shared.Body.Statements[0]);
        Assert.Equal(Op.Exp, first.Initial!.Op);
        // the loop keeps only e^(x[i]·t), which reads an element
        var loop = Assert.IsType<For>(shared.Body.Statements[2]);
        Assert.Equal(1, CountExp(loop.Body));
        var arrays = new Dictionary<string, double[]> { ["x"] = new[] { 0.5, -1.25, 2.0 } };
        var scalars = new Dictionary<string, double> { ["t"] = 0.7 };
        double expected = 0;
        foreach (double v in arrays["x"])
        {
            expected += v * Math.Exp(-0.7) + Math.Exp(v * 0.7);
        }

        Assert.Equal(expected, ProcedureInterpreter.Run(shared, scalars, arrays), 12);
    }
}
