using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;
using DiffGen.Expr;

namespace DiffGen.Lambdas;

/// <summary>
/// Lowers the body of an <see cref="Expression{TDelegate}"/> to an expression DAG with the generator's
/// conventions (src/Generator/Parsing/ExpressionLowerer.cs): the same operators, ternaries as selects, int
/// division truncating, double → int conversions as truncation, and calls of Math and
/// DiffGen.Nn.Activations through the one <see cref="KnownFunctions"/> table. Values captured from
/// the enclosing scope are read once, when the lambda is lowered, and become constants. Anything else
/// throws <see cref="NotSupportedException"/> naming the construct. Recursion is bounded by the
/// depth of the lambda's own expression tree, which the C# compiler built from source text.
/// </summary>
internal sealed class LambdaLowering
{
    private readonly Graph _g;
    private readonly Dictionary<ParameterExpression, Node> _parameters;
    private readonly LambdaExpression _lambda;

    private LambdaLowering(Graph g, LambdaExpression lambda, Dictionary<ParameterExpression, Node> parameters)
    {
        _g = g;
        _lambda = lambda;
        _parameters = parameters;
    }

    /// <summary>The lambda's body in <paramref name="g"/>, its parameters bound to <paramref name="variables"/>.</summary>
    public static Node Lower(Graph g, LambdaExpression lambda, IReadOnlyList<Node> variables)
    {
        var parameters = new Dictionary<ParameterExpression, Node>();
        for (int i = 0; i < lambda.Parameters.Count; i++)
        {
            parameters[lambda.Parameters[i]] = variables[i];
        }

        return new LambdaLowering(g, lambda, parameters).Lower(lambda.Body);
    }

    private Node Lower(Expression e)
    {
        switch (e)
        {
            case ConstantExpression constant:
                return Constant(constant.Value, e);
            case ParameterExpression parameter:
                return _parameters.TryGetValue(parameter, out var node)
                    ? node
                    : throw Unsupported(e, "it is a parameter of an inner lambda");
            case UnaryExpression unary:
                return Unary(unary);
            case BinaryExpression binary:
                return Binary(binary);
            case ConditionalExpression conditional:
                return _g.Select(Lower(conditional.Test), Lower(conditional.IfTrue), Lower(conditional.IfFalse));
            case MethodCallExpression call:
                return Call(call);
            case MemberExpression member:
                return Captured(member);
            case LambdaExpression or InvocationExpression:
                throw Unsupported(e, "inner lambdas and delegate calls have no derivative; write the body inline");
            default:
                throw Unsupported(e, "only double arithmetic, comparisons, ternaries, parameters, constants and calls of Math and DiffGen.Nn.Activations are supported");
        }
    }

    private Node Constant(object? value, Expression at) =>
        KnownFunctions.Constant(_g, value) ?? throw Unsupported(at, $"constants of type '{value?.GetType().Name ?? "null"}' are not numbers");

    private Node Unary(UnaryExpression unary)
    {
        if (unary.Method is not null && unary.NodeType is not (ExpressionType.Convert or ExpressionType.ConvertChecked))
        {
            throw Unsupported(unary, "user-defined operators are not supported; use double arithmetic");
        }

        switch (unary.NodeType)
        {
            case ExpressionType.Negate:
            case ExpressionType.NegateChecked:
                return _g.Neg(Lower(unary.Operand));
            case ExpressionType.UnaryPlus:
                return Lower(unary.Operand);
            case ExpressionType.Not when unary.Type == typeof(bool):
                return Not(Lower(unary.Operand));
            case ExpressionType.Convert:
            case ExpressionType.ConvertChecked:
                return Conversion(unary);
            default:
                throw Unsupported(unary, $"the operator '{unary.NodeType}' has no derivative; use arithmetic, comparisons and logic");
        }
    }

    private Node Conversion(UnaryExpression conversion)
    {
        var to = conversion.Type;
        var from = conversion.Operand.Type;
        if (conversion.Method is not null || !IsScalar(to) || !IsScalar(from) || to == typeof(bool) || from == typeof(bool))
        {
            throw Unsupported(conversion, $"conversions to '{to.Name}' are not supported; compute in double");
        }

        var value = Lower(conversion.Operand);
        // double → int truncates toward zero (C#'s explicit conversion); int → double is exact.
        return IsInteger(to) && !IsInteger(from) ? _g.Truncate(value) : value;
    }

    private Node Binary(BinaryExpression binary)
    {
        if (binary.Method is not null)
        {
            throw Unsupported(binary, "user-defined operators are not supported; use double arithmetic");
        }

        var a = Lower(binary.Left);
        var b = Lower(binary.Right);
        bool integer = IsInteger(binary.Type);
        switch (binary.NodeType)
        {
            case ExpressionType.Add:
            case ExpressionType.AddChecked:
                return _g.Add(a, b);
            case ExpressionType.Subtract:
            case ExpressionType.SubtractChecked:
                return _g.Sub(a, b);
            case ExpressionType.Multiply:
            case ExpressionType.MultiplyChecked:
                return _g.Mul(a, b);
            case ExpressionType.Divide:
                return integer ? _g.Truncate(_g.Div(a, b)) : _g.Div(a, b);
            case ExpressionType.Modulo when integer:
                return _g.Sub(a, _g.Mul(b, _g.Truncate(_g.Div(a, b))));
            case ExpressionType.Modulo:
                throw Unsupported(binary, "the remainder of doubles is not supported; write a - b * Math.Truncate(a / b)");
            case ExpressionType.LessThan:
                return _g.Less(a, b);
            case ExpressionType.LessThanOrEqual:
                return _g.LessEqual(a, b);
            case ExpressionType.GreaterThan:
                return _g.Greater(a, b);
            case ExpressionType.GreaterThanOrEqual:
                return _g.GreaterEqual(a, b);
            case ExpressionType.Equal:
                return _g.Equal(a, b);
            case ExpressionType.NotEqual:
                return _g.NotEqual(a, b);
            case ExpressionType.AndAlso:
            case ExpressionType.And when binary.Type == typeof(bool):
                return And(a, b);
            case ExpressionType.OrElse:
            case ExpressionType.Or when binary.Type == typeof(bool):
                return Or(a, b);
            default:
                throw Unsupported(binary, $"the operator '{binary.NodeType}' has no derivative; use arithmetic, comparisons and logic");
        }
    }

    private Node And(Node a, Node b) => KnownFunctions.And(_g, a, b);

    private Node Or(Node a, Node b) => KnownFunctions.Or(_g, a, b);

    private Node Not(Node a) => KnownFunctions.Not(_g, a);

    private Node Call(MethodCallExpression call)
    {
        var method = call.Method;
        string type = method.DeclaringType?.FullName ?? "";
        bool math = KnownFunctions.IsMathType(type);
        bool activation = type == KnownFunctions.ActivationsType && AllDouble(method);
        if (!math && !activation)
        {
            throw Unsupported(call, $"'{method.DeclaringType?.Name}.{method.Name}' has no known derivative; use Math and DiffGen.Nn.Activations functions");
        }

        var args = new Node[call.Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Lower(call.Arguments[i]);
        }

        var parameterTypes = Array.ConvertAll(method.GetParameters(), p => p.ParameterType.FullName ?? "");
        var node = math ? KnownFunctions.Math(_g, method.Name, args, parameterTypes) : KnownFunctions.Activation(_g, method.Name, args);
        return node ?? throw Unsupported(call, $"'{method.DeclaringType?.Name}.{method.Name}' with {args.Length} argument(s) has no known derivative");
    }

    /// <summary>A captured local or a static field or property: its value now, as a constant.</summary>
    private Node Captured(MemberExpression member)
    {
        if (!IsScalar(member.Type))
        {
            throw Unsupported(member, $"members of type '{member.Type.Name}' are not numbers");
        }

        return Constant(Read(member), member);
    }

    /// <summary>The value of a member chain that starts at a closure constant or a static member.</summary>
    private object? Read(MemberExpression member)
    {
        object? instance = member.Expression switch
        {
            null => null,
            ConstantExpression c => c.Value,
            MemberExpression m => Read(m),
            _ => throw Unsupported(member, "only captured variables and static fields are read; pass the value as a parameter to differentiate it"),
        };
        return member.Member switch
        {
            FieldInfo field => field.GetValue(instance),
            PropertyInfo property when property.GetIndexParameters().Length == 0 => property.GetValue(instance),
            _ => throw Unsupported(member, "only fields and properties are read"),
        };
    }

    private static bool IsScalar(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(bool);

    private static bool IsInteger(Type type) => type == typeof(int);

    private static bool AllDouble(MethodInfo method)
    {
        if (method.ReturnType != typeof(double))
        {
            return false;
        }

        foreach (var p in method.GetParameters())
        {
            if (p.ParameterType != typeof(double))
            {
                return false;
            }
        }

        return true;
    }

    private NotSupportedException Unsupported(Expression at, string why) =>
        new($"Cannot differentiate '{at}' in '{_lambda}': {why}.");
}
