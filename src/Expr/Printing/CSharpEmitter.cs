using System;
using System.Collections.Generic;
using System.Text;

namespace DiffGen.Expr;

/// <summary>One assignment for <see cref="CSharpEmitter"/>: <c>Target = Value;</c>.</summary>
public readonly struct Assignment
{
    /// <summary>Creates an assignment.</summary>
    /// <param name="target">The variable or out parameter written.</param>
    /// <param name="value">The expression.</param>
    /// <param name="declare">Declare the target as a new local (<c>double target = …;</c>).</param>
    /// <param name="comment">A comment line written before the statement.</param>
    public Assignment(string target, Node value, bool declare = false, string? comment = null)
    {
        Target = target;
        Value = value;
        Declare = declare;
        Comment = comment;
    }

    /// <summary>The variable or out parameter written.</summary>
    public string Target { get; }

    /// <summary>The expression.</summary>
    public Node Value { get; }

    /// <summary>True to declare the target as a new local.</summary>
    public bool Declare { get; }

    /// <summary>A comment written before the statement, or null.</summary>
    public string? Comment { get; }
}

/// <summary>
/// Prints DAGs as straight-line C#: one statement per line, every shared subexpression computed once
/// into a named temporary (<see cref="NameBuilder"/>), single-use subexpressions inlined up to a small
/// depth. Allocation-free code: only locals, operators and static calls. Iterative, so a
/// 100,000-node chain prints without recursion. One emitter may print several groups of assignments
/// into the same method; temporaries from earlier groups are reused by later ones.
/// </summary>
public sealed class CSharpEmitter
{
    private readonly Func<Node, string> _variableName;
    private readonly NameBuilder _names;
    private readonly Dictionary<Node, string> _emitted = new(NodeIdentity.Comparer);

    /// <summary>Creates an emitter.</summary>
    /// <param name="variableName">The C# expression for a variable node (a parameter, a local).</param>
    /// <param name="names">Where temporaries' names come from.</param>
    /// <param name="complex">Print over <see cref="System.Numerics.Complex"/> instead of double.</param>
    public CSharpEmitter(Func<Node, string> variableName, NameBuilder names, bool complex = false)
    {
        _variableName = variableName ?? throw new ArgumentNullException(nameof(variableName));
        _names = names ?? throw new ArgumentNullException(nameof(names));
        IsComplex = complex;
    }

    /// <summary>True when printing over complex numbers.</summary>
    public bool IsComplex { get; }

    /// <summary>Over complex numbers: true for an array of double whose elements are converted where they are read; null for none.</summary>
    public Func<string, bool>? IsRealArray { get; set; }

    /// <summary>Indentation of each statement.</summary>
    public string Indent { get; set; } = "        ";

    /// <summary>Longest chain of operations inlined into one expression before a temporary is made.</summary>
    public int MaxInlineDepth { get; set; } = 4;

    /// <summary>
    /// How an external function's value and gradient are called: the function's name plus this suffix,
    /// with the arguments followed by one <c>out</c> per partial (the generator's <c>{Name}Gradient</c>).
    /// </summary>
    public string GradientSuffix { get; set; } = "Gradient";

    /// <summary>
    /// Which variables are C# <c>int</c>s (loop counters, sizes). Arithmetic over them and integral
    /// constants prints as integer arithmetic (array indices); a division of two integers that the graph
    /// means as real division prints with a <c>(double)</c> cast.
    /// </summary>
    public Func<Node, bool>? IsIntegerVariable { get; set; }

    private readonly Dictionary<Node, bool> _integer = new(NodeIdentity.Comparer);

    private string ValueType => IsComplex ? "global::System.Numerics.Complex" : "double";

    /// <summary>True when <paramref name="node"/> prints as a C# int (its arguments were classified before it).</summary>
    private bool ComputeInteger(Node node)
    {
        switch (node.Op)
        {
            case Op.Var:
                return IsIntegerVariable?.Invoke(node) ?? false;
            case Op.IntDiv:
            case Op.Mod:
                return true;
            case Op.Add:
            case Op.Sub:
            case Op.Mul:
            case Op.Neg:
                bool any = false;
                foreach (var a in node.ArgArray)
                {
                    bool integer = _integer.TryGetValue(a, out var known) && known;
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

    private static bool IsIntegralConstant(Node node) =>
        node.IsConstant && Math.Floor(node.Value) == node.Value && Math.Abs(node.Value) < int.MaxValue;

    private bool IsInteger(Node node) => _integer.TryGetValue(node, out var integer) && integer;

    /// <summary>An operand in integer context: integral constants print as int literals.</summary>
    private string IntOperand(Node node, Dictionary<Node, (string Text, int Precedence, int Depth)> inline, int minPrecedence)
    {
        if (IsIntegralConstant(node) && !IsInteger(node))
        {
            string text = ((long)node.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return node.Value < 0 && minPrecedence > 13 ? "(" + text + ")" : text;
        }

        return Operand(node, inline, minPrecedence, asValue: true);
    }

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

        var inline = Prepare(output, roots, extraUse: roots);

        foreach (var a in assignments)
        {
            if (a.Comment is not null)
            {
                output.Append(Indent).Append("// ").Append(a.Comment).Append('\n');
            }

            string value = Operand(a.Value, inline, 0, asValue: true);
            output.Append(Indent);
            if (a.Declare)
            {
                output.Append(ValueType).Append(' ');
            }

            output.Append(a.Target).Append(" = ").Append(value).Append(";\n");
        }
    }

    /// <summary>
    /// Classifies and prints the DAG below <paramref name="roots"/>: shared or deep subexpressions become
    /// temporaries (appended to <paramref name="output"/>), the rest is returned as inline text.
    /// </summary>
    private Dictionary<Node, (string Text, int Precedence, int Depth)> Prepare(StringBuilder output, List<Node> roots, List<Node>? extraUse)
    {
        var order = Traversal.TopologicalOrder(roots);
        var uses = Traversal.UseCounts(order);
        if (extraUse is not null)
        {
            foreach (var root in extraUse)
            {
                uses.TryGetValue(root, out int n);
                uses[root] = n + 1;
            }
        }

        var callGroups = GroupPartials(order);

        // Expression text, its precedence and inline depth for nodes not (yet) in a temporary.
        var inline = new Dictionary<Node, (string Text, int Precedence, int Depth)>(NodeIdentity.Comparer);
        foreach (var node in order)
        {
            if (_emitted.ContainsKey(node))
            {
                continue;
            }

            _integer[node] = ComputeInteger(node);
            if (node.Op is Op.Call or Op.CallPartial && !IsComplex)
            {
                EmitCallGroup(output, node, callGroups, inline);
                continue;
            }

            var (text, precedence, depth) = Format(node, inline);
            uses.TryGetValue(node, out int useCount);
            bool leaf = node.Op is Op.Const or Op.Var;
            bool root = extraUse is null ? ReferenceEquals(node, roots[0]) && roots.Count == 1 : false;
            if (!leaf && (useCount > 1 || (depth > MaxInlineDepth && !root)))
            {
                string temp = _names.Temp();
                output.Append(Indent).Append(node.IsCondition ? "bool" : IsInteger(node) ? "int" : ValueType).Append(' ')
                    .Append(temp).Append(" = ").Append(text).Append(";\n");
                _emitted[node] = temp;
                inline.Remove(node);
            }
            else
            {
                inline[node] = (text, precedence, depth);
            }
        }

        return inline;
    }

    /// <summary>
    /// Appends the temporaries <paramref name="value"/> needs and returns its C# text, for places that
    /// are not assignments (loop bounds, conditions, indices). With <paramref name="integer"/> the text is
    /// an int expression (integral constants print without a decimal point).
    /// </summary>
    public string Inline(StringBuilder output, Node value, bool integer = false)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var inline = Prepare(output, new List<Node> { value }, extraUse: null);
        if (value.IsCondition)
        {
            return Operand(value, inline, 0, asValue: false);
        }

        return integer ? IntOperand(value, inline, 0) : Operand(value, inline, 0, asValue: true);
    }

    /// <summary>Prints one expression (with temporaries for shared parts) and returns it as a single C# expression string.</summary>
    public string ExpressionOf(StringBuilder output, Node value)
    {
        string target = _names.Temp();
        Emit(output, new[] { new Assignment(target, value, declare: true) });
        return target;
    }

    private (string Text, int Precedence, int Depth) Format(Node node, Dictionary<Node, (string Text, int Precedence, int Depth)> inline)
    {
        var info = OpTable.Get(node.Op);
        var args = node.ArgArray;
        int depth = 1;
        foreach (var a in args)
        {
            if (inline.TryGetValue(a, out var entry))
            {
                depth = Math.Max(depth, entry.Depth + 1);
            }
        }

        switch (node.Op)
        {
            case Op.Const:
                string literal = CSharpLiteral.Of(node.Value);
                return (literal, literal[0] == '-' ? 13 : 20, 0);
            case Op.Var:
                return (_variableName(node), 20, 0);
            case Op.Load:
                // an element read counts as a leaf: its index arithmetic does not deepen the expression
                string element = $"{_variableName(node)}[{IntOperand(args[0], inline, 0)}]";
                return (IsComplex && IsRealArray?.Invoke(node.Name!) == true ? $"(({ValueType}){element})" : element, 20, 0);
        }

        switch (info.Form)
        {
            case CSharpForm.Infix:
                if (info.IsCondition && node.Op is not (Op.And or Op.Or) && (IsInteger(args[0]) || IsInteger(args[1]))
                    && (IsInteger(args[0]) || IsIntegralConstant(args[0])) && (IsInteger(args[1]) || IsIntegralConstant(args[1])))
                {
                    return ($"{IntOperand(args[0], inline, info.Precedence)} {info.CSharp} {IntOperand(args[1], inline, info.Precedence + 1)}", info.Precedence, depth);
                }

                if (IsInteger(node))
                {
                    return ($"{IntOperand(args[0], inline, info.Precedence)} {info.CSharp} {IntOperand(args[1], inline, info.Precedence + 1)}", info.Precedence, depth);
                }

                if (node.Op == Op.Div && IsInteger(args[0]) && (IsInteger(args[1]) || IsIntegralConstant(args[1])))
                {
                    // real division of two integers: C# would truncate
                    return ($"(double){Operand(args[0], inline, 14, asValue: true)} / {IntOperand(args[1], inline, info.Precedence + 1)}", info.Precedence, depth);
                }

                if (info.IsCondition && node.Op is not (Op.And or Op.Or))
                {
                    // Comparisons compare real parts over complex numbers (branch choice of the continuation).
                    string l = Comparand(args[0], inline, info.Precedence);
                    string r = Comparand(args[1], inline, info.Precedence + 1);
                    return ($"{l} {info.CSharp} {r}", info.Precedence, depth);
                }

                bool logic = node.Op is Op.And or Op.Or;
                string left = logic ? Condition(args[0], inline, info.Precedence) : Operand(args[0], inline, info.Precedence, asValue: true);
                string right = logic ? Condition(args[1], inline, info.Precedence + 1) : Operand(args[1], inline, info.Precedence + 1, asValue: true);
                return ($"{left} {info.CSharp} {right}", info.Precedence, depth);
            case CSharpForm.Prefix:
                string operand = node.Op == Op.Not
                    ? Condition(args[0], inline, 13)
                    : IsInteger(node) ? IntOperand(args[0], inline, 13)
                    : Operand(args[0], inline, 13, asValue: true);
                if (operand[0] is '-' or '!')
                {
                    operand = "(" + operand + ")";
                }

                return (info.CSharp + operand, 13, depth);
            case CSharpForm.Conditional:
                string c = Condition(args[0], inline, 3);
                string t = Operand(args[1], inline, 3, asValue: true);
                string f = Operand(args[2], inline, 2, asValue: true);
                return ($"{c} ? {t} : {f}", 2, depth);
            default:
                var argTexts = new string[args.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    argTexts[i] = Operand(args[i], inline, 0, asValue: true);
                }

                string function = node.Op == Op.Call ? node.Name! : IsComplex ? info.CSharpComplex : info.CSharp;
                string list = string.Join(", ", argTexts);
                if (node.Op == Op.LogSumExp && args.Length > 2)
                {
                    // n-ary log-sum-exp reads a span: a stack array keeps the code allocation-free.
                    list = $"stackalloc {ValueType}[] {{ {list} }}";
                }

                return ($"{function}({list})", 20, depth);
        }
    }


    /// <summary>The text of an argument, parenthesised when its precedence is below <paramref name="minPrecedence"/>.</summary>
    private string Operand(Node node, Dictionary<Node, (string Text, int Precedence, int Depth)> inline, int minPrecedence, bool asValue)
    {
        string text;
        int precedence;
        if (_emitted.TryGetValue(node, out var name))
        {
            (text, precedence) = (name, 20);
        }
        else
        {
            var entry = inline[node];
            (text, precedence) = (entry.Text, entry.Precedence);
        }

        if (asValue && node.IsCondition)
        {
            return $"({text} ? 1.0 : 0.0)";
        }

        return precedence < minPrecedence ? "(" + text + ")" : text;
    }

    /// <summary>The argument as a C# bool.</summary>
    private string Condition(Node node, Dictionary<Node, (string Text, int Precedence, int Depth)> inline, int minPrecedence)
    {
        if (node.IsCondition)
        {
            return Operand(node, inline, minPrecedence, asValue: false);
        }

        bool real = IsComplex && !PrintsAsDouble(node);
        string value = Operand(node, inline, real ? 20 : 9, asValue: true);
        string text = real ? $"{value}.Real != 0.0" : $"{value} != 0.0";
        return 8 < minPrecedence ? "(" + text + ")" : text;
    }

    /// <summary>One side of a comparison: the value, or its real part over complex numbers.</summary>
    private string Comparand(Node node, Dictionary<Node, (string Text, int Precedence, int Depth)> inline, int minPrecedence) =>
        IsComplex && !PrintsAsDouble(node)
            ? Operand(node, inline, 20, asValue: true) + ".Real"
            : Operand(node, inline, minPrecedence, asValue: true); // already real: 0.0, not 0.0.Real

    /// <summary>
    /// True when, over complex numbers, the printed expression is still a C# double: constants, conditions
    /// used as values, and operators or selects whose operands are all such (e.g. <c>(c ? 1.0 : 1.1) * -0.6</c>).
    /// Temporaries are declared Complex, and every function call returns Complex.
    /// </summary>
    private bool PrintsAsDouble(Node node)
    {
        if (node.IsConstant || node.IsCondition || IsInteger(node))
        {
            return true; // an int (a loop counter, a size, an int temporary) stays an int over complex numbers too
        }

        if (_emitted.ContainsKey(node))
        {
            return false;
        }

        var args = node.ArgArray;
        switch (OpTable.Get(node.Op).Form)
        {
            case CSharpForm.Infix:
            case CSharpForm.Prefix:
                foreach (var a in args)
                {
                    if (!PrintsAsDouble(a))
                    {
                        return false;
                    }
                }

                return true;
            case CSharpForm.Conditional:
                return PrintsAsDouble(args[1]) && PrintsAsDouble(args[2]);
            default:
                return false;
        }
    }

    /// <summary>Calls of one external function on the same arguments, by their value node and partial nodes.</summary>
    private static Dictionary<string, List<Node>> GroupPartials(List<Node> order)
    {
        var groups = new Dictionary<string, List<Node>>(StringComparer.Ordinal);
        foreach (var node in order)
        {
            if (node.Op is Op.Call or Op.CallPartial)
            {
                string key = GroupKey(node);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = new List<Node>();
                }

                list.Add(node);
            }
        }

        return groups;
    }

    private static string GroupKey(Node node)
    {
        var sb = new StringBuilder(node.Name);
        foreach (var a in node.ArgArray)
        {
            sb.Append('#').Append(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a));
        }

        return sb.ToString();
    }

    /// <summary>
    /// Emits one call for an external function and all its partials in this emission:
    /// <c>double _t0 = fGradient(a, b, out double _t1, out double _t2);</c>, or just
    /// <c>double _t0 = f(a, b);</c> when no partial is needed.
    /// </summary>
    private void EmitCallGroup(StringBuilder output, Node node, Dictionary<string, List<Node>> groups,
        Dictionary<Node, (string Text, int Precedence, int Depth)> inline)
    {
        var group = groups[GroupKey(node)];
        bool needsPartials = group.Exists(n => n.Op == Op.CallPartial);
        var args = new List<string>();
        foreach (var a in node.ArgArray)
        {
            args.Add(Operand(a, inline, 0, asValue: true));
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
                output.Append(", out double ").Append(partialNames[i]);
            }
        }

        output.Append(");\n");
        foreach (var member in group)
        {
            _emitted[member] = member.Op == Op.Call ? valueName : partialNames[member.Index];
        }
    }
}
