using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// The engine's side of hand-written rules and stop-gradient: a custom call's partials are nodes reading its gradient
/// method's outputs (none for constant arguments), printed as one call; second order through it is refused; stop-gradient
/// has derivative 0 in every mode.
/// </summary>
public class CustomCallTests
{
    [Fact]
    public void The_partials_of_a_custom_call_read_its_outputs_and_constant_arguments_get_none()
    {
        var g = new Graph();
        var (x, y, n) = (g.Var("x"), g.Var("y"), g.Var("n"));
        // f(x, y, n) with y [NoDiff] (bit 1) and n an int (bit 2).
        var call = g.CustomCall("FGradient", 0b110, 0b100, g.Mul(x, x), y, n);
        var gradient = Derivatives.Gradient(call, new[] { x, y, n });
        var partials = Traversal.TopologicalOrder(gradient).Where(node => node.Op == Op.CustomPartial).ToList();
        Assert.Same(g.CustomPartial("FGradient", 0b110, 0b100, 0, g.Mul(x, x), y, n), Assert.Single(partials));
        Assert.True(gradient[1].IsConstantValue(0) && gradient[2].IsConstantValue(0));

        var imported = new Graph().Import(call);
        Assert.Equal(call, imported); // the masks survive a copy
        Assert.True(Graph.IsIntArgument(imported, 2) && Graph.HasNoPartial(imported, 1) && !Graph.HasNoPartial(imported, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.CustomPartial("FGradient", 0b110, 0b100, 1, x, y, n));
        Assert.Throws<ArgumentException>(() => g.CustomCall("FGradient", 0, 0b1, x)); // an int argument always gets no partial
    }

    [Fact]
    public void A_custom_call_and_its_partials_print_as_one_call_of_the_gradient_method()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var call = g.CustomCall("SolveGradient", 0, 0, x, g.Sin(y));
        var gradient = Derivatives.Gradient(g.Mul(call, call), new[] { x, y });
        var output = new StringBuilder();
        new CSharpEmitter(v => v.Name!, new NameBuilder(new[] { "x", "y", "dx", "dy" })).Emit(output, new List<Assignment>
        {
            new("double value", g.Mul(call, call)),
            new("dx", gradient[0]),
            new("dy", gradient[1]),
        });
        string code = output.ToString();
        Assert.Equal(1, code.Split("SolveGradient(").Length - 1);
        Assert.Matches(@"double \w+ = SolveGradient\(x, \w+, out double \w+, out double \w+\);", code);
    }

    [Fact]
    public void Second_order_through_a_custom_call_is_refused_and_the_interpreter_cannot_run_it()
    {
        var g = new Graph();
        var x = g.Var("x");
        var call = g.CustomCall("FGradient", 0, 0, x);
        Assert.Throws<DifferentiationException>(() => Derivatives.HessianVector(call, new[] { x }, new[] { g.One }));
        Assert.Throws<NotSupportedException>(() => new Schedule(new[] { call }, new[] { x }));
    }

    [Fact]
    public void Stop_gradient_passes_the_value_and_no_derivative_in_any_mode()
    {
        var g = new Graph();
        var x = g.Var("x");
        var f = g.Mul(x, g.StopGradient(g.Exp(x))); // x·sg(eˣ)
        var schedule = new Schedule(new[] { f, Derivatives.Gradient(f, new[] { x })[0], Derivatives.Tangent(f, new[] { x }, new[] { g.Const(2.0) }),
            Derivatives.HessianVector(f, new[] { x }, new[] { g.One })[0] }, new[] { x });
        var result = new double[4];
        schedule.Evaluate(new[] { 0.5 }, result);
        Assert.Equal(0.5 * Math.Exp(0.5), result[0]);
        Assert.Equal(Math.Exp(0.5), result[1]); // not eˣ + x·eˣ
        Assert.Equal(2 * Math.Exp(0.5), result[2]);
        Assert.Equal(0.0, result[3]);
        Assert.Equal(0.0, Oracles.ComplexStepGradient(new Schedule(new[] { g.StopGradient(x) }, new[] { x }), new[] { 0.5 })[0]);
    }
}
