using System;
using System.Collections.Generic;
using System.Globalization;
using DiffGen.Expr;
using ScottPlot;

namespace DiffGen.Plotting;

/// <summary>
/// Draws an expression graph as a circuit with ScottPlot (no Graphviz): operations in circles, inputs
/// and constants as plain labels, every wire annotated with its forward value (green, above) and
/// ∂output/∂wire (red, below), and a last wire leaving the output, as the backpropagation slides draw it.
/// </summary>
public static class CircuitDiagram
{
    private const double ColumnWidth = 2.2;
    private const double RowHeight = 1.6;
    private const double Radius = 0.32;
    private static readonly Color Forward = Color.FromHex("#1b7d1b");
    private static readonly Color Backward = Color.FromHex("#c62828");

    /// <summary>The circuit of <paramref name="root"/>, with wire labels where values are given.</summary>
    /// <param name="root">The output node.</param>
    /// <param name="values">Forward values by node, or null.</param>
    /// <param name="gradients">∂output/∂node by node, or null.</param>
    public static Figure Draw(Node root, IReadOnlyDictionary<Node, double>? values = null, IReadOnlyDictionary<Node, double>? gradients = null)
    {
        var layout = LayeredLayout.Place(root);
        var plot = new Plot();
        double maxColumn = 0, minRow = 0, maxRow = 0;
        foreach (var (column, row) in layout.Values)
        {
            maxColumn = Math.Max(maxColumn, column);
            minRow = Math.Min(minRow, row);
            maxRow = Math.Max(maxRow, row);
        }

        Coordinates At(Node n) => new(layout[n].Column * ColumnWidth, -layout[n].Row * RowHeight);

        foreach (var pair in layout)
        {
            var node = pair.Key;
            for (int i = 0; i < node.Args.Count; i++)
            {
                var arg = node.Args[i];
                if (arg.IsConstant)
                {
                    // A constant is drawn beside each user instead of once with long wires.
                    var user = At(node);
                    var at = new Coordinates(user.X - ColumnWidth * 0.75, user.Y + (i == 0 ? 0.5 : -0.5) * RowHeight);
                    Leaf(plot, DotPrinter.Label(arg), at);
                    Wire(plot, at, user, false, true, arg, null, gradients);
                }
                else
                {
                    Wire(plot, At(arg), At(node), arg.Args.Count > 0, true, arg, values, gradients);
                }
            }
        }

        var output = At(root);
        Wire(plot, output, new Coordinates(output.X + ColumnWidth * 0.8, output.Y), root.Args.Count > 0, false, root, values, gradients);

        foreach (var pair in layout)
        {
            var node = pair.Key;
            var center = At(node);
            Leaf(plot, DotPrinter.Label(node), center);
            if (node.Args.Count > 0)
            {
                var circle = plot.Add.Circle(center, Radius);
                circle.FillColor = Color.FromHex("#eef3fb");
                circle.LineColor = Color.FromHex("#4a6fa5");
                circle.LineWidth = 2;
                plot.MoveToBack(circle);
            }
        }

        plot.HideGrid();
        plot.Axes.Frameless();
        plot.Axes.SquareUnits();
        plot.Axes.SetLimits(-0.9, maxColumn * ColumnWidth + ColumnWidth * 1.1, -maxRow * RowHeight - 1.0, -minRow * RowHeight + 1.0);
        int width = (int)Math.Round(160 + 170 * (maxColumn + 1));
        int height = (int)Math.Round(140 + 120 * (maxRow - minRow + 1));
        return new Figure(plot, width, height);
    }

    private static void Leaf(Plot plot, string text, Coordinates at)
    {
        var label = plot.Add.Text(text, at.X, at.Y);
        label.LabelFontSize = 18;
        label.LabelBold = true;
        label.LabelAlignment = Alignment.MiddleCenter;
    }

    private static void Wire(Plot plot, Coordinates from, Coordinates to, bool fromCircle, bool toCircle, Node carried,
        IReadOnlyDictionary<Node, double>? values, IReadOnlyDictionary<Node, double>? gradients)
    {
        double dx = to.X - from.X, dy = to.Y - from.Y, length = Math.Sqrt(dx * dx + dy * dy);
        double ux = dx / length, uy = dy / length;
        // Leaves are text labels: start the wire a little right of them.
        double startGap = fromCircle ? Radius : 0.35;
        var start = new Coordinates(from.X + ux * startGap, from.Y + uy * startGap);
        var end = new Coordinates(to.X - ux * (toCircle ? Radius : 0), to.Y - uy * (toCircle ? Radius : 0));
        var arrow = plot.Add.Arrow(start, end);
        arrow.ArrowLineWidth = 1.5f;
        arrow.ArrowFillColor = Color.FromHex("#555555");
        arrow.ArrowLineColor = Color.FromHex("#555555");
        arrow.ArrowWidth = 1.5f;
        arrow.ArrowheadWidth = 9;
        arrow.ArrowheadLength = 9;

        var middle = new Coordinates((start.X + end.X) / 2, (start.Y + end.Y) / 2);
        if (values is not null && values.TryGetValue(carried, out double value))
        {
            var text = plot.Add.Text(Number(value), middle.X, middle.Y + 0.12);
            text.LabelFontColor = Forward;
            text.LabelFontSize = 14;
            text.LabelAlignment = Alignment.LowerCenter;
        }

        if (gradients is not null && gradients.TryGetValue(carried, out double gradient))
        {
            var text = plot.Add.Text(Number(gradient), middle.X, middle.Y - 0.12);
            text.LabelFontColor = Backward;
            text.LabelFontSize = 14;
            text.LabelAlignment = Alignment.UpperCenter;
        }
    }

    private static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
