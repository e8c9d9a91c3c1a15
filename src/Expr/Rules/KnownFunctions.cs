using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// How C# lowers to the graph, for the source generator (a [Differentiable] method) and the run-time
/// lambda compiler (an <c>Expression&lt;Func&lt;…&gt;&gt;</c>) alike, so both build the same graph: the
/// library functions C# code may call by name and their operations, C# constants, and the folding of
/// logic over constant conditions.
/// </summary>
internal static class KnownFunctions
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
        // an enum member (MidpointRounding.AwayFromZero) as reflection sees it; Roslyn gives its number already
        Enum e => g.Const(Convert.ToDouble(e, CultureInfo.InvariantCulture)),
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

    /// <summary>The full name of the class of DiffGen's own functions (<c>Primitives.Erf</c>, <c>Primitives.Log1p</c>, …).</summary>
    public const string PrimitivesType = "DiffGen.Expr.Primitives";

    /// <summary>
    /// True for System.Math, System.MathF, double's and float's static methods (double.Exp, float.Hypot, … — the
    /// INumber surface, as Roslyn ("double") or reflection ("System.Double") names the type),
    /// <see cref="Primitives"/>, <see cref="PrimitivesF"/> and DiffGen.Diff (its StopGradient), whose functions <see cref="Math"/> knows.
    /// </summary>
    public static bool IsMathType(string fullTypeName) =>
        fullTypeName is "System.Math" or "System.MathF" or "double" or "System.Double" or "float" or "System.Single"
            or PrimitivesType or PrimitivesFType or DiffType;

    /// <summary>The full name of the float versions of <see cref="PrimitivesType"/>'s functions (<c>PrimitivesF.Sigmoid</c>, …), for float methods.</summary>
    public const string PrimitivesFType = "DiffGen.Expr.PrimitivesF";

    /// <summary>The full name of the runtime's <c>Diff</c> class, whose <c>StopGradient</c> is <see cref="Op.StopGradient"/> (by its name in <see cref="OpTable"/>).</summary>
    public const string DiffType = "DiffGen.Diff";

    /// <summary>
    /// Every operation that prints as a call (Math.Exp, double.Hypot, Primitives.Erf, …), by the function's
    /// name and arity: an operation added to <see cref="OpTable"/> is callable by its name with no entry here.
    /// </summary>
    private static readonly Dictionary<(string Name, int Arity), Op> CallableOps = FindCallableOps();

    private static Dictionary<(string Name, int Arity), Op> FindCallableOps()
    {
        var ops = new Dictionary<(string Name, int Arity), Op>();
        for (int op = 0; OpTable.IsDefined((Op)op); op++)
        {
            var info = OpTable.Get((Op)op);
            if (info.Form == CSharpForm.Call && info.Arity > 0 && info.CSharp.Length > 0)
            {
                ops[(info.CSharp.Substring(info.CSharp.LastIndexOf('.') + 1), info.Arity)] = info.Op;
            }
        }

        return ops;
    }

    /// <summary>The graph of <c>Math.<paramref name="name"/>(args)</c>, or null when the function has no known derivative.</summary>
    /// <param name="g">The graph to build in.</param>
    /// <param name="name">The method name, e.g. "Sin".</param>
    /// <param name="a">The arguments' nodes.</param>
    /// <param name="parameterTypes">The full names of the method's parameter types, where overloads differ only by them (Math.Round).</param>
    public static Node? Math(Graph g, string name, IReadOnlyList<Node> a, IReadOnlyList<string>? parameterTypes = null)
    {
        switch (name, a.Count)
        {
            // Math.Round(x, digits) rounds half to even; Math.Round(x, mode) to 0 digits
            case ("Round", 2) when parameterTypes is not null:
                return parameterTypes[1] == "System.MidpointRounding"
                    ? g.Apply(Op.RoundTo, a[0], g.Zero, a[1])
                    : g.Apply(Op.RoundTo, a[0], a[1], g.Const((double)MidpointRounding.ToEven));
            // log_b(a) = ln a / ln b
            case ("Log", 2):
                return g.Div(g.Log(a[0]), g.Log(a[1]));
            // Math.Clamp(x, lo, hi) = min(max(x, lo), hi) for lo ≤ hi
            case ("Clamp", 3):
                return g.Min(g.Max(a[0], a[1]), a[2]);
            // float's LogP1 and ExpM1 are log(x + 1) and exp(x) − 1 (as .NET computes them, so a float method's
            // generated value keeps its bits); double's are taken as the accurate log1p and expm1
            case ("LogP1", 1) when parameterTypes is { Count: 1 } && parameterTypes[0] == "float":
                return g.Log(g.Add(a[0], g.One));
            case ("ExpM1", 1) when parameterTypes is { Count: 1 } && parameterTypes[0] == "float":
                return g.Sub(g.Exp(a[0]), g.One);
            case ("LogP1", 1):
                return g.Log1p(a[0]);
            case ("ExpM1", 1):
                return g.Expm1(a[0]);
            // the INumber statics with no Math twin, as .NET computes them (bit for bit): 2ˣ = Pow(2, x), …
            case ("Exp2", 1):
                return g.Pow(g.Const(2), a[0]);
            case ("Exp10", 1):
                return g.Pow(g.Const(10), a[0]);
            case ("Exp2M1", 1):
                return g.Sub(g.Pow(g.Const(2), a[0]), g.One);
            case ("Exp10M1", 1):
                return g.Sub(g.Pow(g.Const(10), a[0]), g.One);
            case ("Log2P1", 1):
                return g.Log2(g.Add(a[0], g.One));
            case ("Log10P1", 1):
                return g.Log10(g.Add(a[0], g.One));
        }

        return CallableOps.TryGetValue((name, a.Count), out var op) ? g.Apply(op, a.ToArray()) : null;
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
                    "GeluTanh" => g.GeluTanh(a[0]),
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
