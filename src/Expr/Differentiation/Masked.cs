using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Adjoints that flow through one side of a select are masked, <c>c ? a : 0</c>: only the side taken
/// contributes. Reverse mode keeps the mask outermost while it multiplies an adjoint by partials and adds
/// adjoints together, so that the partials of the side not taken (∞ where that side is singular, as
/// √t at t = 0 under <c>if (t != 0)</c>) are never multiplied by the mask's zero (0·∞ = NaN): they are
/// evaluated only where their side is taken. Masks nest with branches; both operations peel them
/// iteratively, whatever the depth.
/// </summary>
internal static class Masked
{
    /// <summary>adjoint·partial, the masks of <paramref name="adjoint"/> kept outside the product.</summary>
    public static Node Scale(Graph g, Node adjoint, Node partial)
    {
        var masks = Peel(adjoint, out var inner);
        return Wrap(g, masks, masks.Count, g.Mul(inner, partial));
    }

    /// <summary>a + b, the masks they share (same condition, same side) kept outside the sum.</summary>
    public static Node Add(Graph g, Node a, Node b)
    {
        var masksA = Peel(a, out _);
        var masksB = Peel(b, out _);
        int shared = 0;
        while (shared < masksA.Count && shared < masksB.Count
            && ReferenceEquals(masksA[shared].Condition, masksB[shared].Condition) && masksA[shared].Taken == masksB[shared].Taken)
        {
            shared++;
        }

        if (shared == 0)
        {
            return g.Add(a, b);
        }

        return Wrap(g, masksA, shared, g.Add(Strip(a, shared), Strip(b, shared)));
    }

    /// <summary>The masks around <paramref name="node"/>, outermost first, and what they mask.</summary>
    private static List<(Node Condition, bool Taken)> Peel(Node node, out Node inner)
    {
        var masks = new List<(Node, bool)>();
        while (node.Op == Op.Select)
        {
            var args = node.ArgArray;
            if (args[2].IsConstantValue(0.0) && !args[1].IsConstantValue(0.0))
            {
                masks.Add((args[0], true));
                node = args[1];
            }
            else if (args[1].IsConstantValue(0.0) && !args[2].IsConstantValue(0.0))
            {
                masks.Add((args[0], false));
                node = args[2];
            }
            else
            {
                break;
            }
        }

        inner = node;
        return masks;
    }

    /// <summary><paramref name="node"/> without its <paramref name="count"/> outermost masks.</summary>
    private static Node Strip(Node node, int count)
    {
        for (int k = 0; k < count; k++)
        {
            var args = node.ArgArray;
            node = args[2].IsConstantValue(0.0) ? args[1] : args[2];
        }

        return node;
    }

    /// <summary><paramref name="inner"/> under the first <paramref name="count"/> masks, the outermost first.</summary>
    private static Node Wrap(Graph g, List<(Node Condition, bool Taken)> masks, int count, Node inner)
    {
        for (int k = count - 1; k >= 0; k--)
        {
            var (condition, taken) = masks[k];
            inner = taken ? g.Select(condition, inner, g.Zero) : g.Select(condition, g.Zero, inner);
        }

        return inner;
    }
}
