using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Calls of <c>System.Numerics.Tensors.TensorPrimitives</c> over doubles, lowered to the loops they stand for (a
/// composite operation lowers to primitives): a reduction (<c>Dot</c>, <c>Sum</c>, …) to a loop accumulating into a
/// local before the statement that reads it, an element-wise map (<c>Multiply(x, y, destination)</c>, <c>Exp</c>, …) to a
/// loop storing each element. Derivatives then come from the loops, and the printer gives the idioms back to the
/// vector kernels. Spans of different lengths throw (an index out of range) where TensorPrimitives throws (an
/// ArgumentException), never giving a silent answer: see <see cref="TripCount"/>.
/// </summary>
internal sealed partial class ProcedureLowerer
{
    private const string TensorPrimitivesType = "System.Numerics.Tensors.TensorPrimitives";

    private const string InLoopConditionWhy = "a loop condition is tested on every trip, and the reduction is computed once before the statement; compute it into a local in the loop's body";

    private const string SupportedReductions = "Dot, Sum, SumOfSquares, SumOfMagnitudes, Norm, Distance";

    /// <summary>True for a method of TensorPrimitives.</summary>
    public static bool IsTensorPrimitive(IMethodSymbol method) => method.ContainingType?.ToDisplayString() == TensorPrimitivesType;

    /// <summary>
    /// A reduction <c>TensorPrimitives.Dot(x, y)</c>, <c>Sum(x)</c>, …: a local accumulated by a loop just before the
    /// statement being lowered, and the node the expression reads (the local, or its square root for the norms).
    /// </summary>
    private Node LowerTensorReduction(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (Context.Inlining.Count > 0)
        {
            return Context.Unsupported(invocation, $"TensorPrimitives.{method.Name} is differentiated in the [Differentiable] method's own body, not in a callee inlined into it; call it there, or make the callee a layer");
        }

        if (InLoopCondition(invocation, whileOrDo: true))
        {
            return Context.Unsupported(invocation, InLoopConditionWhy);
        }

        if (!OverDoubles(invocation, method))
        {
            return _g.Zero;
        }

        var spans = new List<(string Array, Node Offset, Node Length)>();
        foreach (var argument in invocation.Arguments)
        {
            if (!Slice(argument.Value, out var array, out var offset, out var length, out _))
            {
                return Context.Unsupported(argument.Value, $"the arguments of TensorPrimitives.{method.Name} must be spans of the method or slices of one; " + SpanArguments);
            }

            spans.Add((array, offset, length));
        }

        if (TripCount(spans.Select(o => (o.Array, o.Offset, o.Length)), invocation, method.Name) is not { } trips)
        {
            return _g.Zero;
        }

        var i = _g.Var(_names.Unique("i"));
        Node Element(int operand) => _g.Load(spans[operand].Array, _g.Add(spans[operand].Offset, i));
        Node? term = (method.Name, spans.Count) switch
        {
            ("Dot", 2) => _g.Mul(Element(0), Element(1)),
            ("Sum", 1) => Element(0),
            ("SumOfSquares" or "Norm", 1) => _g.Mul(Element(0), Element(0)),
            ("SumOfMagnitudes", 1) => _g.Abs(Element(0)),
            ("Distance", 2) => _g.Mul(_g.Sub(Element(0), Element(1)), _g.Sub(Element(0), Element(1))),
            _ => null,
        };
        if (term is null)
        {
            return Context.Unsupported(invocation, $"TensorPrimitives.{method.Name} has no derivative here; the reductions DiffGen differentiates are {SupportedReductions}, and the element-wise functions as statements with a destination span");
        }

        string sum = _names.Unique("_" + method.Name.Substring(0, 1).ToLowerInvariant() + method.Name.Substring(1));
        _pendingCalls.Add(new Declare(sum, ValueKind.Real, _g.Zero));
        var body = new Block(new Statement[] { new Assign(sum, _g.Add(_g.Var(sum), term)) });
        _pendingCalls.Add(new For(i.Name!, _g.Zero, trips, body));
        return method.Name is "Norm" or "Distance" ? _g.Sqrt(_g.Var(sum)) : _g.Var(sum);
    }

    /// <summary>
    /// <c>TensorPrimitives.F(x, …, destination);</c> with F element-wise (Add, Multiply, MultiplyAdd, Exp, Tanh, …):
    /// one loop storing F of each element; false when <paramref name="statement"/> is something else.
    /// </summary>
    private bool LowerTensorMap(IOperation statement, List<Statement> output)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation invocation } || !IsTensorPrimitive(invocation.TargetMethod))
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (!method.ReturnsVoid || method.Parameters.Length < 2 || method.Parameters[method.Parameters.Length - 1].Name != "destination")
        {
            Context.Unsupported(invocation, $"TensorPrimitives.{method.Name} as a statement must write a destination span: an element-wise function");
            return true;
        }

        if (!OverDoubles(invocation, method))
        {
            return true;
        }

        var operands = new List<(string? Array, Node Offset, Node Value)>();
        (string Array, Node Offset, Node Length, IOperation Syntax)? destination = null;
        foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is { } parameter && parameter.Type.SpecialType == SpecialType.System_Double)
            {
                operands.Add((null, _g.Zero, Expression(argument.Value)));
                continue;
            }

            if (!Slice(argument.Value, out var array, out var offset, out var length, out var symbol))
            {
                Context.Unsupported(argument.Value, $"the arguments of TensorPrimitives.{method.Name} must be spans of the method or slices of one; " + SpanArguments);
                return true;
            }

            if (argument.Parameter?.Name == "destination")
            {
                if (symbol is not ILocalSymbol && !(symbol is IParameterSymbol p && VectorOutputs.IsOutput(p) && !_inputs.Contains(p)))
                {
                    Context.Report(DiagnosticDescriptors.WriteToInput, argument.Value.Syntax, symbol?.Name ?? array);
                    return true;
                }

                destination = (array, offset, length, argument.Value);
            }
            else
            {
                operands.Add((array, offset, length));
            }
        }

        var target = destination!.Value;
        foreach (var operand in operands)
        {
            // in place (the same elements) is an element-wise update; a shifted overlap would read elements already written
            if (operand.Array == target.Array && !ReferenceEquals(operand.Offset, target.Offset))
            {
                Context.Unsupported(target.Syntax, $"the destination of TensorPrimitives.{method.Name} overlaps an input at another offset; write into another span, or into the input itself");
                return true;
            }
        }

        var spans = operands.Where(o => o.Array is not null).Select(o => (o.Array!, o.Offset, o.Value)).ToList();
        if (TripCount(spans, invocation, method.Name) is not { } trips)
        {
            return true;
        }

        // the destination may be longer than the inputs, never shorter
        if (!ReferenceEquals(target.Length, trips) && !IsWhole(target.Array, target.Offset, target.Length))
        {
            Context.Unsupported(target.Syntax, $"the destination of TensorPrimitives.{method.Name} is a slice whose length DiffGen cannot see is the inputs' ({SameLengths})");
            return true;
        }

        var i = _g.Var(_names.Unique("i"));
        var elements = operands.Select(o => o.Array is null ? o.Value : _g.Load(o.Array, _g.Add(o.Offset, i))).ToList();
        if (ElementFunction(method.Name, elements) is not { } value)
        {
            Context.Unsupported(invocation, $"TensorPrimitives.{method.Name} has no derivative here; element-wise, DiffGen differentiates Add, Subtract, Multiply, Divide, Negate, MultiplyAdd, FusedMultiplyAdd, AddMultiply, Max, Min, Sigmoid and the Math functions of one argument (Exp, Log, Tanh, …)");
            return true;
        }

        var body = new Block(new Statement[] { new Store(target.Array, _g.Add(target.Offset, i), value) });
        output.Add(new For(i.Name!, _g.Zero, trips, body));
        return true;
    }

    /// <summary>The element of an element-wise TensorPrimitives function, or null when it has none here.</summary>
    private Node? ElementFunction(string name, List<Node> a) => (name, a.Count) switch
    {
        ("Add", 2) => _g.Add(a[0], a[1]),
        ("Subtract", 2) => _g.Sub(a[0], a[1]),
        ("Multiply", 2) => _g.Mul(a[0], a[1]),
        ("Divide", 2) => _g.Div(a[0], a[1]),
        ("Negate", 1) => _g.Neg(a[0]),
        // (x · y) + addend, rounded twice as TensorPrimitives.MultiplyAdd rounds it; FusedMultiplyAdd once
        ("MultiplyAdd", 3) => _g.Add(_g.Mul(a[0], a[1]), a[2]),
        ("FusedMultiplyAdd", 3) => _g.Fma(a[0], a[1], a[2]),
        ("AddMultiply", 3) => _g.Mul(_g.Add(a[0], a[1]), a[2]),
        ("Sigmoid", 1) => _g.Sigmoid(a[0]),
        ("Max" or "Min", 2) or (_, 1) => KnownFunctions.Math(_g, name, a),
        _ => null,
    };

    private const string SameLengths = "slices of one length, such as 'x.Slice(0, n)' next to 'w.Slice(j * n, n)', or whole spans, whose lengths every index checks";

    /// <summary>
    /// The loop's trip count: the spans' common length, or the longest of whole spans whose lengths differ (reading past
    /// the shorter one throws, as TensorPrimitives throws). A slice of another length is refused: reading past its end
    /// would read its neighbours silently. Null, with a diagnostic, when the lengths cannot be told equal.
    /// </summary>
    private Node? TripCount(IEnumerable<(string Array, Node Offset, Node Length)> spans, IOperation at, string name)
    {
        Node? trips = null;
        bool differ = false, slice = false;
        foreach (var (array, offset, length) in spans)
        {
            slice |= !IsWhole(array, offset, length);
            differ |= trips is not null && !ReferenceEquals(trips, length);
            trips = trips is null || ReferenceEquals(trips, length) ? length : _g.Max(trips, length);
        }

        if (differ && slice)
        {
            Context.Unsupported(at, $"the spans of TensorPrimitives.{name} must have lengths DiffGen can see are equal: {SameLengths}");
            return null;
        }

        return trips ?? _g.Zero;
    }

    private bool IsWhole(string array, Node offset, Node length) => ReferenceEquals(offset, _g.Zero) && ReferenceEquals(length, _g.Var(array + ".Length"));

    /// <summary>True for the double overloads; otherwise reports why not.</summary>
    private bool OverDoubles(IInvocationOperation invocation, IMethodSymbol method)
    {
        bool doubles = method.IsGenericMethod
            ? method.TypeArguments.Length == 1 && method.TypeArguments[0].SpecialType == SpecialType.System_Double
            : method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Double || p.Type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.TypeArguments[0].SpecialType == SpecialType.System_Double);
        if (!doubles)
        {
            Context.Unsupported(invocation, $"TensorPrimitives.{method.Name} is differentiated over doubles only");
        }

        return doubles;
    }
}
