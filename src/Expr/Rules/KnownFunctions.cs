using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// How C# lowers to the graph, for the source generator (a [Differentiable] method) and the run-time
/// lambda compiler (an <c>Expression&lt;Func&lt;…&gt;&gt;</c>) alike, so both build the same graph: the
/// library functions C# code may call by name and their operations, C# constants, and the folding of
/// logic over constant conditions.
/// </summary>
public static class KnownFunctions
{
    /// <summary>The node of a C# constant (numbers, and bools as 1 or 0), or null for any other value.</summary>
    public static Node? Constant(Graph g, object? value) => value switch
    {
        double d => g.Const(d),
        float s => g.Const(s),
        int i => g.Const(i),
        long l => g.Const(l),
        short s => g.Const(s),
        byte b => g.Const(b),
        bool b => b ? g.One : g.Zero,
        _ => null,
    };

    /// <summary>a &amp;&amp; b, folded when either side is a constant.</summary>
    public static Node And(Graph g, Node a, Node b) =>
        a.IsConstant ? (a.Value != 0 ? b : g.Zero) : b.IsConstant ? (b.Value != 0 ? a : g.Zero) : g.And(a, b);

    /// <summary>a || b, folded when either side is a constant.</summary>
    public static Node Or(Graph g, Node a, Node b) =>
        a.IsConstant ? (a.Value != 0 ? g.One : b) : b.IsConstant ? (b.Value != 0 ? g.One : a) : g.Or(a, b);

    /// <summary>!a, folded for a constant.</summary>
    public static Node Not(Graph g, Node a) => a.IsConstant ? (a.Value != 0 ? g.Zero : g.One) : g.Not(a);

    /// <summary>The full name of the type whose double methods <see cref="Activation"/> knows.</summary>
    public const string ActivationsType = "DiffGen.Nn.Activations";

    /// <summary>True for System.Math and System.MathF, whose methods <see cref="Math"/> knows.</summary>
    public static bool IsMathType(string fullTypeName) => fullTypeName is "System.Math" or "System.MathF";

    /// <summary>The graph of <c>Math.<paramref name="name"/>(args)</c>, or null when the function has no known derivative.</summary>
    /// <param name="g">The graph to build in.</param>
    /// <param name="name">The method name, e.g. "Sin".</param>
    /// <param name="a">The arguments' nodes.</param>
    public static Node? Math(Graph g, string name, IReadOnlyList<Node> a)
    {
        switch (a.Count)
        {
            case 1:
                return name switch
                {
                    "Exp" => g.Exp(a[0]),
                    "Log" => g.Log(a[0]),
                    "Log10" => g.Log10(a[0]),
                    "Log2" => g.Log2(a[0]),
                    "Sqrt" => g.Sqrt(a[0]),
                    "Cbrt" => g.Cbrt(a[0]),
                    "Sin" => g.Sin(a[0]),
                    "Cos" => g.Cos(a[0]),
                    "Tan" => g.Tan(a[0]),
                    "Asin" => g.Asin(a[0]),
                    "Acos" => g.Acos(a[0]),
                    "Atan" => g.Atan(a[0]),
                    "Sinh" => g.Sinh(a[0]),
                    "Cosh" => g.Cosh(a[0]),
                    "Tanh" => g.Tanh(a[0]),
                    "Asinh" => g.Asinh(a[0]),
                    "Acosh" => g.Acosh(a[0]),
                    "Atanh" => g.Atanh(a[0]),
                    "Abs" => g.Abs(a[0]),
                    "Sign" => g.Sign(a[0]),
                    "Floor" => g.Floor(a[0]),
                    "Ceiling" => g.Ceiling(a[0]),
                    "Round" => g.Round(a[0]),
                    "Truncate" => g.Truncate(a[0]),
                    _ => null,
                };
            case 2:
                return name switch
                {
                    // log_b(a) = ln a / ln b
                    "Log" => g.Div(g.Log(a[0]), g.Log(a[1])),
                    "Pow" => g.Pow(a[0], a[1]),
                    "Atan2" => g.Atan2(a[0], a[1]),
                    "Min" => g.Min(a[0], a[1]),
                    "Max" => g.Max(a[0], a[1]),
                    _ => null,
                };
            case 3:
                return name switch
                {
                    "FusedMultiplyAdd" => g.Fma(a[0], a[1], a[2]),
                    // Math.Clamp(x, lo, hi) = min(max(x, lo), hi) for lo ≤ hi
                    "Clamp" => g.Min(g.Max(a[0], a[1]), a[2]),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The graph of <c>DiffGen.Nn.Activations.<paramref name="name"/>(args)</c> over doubles, or null when unknown.</summary>
    /// <param name="g">The graph to build in.</param>
    /// <param name="name">The method name, e.g. "Sigmoid".</param>
    /// <param name="a">The arguments' nodes.</param>
    public static Node? Activation(Graph g, string name, IReadOnlyList<Node> a)
    {
        switch (a.Count)
        {
            case 1:
                return name switch
                {
                    "Sigmoid" => g.Sigmoid(a[0]),
                    "Tanh" => g.Tanh(a[0]),
                    "Relu" => g.Relu(a[0]),
                    "Selu" => g.Selu(a[0]),
                    "Gelu" => g.Gelu(a[0]),
                    "Softplus" => g.Softplus(a[0]),
                    "Softsign" => g.Softsign(a[0]),
                    "Swish" => g.Swish(a[0]),
                    "Mish" => g.Mish(a[0]),
                    "LogSigmoid" => g.LogSigmoid(a[0]),
                    "Sinc" => g.Sinc(a[0]),
                    "Step" => g.Step(a[0]),
                    _ => null,
                };
            case 2:
                return name switch
                {
                    "LeakyRelu" => g.LeakyRelu(a[0], a[1]),
                    "Elu" => g.Elu(a[0], a[1]),
                    _ => null,
                };
            default:
                return null;
        }
    }
}
