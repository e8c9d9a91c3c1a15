using System.Collections.Generic;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Lowers C# expressions to graph nodes, for both roads: the symbolic executor (locals hold nodes) and
/// the statement lowering (locals are variables of the procedure, <c>x[i]</c> a load). Operators map to
/// graph operations here; library functions by name through <see cref="KnownFunctions"/>; calls of
/// [Differentiable] methods through <see cref="CallLowerer"/>.
/// </summary>
internal sealed class ExpressionLowerer
{
    /// <summary>Prefix of the variables that stand for field reads; the rest of the name is the C# expression.</summary>
    public const string FieldPrefix = "field:";

    private readonly LoweringContext _context;
    private readonly Graph _g;
    private readonly Dictionary<ISymbol, string>? _arrays;
    private readonly CallLowerer _calls;

    /// <param name="context">The method being lowered.</param>
    /// <param name="arrays">
    /// For the statement lowering: the span and array parameters and local spans, by symbol, with their
    /// names in the procedure (element reads become loads, <c>x.Length</c> the variable <c>x.Length</c>, int
    /// <c>/</c> and <c>%</c> the integer operations). Null for the symbolic executor, which computes in double.
    /// </param>
    /// <param name="calls">How calls of [Differentiable] methods are lowered.</param>
    public ExpressionLowerer(LoweringContext context, Dictionary<ISymbol, string>? arrays, CallLowerer calls)
    {
        _context = context;
        _g = context.Graph;
        _arrays = arrays;
        _calls = calls;
        _single = Precision.IsSingle(context.Root);
    }

    /// <summary>The method computes in float (<see cref="Precision"/>): every value must be float, int or bool.</summary>
    private readonly bool _single;

    /// <summary>True for the statement lowering: spans are read element by element and int arithmetic stays int.</summary>
    public bool ReadsElements => _arrays is not null;

    /// <summary>
    /// Lowers an expression with an explicit stack: operators, conversions, parentheses and ternaries are
    /// expanded here, so a 20,000-term sum or deeply nested parentheses need no call depth.
    /// </summary>
    public Node Lower(IOperation root, Frame f)
    {
        var work = new Stack<(IOperation Op, bool Expanded)>();
        var values = new Stack<Node>();
        work.Push((root, false));
        while (work.Count > 0)
        {
            var (op, expanded) = work.Pop();
            if (expanded)
            {
                values.Push(Combine(op, values));
                continue;
            }

            _context.Cancellation.ThrowIfCancellationRequested();
            if (Precision.Problem(op, _single) is { } mixed)
            {
                // one DG0030 per method: a float local's declaration and each of its reads would repeat it
                if (!_context.Diagnostics.Exists(d => d.Id == DiagnosticDescriptors.MixedPrecision.Id))
                {
                    _context.Report(DiagnosticDescriptors.MixedPrecision, op.Syntax, LoweringContext.Shorten(op.Syntax.ToString()),
                        mixed.Type, Precision.Keyword(_single), mixed.Advice);
                }

                values.Push(_g.Zero);
                continue;
            }

            var children = Operands(op);
            if (children is null)
            {
                values.Push(Leaf(op, f));
                continue;
            }

            work.Push((op, true));
            for (int i = children.Length - 1; i >= 0; i--)
            {
                work.Push((children[i], false));
            }
        }

        return values.Pop();
    }

    /// <summary>The value of <c>a op b</c> for a binary or compound-assignment operator; null (with a diagnostic) when it has no derivative.</summary>
    public Node? Binary(BinaryOperatorKind kind, Node a, Node b, ITypeSymbol? type, IOperation at)
    {
        bool integer = IsInteger(type);
        switch (kind)
        {
            case BinaryOperatorKind.Add: return _g.Add(a, b);
            case BinaryOperatorKind.Subtract: return _g.Sub(a, b);
            case BinaryOperatorKind.Multiply: return _g.Mul(a, b);
            // int division truncates toward zero, as C# does.
            case BinaryOperatorKind.Divide when integer && ReadsElements: return _g.IntDiv(a, b);
            case BinaryOperatorKind.Remainder when integer && ReadsElements: return _g.Mod(a, b);
            case BinaryOperatorKind.Divide: return integer ? _g.Truncate(_g.Div(a, b)) : _g.Div(a, b);
            case BinaryOperatorKind.Remainder when integer: return _g.Sub(a, _g.Mul(b, _g.Truncate(_g.Div(a, b))));
            case BinaryOperatorKind.LessThan: return _g.Less(a, b);
            case BinaryOperatorKind.LessThanOrEqual: return _g.LessEqual(a, b);
            case BinaryOperatorKind.GreaterThan: return _g.Greater(a, b);
            case BinaryOperatorKind.GreaterThanOrEqual: return _g.GreaterEqual(a, b);
            case BinaryOperatorKind.Equals: return _g.Equal(a, b);
            case BinaryOperatorKind.NotEquals: return _g.NotEqual(a, b);
            case BinaryOperatorKind.ConditionalAnd:
            case BinaryOperatorKind.And when type?.SpecialType == SpecialType.System_Boolean:
                return KnownFunctions.And(_g, a, b);
            case BinaryOperatorKind.ConditionalOr:
            case BinaryOperatorKind.Or when type?.SpecialType == SpecialType.System_Boolean:
                return KnownFunctions.Or(_g, a, b);
            case BinaryOperatorKind.Remainder:
                _context.Unsupported(at, "the remainder of doubles is not supported; write a - b * Math.Truncate(a / b)");
                return null;
            default:
                _context.Unsupported(at, $"the operator '{kind}' has no derivative; use arithmetic, comparisons and logic");
                return null;
        }
    }

    /// <summary>The value of a local in <paramref name="f"/>; zero (with a diagnostic, unless one was reported) when the lowering did not follow its assignment.</summary>
    public Node Read(ILocalSymbol local, IOperation at, Frame f)
    {
        if (f.Values.TryGetValue(local, out var value))
        {
            return value;
        }

        // Declared by a construct that is not lowered (an out argument, a pattern, ...): that construct is
        // reported where it stands; otherwise this read is.
        if (_context.Diagnostics.Count == 0)
        {
            _context.Unsupported(at, $"the value of '{local.Name}' comes from a construct the generator does not follow (out arguments, patterns); assign the local with '='");
        }

        f.Values[local] = _g.Zero;
        return _g.Zero;
    }

    /// <summary>
    /// The array an operation names (a span or array parameter, a local span, or a constant table: a static
    /// <c>double[]</c> field or <c>ReadOnlySpan&lt;double&gt;</c> property, named by its C# expression), or null.
    /// </summary>
    public string? ArrayOf(IOperation? op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        if (_arrays is null)
        {
            return null;
        }

        ISymbol? symbol = op switch
        {
            IParameterReferenceOperation p => p.Parameter,
            ILocalReferenceOperation l => l.Local,
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation { Arguments.Length: 0 } p => p.Property,
            _ => null,
        };
        if (symbol is null)
        {
            return null;
        }

        if (_arrays.TryGetValue(symbol, out var name))
        {
            return name;
        }

        if (ConstantTables.Read(symbol, _context) is { } table)
        {
            _arrays[symbol] = table;
            return table;
        }

        return null;
    }

    /// <summary>For <c>x[i]</c> over an array or span: the array's name and the index operation.</summary>
    public bool IsElement(IOperation op, out string array, out IOperation? index)
    {
        array = "";
        index = null;
        switch (op)
        {
            case IArrayElementReferenceOperation element when element.Indices.Length == 1 && ArrayOf(element.ArrayReference) is { } a:
                array = a;
                index = element.Indices[0];
                return true;
            case IPropertyReferenceOperation property when property.Property.IsIndexer && property.Arguments.Length == 1
                && ArrayOf(property.Instance) is { } b:
                array = b;
                index = property.Arguments[0].Value;
                return true;
            default:
                return false;
        }
    }

    public static bool IsScalar(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Boolean;

    private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32;

    /// <summary>The operands <see cref="Lower"/> lowers before combining them at <paramref name="op"/>, or null when <paramref name="op"/> is lowered by <see cref="Leaf"/>.</summary>
    private IOperation[]? Operands(IOperation op)
    {
        if ((op.ConstantValue.HasValue && KnownFunctions.Constant(_g, op.ConstantValue.Value) is not null)
            || (ReadsElements && (IsElement(op, out _, out _) || op is IPropertyReferenceOperation { Property.Name: "Length" } || ArrayOf(op) is not null)))
        {
            return null;
        }

        return op switch
        {
            IConversionOperation conversion when ConversionProblem(conversion) is null => new[] { conversion.Operand },
            IBinaryOperation { OperatorMethod: null } binary => new[] { binary.LeftOperand, binary.RightOperand },
            IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.Not } unary => new[] { unary.Operand },
            IConditionalOperation { WhenFalse: not null, IsRef: false } conditional => new[] { conditional.Condition, conditional.WhenTrue, conditional.WhenFalse },
            IParenthesizedOperation parenthesized => new[] { parenthesized.Operand },
            _ => null,
        };
    }

    /// <summary>Combines the lowered operands of <paramref name="op"/> (on top of <paramref name="values"/>, last operand on top).</summary>
    private Node Combine(IOperation op, Stack<Node> values)
    {
        switch (op)
        {
            case IConversionOperation conversion:
                var value = values.Pop();
                // double → int truncates toward zero (C#'s explicit conversion); int → double is exact.
                return IsInteger(conversion.Type) && !IsInteger(conversion.Operand.Type) ? _g.Truncate(value) : value;
            case IBinaryOperation binary:
                var right = values.Pop();
                var left = values.Pop();
                return Binary(binary.OperatorKind, left, right, binary.Type, binary) ?? _g.Zero;
            case IUnaryOperation unary:
                var operand = values.Pop();
                return unary.OperatorKind switch
                {
                    UnaryOperatorKind.Minus => _g.Neg(operand),
                    UnaryOperatorKind.Not => KnownFunctions.Not(_g, operand),
                    _ => operand,
                };
            case IConditionalOperation:
                var whenFalse = values.Pop();
                var whenTrue = values.Pop();
                var condition = values.Pop();
                return _g.Select(condition, whenTrue, whenFalse);
            default:
                return values.Pop(); // parentheses
        }
    }

    /// <summary>Lowers an operation that <see cref="Operands"/> does not expand: leaves, calls and unsupported constructs.</summary>
    private Node Leaf(IOperation op, Frame f)
    {
        if (op.ConstantValue.HasValue && KnownFunctions.Constant(_g, op.ConstantValue.Value) is { } constant)
        {
            return constant;
        }

        if (ReadsElements)
        {
            if (IsElement(op, out var array, out var index))
            {
                if (index!.Type?.SpecialType != SpecialType.System_Int32)
                {
                    return _context.Unsupported(index, "array indices must be int expressions");
                }

                return _g.Load(array, Lower(index, f));
            }

            if (op is IPropertyReferenceOperation { Property.Name: "Length" } length && ArrayOf(length.Instance) is { } sized)
            {
                return _g.Var(sized + ".Length");
            }

            if (ArrayOf(op) is not null)
            {
                return _context.Unsupported(op, "a span or array is read element by element (x[i], x.Length) or in a foreach loop; it cannot be used as a value");
            }
        }

        switch (op)
        {
            case IConversionOperation conversion:
                return _context.Unsupported(conversion, ConversionProblem(conversion)!);
            case ILocalReferenceOperation local:
                return Read(local.Local, op, f);
            case IParameterReferenceOperation parameter:
                if (f.Values.TryGetValue(parameter.Parameter, out var p))
                {
                    return p;
                }

                return _context.Unsupported(op, parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor }
                    ? "primary-constructor parameters are not read by the generator; pass the value as a [NoDiff] parameter, or copy it into a field"
                    : "parameters of an enclosing method cannot be read here; pass the value as a [NoDiff] parameter");
            case IFieldReferenceOperation field:
                return Field(field);
            case IBinaryOperation or IUnaryOperation { OperatorMethod: not null }:
                return _context.Unsupported(op, "user-defined operators are not supported; use double arithmetic");
            case IUnaryOperation unary:
                return _context.Unsupported(op, $"the operator '{unary.OperatorKind}' has no derivative; use arithmetic, comparisons and logic");
            case IInvocationOperation invocation:
                return _calls.Lower(invocation, f, this);
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return _context.Unsupported(op, "assignments inside expressions are not supported; write the assignment as its own statement");
            case IAnonymousFunctionOperation or IDelegateCreationOperation:
                return _context.Unsupported(op, "lambdas and delegates are not supported; call a [Differentiable] method instead");
            case IPropertyReferenceOperation:
                return _context.Unsupported(op, "properties are not read by the generator, except constant tables ('static ReadOnlySpan<double> T => [ … ];' read by index); pass the value as a parameter ([NoDiff] if it is a constant)");
            default:
                return _context.Unsupported(op, "only double arithmetic, comparisons, locals, parameters, constants and calls of known functions are supported");
        }
    }

    /// <summary>Why a conversion cannot be lowered, or null when it can.</summary>
    private string? ConversionProblem(IConversionOperation conversion)
    {
        if (conversion.Operand is IThrowOperation)
        {
            return "throw expressions are not supported (generated derivative code does not throw); check the input before the call, or return double.NaN";
        }

        var to = conversion.Type;
        var from = conversion.Operand.Type;
        if (conversion.OperatorMethod is not null || !IsScalar(to) || !IsScalar(from)
            || to!.SpecialType == SpecialType.System_Boolean || from!.SpecialType == SpecialType.System_Boolean)
        {
            return $"conversions to '{to?.ToDisplayString()}' are not supported; compute in double";
        }

        if (ReadsElements && IsInteger(to) && !IsInteger(from))
        {
            return "conversions from double to int are not supported in methods with loops; compute indices from int values";
        }

        return null;
    }

    private Node Field(IFieldReferenceOperation reference)
    {
        var field = reference.Field;
        if (!IsScalar(field.Type) || field.Type.SpecialType == SpecialType.System_Boolean)
        {
            return _context.Unsupported(reference, $"fields of type '{field.Type.ToDisplayString()}' are not supported");
        }

        // A field is read, never differentiated: a variable that is not an input. The DAG computes in the
        // method's precision, so an int field is read through a cast (no int division or overflow in C#).
        string cast = Precision.IsReal(field.Type) ? "" : "(" + Precision.Keyword(_single) + ")";
        if (field.IsStatic)
        {
            return _g.Var(FieldPrefix + cast + field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + CSharpNames.Escape(field.Name));
        }

        if (reference.Instance is IInstanceReferenceOperation && SymbolEqualityComparer.Default.Equals(field.ContainingType, _context.Root.ContainingType)
            && _context.InRoot)
        {
            return _g.Var(FieldPrefix + cast + "this." + CSharpNames.Escape(field.Name));
        }

        return _context.Unsupported(reference, "only fields of this object and static fields can be read; pass the value as a [NoDiff] parameter");
    }
}
