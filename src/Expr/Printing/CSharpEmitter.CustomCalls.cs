using System.Collections.Generic;
using System.Text;

namespace DiffGen.Expr;

/// <summary>
/// Calls of functions with hand-written rules ([CustomGradient]): the value and every partial of one call
/// come from one call of the rule's gradient method, <c>double _t1 = SolveGradient(a, b, out double _t2, out double _t3);</c>.
/// </summary>
public sealed partial class CSharpEmitter
{
    /// <summary>Prints the one call of the gradient method computing <paramref name="node"/>'s group.</summary>
    private void PrintCustomGroup(StringBuilder output, Node node, CallGroups groups, Dictionary<Node, Printed> inline)
    {
        if (CustomCalls is not null && CustomCalls.TryGet(node, out string cachedValue, out var cachedPartials))
        {
            SetGroup(groups.Of(node), cachedValue, cachedPartials);
            return;
        }

        var args = node.ArgArray;
        if (IsComplex)
        {
            // Over complex numbers an argument is read twice (its real part, then its imaginary part): compute it once.
            foreach (var arg in args)
            {
                if (!PrintsAsDouble(arg) && arg.Op is not (Op.Var or Op.Load) && !_emitted.ContainsKey(arg))
                {
                    string temp = _names.Temp();
                    output.Append(Indent).Append(ValueType).Append(' ').Append(temp).Append(" = ")
                        .Append(Operand(arg, inline, CSharpPrecedence.Any, asValue: true)).Append(";\n");
                    _emitted[arg] = temp;
                    inline.Remove(arg);
                }
            }
        }

        var texts = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            texts[i] = CustomArgument(node, i, inline);
        }

        string valueName = _names.Temp();
        var partialNames = new string?[args.Length];
        output.Append(Indent).Append("double ").Append(valueName).Append(" = ").Append(node.Name).Append('(').Append(string.Join(", ", texts));
        for (int i = 0; i < args.Length; i++)
        {
            if (!Graph.HasNoPartial(node, i))
            {
                partialNames[i] = _names.Temp();
                output.Append(", out double ").Append(partialNames[i]);
            }
        }

        output.Append(");\n");
        string value = valueName;
        if (IsComplex)
        {
            // The first-order continuation f(x + ih) = f(x) + i·Σ ∂ᵢf(x)·Im xᵢ: exact to rounding for complex step's
            // h = 1e−20, whose second-order terms (h²) vanish below the value's last digit.
            var terms = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                if (partialNames[i] is not null && !PrintsAsDouble(args[i]))
                {
                    terms.Add($"{partialNames[i]} * {Operand(args[i], inline, CSharpPrecedence.Primary, asValue: true)}.Imaginary");
                }
            }

            value = _names.Temp();
            output.Append(Indent).Append(ValueType).Append(' ').Append(value).Append(" = new ").Append(ValueType).Append('(').Append(valueName)
                .Append(", ").Append(terms.Count == 0 ? "0.0" : string.Join(" + ", terms)).Append(");\n");
        }

        CustomCalls?.Add(node, value, partialNames);
        SetGroup(groups.Of(node), value, partialNames);
    }

    /// <summary>The temporaries holding a call's value and partials, for every member of its group.</summary>
    private void SetGroup(List<Node> group, string value, string?[] partials)
    {
        foreach (var member in group)
        {
            _emitted[member] = member.Op == Op.CustomCall ? value : partials[member.Index]!;
        }
    }

    /// <summary>Argument <paramref name="i"/> of a custom call: a double (the real part over complex numbers), or an int for an int parameter.</summary>
    private string CustomArgument(Node call, int i, Dictionary<Node, Printed> inline)
    {
        var arg = call.ArgArray[i];
        bool integer = Graph.IsIntArgument(call, i);
        if (integer && _integers.FitsInteger(arg))
        {
            return IntOperand(arg, inline, CSharpPrecedence.Any);
        }

        // Int arithmetic lowered in double (a truncated division) is converted back; C# checked that it fits.
        string cast = integer ? "(int)" : "";
        if (IsComplex && !PrintsAsDouble(arg))
        {
            return cast + Operand(arg, inline, CSharpPrecedence.Primary, asValue: true) + ".Real";
        }

        return cast + Operand(arg, inline, integer ? CSharpPrecedence.Above(CSharpPrecedence.Unary) : CSharpPrecedence.Any, asValue: true);
    }
}
