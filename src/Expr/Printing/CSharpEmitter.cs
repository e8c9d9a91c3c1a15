using System;
using System.Collections.Generic;
using System.Text;

namespace DiffGen.Expr;

/// <summary>
/// Prints DAGs as straight-line C#: one statement per line, every shared subexpression computed once
/// into a named temporary (<see cref="NameBuilder"/>), single-use subexpressions inlined up to a small
/// depth. Allocation-free code: only locals, operators and static calls. Iterative, so a
/// 100,000-node chain prints without recursion. One emitter may print several groups of assignments
/// into the same method; temporaries from earlier groups are reused by later ones.
/// </summary>
/// <remarks>
/// This file places temporaries; the operators' text is in CSharpEmitter.Expressions.cs, the real
/// parts taken over complex numbers in CSharpEmitter.ComplexRealParts.cs, the calls of external
/// functions in CSharpEmitter.CallGroups.cs (hand-written rules in CSharpEmitter.CustomCalls.cs), and which values print as C# ints in <see cref="IntegerInference"/>.
/// </remarks>
public sealed partial class CSharpEmitter
{
    private readonly Func<Node, string> _variableName;
    private readonly NameBuilder _names;
    private readonly IntegerInference _integers;

    /// <summary>Nodes already computed into a temporary (by this emission or an earlier one), by the temporary's name.</summary>
    private readonly Dictionary<Node, string> _emitted = new(NodeIdentity.Comparer);

    /// <summary>Creates an emitter.</summary>
    /// <param name="variableName">The C# expression for a variable node (a parameter, a local).</param>
    /// <param name="names">Where temporaries' names come from.</param>
    /// <param name="complex">Print over <see cref="System.Numerics.Complex"/> instead of double.</param>
    public CSharpEmitter(Func<Node, string> variableName, NameBuilder names, bool complex = false)
    {
        _variableName = variableName ?? throw new ArgumentNullException(nameof(variableName));
        _names = names ?? throw new ArgumentNullException(nameof(names));
        _integers = new IntegerInference(node => IsIntegerVariable?.Invoke(node) ?? false);
        IsComplex = complex;
    }

    /// <summary>True when printing over complex numbers.</summary>
    public bool IsComplex { get; }

    /// <summary>Over complex numbers: true for an array of double whose elements are converted where they are read; null for none.</summary>
    internal Func<string, bool>? IsRealArray { get; set; }

    /// <summary>Indentation of each statement.</summary>
    public string Indent { get; set; } = "        ";

    /// <summary>Longest chain of operations inlined into one expression before a temporary is made.</summary>
    public int MaxInlineDepth { get; set; } = 4;

    /// <summary>
    /// How an external function's value and gradient are called: the function's name plus this suffix,
    /// with the arguments followed by one <c>out</c> per partial (the generator's <c>{Name}Gradient</c>).
    /// </summary>
    internal string GradientSuffix { get; set; } = "Gradient";

    /// <summary>
    /// Which variables are C# <c>int</c>s (loop counters, sizes). Arithmetic over them and integral
    /// constants prints as integer arithmetic (array indices); a division of two integers that the graph
    /// means as real division prints with a <c>(double)</c> cast.
    /// </summary>
    internal Func<Node, bool>? IsIntegerVariable { get; set; }

    /// <summary>Calls of hand-written rules printed by earlier statements of the same block, whose temporaries may be read again; null for none.</summary>
    internal CustomCallCache? CustomCalls { get; set; }

    /// <summary>
    /// Print the real code in float (a float method): temporaries, literals (<c>0.5f</c>) and casts are float,
    /// System.Math functions are MathF's, double's statics float's and DiffGen's primitives those of
    /// <see cref="PrimitivesF"/>. The complex overload is unaffected (it computes over Complex, i.e. in double).
    /// </summary>
    internal bool IsSingle { get; set; }

    private bool PrintsSingle => IsSingle && !IsComplex;

    private string ValueType => IsComplex ? "global::System.Numerics.Complex" : PrintsSingle ? "float" : "double";

    /// <summary>A literal of the printed real type.</summary>
    private string Literal(double value) => PrintsSingle ? CSharpLiteral.OfSingle(value) : CSharpLiteral.Of(value);

    /// <summary>The function an operation prints as in float code: MathF's for Math's, float's statics for double's, PrimitivesF's for Primitives'.</summary>
    private static string SingleFunction(string function) => function
        .Replace("global::System.Math.", "global::System.MathF.")
        .Replace("global::System.Double.", "global::System.Single.")
        .Replace("global::DiffGen.Expr.Primitives.", "global::DiffGen.Expr.PrimitivesF.");

    /// <summary>Appends the statements computing every assignment, in order.</summary>
    public void Emit(StringBuilder output, IReadOnlyList<Assignment> assignments)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        if (assignments is null)
        {
            throw new ArgumentNullException(nameof(assignments));
        }

        var roots = new List<Node>(assignments.Count);
        foreach (var a in assignments)
        {
            roots.Add(a.Value);
        }

        var inline = PlaceTemporaries(output, roots, rootsAreStored: true);

        foreach (var a in assignments)
        {
            if (a.Comment is not null)
            {
                output.Append(Indent).Append("// ").Append(a.Comment).Append('\n');
            }

            string value = Operand(a.Value, inline, CSharpPrecedence.Any, asValue: true);
            output.Append(Indent);
            if (a.Declare)
            {
                output.Append(ValueType).Append(' ');
            }

            output.Append(a.Target).Append(" = ").Append(value).Append(";\n");
        }
    }

    /// <summary>
    /// Appends the temporaries <paramref name="value"/> needs and returns its C# text, for places that
    /// are not assignments (loop bounds, conditions, indices). With <paramref name="integer"/> the text is
    /// an int expression (integral constants print without a decimal point).
    /// </summary>
    internal string Inline(StringBuilder output, Node value, bool integer = false)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var inline = PlaceTemporaries(output, new List<Node> { value }, rootsAreStored: false);
        if (value.IsCondition)
        {
            return Operand(value, inline, CSharpPrecedence.Any, asValue: false);
        }

        return integer ? IntOperand(value, inline, CSharpPrecedence.Any) : Operand(value, inline, CSharpPrecedence.Any, asValue: true);
    }

    /// <summary>Prints one expression (with temporaries for shared parts) and returns it as a single C# expression string.</summary>
    internal string ExpressionOf(StringBuilder output, Node value)
    {
        string target = _names.Temp();
        Emit(output, new[] { new Assignment(target, value, declare: true) });
        return target;
    }

    /// <summary>
    /// Classifies and prints the DAG below <paramref name="roots"/>: shared or deep subexpressions become
    /// temporaries (appended to <paramref name="output"/>), the rest is returned as inline text. Roots that
    /// are stored (assignments) count one use more; a lone inlined root is never cut for depth.
    /// </summary>
    private Dictionary<Node, Printed> PlaceTemporaries(StringBuilder output, List<Node> roots, bool rootsAreStored)
    {
        var order = Traversal.TopologicalOrder(roots);
        var uses = Traversal.UseCounts(order);
        if (rootsAreStored)
        {
            foreach (var root in roots)
            {
                uses.TryGetValue(root, out int n);
                uses[root] = n + 1;
            }
        }

        var callGroups = new CallGroups(order);

        // The text of nodes not (yet) in a temporary.
        var inline = new Dictionary<Node, Printed>(NodeIdentity.Comparer);
        foreach (var node in order)
        {
            if (_emitted.ContainsKey(node))
            {
                continue;
            }

            _integers.Classify(node);
            if (node.Op is Op.Call or Op.CallPartial && !IsComplex)
            {
                PrintCallGroup(output, node, callGroups, inline);
                continue;
            }

            if (node.Op is Op.CustomCall or Op.CustomPartial)
            {
                PrintCustomGroup(output, node, callGroups, inline);
                continue;
            }

            var printed = Print(node, inline);
            uses.TryGetValue(node, out int useCount);
            bool leaf = node.Op is Op.Const or Op.Var;
            bool loneRoot = !rootsAreStored && ReferenceEquals(node, roots[0]) && roots.Count == 1;
            if (!leaf && (useCount > 1 || (printed.Depth > MaxInlineDepth && !loneRoot)))
            {
                string temp = _names.Temp();
                output.Append(Indent).Append(node.IsCondition ? "bool" : _integers.IsInteger(node) ? "int" : ValueType).Append(' ')
                    .Append(temp).Append(" = ").Append(printed.Text).Append(";\n");
                _emitted[node] = temp;
                inline.Remove(node);
            }
            else
            {
                inline[node] = printed;
            }
        }

        return inline;
    }
}
