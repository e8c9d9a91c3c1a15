using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Which nodes the emitter prints as C# <c>int</c>s: int variables (counters, sizes), integer division and
/// remainder, and +, −, ×, negation over ints and integral constants. Nodes are classified in topological
/// order, each after its arguments.
/// </summary>
internal sealed class IntegerInference
{
    private readonly Func<Node, bool> _isIntegerVariable;
    private readonly Dictionary<Node, bool> _integer = new(NodeIdentity.Comparer);

    public IntegerInference(Func<Node, bool> isIntegerVariable) => _isIntegerVariable = isIntegerVariable;

    /// <summary>Records whether <paramref name="node"/> prints as an int; its arguments must be classified already.</summary>
    public void Classify(Node node) => _integer[node] = Compute(node);

    /// <summary>True for a classified node that prints as an int.</summary>
    public bool IsInteger(Node node) => _integer.TryGetValue(node, out var integer) && integer;

    /// <summary>True when the node can stand in an int expression: an int, or an integral constant.</summary>
    public bool FitsInteger(Node node) => IsInteger(node) || IsIntegralConstant(node);

    /// <summary>A constant that prints exactly as an int literal.</summary>
    public static bool IsIntegralConstant(Node node) =>
        node.IsConstant && Math.Floor(node.Value) == node.Value && Math.Abs(node.Value) < int.MaxValue;

    private bool Compute(Node node)
    {
        switch (node.Op)
        {
            case Op.Var:
                return _isIntegerVariable(node);
            case Op.IntDiv:
            case Op.Mod:
                return true;
            case Op.Add:
            case Op.Sub:
            case Op.Mul:
            case Op.Neg:
            case Op.Max: // Math.Max and Math.Min of ints are ints (a loop over the longest of several spans)
            case Op.Min:
                bool any = false;
                foreach (var a in node.ArgArray)
                {
                    bool integer = IsInteger(a);
                    if (!integer && !IsIntegralConstant(a))
                    {
                        return false;
                    }

                    any |= integer;
                }

                return any;
            default:
                return false;
        }
    }
}
