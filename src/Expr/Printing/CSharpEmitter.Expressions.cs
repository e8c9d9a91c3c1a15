using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Expr;

/// <summary>The C# text of one node over its arguments' texts, with the parentheses precedence requires.</summary>
public sealed partial class CSharpEmitter
{
    private Printed Print(Node node, Dictionary<Node, Printed> inline)
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
                string literal = Literal(node.Value);
                return new Printed(literal, literal[0] == '-' ? CSharpPrecedence.Unary : CSharpPrecedence.Primary, 0);
            case Op.Var:
                return new Printed(_variableName(node), CSharpPrecedence.Primary, 0);
            case Op.Load:
                // an element read counts as a leaf: its index arithmetic does not deepen the expression
                string element = $"{_variableName(node)}[{IntOperand(args[0], inline, CSharpPrecedence.Any)}]";
                return new Printed(IsComplex && IsRealArray?.Invoke(node.Name!) == true ? $"(({ValueType}){element})" : element, CSharpPrecedence.Primary, 0);
        }

        int precedence = info.Precedence;
        int right = CSharpPrecedence.Above(precedence);
        switch (info.Form)
        {
            case CSharpForm.Infix:
                bool logic = node.Op is Op.And or Op.Or;
                if (info.IsCondition && !logic && (_integers.IsInteger(args[0]) || _integers.IsInteger(args[1]))
                    && _integers.FitsInteger(args[0]) && _integers.FitsInteger(args[1]))
                {
                    return new Printed($"{IntOperand(args[0], inline, precedence)} {info.CSharp} {IntOperand(args[1], inline, right)}", precedence, depth);
                }

                if (_integers.IsInteger(node))
                {
                    return new Printed($"{IntOperand(args[0], inline, precedence)} {info.CSharp} {IntOperand(args[1], inline, right)}", precedence, depth);
                }

                if (node.Op == Op.Div && _integers.IsInteger(args[0]) && _integers.FitsInteger(args[1]))
                {
                    // real division of two integers: C# would truncate
                    string numerator = Operand(args[0], inline, CSharpPrecedence.Above(CSharpPrecedence.Unary), asValue: true);
                    return new Printed($"({(PrintsSingle ? "float" : "double")}){numerator} / {IntOperand(args[1], inline, right)}", precedence, depth);
                }

                if (info.IsCondition && !logic)
                {
                    // Comparisons compare real parts over complex numbers (branch choice of the continuation).
                    return new Printed($"{Comparand(args[0], inline, precedence)} {info.CSharp} {Comparand(args[1], inline, right)}", precedence, depth);
                }

                string left = logic ? Condition(args[0], inline, precedence) : Operand(args[0], inline, precedence, asValue: true);
                string rightText = logic ? Condition(args[1], inline, right) : Operand(args[1], inline, right, asValue: true);
                return new Printed($"{left} {info.CSharp} {rightText}", precedence, depth);
            case CSharpForm.Prefix:
                string operand = node.Op == Op.Not
                    ? Condition(args[0], inline, precedence)
                    : _integers.IsInteger(node) ? IntOperand(args[0], inline, precedence)
                    : Operand(args[0], inline, precedence, asValue: true);
                if (operand[0] is '-' or '!')
                {
                    operand = "(" + operand + ")";
                }

                return new Printed(info.CSharp + operand, precedence, depth);
            case CSharpForm.Conditional:
                string c = Condition(args[0], inline, right);
                string t = Operand(args[1], inline, right, asValue: true);
                string f = Operand(args[2], inline, precedence, asValue: true);
                return new Printed($"{c} ? {t} : {f}", precedence, depth);
            default:
                // Math.Max and Math.Min of ints (the longest of several spans) stay ints, over complex numbers too
                bool integer = _integers.IsInteger(node);
                var argTexts = new string[args.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    argTexts[i] = integer ? IntOperand(args[i], inline, CSharpPrecedence.Any) : Operand(args[i], inline, CSharpPrecedence.Any, asValue: true);
                }

                string function = node.Op == Op.Call ? node.Name! : integer ? info.CSharp : IsComplex ? info.CSharpComplex : PrintsSingle ? SingleFunction(info.CSharp) : info.CSharp;
                string list = string.Join(", ", argTexts);
                if (node.Op == Op.LogSumExp && args.Length > 2)
                {
                    // n-ary log-sum-exp reads a span: a stack array keeps the code allocation-free.
                    list = $"stackalloc {ValueType}[] {{ {list} }}";
                }

                return new Printed($"{function}({list})", CSharpPrecedence.Primary, depth);
        }
    }

    /// <summary>The text of an argument, parenthesised when its precedence is below <paramref name="minPrecedence"/>.</summary>
    private string Operand(Node node, Dictionary<Node, Printed> inline, int minPrecedence, bool asValue)
    {
        var printed = _emitted.TryGetValue(node, out var name) ? new Printed(name, CSharpPrecedence.Primary, 0) : inline[node];
        if (asValue && node.IsCondition)
        {
            return $"({printed.Text} ? {Literal(1.0)} : {Literal(0.0)})";
        }

        return printed.Precedence < minPrecedence ? "(" + printed.Text + ")" : printed.Text;
    }

    /// <summary>An operand in integer context: integral constants print as int literals.</summary>
    private string IntOperand(Node node, Dictionary<Node, Printed> inline, int minPrecedence)
    {
        if (IntegerInference.IsIntegralConstant(node) && !_integers.IsInteger(node))
        {
            string text = ((long)node.Value).ToString(CultureInfo.InvariantCulture);
            return node.Value < 0 && minPrecedence > CSharpPrecedence.Unary ? "(" + text + ")" : text;
        }

        return Operand(node, inline, minPrecedence, asValue: true);
    }

    /// <summary>The argument as a C# bool: a condition as it is, a value as <c>v != 0.0</c>.</summary>
    private string Condition(Node node, Dictionary<Node, Printed> inline, int minPrecedence)
    {
        if (node.IsCondition)
        {
            return Operand(node, inline, minPrecedence, asValue: false);
        }

        bool real = IsComplex && !PrintsAsDouble(node);
        string value = Operand(node, inline, real ? CSharpPrecedence.Primary : CSharpPrecedence.Above(CSharpPrecedence.Equality), asValue: true);
        string text = real ? $"{value}.Real != 0.0" : $"{value} != 0.0";
        return CSharpPrecedence.Equality < minPrecedence ? "(" + text + ")" : text;
    }
}
