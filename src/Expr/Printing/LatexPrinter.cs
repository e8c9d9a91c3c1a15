using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Expr;

/// <summary>
/// Prints an expression as LaTeX, with the fewest parentheses its precedence needs, as a tree (shared
/// subexpressions are written out where used). Iterative over the DAG; meant for formulas a person reads.
/// </summary>
public static class LatexPrinter
{
    private const int Sum = 1, Product = 2, Unary = 3, Atom = 4;

    /// <summary>The LaTeX for <paramref name="root"/>.</summary>
    public static string Print(Node root)
    {
        if (root is null)
        {
            throw new ArgumentNullException(nameof(root));
        }

        var text = new Dictionary<Node, (string Text, int Precedence)>(NodeIdentity.Comparer);
        foreach (var node in Traversal.TopologicalOrder(root))
        {
            text[node] = Format(node, text);
        }

        return text[root].Text;
    }

    private static (string, int) Format(Node node, Dictionary<Node, (string Text, int Precedence)> text)
    {
        var args = node.ArgArray;
        string Arg(int i, int min)
        {
            var (t, p) = text[args[i]];
            return p < min ? "\\left(" + t + "\\right)" : t;
        }

        switch (node.Op)
        {
            case Op.Const:
                string literal = node.Value.ToString("R", CultureInfo.InvariantCulture);
                return (literal, node.Value < 0 ? Unary : Atom);
            case Op.Var:
                return (Identifier(node.Name!), Atom);
            case Op.Add:
                return ($"{Arg(0, Sum)} + {Arg(1, Sum)}", Sum);
            case Op.Sub:
                return ($"{Arg(0, Sum)} - {Arg(1, Product)}", Sum);
            case Op.Mul:
                return ($"{Arg(0, Product)} \\cdot {Arg(1, Product)}", Product);
            case Op.Div:
                return ($"\\frac{{{text[args[0]].Text}}}{{{text[args[1]].Text}}}", Atom);
            case Op.Neg:
                return ($"-{Arg(0, Unary + 1)}", Unary);
            case Op.Pow:
                return ($"{{{Arg(0, Atom)}}}^{{{text[args[1]].Text}}}", Atom);
            case Op.LogSumExp:
            case Op.Call:
            case Op.CallPartial:
            case Op.CustomCall:
            case Op.CustomPartial:
                var all = new List<string>();
                for (int i = 0; i < args.Length; i++)
                {
                    all.Add(text[args[i]].Text);
                }

                string template = OpTable.Get(node.Op).Latex
                    .Replace("{name}", Identifier(node.Name ?? ""))
                    .Replace("{index}", node.Index.ToString(CultureInfo.InvariantCulture));
                return (string.Format(CultureInfo.InvariantCulture, template, string.Join(", ", all)), Atom);
            default:
                var parts = new object[args.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    // Infix conditions bind loosely; function arguments sit inside \left( \right).
                    parts[i] = OpTable.Get(node.Op).IsCondition ? Arg(i, Sum) : text[args[i]].Text;
                }

                return (string.Format(CultureInfo.InvariantCulture, OpTable.Get(node.Op).Latex, parts),
                    OpTable.Get(node.Op).IsCondition ? 0 : Atom);
        }
    }

    /// <summary>x1 → x_{1}; longer names in \mathrm.</summary>
    private static string Identifier(string name)
    {
        int digits = name.Length;
        while (digits > 0 && char.IsDigit(name[digits - 1]))
        {
            digits--;
        }

        string stem = name.Substring(0, digits);
        string sub = name.Substring(digits);
        string head = stem.Length <= 1 ? stem : $"\\mathrm{{{stem.Replace("_", "\\_")}}}";
        return sub.Length > 0 ? $"{head}_{{{sub}}}" : head;
    }
}
