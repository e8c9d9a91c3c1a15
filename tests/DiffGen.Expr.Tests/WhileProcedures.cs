using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>Procedures with <see cref="While"/> loops, for the run-time path (interpreter and derivative procedures) in <see cref="ProcedureTests"/>.</summary>
public static class WhileProcedures
{
    private static Block B(params Statement[] s) => new(s);

    /// <summary>Newton's iteration for √a, until |x² − a| ≤ 1e-12·a or 50 trips: the trip count is kept in a local.</summary>
    internal static Procedure NewtonSqrt()
    {
        var g = new Graph();
        var (a, x, iter) = (g.Var("a"), g.Var("x"), g.Var("iter"));
        return new Procedure("NewtonSqrt", new[] { new Parameter("a", ValueKind.Real) }, B(
            new Declare("x", ValueKind.Real, 1.0 + a / 2.0),
            new Declare("iter", ValueKind.Integer, g.Zero),
            new While(g.And(g.Greater(g.Abs(x * x - a), 1e-12 * a), g.Less(iter, g.Const(50))), B(
                new Assign("x", 0.5 * (x + a / x)),
                new Assign("iter", iter + 1.0))),
            new Return(x)), g);
    }

    /// <summary>
    /// A while loop inside a for loop (a trip count per element, pushed), then a do loop over the sum:
    /// yᵢ = xᵢ² + 1 shrunk by y ← 1.1·√y while y &gt; 1.5; s = Σ yᵢ·xᵢ; t halved with a sine until |t| ≤ 0.3.
    /// </summary>
    internal static Procedure ShrinkThenHalve()
    {
        var g = new Graph();
        var (i, y, s, t) = (g.Var("i"), g.Var("y"), g.Var("s"), g.Var("t"));
        var xi = g.Load("x", i);
        return new Procedure("ShrinkThenHalve", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new For("i", g.Zero, g.Var("x.Length"), B(
                new Declare("y", ValueKind.Real, xi * xi + 1.0),
                new While(g.Greater(y, g.Const(1.5)), B(
                    new Assign("y", 1.1 * g.Sqrt(y)))),
                new Assign("s", s + y * xi))),
            new Declare("t", ValueKind.Real, s * 3.0),
            new While(g.Greater(g.Abs(t), g.Const(0.3)), B(
                new Assign("t", t * 0.5 + 0.1 * g.Sin(t))), TestFirst: false),
            new Return(t + s)), g);
    }

    /// <summary>Σ xᵢ² over the leading positive elements: <c>while (i &lt; x.Length &amp;&amp; x[i] &gt; 0)</c> must not read x[x.Length].</summary>
    internal static Procedure LeadingSquares()
    {
        var g = new Graph();
        var (i, s) = (g.Var("i"), g.Var("s"));
        var xi = g.Load("x", i);
        return new Procedure("LeadingSquares", new[] { new Parameter("x", ValueKind.Array) }, B(
            new Declare("s", ValueKind.Real, g.Zero),
            new Declare("i", ValueKind.Integer, g.Zero),
            new While(g.And(g.Less(i, g.Var("x.Length")), g.Greater(xi, g.Zero)), B(
                new Assign("s", s + xi * xi),
                new Assign("i", i + 1.0))),
            new Return(s)), g);
    }
}
