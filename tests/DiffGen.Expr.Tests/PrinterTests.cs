using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>LaTeX and Graphviz output.</summary>
public class PrinterTests
{
    [Fact]
    public void Latex_uses_the_fewest_parentheses_precedence_needs()
    {
        var g = new Graph();
        var (x, y, z) = (g.Var("x"), g.Var("y"), g.Var("z"));
        Assert.Equal("\\left(x + y\\right) \\cdot z", LatexPrinter.Print((x + y) * z));
        Assert.Equal("x + y \\cdot z", LatexPrinter.Print(x + y * z));
        Assert.Equal("x - \\left(y - z\\right)", LatexPrinter.Print(x - (y - z)));
        Assert.Equal("\\frac{1}{1 + e^{-x}}", LatexPrinter.Print(1.0 / (1.0 + g.Exp(-x))));
        Assert.Equal("\\sigma\\left(x\\right)", LatexPrinter.Print(g.Sigmoid(x)));
        Assert.Equal("\\sqrt{x_{1}}", LatexPrinter.Print(g.Sqrt(g.Var("x1"))));
    }

    [Fact]
    public void Dot_shows_forward_values_and_backward_gradients_on_the_edges_like_the_slides()
    {
        var g = new Graph();
        var (x, y, z) = (g.Var("x"), g.Var("y"), g.Var("z"));
        var q = x + y;
        var f = q * z;
        var vars = new[] { x, y, z };
        var at = new[] { -2.0, 5.0, -4.0 };
        var values = new Schedule(new[] { f }, vars).EvaluateAll(at);
        var adjoints = Derivatives.Adjoints(f);
        var adjointValues = new Schedule(adjoints.Values.ToArray(), vars);
        var evaluated = new double[adjoints.Count];
        adjointValues.Evaluate(at, evaluated);
        var gradients = adjoints.Keys.Zip(evaluated).ToDictionary(p => p.First, p => p.Second);

        string dot = DotPrinter.Print(f, values, gradients);

        Assert.StartsWith("digraph G {", dot);
        Assert.Contains("rankdir=LR", dot);
        // q = x + y = 3 with gradient z = −4; x has gradient −4; z = −4 with gradient q = 3; f = −12 with gradient 1.
        Assert.Contains($"n{q.Id} -> n{f.Id} [label=<<font color=\"darkgreen\">3</font><br/><font color=\"red\">-4</font>>]", dot);
        Assert.Contains($"n{x.Id} -> n{q.Id} [label=<<font color=\"darkgreen\">-2</font><br/><font color=\"red\">-4</font>>]", dot);
        Assert.Contains($"n{z.Id} -> n{f.Id} [label=<<font color=\"darkgreen\">-4</font><br/><font color=\"red\">3</font>>]", dot);
        Assert.Contains($"n{f.Id} -> out [label=<<font color=\"darkgreen\">-12</font><br/><font color=\"red\">1</font>>]", dot);
    }
}
