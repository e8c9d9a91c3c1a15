using System;
using System.Collections.Generic;
using System.Text;

namespace DiffGen.Expr;

/// <summary>
/// Calls of external functions: a call and the partials of the same call on the same arguments are
/// one C# call, <c>fGradient(a, b, out double _t1, out double _t2)</c>, or <c>f(a, b)</c> when no
/// partial is needed.
/// </summary>
public sealed partial class CSharpEmitter
{
    /// <summary>The calls and partials of one emission, grouped by function and argument nodes.</summary>
    private sealed class CallGroups
    {
        private readonly Dictionary<string, List<Node>> _groups = new(StringComparer.Ordinal);

        public CallGroups(List<Node> order)
        {
            foreach (var node in order)
            {
                if (node.Op is Op.Call or Op.CallPartial or Op.CustomCall or Op.CustomPartial)
                {
                    string key = Key(node);
                    if (!_groups.TryGetValue(key, out var list))
                    {
                        _groups[key] = list = new List<Node>();
                    }

                    list.Add(node);
                }
            }
        }

        /// <summary>The value and partial nodes of the call <paramref name="node"/> belongs to.</summary>
        public List<Node> Of(Node node) => _groups[Key(node)];

        private static string Key(Node node)
        {
            var sb = new StringBuilder(node.Op is Op.CustomCall or Op.CustomPartial ? "custom:" : "").Append(node.Name);
            foreach (var a in node.ArgArray)
            {
                sb.Append('#').Append(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a));
            }

            return sb.ToString();
        }
    }

    /// <summary>Prints the one call computing <paramref name="node"/>'s group: its value and, when any is used, every partial.</summary>
    private void PrintCallGroup(StringBuilder output, Node node, CallGroups groups, Dictionary<Node, Printed> inline)
    {
        var group = groups.Of(node);
        bool needsPartials = group.Exists(n => n.Op == Op.CallPartial);
        var args = new List<string>();
        foreach (var a in node.ArgArray)
        {
            args.Add(Operand(a, inline, CSharpPrecedence.Any, asValue: true));
        }

        string valueName = _names.Temp();
        var partialNames = new string[node.ArgArray.Length];
        output.Append(Indent).Append(ValueType).Append(' ').Append(valueName).Append(" = ").Append(node.Name);
        if (needsPartials)
        {
            output.Append(GradientSuffix);
        }

        output.Append('(').Append(string.Join(", ", args));
        if (needsPartials)
        {
            for (int i = 0; i < partialNames.Length; i++)
            {
                partialNames[i] = _names.Temp();
                output.Append(", out ").Append(ValueType).Append(' ').Append(partialNames[i]);
            }
        }

        output.Append(");\n");
        foreach (var member in group)
        {
            _emitted[member] = member.Op == Op.Call ? valueName : partialNames[member.Index];
        }
    }
}
