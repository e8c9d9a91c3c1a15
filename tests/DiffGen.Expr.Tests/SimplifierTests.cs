using System;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>The rewrites the simplifier applies, and the ones it must refuse for IEEE reasons.</summary>
public class SimplifierTests
{
    private readonly Graph _g = new();
    private Node X => _g.Var("x");
    private Node Y => _g.Var("y");

    [Fact]
    public void Identities_that_keep_every_defined_value_are_applied()
    {
        Assert.Same(X, X + 0.0);
        Assert.Same(X, 0.0 + X);
        Assert.Same(X, X - 0.0);
        Assert.Same(X, X * 1.0);
        Assert.Same(X, 1.0 * X);
        Assert.Same(X, X / 1.0);
        Assert.Same(X, -(-X));
        Assert.Same(_g.Neg(X), X * -1.0);
        Assert.Same(_g.Neg(X), 0.0 - X);
        Assert.Same(X - Y, X + (-Y));
        Assert.Same(X + Y, X - (-Y));
        Assert.Same(X * Y, (-X) * (-Y));
        Assert.Same(-(X * Y), (-X) * Y);
        Assert.Same(-(X / Y), X / (-Y));
        Assert.Same(-(X + Y), (-X) - Y);
        Assert.Same(Y - X, -(X - Y));
        Assert.Same(X * Y, -(-(X * Y)));
        Assert.Same(X, _g.Pow(X, 1.0));
        Assert.Same(X * X, _g.Pow(X, 2.0));
        Assert.Same(_g.One, _g.Pow(X, 0.0));
        Assert.Same(1.0 / X, _g.Pow(X, -1.0));
        Assert.Same(_g.Abs(X), _g.Abs(_g.Abs(X)));
        Assert.Same(_g.Abs(X), _g.Abs(-X));
        Assert.Same(X, _g.Select(_g.Less(X, Y), X, X));
        Assert.Same(Y, _g.Select(_g.One, Y, X));
        Assert.Same(_g.Select(_g.Less(X, Y), Y, X), _g.Select(_g.Not(_g.Less(X, Y)), X, Y));
    }

    [Fact]
    public void A_select_nested_under_the_same_condition_takes_its_branch()
    {
        var c = _g.Less(X, Y);
        var z = _g.Var("z");
        Assert.Same(_g.Select(c, X, z), _g.Select(c, _g.Select(c, X, Y), z));
        Assert.Same(_g.Select(c, z, Y), _g.Select(c, z, _g.Select(c, X, Y)));
        // another condition is left alone
        var other = _g.Less(Y, X);
        Assert.Equal(Op.Select, _g.Select(c, _g.Select(other, X, Y), z).ArgArray[1].Op);
    }

    [Fact]
    public void Constants_fold_and_a_commuted_operation_reuses_the_existing_node()
    {
        Assert.Equal(Math.Exp(2.0) * 3.0, (_g.Exp(_g.Const(2.0)) * 3.0).Value);
        Assert.True(_g.Less(_g.Const(2.0), _g.Const(3.0)).IsConstantValue(1.0));
        Assert.Same(X * Y, Y * X);
        Assert.Same(X + Y, Y + X);
        Assert.Same(_g.Sin(X) * 2.0, 2.0 * _g.Sin(X));
    }

    [Fact]
    public void Rewrites_that_would_change_a_defined_value_or_hide_NaN_are_refused()
    {
        // 0·x: 0·∞ = NaN
        Assert.Equal(Op.Mul, (0.0 * X).Op);
        Assert.True(double.IsNaN(Eval(0.0 * X, double.PositiveInfinity)));
        // x − x: ∞ − ∞ = NaN
        Assert.Equal(Op.Sub, (X - X).Op);
        // x/x: 0/0 = NaN
        Assert.Equal(Op.Div, (X / X).Op);
        // ln(eˣ): eˣ overflows at 1000
        Assert.Equal(Op.Log, _g.Log(_g.Exp(X)).Op);
        Assert.True(double.IsPositiveInfinity(Eval(_g.Log(_g.Exp(X)), 1000)));
        // e^(ln x): NaN for x < 0
        Assert.Equal(Op.Exp, _g.Exp(_g.Log(X)).Op);
        // √(x²): x² overflows
        Assert.Equal(Op.Sqrt, _g.Sqrt(X * X).Op);
        // x^½ vs √x differ at −0 and −∞
        Assert.Equal(Op.Pow, _g.Pow(X, 0.5).Op);
        Assert.NotEqual(Math.Pow(double.NegativeInfinity, 0.5), Math.Sqrt(double.NegativeInfinity));
        // reassociation and gathering constants round differently
        var gathered = 3.0 * (0.1 * X);
        Assert.Equal(Op.Mul, gathered.Args[1].Op);
        Assert.NotEqual(3.0 * (0.1 * 7.0), (3.0 * 0.1) * 7.0);
    }

    [Fact]
    public void A_masked_branch_contributes_an_exact_zero_instead_of_zero_times_NaN()
    {
        // d/dx of (x > 0 ? √x : 0) at x = −1: the untaken branch has derivative NaN.
        var x = X;
        var f = _g.Select(_g.Greater(x, _g.Zero), _g.Sqrt(x), _g.Zero);
        var df = Derivatives.Gradient(f, new[] { x })[0];
        Assert.Equal(0.0, Eval(df, -1.0));
        Assert.Equal(0.5 / Math.Sqrt(4.0), Eval(df, 4.0));

        // The same, built without simplification, shows the NaN that the rewrite removes.
        var raw = new Graph(simplify: false);
        var rx = raw.Var("x");
        var rf = raw.Select(raw.Greater(rx, raw.Zero), raw.Sqrt(rx), raw.Zero);
        Assert.True(double.IsNaN(new Schedule(new[] { Derivatives.Gradient(rf, new[] { rx })[0] }, new[] { rx }).Evaluate(-1.0)));
    }

    [Fact]
    public void Derivative_terms_of_constants_and_zero_rules_are_never_built()
    {
        var x = X;
        var f = _g.Floor(x) * 3.0 + _g.Sign(x);
        Assert.Same(_g.Zero, Derivatives.Gradient(f, new[] { x })[0]);
        var h = x * 2.0 + 5.0;
        Assert.Same(_g.Const(2.0), Derivatives.Gradient(h, new[] { x })[0]);
    }

    private double Eval(Node f, double x) => new Schedule(new[] { f }, new[] { X }).Evaluate(x);
}
