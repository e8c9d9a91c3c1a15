using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DiffGen.Expr;

/// <summary>
/// Prints an expression graph in Graphviz DOT, left to right like the backpropagation slides: each
/// operation is a node, each edge carries the forward value (green, above) and, when given, the
/// backward gradient (red, below).
/// </summary>
public static class DotPrinter
{
    /// <summary>The symbol a picture shows for a node: the variable's name, the constant, or the operation (+, −, ×, ÷, exp, …).</summary>
    public static string Label(Node node) => node.Op switch
    {
        Op.Const => Number(node.Value),
        Op.Var => node.Name!,
        Op.Add => "+",
        Op.Sub => "−",
        Op.Mul => "×",
        Op.Div => "÷",
        Op.Neg => "−x",
        Op.Call or Op.CustomCall => node.Name!,
        _ => OpTable.Get(node.Op).Name,
    };

    /// <summary>The DOT text for <paramref name="root"/>.</summary>
    /// <param name="root">The output.</param>
    /// <param name="values">Forward values of the nodes (e.g. <see cref="Schedule.EvaluateAll"/>), or null.</param>
    /// <param name="gradients">Values of ∂output/∂node (e.g. the evaluated <see cref="Derivatives.Adjoints"/>), or null.</param>
    public static string Print(Node root, IReadOnlyDictionary<Node, double>? values = null, IReadOnlyDictionary<Node, double>? gradients = null)
    {
        if (root is null)
        {
            throw new ArgumentNullException(nameof(root));
        }

        var sb = new StringBuilder();
        sb.Append("digraph G {\n");
        sb.Append("  rankdir=LR;\n");
        sb.Append("  node [shape=circle, fontname=\"Helvetica\", fontsize=12];\n");
        sb.Append("  edge [fontname=\"Helvetica\", fontsize=11];\n");
        foreach (var node in Traversal.TopologicalOrder(root))
        {
            string label = Label(node);
            string shape = node.Op is Op.Var or Op.Const ? "plaintext" : "circle";
            sb.Append("  n").Append(node.Id).Append(" [label=\"").Append(Escape(label)).Append("\", shape=").Append(shape).Append("];\n");
            foreach (var arg in node.ArgArray)
            {
                sb.Append("  n").Append(arg.Id).Append(" -> n").Append(node.Id);
                AppendEdgeLabels(sb, arg, values, gradients);
                sb.Append(";\n");
            }
        }

        // The output's own value and gradient on a last edge, as the slides draw it.
        sb.Append("  out [label=\"\", shape=none, width=0];\n");
        sb.Append("  n").Append(root.Id).Append(" -> out");
        AppendEdgeLabels(sb, root, values, gradients);
        sb.Append(";\n}\n");
        return sb.ToString();
    }

    private static void AppendEdgeLabels(StringBuilder sb, Node from, IReadOnlyDictionary<Node, double>? values, IReadOnlyDictionary<Node, double>? gradients)
    {
        bool hasValue = values is not null && values.TryGetValue(from, out _);
        bool hasGradient = gradients is not null && gradients.TryGetValue(from, out _);
        if (!hasValue && !hasGradient)
        {
            return;
        }

        sb.Append(" [label=<");
        if (hasValue)
        {
            sb.Append("<font color=\"darkgreen\">").Append(Number(values![from])).Append("</font>");
        }

        if (hasGradient)
        {
            if (hasValue)
            {
                sb.Append("<br/>");
            }

            sb.Append("<font color=\"red\">").Append(Number(gradients![from])).Append("</font>");
        }

        sb.Append(">]");
    }

    private static string Number(double v) => Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
