using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// The reverse sweep records which branch an <c>if</c> took. Inside a loop that record is pushed per trip;
/// an <c>if</c> outside loops runs once, so its flag stays in a local and the sweep touches no value stack
/// (bundle adjustment's θ² = 0 test in a loop-free vector-output method paid a pooled stack per call for one flag).
/// </summary>
public class BranchFlagTests
{
    private static Block B(params Statement[] s) => new(s);

    private static int BranchFlagPushes(Block block)
    {
        int n = 0;
        ProcedureAnalysis.Visit(block, s => n += s is Push { Value.Name: { } name } && name.StartsWith("_branch") ? 1 : 0);
        return n;
    }

    /// <summary>
    /// s = a·x₀, then s = s > 0 ? √s·sin x₀ : a·x₀ (a top-level branch, the singular √ in the branch not taken at
    /// s ≤ 0), then, when <paramref name="inLoop"/>, s += s > x[i] ? x[i]·a : x[i]² for every i. Both conditions read
    /// s, which the method writes, so the branch taken is recorded (a condition on names nothing writes is evaluated
    /// again instead: ReplayedBranchCodeTests).
    /// </summary>
    private static Procedure Branches(bool inLoop)
    {
        var g = new Graph();
        var (a, s, i) = (g.Var("a"), g.Var("s"), g.Var("i"));
        var statements = new List<Statement>
        {
            new Declare("s", ValueKind.Real, a * g.Load("x", g.Zero)),
            new If(g.Greater(s, g.Zero),
                B(new Assign("s", g.Sqrt(s) * g.Sin(g.Load("x", g.Zero)))),
                B(new Assign("s", a * g.Load("x", g.Zero)))),
        };
        if (inLoop)
        {
            var xi = g.Load("x", i);
            statements.Add(new For("i", g.Zero, g.Var("x.Length"), B(
                new If(g.Greater(s, xi), B(new Assign("s", s + xi * a)), B(new Assign("s", s + xi * xi))))));
        }

        statements.Add(new Return(s));
        return new Procedure("Branches", new[] { new Parameter("x", ValueKind.Array), new Parameter("a", ValueKind.Real) }, B(statements.ToArray()), g);
    }

    [Theory]
    [InlineData(false, 0.7)]
    [InlineData(false, -0.4)]
    [InlineData(true, 0.7)]
    [InlineData(true, -0.4)]
    public void Only_a_branch_inside_a_loop_pushes_its_flag_and_the_gradient_equals_complex_step(bool inLoop, double a)
    {
        var p = Branches(inLoop);
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        Assert.Equal(inLoop ? 1 : 0, BranchFlagPushes(gradient.Body));

        var arrays = new Dictionary<string, double[]> { ["x"] = new[] { 0.3, -0.8, 1.2 } };
        var scalars = new Dictionary<string, double> { ["a"] = a };
        var expected = ProcedureTests.ComplexStep(p, scalars, arrays);
        var ga = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        ga["dx"] = new double[3];
        var gs = new Dictionary<string, double>(scalars);
        ProcedureInterpreter.Run(gradient, gs, ga);
        Oracles.AssertClose(expected["x"], ga["dx"], 1e-12, "dx");
        Oracles.AssertClose(expected["a"], new[] { gs["da"] }, 1e-12, "da");
    }
}
