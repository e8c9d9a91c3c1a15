using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;
using System.Threading;
using DiffGen.Expr;

namespace DiffGen.Compilation;

/// <summary>
/// Compiles a graph into a System.Linq.Expressions block: straight-line code, one local per node that
/// is used more than once (or that would make an inlined expression too deep), every other node inlined
/// into its single user. Conditions stay <see cref="bool"/> until a value is needed (then 1 or 0, as the
/// interpreter). Functions are the methods <see cref="OpTable"/> names in <see cref="OpInfo.CSharp"/>,
/// found by reflection, so the code calls exactly what the interpreter and the emitted C# call.
/// </summary>
internal sealed class ExpressionTreeBackend : GraphBackend
{
    private const int MaxInlineDepth = 8;

    private static readonly MethodInfo ReadInput = typeof(KernelHelpers).GetMethod(nameof(KernelHelpers.Read), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly MethodInfo WriteOutput = typeof(KernelHelpers).GetMethod(nameof(KernelHelpers.Write), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly MethodInfo Scratch = typeof(KernelHelpers).GetMethod(nameof(KernelHelpers.Scratch), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly MethodInfo LogSumExpArray = typeof(Primitives).GetMethod(nameof(Primitives.LogSumExp), new[] { typeof(double[]) })!;
    private static readonly MethodInfo?[] Methods = new MethodInfo?[Enum.GetValues<Op>().Length];

    public override string Name => "ExpressionTrees";

    protected override GraphKernel Build(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables, IReadOnlyDictionary<Node, int> inputIndex)
    {
        var inputs = Expression.Parameter(typeof(ReadOnlySpan<double>), "inputs");
        var rest = Expression.Parameter(typeof(Span<double>), "rest");
        var order = Traversal.TopologicalOrder(outputs);

        var uses = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            foreach (var arg in node.Args)
            {
                uses[arg] = uses.GetValueOrDefault(arg) + 1;
            }
        }

        foreach (var output in outputs)
        {
            uses[output] = uses.GetValueOrDefault(output) + 1;
        }

        var code = new Dictionary<Node, (Expression Expr, int Depth)>(ReferenceEqualityComparer.Instance);
        var locals = new List<ParameterExpression>();
        var statements = new List<Expression>();
        foreach (var node in order)
        {
            int depth = 0;
            foreach (var arg in node.Args)
            {
                depth = Math.Max(depth, code[arg].Depth + 1);
            }

            var expr = node.Op switch
            {
                Op.Const => Expression.Constant(node.Value),
                Op.Var => Expression.Call(ReadInput, inputs, Expression.Constant(inputIndex[node])),
                _ => Translate(node, i => code[node.Args[i]].Expr),
            };

            if (node.Op != Op.Const && (uses.GetValueOrDefault(node) > 1 || depth > MaxInlineDepth))
            {
                var local = Expression.Variable(expr.Type);
                locals.Add(local);
                statements.Add(Expression.Assign(local, expr));
                code[node] = (local, 0);
            }
            else
            {
                code[node] = (expr, depth);
            }
        }

        for (int i = 1; i < outputs.Count; i++)
        {
            statements.Add(Expression.Call(WriteOutput, rest, Expression.Constant(i - 1), AsValue(code[outputs[i]].Expr)));
        }

        statements.Add(AsValue(code[outputs[0]].Expr));
        var body = Expression.Block(typeof(double), locals, statements);
        return Expression.Lambda<GraphKernel>(body, "GraphKernel", new[] { inputs, rest }).Compile();
    }

    /// <summary>The expression of one operation over its arguments' expressions.</summary>
    private static Expression Translate(Node node, Func<int, Expression> arg)
    {
        Expression V(int i) => AsValue(arg(i));
        Expression C(int i) => AsCondition(arg(i));
        switch (node.Op)
        {
            case Op.Add: return Expression.Add(V(0), V(1));
            case Op.Sub: return Expression.Subtract(V(0), V(1));
            case Op.Mul: return Expression.Multiply(V(0), V(1));
            case Op.Div: return Expression.Divide(V(0), V(1));
            case Op.Neg: return Expression.Negate(V(0));
            case Op.Less: return Expression.LessThan(V(0), V(1));
            case Op.LessEqual: return Expression.LessThanOrEqual(V(0), V(1));
            case Op.Greater: return Expression.GreaterThan(V(0), V(1));
            case Op.GreaterEqual: return Expression.GreaterThanOrEqual(V(0), V(1));
            case Op.Equal: return Expression.Equal(V(0), V(1));
            case Op.NotEqual: return Expression.NotEqual(V(0), V(1));
            case Op.And: return Expression.AndAlso(C(0), C(1));
            case Op.Or: return Expression.OrElse(C(0), C(1));
            case Op.Not: return Expression.Not(C(0));
            case Op.Select: return Expression.Condition(C(0), V(1), V(2));
            case Op.LogSumExp when node.Args.Count == 1:
                return Expression.Call(LogSumExpArray, Expression.NewArrayInit(typeof(double), V(0)));
            case Op.LogSumExp when node.Args.Count > 2:
            {
                // Primitives.LogSumExp(double[]) over a per-thread array of exactly this length: no allocation.
                var buffer = Expression.Variable(typeof(double[]));
                var block = new List<Expression> { Expression.Assign(buffer, Expression.Call(Scratch, Expression.Constant(node.Args.Count))) };
                for (int i = 0; i < node.Args.Count; i++)
                {
                    block.Add(Expression.Assign(Expression.ArrayAccess(buffer, Expression.Constant(i)), V(i)));
                }

                block.Add(Expression.Call(LogSumExpArray, buffer));
                return Expression.Block(typeof(double), new[] { buffer }, block);
            }
        }

        var method = MethodOf(node.Op);
        var args = new Expression[node.Args.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = V(i);
        }

        return Expression.Call(method, args);
    }

    private static Expression AsValue(Expression e) =>
        e.Type == typeof(bool) ? Expression.Condition(e, Expression.Constant(1.0), Expression.Constant(0.0)) : e;

    private static Expression AsCondition(Expression e) =>
        e.Type == typeof(bool) ? e : Expression.NotEqual(e, Expression.Constant(0.0));

    /// <summary>The static method that <see cref="OpInfo.CSharp"/> names, e.g. global::System.Math.Exp(double).</summary>
    private static MethodInfo MethodOf(Op op)
    {
        var cached = Volatile.Read(ref Methods[(int)op]);
        if (cached is not null)
        {
            return cached;
        }

        var info = OpTable.Get(op);
        string qualified = info.CSharp.StartsWith("global::", StringComparison.Ordinal) ? info.CSharp.Substring("global::".Length) : info.CSharp;
        int dot = qualified.LastIndexOf('.');
        Type? type = dot < 0 ? null : qualified.Substring(0, dot) switch
        {
            "System.Math" => typeof(Math),
            "System.Double" => typeof(double),
            "DiffGen.Expr.Primitives" => typeof(Primitives),
            _ => null,
        };
        int arity = info.Arity < 0 ? 2 : info.Arity;
        var parameters = new Type[arity];
        Array.Fill(parameters, typeof(double));
        var method = type?.GetMethod(qualified.Substring(dot + 1), BindingFlags.Public | BindingFlags.Static, parameters);
        if (method is null || method.ReturnType != typeof(double))
        {
            throw new NotSupportedException($"The operation {info.Name} ('{info.CSharp}') has no double method the expression-tree backend can call.");
        }

        Volatile.Write(ref Methods[(int)op], method);
        return method;
    }
}
