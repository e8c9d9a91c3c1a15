using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Plotting;

/// <summary>
/// Positions for the nodes of an expression DAG, left to right like the backpropagation slides: every
/// operation one column right of its deepest argument, every variable one column left of its first user,
/// and within a column nodes ordered by the mean row of their arguments (one barycentre sweep), then
/// centred. Constants get no position: a picture draws them beside each user. Iterative.
/// </summary>
public static class LayeredLayout
{
    /// <summary>(column, row) of every node below <paramref name="root"/>; rows are centred on 0.</summary>
    public static IReadOnlyDictionary<Node, (double Column, double Row)> Place(Node root)
    {
        ArgumentNullException.ThrowIfNull(root);

        var order = Traversal.TopologicalOrder(root).FindAll(n => !n.IsConstant || ReferenceEquals(n, root));
        var column = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        int columns = 0;
        foreach (var node in order)
        {
            int c = 0;
            foreach (var arg in node.Args)
            {
                c = Math.Max(c, arg.IsConstant ? 1 : column[arg] + 1);
            }

            column[node] = c;
            columns = Math.Max(columns, c + 1);
        }

        // A variable sits just left of its leftmost user, so its wire is short.
        foreach (var node in order)
        {
            foreach (var arg in node.Args)
            {
                if (arg.Op == Op.Var && column[arg] == 0)
                {
                    column[arg] = -1 - column[node];
                }
                else if (arg.Op == Op.Var && column[arg] < 0)
                {
                    column[arg] = Math.Max(column[arg], -1 - column[node]);
                }
            }
        }

        foreach (var node in order)
        {
            if (column[node] < 0)
            {
                column[node] = -column[node] - 2;
            }
        }

        var layers = new List<Node>[columns];
        for (int i = 0; i < columns; i++)
        {
            layers[i] = new List<Node>();
        }

        foreach (var node in order)
        {
            layers[column[node]].Add(node);
        }

        var row = new Dictionary<Node, double>(ReferenceEqualityComparer.Instance);
        foreach (var layer in layers)
        {
            // Barycentre of the arguments' rows; leaves keep their first-use order.
            var keyed = new List<(double Key, int Order, Node Node)>();
            for (int i = 0; i < layer.Count; i++)
            {
                var node = layer[i];
                double sum = 0;
                int placed = 0;
                foreach (var arg in node.Args)
                {
                    if (row.TryGetValue(arg, out double r))
                    {
                        sum += r;
                        placed++;
                    }
                }

                keyed.Add((placed == 0 ? i : sum / placed, i, node));
            }

            keyed.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Order.CompareTo(b.Order));
            for (int i = 0; i < keyed.Count; i++)
            {
                row[keyed[i].Node] = i - (keyed.Count - 1) / 2.0;
            }
        }

        var result = new Dictionary<Node, (double, double)>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            result[node] = (column[node], row[node]);
        }

        return result;
    }
}
