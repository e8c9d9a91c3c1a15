using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DiffGen.Expr;
using FsCheck;
using FsCheck.Fluent;

namespace DiffGen.Expr.Tests;

/// <summary>A random expression as plain data (so FsCheck can print it), built into any graph on demand.</summary>
public sealed class Spec
{
    public Spec(string kind, double constant = 0, int variable = 0, params Spec[] args)
    {
        Kind = kind;
        Constant = constant;
        Variable = variable;
        Args = args;
    }

    public string Kind { get; }
    public double Constant { get; }
    public int Variable { get; }
    public Spec[] Args { get; }

    public override string ToString() => Kind switch
    {
        "const" => Constant.ToString("R", CultureInfo.InvariantCulture),
        "var" => "x" + Variable.ToString(CultureInfo.InvariantCulture),
        _ => Kind + "(" + string.Join(", ", Args.Select(a => a.ToString())) + ")",
    };

    /// <summary>
    /// Builds the expression. Operations with a restricted domain get an argument that stays inside it
    /// (log of a² + c, arcsin of 0.9·tanh a, …): the wrapper is part of the random graph.
    /// </summary>
    public Node Build(Graph g, Node[] vars)
    {
        var built = new Dictionary<Spec, Node>(ReferenceEqualityComparer.Instance);
        foreach (var s in PostOrder())
        {
            Node A(int i) => built[s.Args[i]];
            Node Positive(int i) => A(i) * A(i) + 0.5;
            Node Unit(int i) => 0.9 * g.Tanh(A(i));
            built[s] = s.Kind switch
            {
                "const" => g.Const(s.Constant),
                "var" => vars[s.Variable],
                "neg" => -A(0),
                "exp" => g.Exp(A(0)),
                "log" => g.Log(Positive(0)),
                "log10" => g.Log10(Positive(0)),
                "log2" => g.Log2(Positive(0)),
                "log1p" => g.Log1p(A(0) * A(0)),
                "expm1" => g.Expm1(A(0)),
                "sqrt" => g.Sqrt(Positive(0)),
                "cbrt" => g.Cbrt(A(0)),
                "sin" => g.Sin(A(0)),
                "cos" => g.Cos(A(0)),
                "tan" => g.Tan(A(0)),
                "asin" => g.Asin(Unit(0)),
                "acos" => g.Acos(Unit(0)),
                "atan" => g.Atan(A(0)),
                "sinh" => g.Sinh(A(0)),
                "cosh" => g.Cosh(A(0)),
                "tanh" => g.Tanh(A(0)),
                "asinh" => g.Asinh(A(0)),
                "acosh" => g.Acosh(A(0) * A(0) + 1.1),
                "atanh" => g.Atanh(Unit(0)),
                "abs" => g.Abs(A(0)),
                "sign" => g.Sign(A(0)) * A(0),
                "floor" => g.Floor(A(0)) + A(0),
                "round" => g.Round(A(0)) * A(0),
                "sigmoid" => g.Sigmoid(A(0)),
                "softplus" => g.Softplus(A(0)),
                "relu" => g.Relu(A(0)),
                "leaky_relu" => g.LeakyRelu(A(0), 0.1),
                "elu" => g.Elu(A(0), 0.7),
                "gelu" => g.Gelu(A(0)),
                "swish" => g.Swish(A(0)),
                "mish" => g.Mish(A(0)),
                "softsign" => g.Softsign(A(0)),
                "add" => A(0) + A(1),
                "sub" => A(0) - A(1),
                "mul" => A(0) * A(1),
                "div" => A(0) / Positive(1),
                "pow" => g.Pow(Positive(0), g.Tanh(A(1)) * 2.0),
                "powi" => g.Pow(A(0), 3.0),
                "powf" => g.Pow(Positive(0), -1.5),
                "atan2" => g.Atan2(A(0), A(1)),
                "min" => g.Min(A(0), A(1)),
                "max" => g.Max(A(0), A(1)),
                "select" => g.Select(g.Less(A(0), A(1)), A(0) * A(1), A(1) - A(0)),
                "prelu" => g.LeakyRelu(A(0), A(1)),
                "lse" => g.LogSumExp(A(0), A(1), A(2)),
                "fma" => g.Fma(A(0), A(1), A(2)),
                _ => throw new InvalidOperationException("unknown kind " + s.Kind),
            };
        }

        return built[this];
    }

    private List<Spec> PostOrder()
    {
        var order = new List<Spec>();
        var stack = new Stack<(Spec, bool)>();
        stack.Push((this, false));
        while (stack.Count > 0)
        {
            var (s, expanded) = stack.Pop();
            if (expanded)
            {
                order.Add(s);
                continue;
            }

            stack.Push((s, true));
            foreach (var a in s.Args)
            {
                stack.Push((a, false));
            }
        }

        return order;
    }
}

/// <summary>A random expression over 1–6 variables and a point inside its domain.</summary>
public sealed class ExprCase
{
    public ExprCase(Spec spec, double[] point)
    {
        Spec = spec;
        Point = point;
    }

    public Spec Spec { get; }
    public double[] Point { get; }
    public int VariableCount => Point.Length;

    /// <summary>Builds the case in a fresh graph.</summary>
    public (Graph Graph, Node F, Node[] Vars) Build(bool simplify = true)
    {
        var g = new Graph(simplify);
        var vars = g.Vars(Enumerable.Range(0, VariableCount).Select(i => "x" + i).ToArray());
        return (g, Spec.Build(g, vars), vars);
    }

    public override string ToString() =>
        $"f = {Spec} at ({string.Join(", ", Point.Select(p => p.ToString("R", CultureInfo.InvariantCulture)))})";
}

/// <summary>FsCheck generators of random expression graphs (the Arbitraries of the property tests).</summary>
public static class Arbitraries
{
    public const int MaxDepth = 8;
    public const int MaxVariables = 6;

    private static readonly string[] Unary =
    {
        "neg", "exp", "log", "log10", "log2", "log1p", "expm1", "sqrt", "cbrt", "sin", "cos", "tan", "asin",
        "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "abs", "sign", "floor", "round",
        "sigmoid", "softplus", "relu", "leaky_relu", "elu", "gelu", "swish", "mish", "softsign", "powi", "powf",
    };

    private static readonly string[] Binary = { "add", "sub", "mul", "div", "pow", "atan2", "min", "max", "select", "prelu" };
    private static readonly string[] Ternary = { "lse", "fma" };
    private static readonly double[] Constants = { 0.5, 2.0, -1.5, 3.0, 0.1 };

    /// <summary>Random trees of the given depth over <paramref name="variables"/> variables.</summary>
    public static Gen<Spec> Tree(int depth, int variables)
    {
        var leaf = Gen.Frequency(
            (4, Gen.Choose(0, variables - 1).Select(v => new Spec("var", variable: v))),
            (1, Gen.Elements(Constants).Select(c => new Spec("const", constant: c))));
        if (depth == 0)
        {
            return leaf;
        }

        var sub = Tree(depth - 1, variables);
        return Gen.Frequency(
            (1, leaf),
            (4, from op in Gen.Elements(Unary) from a in sub select new Spec(op, 0, 0, a)),
            (4, from op in Gen.Elements(Binary) from a in sub from b in sub select new Spec(op, 0, 0, a, b)),
            (1, from op in Gen.Elements(Ternary) from a in sub from b in sub from c in sub select new Spec(op, 0, 0, a, b, c)));
    }

    /// <summary>Random cases: 1–6 variables, depth 1–8, points in [−2, 2] away from kinks and overflow.</summary>
    public static Gen<ExprCase> Cases() =>
        (from n in Gen.Choose(1, MaxVariables)
         from depth in Gen.Choose(1, MaxDepth)
         from spec in Tree(depth, n)
         from point in Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(k => k / 1000.0 + 0.000123), n)
         select new ExprCase(spec, point))
        .Where(IsWellConditioned);

    public static Arbitrary<ExprCase> ExprCases() => Arb.From(Cases());

    /// <summary>
    /// True when every value is finite and moderate and no branch decision (abs, relu, min/max,
    /// comparisons, floor, round, …) changes within ±1e−3 of the point in any coordinate, so that
    /// finite differences and complex step measure the same derivative as the rules.
    /// </summary>
    public static bool IsWellConditioned(ExprCase c)
    {
        var (g, f, vars) = c.Build();
        if (f.IsConstant)
        {
            return false;
        }

        var schedule = new Schedule(new[] { f }, vars);
        var values = schedule.EvaluateAll(c.Point);
        foreach (var value in values.Values)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 1e3)
            {
                return false;
            }
        }

        // Singular points, where a first derivative is infinite or 0/0: ∛ at 0, atan2 at the origin.
        foreach (var (node, _) in values)
        {
            bool singular = node.Op switch
            {
                Op.Cbrt => Math.Abs(values[node.Args[0]]) < 1e-3,
                // atan2 at the origin, and on its branch cut (y ≈ ±0, x < 0) where it jumps by 2π
                Op.Atan2 => Math.Abs(values[node.Args[0]]) + Math.Abs(values[node.Args[1]]) < 1e-3
                    || (values[node.Args[1]] < 0 && Math.Abs(values[node.Args[0]]) < 1e-3),
                Op.Tan => Math.Abs(Math.Cos(values[node.Args[0]])) < 0.1,
                _ => false,
            };
            if (singular)
            {
                return false;
            }
        }

        string signature = Branches(values);
        const double reach = 1e-3;
        for (int i = 0; i < c.Point.Length; i++)
        {
            foreach (double step in new[] { -reach, reach })
            {
                var moved = (double[])c.Point.Clone();
                moved[i] += step;
                if (Branches(schedule.EvaluateAll(moved)) != signature)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The branch taken at every kink or jump of the graph, as text.</summary>
    private static string Branches(IReadOnlyDictionary<Node, double> values)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (node, value) in values.OrderBy(p => p.Key.Id))
        {
            double Arg(int i) => values[node.Args[i]];
            sb.Append(node.Op switch
            {
                Op.Abs or Op.Relu or Op.LeakyRelu or Op.Elu or Op.Sign or Op.Cbrt => Math.Sign(Arg(0)).ToString(CultureInfo.InvariantCulture),
                Op.Floor or Op.Ceiling or Op.Truncate or Op.Round => value.ToString("R", CultureInfo.InvariantCulture),
                Op.Min or Op.Max or Op.Less or Op.LessEqual or Op.Greater or Op.GreaterEqual => (Arg(0) <= Arg(1)) ? "<" : ">",
                Op.Atan2 => Math.Sign(Arg(0)) + "," + Math.Sign(Arg(1)),
                Op.Tan => Math.Round(Arg(0) / Math.PI).ToString(CultureInfo.InvariantCulture),
                _ => "",
            });
        }

        return sb.ToString();
    }
}
