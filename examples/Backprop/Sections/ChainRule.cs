using System;
using System.Collections.Generic;
using DiffGen.Expr;
using DiffGen.Plotting;

namespace DiffGen.Examples.Backprop;

/// <summary>What section 1 computed.</summary>
/// <param name="Value">f(−2, 5, −4) = −12.</param>
/// <param name="Gradient">(∂f/∂x, ∂f/∂y, ∂f/∂z) from the generated code: (−4, −4, 3).</param>
/// <param name="GraphGradient">The same gradient from the Expr graph's backward sweep.</param>
/// <param name="DotPath">out/circuit.dot.</param>
/// <param name="SvgPath">out/circuit.svg (also circuit.png), drawn by DiffGen.Plotting without Graphviz.</param>
public sealed record ChainRuleResult(double Value, double[] Gradient, double[] GraphGradient, string DotPath, string SvgPath);

/// <summary>Section 1: the chain rule on the circuit f = (x + y)·z, by generated code and by an explicit graph.</summary>
public static class ChainRule
{
    /// <summary>Runs the section.</summary>
    public static ChainRuleResult Run(SectionContext context)
    {
        context.Heading("1. The chain rule on a circuit: f = (x + y)·z");
        const double x = -2, y = 5, z = -4;

        // Generated at build time from Models.Circuit: one call gives the value and all three partials.
        double f = Models.CircuitGradient(x, y, z, out double dx, out double dy, out double dz);
        context.Line("q = x + y,  f = q·z.  Local gradients: ∂q/∂x = ∂q/∂y = 1, ∂f/∂q = z, ∂f/∂z = q.");
        context.Line("Chain rule: ∂f/∂x = ∂f/∂q · ∂q/∂x = z · 1,   ∂f/∂y = z · 1,   ∂f/∂z = q.");
        context.Line($"At x = {x}, y = {y}, z = {z}:  q = {x + y},  f = {f}");
        context.Line($"Generated CircuitGradient:  ∂f/∂x = {dx},  ∂f/∂y = {dy},  ∂f/∂z = {dz}");

        // The same circuit as an explicit graph: forward values on every wire, then the adjoints backwards.
        var graph = new Graph(simplify: false);
        Node nx = graph.Var("x"), ny = graph.Var("y"), nz = graph.Var("z");
        Node output = (nx + ny) * nz;
        double[] inputs = { x, y, z };
        var values = new Schedule(output).EvaluateAll(inputs);
        var gradients = EvaluateAdjoints(output, inputs);
        double[] graphGradient = { gradients[nx], gradients[ny], gradients[nz] };
        context.Line($"Expr graph backward sweep:  ∂f/∂x = {graphGradient[0]},  ∂f/∂y = {graphGradient[1]},  ∂f/∂z = {graphGradient[2]}");

        string svgPath = context.WriteFigure("circuit", CircuitDiagram.Draw(output, values, gradients));
        context.Line("  (green: forward value on each wire; red: ∂f/∂wire from the backward pass)");
        string dotPath = context.WriteFile("circuit.dot", DotPrinter.Print(output, values, gradients));
        context.Line("  (the same picture for Graphviz: dot -Tsvg circuit.dot)");
        return new ChainRuleResult(f, new[] { dx, dy, dz }, graphGradient, dotPath, svgPath);
    }

    /// <summary>∂output/∂node for every node of the graph, as numbers: the red labels of the slides.</summary>
    public static Dictionary<Node, double> EvaluateAdjoints(Node output, double[] inputs)
    {
        var adjoints = new List<KeyValuePair<Node, Node>>(Derivatives.Adjoints(output));
        var expressions = new Node[adjoints.Count];
        for (int i = 0; i < expressions.Length; i++)
        {
            expressions[i] = adjoints[i].Value;
        }

        // One schedule evaluates every adjoint expression at once.
        var schedule = new Schedule(expressions, output.Graph.Variables);
        var results = new double[expressions.Length];
        schedule.Evaluate(inputs, results);
        var byNode = new Dictionary<Node, double>();
        for (int i = 0; i < expressions.Length; i++)
        {
            byNode[adjoints[i].Key] = results[i];
        }

        return byNode;
    }
}
