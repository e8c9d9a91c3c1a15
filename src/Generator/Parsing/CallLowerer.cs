using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Lowers calls: library functions by name (<see cref="KnownFunctions"/>), methods with hand-written rules
/// (<see cref="CustomRules"/>) as opaque custom calls, and calls of other
/// [Differentiable] methods either kept as call nodes (their generated gradient is called) or inlined,
/// by running the callee's body through the <see cref="SymbolicExecutor"/> with its parameters bound
/// to the arguments.
/// </summary>
internal sealed class CallLowerer
{
    private readonly LoweringContext _context;
    private readonly Graph _g;
    private readonly bool _inlineCalls;

    /// <summary>
    /// Callees already inlined outside procedures, by callee and argument nodes: the same call lowers to the same
    /// node, so a recursion spelled out by hand (a determinant by minors: n! calls, 2ⁿ distinct ones) is lowered
    /// once per distinct call, not once per path.
    /// </summary>
    private readonly Dictionary<InlinedCall, Node> _inlined = new();

    /// <param name="context">The method being lowered.</param>
    /// <param name="inlineCalls">Inline every call of a [Differentiable] method (for second derivatives and in procedures), not only those that cannot be called.</param>
    public CallLowerer(LoweringContext context, bool inlineCalls)
    {
        _context = context;
        _g = context.Graph;
        _inlineCalls = inlineCalls;
    }

    /// <summary>Runs the bodies of inlined callees; set once by the executor that owns this lowerer.</summary>
    public SymbolicExecutor? Executor { get; set; }

    /// <summary>
    /// For the statement lowering: lowers a call of a [Differentiable] method that takes spans and returns a double as a
    /// statement before the one being lowered, and gives the variable holding its value; null where it does not apply.
    /// </summary>
    public System.Func<IInvocationOperation, Node?>? SpanCall { get; set; }

    /// <summary>
    /// For the statement lowering: lowers a TensorPrimitives reduction (<c>Dot</c>, <c>Sum</c>, …) as a loop before the
    /// statement being lowered, and gives the node of its value.
    /// </summary>
    public System.Func<IInvocationOperation, Node>? TensorReduction { get; set; }

    /// <summary>True when a call of another [Differentiable] method was kept as a call node.</summary>
    public bool UsedCalls { get; private set; }

    /// <summary>True when a callee that was inlined had errors of its own (reported at the callee).</summary>
    public bool HadInlineErrors { get; private set; }

    public Node Lower(IInvocationOperation invocation, Frame f, ExpressionLowerer expressions)
    {
        var method = invocation.TargetMethod;
        var root = _context.Root;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return _context.Unsupported(invocation, "lambdas and delegates are not supported; call a [Differentiable] method instead");
        }

        if (expressions.ReadsElements && MethodParser.HasDifferentiable(method) && SpanCall is not null
            && method.ReturnType.SpecialType == SpecialType.System_Double && method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double && p.Type.SpecialType != SpecialType.System_Int32)
            && SpanCall(invocation) is { } called)
        {
            return called;
        }

        if (expressions.ReadsElements && TensorReduction is not null && ProcedureLowerer.IsTensorPrimitive(method))
        {
            return TensorReduction(invocation);
        }

        if (expressions.ReadsElements && MethodParser.HasDifferentiable(method))
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Int32))
                {
                    _context.Report(DiagnosticDescriptors.CallNotInlinable, invocation.Syntax, method.Name, root.Name,
                        $"'{root.Name}' has loops or spans, so its calls are inlined, and the parameter '{parameter.Name}' is a '{parameter.Type.ToDisplayString()}'");
                    return _g.Zero;
                }
            }
        }

        var args = new Node[method.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is null || argument.Parameter.RefKind != RefKind.None)
            {
                return _context.Unsupported(invocation, "params arrays and ref/out arguments are not supported");
            }

            args[argument.Parameter.Ordinal] = expressions.Lower(argument.Value, f);
        }

        foreach (var a in args)
        {
            if (a is null)
            {
                return _context.Unsupported(invocation, "every argument must have a value");
            }
        }

        if (CustomRules.AttributeOf(method) is { } customRule)
        {
            return Custom(invocation, method, customRule, args);
        }

        string type = method.ContainingType.ToDisplayString();
        if (KnownFunctions.IsMathType(type))
        {
            var parameterTypes = method.Parameters.Select(p => p.Type.ToDisplayString()).ToArray();
            return KnownFunctions.Math(_g, method.Name, args, parameterTypes) ?? NoDerivative(invocation, method);
        }

        if (type == KnownFunctions.ActivationsType && AllDouble(method))
        {
            return KnownFunctions.Activation(_g, method.Name, args) ?? NoDerivative(invocation, method);
        }

        if (!MethodParser.HasDifferentiable(method))
        {
            return NoDerivative(invocation, method);
        }

        var definition = method.OriginalDefinition;
        foreach (var active in _context.Inlining)
        {
            if (SymbolEqualityComparer.Default.Equals(active, definition))
            {
                _context.Report(DiagnosticDescriptors.Recursion, invocation.Syntax, root.Name, method.Name);
                return _g.Zero;
            }
        }

        bool canCall = method.ReturnType.SpecialType == SpecialType.System_Double && AllDifferentiable(method)
            && (method.IsStatic || invocation.Instance is IInstanceReferenceOperation) && !method.IsGenericMethod
            && method.ContainingType.TypeParameters.IsEmpty;
        if (canCall && !_inlineCalls)
        {
            if (CallsBack(definition))
            {
                _context.Report(DiagnosticDescriptors.Recursion, invocation.Syntax, root.Name, method.Name);
                return _g.Zero;
            }

            UsedCalls = true;
            return _g.Call(CallableName(method, root), args);
        }

        return Inline(invocation, definition, args, expressions.ReadsElements);
    }

    /// <summary>A call of a method with a hand-written rule: one opaque node whose value and partials its gradient method gives.</summary>
    private Node Custom(IInvocationOperation invocation, IMethodSymbol method, AttributeData attribute, Node[] args)
    {
        var gradient = CustomRules.Resolve(method, attribute, out var problem);
        if (gradient is null)
        {
            _context.Diagnostics.Add(problem!.At(LocationInfo.From(invocation.Syntax)));
            return _g.Zero;
        }

        var root = _context.Root;
        if (!_context.RootModel.Compilation.IsSymbolAccessibleWithin(gradient, root.ContainingType))
        {
            _context.Report(DiagnosticDescriptors.CustomRuleSignature, invocation.Syntax, method.Name, gradient.Name,
                $"is not accessible from '{root.ContainingType.Name}', where the generated code calls it", gradient.ToDisplayString());
            return _g.Zero;
        }

        long constant = 0, integer = 0;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var kind = MethodParser.KindOf(method.Parameters[i]);
            constant |= kind == ParameterKind.Differentiable ? 0 : 1L << i;
            integer |= kind == ParameterKind.Int ? 1L << i : 0;
        }

        _context.CustomRuleCalls.Add((invocation.Syntax, method.Name));
        return _g.CustomCall(CallableName(gradient, root), constant, integer, args);
    }

    private Node Inline(IInvocationOperation invocation, IMethodSymbol method, Node[] args, bool inProcedure)
    {
        // In a procedure a callee's lowering may add statements of its own, so only a pure expression is reused.
        var call = new InlinedCall(method, args);
        if (!inProcedure && _inlined.TryGetValue(call, out var known))
        {
            return known;
        }

        var root = _context.Root;
        MethodDeclarationSyntax? syntax = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (_context.Read(reference) is MethodDeclarationSyntax declaration && (declaration.Body is not null || declaration.ExpressionBody is not null))
            {
                syntax = declaration;
            }
        }

        if (syntax is not null && !DeepStack.OnDeepStack && DeepStack.IsDeep(syntax))
        {
            // Inlining a deeply nested callee needs a deep stack: the whole parse runs again on one.
            DeepStack.Request();
            return _g.Zero;
        }

        if (syntax is null || _context.ModelOf(syntax.SyntaxTree).GetOperation(syntax, _context.Cancellation) is not IMethodBodyOperation body
            || (body.BlockBody ?? body.ExpressionBody) is not { } block)
        {
            _context.Report(DiagnosticDescriptors.HessianNeedsCalleeSource, invocation.Syntax, root.Name, method.Name);
            return _g.Zero;
        }

        // Problems inside the callee are reported by the callee's own generation, not here.
        var saved = _context.Diagnostics;
        _context.Diagnostics = new List<DiagnosticInfo>();
        _context.Inlining.Push(method);
        Node? result = null;
        bool executed = false;
        try
        {
            result = Executor!.LowerCallee(method, block, args, out executed);
        }
        finally
        {
            _context.Inlining.Pop();
            var inner = _context.Diagnostics;
            _context.Diagnostics = saved;
            foreach (var d in inner)
            {
                if (d.Id is "DG0007" or "DG0011")
                {
                    saved.Add(d with { Location = LocationInfo.From(invocation.Syntax) });
                }
            }

            if (inner.Count == 0 && executed && !inProcedure && result is not null)
            {
                _inlined[call] = result;
            }

            if (inner.Count > 0 || !executed)
            {
                // The callee is inlined symbolically: its own loops must unroll. Reported at the call, so
                // that the caller never ends without members and without a diagnostic.
                HadInlineErrors = true;
                saved.Add(_inlineCalls && !inProcedure
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.SecondOrderThroughLoopCallee, LocationInfo.From(invocation.Syntax), root.Name, method.Name)
                    : DiagnosticInfo.Create(DiagnosticDescriptors.CallNotInlinable, LocationInfo.From(invocation.Syntax), method.Name, root.Name,
                        (inProcedure ? $"'{root.Name}' has loops or spans, so its calls are inlined" : "a call with int or [NoDiff] parameters is inlined")
                        + ", and its body has loops with runtime bounds or more than 1000 iterations, or constructs that do not inline"));
            }
        }

        return result ?? _g.Zero;
    }

    /// <summary>How generated code in <paramref name="root"/>'s type names <paramref name="method"/>: by its name in the same type or on this instance, else fully qualified.</summary>
    internal static string CallableName(IMethodSymbol method, IMethodSymbol root) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, root.ContainingType) || !method.IsStatic
            ? CSharpNames.Escape(method.Name)
            : method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + CSharpNames.Escape(method.Name);

    /// <summary>True when <paramref name="callee"/> reaches the root method through calls of [Differentiable] methods.</summary>
    internal bool CallsBack(IMethodSymbol callee)
    {
        var ct = _context.Cancellation;
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var work = new Stack<IMethodSymbol>();
        work.Push(callee);
        while (work.Count > 0 && visited.Count < 256)
        {
            var m = work.Pop();
            if (!visited.Add(m))
            {
                continue;
            }

            foreach (var reference in m.DeclaringSyntaxReferences)
            {
                var syntax = _context.Read(reference);
                var model = _context.ModelOf(syntax.SyntaxTree);
                foreach (var call in syntax.DescendantNodes())
                {
                    if (call is InvocationExpressionSyntax && model.GetSymbolInfo(call, ct).Symbol is IMethodSymbol target && MethodParser.HasDifferentiable(target))
                    {
                        var t = target.OriginalDefinition;
                        if (SymbolEqualityComparer.Default.Equals(t, _context.Root))
                        {
                            return true;
                        }

                        work.Push(t);
                    }
                }
            }
        }

        return false;
    }

    private static bool AllDouble(IMethodSymbol method)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Double)
        {
            return false;
        }

        foreach (var p in method.Parameters)
        {
            if (p.Type.SpecialType != SpecialType.System_Double)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllDifferentiable(IMethodSymbol method)
    {
        foreach (var p in method.Parameters)
        {
            if (MethodParser.KindOf(p) != ParameterKind.Differentiable)
            {
                return false;
            }
        }

        return true;
    }

    private Node NoDerivative(IInvocationOperation invocation, IMethodSymbol method)
    {
        _context.Report(DiagnosticDescriptors.NoKnownDerivative, invocation.Syntax, method.ContainingType.Name + "." + method.Name);
        return _g.Zero;
    }

    /// <summary>A callee with its argument nodes (hash-consed, so compared by reference).</summary>
    private readonly struct InlinedCall : System.IEquatable<InlinedCall>
    {
        private readonly IMethodSymbol _method;
        private readonly Node[] _args;

        public InlinedCall(IMethodSymbol method, Node[] args)
        {
            _method = method;
            _args = args;
        }

        public bool Equals(InlinedCall other)
        {
            if (!SymbolEqualityComparer.Default.Equals(_method, other._method) || _args.Length != other._args.Length)
            {
                return false;
            }

            for (int i = 0; i < _args.Length; i++)
            {
                if (!ReferenceEquals(_args[i], other._args[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is InlinedCall other && Equals(other);

        public override int GetHashCode()
        {
            int hash = SymbolEqualityComparer.Default.GetHashCode(_method);
            foreach (var a in _args)
            {
                hash = (hash * 31) + a.Id;
            }

            return hash;
        }
    }
}
