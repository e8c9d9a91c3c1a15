using System;
using System.Numerics;

namespace DiffGen.Expr;

/// <summary>
/// Local rewrites applied while a <see cref="Graph"/> builds a node. Each one keeps the value wherever
/// the original expression is defined (not NaN); the only visible difference any of them can make is
/// the sign of a zero result (x + 0 for x = −0 gives +0 before and −0 after).
/// <para>Applied: constant folding; x ± 0 → x; 0 + x → x; 0 − x → −x; x·1 → x; x·(−1) → −x;
/// x/1 → x; x/(−1) → −x; −(−x) → x; x + (−y) → x − y; x − (−y) → x + y; (−x)·(−y) → x·y;
/// negation moved outward, where rounding is symmetric: (−x)·y → −(x·y), (−x)/y → −(x/y),
/// (−x) − y → −(x + y), −(x − y) → y − x;
/// x⁰ → 1; x¹ → x; x² → x·x; x⁻¹ → 1/x (each exact, as C compilers do without fast-math);
/// ||x|| → |x|; |−x| → |x|; (c ? a : a) → a; constant conditions pick their branch;
/// (¬c ? a : b) → (c ? b : a); and (c ? a : 0)·p → c ? a·p : 0 (and mirrored), which lets a
/// branch that was not taken contribute an exact zero to a derivative instead of 0·NaN.</para>
/// <para>Refused, because they change a defined value or turn NaN/∞ into a number: 0·x → 0
/// (0·∞ = NaN), x − x → 0 and x/x → 1 (∞, NaN), exp(ln x) → x (x &lt; 0), ln(eˣ) → x (eˣ overflows),
/// √(x²) → |x| (x² overflows), x^½ → √x (−0 and −∞ differ), reassociation (a + b) + c → a + (b + c)
/// and gathering constants 2·(3·x) → 6·x (both round differently).</para>
/// </summary>
public static class Simplifier
{
    /// <summary>A simpler node equal in value to <paramref name="op"/>(<paramref name="args"/>), or null.</summary>
    internal static Node? TrySimplify(Graph g, Op op, Node[] args)
    {
        var info = OpTable.Get(op);
        if (info.Foldable && AllConstant(args) && (!g.FoldsInSingle || FoldsExactlyInSingle(op)))
        {
            return g.Const(g.FoldsInSingle ? RoundToSingle(Fold(info, args)) : Fold(info, args));
        }

        Node a = args[0];
        Node? b = args.Length > 1 ? args[1] : null;
        switch (op)
        {
            case Op.Add:
                if (IsZero(b!)) return a;
                if (IsZero(a)) return b;
                if (b!.Op == Op.Neg) return g.Sub(a, b.ArgArray[0]);
                if (a.Op == Op.Neg) return g.Sub(b, a.ArgArray[0]);
                return MergeSelects(g, a, b);
            case Op.Sub:
                if (IsZero(b!)) return a;
                if (IsZero(a)) return g.Neg(b!);
                if (b!.Op == Op.Neg) return g.Add(a, b.ArgArray[0]);
                if (a.Op == Op.Neg) return g.Neg(g.Add(a.ArgArray[0], b));
                return null;
            case Op.Mul:
                if (b!.IsConstantValue(1.0)) return a;
                if (a.IsConstantValue(1.0)) return b;
                if (b.IsConstantValue(-1.0)) return g.Neg(a);
                if (a.IsConstantValue(-1.0)) return g.Neg(b);
                if (a.Op == Op.Neg && b.Op == Op.Neg) return g.Mul(a.ArgArray[0], b.ArgArray[0]);
                if (a.Op == Op.Neg) return g.Neg(g.Mul(a.ArgArray[0], b));
                if (b.Op == Op.Neg) return g.Neg(g.Mul(a, b.ArgArray[0]));
                return DistributeOverMaskedSelect(g, a, b) ?? DistributeOverMaskedSelect(g, b, a);
            case Op.Div:
                if (b!.IsConstantValue(1.0)) return a;
                if (b.IsConstantValue(-1.0)) return g.Neg(a);
                if (a.Op == Op.Neg && b.Op == Op.Neg) return g.Div(a.ArgArray[0], b.ArgArray[0]);
                if (a.Op == Op.Neg) return g.Neg(g.Div(a.ArgArray[0], b));
                if (b.Op == Op.Neg) return g.Neg(g.Div(a, b.ArgArray[0]));
                return null;
            case Op.Neg:
                if (a.Op == Op.Neg) return a.ArgArray[0];
                if (a.Op == Op.Sub) return g.Sub(a.ArgArray[1], a.ArgArray[0]);
                return null;
            case Op.Pow:
                if (!b!.IsConstant) return null;
                if (b.Value == 0.0) return g.One;
                if (b.Value == 1.0) return a;
                if (b.Value == 2.0) return g.Mul(a, a);
                if (b.Value == -1.0) return g.Div(g.One, a);
                return null;
            case Op.Abs:
                return a.Op is Op.Abs ? a : a.Op is Op.Neg ? g.Abs(a.ArgArray[0]) : null;
            case Op.Select:
                Node whenTrue = args[1], whenFalse = args[2];
                if (a.IsConstant) return a.Value != 0 ? whenTrue : whenFalse;
                if (ReferenceEquals(whenTrue, whenFalse)) return whenTrue;
                if (a.Op == Op.Not) return g.Select(a.ArgArray[0], whenFalse, whenTrue);
                // a select nested under the same condition knows which branch it takes:
                // c ? (c ? x : y) : b → c ? x : b, and c ? a : (c ? x : y) → c ? a : y
                if (whenTrue.Op == Op.Select && ReferenceEquals(whenTrue.ArgArray[0], a)) return g.Select(a, whenTrue.ArgArray[1], whenFalse);
                if (whenFalse.Op == Op.Select && ReferenceEquals(whenFalse.ArgArray[0], a)) return g.Select(a, whenTrue, whenFalse.ArgArray[2]);
                return null;
            default:
                return null;
        }
    }

    /// <summary>(c ? a : b)·p with a or b an exact zero → c ? a·p : b·p, the zero branch staying 0.</summary>
    private static Node? DistributeOverMaskedSelect(Graph g, Node select, Node factor)
    {
        if (select.Op != Op.Select)
        {
            return null;
        }

        var s = select.ArgArray;
        bool zeroTrue = IsZero(s[1]), zeroFalse = IsZero(s[2]);
        if (!zeroTrue && !zeroFalse)
        {
            return null;
        }

        return g.Select(s[0], zeroTrue ? s[1] : g.Mul(s[1], factor), zeroFalse ? s[2] : g.Mul(s[2], factor));
    }

    /// <summary>(c ? a : 0) + (c ? 0 : b) → c ? a : b (the sums of masked branches of one condition).</summary>
    private static Node? MergeSelects(Graph g, Node x, Node y)
    {
        if (x.Op != Op.Select || y.Op != Op.Select || !ReferenceEquals(x.ArgArray[0], y.ArgArray[0]))
        {
            return null;
        }

        var p = x.ArgArray;
        var q = y.ArgArray;
        if (IsZero(p[2]) && IsZero(q[1])) return g.Select(p[0], p[1], q[2]);
        if (IsZero(p[1]) && IsZero(q[2])) return g.Select(p[0], q[1], p[2]);
        return null;
    }

    private static bool IsZero(Node n) => n.Op == Op.Const && n.Value == 0.0;

    /// <summary>
    /// True for the operations whose value on floats, computed in double and rounded to float, is the float
    /// operation's (+, −, ×, ÷ and √ are exact in double to well past twice float's precision, so rounding
    /// twice is rounding once; the rest do not round). Functions such as exp differ: MathF.Exp is not
    /// (float)Math.Exp at some arguments, so over floats they are left to run as MathF calls.
    /// </summary>
    private static bool FoldsExactlyInSingle(Op op) => op is Op.Add or Op.Sub or Op.Mul or Op.Div or Op.Neg or Op.Sqrt or Op.Abs
        or Op.Floor or Op.Ceiling or Op.Truncate or Op.Round or Op.Sign or Op.Max or Op.Min or Op.Relu or Op.CopySign or Op.Select
        or Op.Less or Op.LessEqual or Op.Greater or Op.GreaterEqual or Op.Equal or Op.NotEqual or Op.And or Op.Or or Op.Not
        or Op.IntDiv or Op.Mod;

    /// <summary>
    /// A folded value of a float graph, rounded to float as C# rounds each float operation; integers beyond
    /// 2²⁴ are left as they are, as in a float graph they are int arithmetic (indices, counts) more likely than floats.
    /// </summary>
    private static double RoundToSingle(double value) =>
        Math.Abs(value) > 16777216.0 && value == Math.Floor(value) ? value : (float)value;

    private static bool AllConstant(Node[] args)
    {
        foreach (var a in args)
        {
            if (!a.IsConstant)
            {
                return false;
            }
        }

        return true;
    }

    private static double Fold(OpInfo info, Node[] args)
    {
        var values = new double[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Value;
        }

        return info.Evaluate(values);
    }

    /// <summary>Rebuilds <paramref name="roots"/> in a new simplifying graph: simplification plus CSE.</summary>
    public static Node[] Simplify(params Node[] roots)
    {
        var g = new Graph(simplify: true);
        return g.Import(roots);
    }
}
