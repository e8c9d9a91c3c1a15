using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Issue 11: the save plan of the reverse sweep saves less — locals recomputed from read-only inputs and
/// counters, integer steps undone — and the gradients still equal complex step.
/// </summary>
public class SavePlanTests
{
    private static Block B(params Statement[] s) => new(s);

    private static HashSet<string> Active(Procedure p) =>
        ProcedureAnalysis.Active(p, p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput).Select(x => x.Name));

    private static int Count<T>(Block block)
        where T : Statement
    {
        int n = 0;
        ProcedureAnalysis.Visit(block, s => n += s is T ? 1 : 0);
        return n;
    }

    /// <summary>
    /// A packed lower triangle read through an integer cursor, as GMM reads its Cholesky factors:
    /// Σ_c Σ_{col &lt; r} w[next++]·x[r]·x[col], next starting at c·stride for every c.
    /// </summary>
    internal static Procedure PackedTriangle()
    {
        var g = new Graph();
        var (c, col, r, next) = (g.Var("c"), g.Var("col"), g.Var("r"), g.Var("next"));
        var s = g.Var("s");
        return new Procedure("Packed", new[]
        {
            new Parameter("w", ValueKind.Array), new Parameter("x", ValueKind.Array),
            new Parameter("k", ValueKind.Integer, Differentiable: false), new Parameter("stride", ValueKind.Integer, Differentiable: false),
        }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new For("c", g.Zero, g.Var("k"), B(
                new Declare("next", ValueKind.Integer, c * g.Var("stride")),
                new For("col", g.Zero, g.Var("x.Length"), B(
                    new For("r", col + 1.0, g.Var("x.Length"), B(
                        new Assign("s", s + g.Sin(g.Load("w", next) * g.Load("x", r)) * g.Load("x", col)),
                        new Assign("next", next + 1.0))))))),
            new Return(s)), g);
    }

    [Fact]
    public void Rosenbrock_saves_nothing_and_recomputes_its_two_locals()
    {
        var p = ProcedureTests.Rosenbrock().CopyToNewGraph();
        var plan = SaveAnalysis.Run(p, Active(p));
        Assert.Equal(0, plan.SaveSites);
        Assert.Equal(2, plan.RecomputedLocals);
        var gradient = ProcedureDerivatives.Gradient(ProcedureTests.Rosenbrock(), n => "d" + n);
        Assert.Equal(0, Count<Push>(gradient.Body));
        Assert.Equal(0, Count<Pop>(gradient.Body));
    }

    [Fact]
    public void An_integer_cursor_is_stepped_back_instead_of_saved()
    {
        var p = PackedTriangle();
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        // One save per c (the cursor's value at the end of the previous c, read first by the reverse of the
        // inner loops), none per step of the cursor.
        Assert.Equal(1, Count<Push>(gradient.Body));

        var arrays = new Dictionary<string, double[]> { ["w"] = Enumerable.Range(0, 12).Select(i => 0.1 * i - 0.4).ToArray(), ["x"] = new[] { 0.3, -0.7, 1.1, 0.5 } };
        var scalars = new Dictionary<string, double> { ["k"] = 2, ["stride"] = 6 };
        var expected = ProcedureTests.ComplexStep(p, scalars, arrays);
        var ga = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        ga["dw"] = new double[12];
        ga["dx"] = new double[4];
        ProcedureInterpreter.Run(gradient, new Dictionary<string, double>(scalars), ga);
        Oracles.AssertClose(expected["w"], ga["dw"], 1e-12, "dw");
        Oracles.AssertClose(expected["x"], ga["dx"], 1e-12, "dx");
    }

    [Fact]
    public void Differentiating_leaves_the_procedure_and_its_graph_unchanged()
    {
        var p = ProcedureTests.Rosenbrock();
        int nodes = p.Graph.NodeCount;
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var tangent = ProcedureDerivatives.Tangent(p, n => "t" + n);
        Assert.Equal(nodes, p.Graph.NodeCount);
        Assert.NotSame(p.Graph, gradient.Graph);
        Assert.NotSame(p.Graph, tangent.Graph);
        Assert.Equal(ProcedureTests.Rosenbrock(), p);
    }
}
