using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// <c>F(w.Slice(j * n, n), x, h);</c> for a [Differentiable] vector-output method F (a layer): one <see cref="Invoke"/>
/// statement whose derivatives call F's generated products. Span arguments are a span or array of the method, or
/// <c>.Slice(start)</c>, <c>.Slice(start, length)</c> or <c>.AsSpan(start, length)</c> of one; the output goes into a
/// local span or the method's own output, never into a span the same call reads.
/// </summary>
internal sealed partial class ProcedureLowerer
{
    /// <summary>Lowers a statement calling a layer; false when <paramref name="statement"/> is something else.</summary>
    private bool LowerLayerCall(IOperation statement, List<Statement> output)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation invocation }
            || !MethodParser.HasDifferentiable(invocation.TargetMethod) || !invocation.TargetMethod.ReturnsVoid
            || !invocation.TargetMethod.Parameters.Any(VectorOutputs.IsOutput))
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (Arguments(invocation) is not { } lowered)
        {
            return true;
        }

        var (arguments, inputs, target) = lowered;
        if (target is null)
        {
            Context.Unsupported(invocation, "every argument must have a value");
            return true;
        }

        foreach (var (array, syntax) in inputs)
        {
            if (array == target.Value.Array)
            {
                Context.Report(DiagnosticDescriptors.LayerOutputAliasesInput, target.Value.Syntax.Syntax, method.Name, target.Value.Syntax.Syntax.ToString(), syntax.Syntax.ToString());
                return true;
            }
        }

        if (!Written(invocation, method, arguments, target.Value.Syntax, out var written))
        {
            return true;
        }

        Context.LayerCalls.Add((invocation.Syntax, method.Name));
        output.Add(new Invoke(CallableName(method), new ValueList<CallArgument>(arguments), written));
        return true;
    }

    /// <summary>
    /// A call of a [Differentiable] method that takes spans and returns a double, inside an expression of the root's body:
    /// an <see cref="Invoke"/> with <see cref="Invoke.Scalar"/> before the statement being lowered stores the value in a
    /// one-element array, which the expression reads. Null (nothing reported) where the call is not in the root's own body.
    /// </summary>
    private Node? LowerSpanCall(IInvocationOperation invocation)
    {
        if (Context.Inlining.Count > 0)
        {
            return null; // a callee being inlined: its parameters are not this procedure's names
        }

        var method = invocation.TargetMethod;
        if (InLoopCondition(invocation, whileOrDo: false))
        {
            // while and do conditions run their calls before every test (see While); a for loop's bounds are fixed when it starts
            Context.Report(DiagnosticDescriptors.UnsupportedLayerCall, invocation.Syntax, LoweringContext.Shorten(invocation.Syntax.ToString()), method.Name,
                "a for loop's condition is tested on every trip, and the call is computed once before the statement; compute it into a local in the loop's body, or write a while loop");
            return _g.Zero;
        }

        if (Arguments(invocation) is not { } lowered)
        {
            return _g.Zero;
        }

        string result = _names.Unique("_" + method.Name);
        _names.Reserve(result + ".Length");
        _callResults.Add(new Declare(result, ValueKind.Array, Length: _g.One));
        var arguments = lowered.Arguments.Append(CallArgument.Slice(result, _g.Zero, _g.One, output: true, differentiable: false));
        Context.LayerCalls.Add((invocation.Syntax, method.Name));
        _pendingCalls.Add(new Invoke(CallableName(method), new ValueList<CallArgument>(arguments), Scalar: true));
        return _g.Load(result, _g.Zero);
    }

    /// <summary>
    /// The arguments of a call of a layer or of a span method, in parameter order, with the arrays it reads and the output it
    /// writes; null (with a diagnostic) when the callee or an argument is not supported.
    /// </summary>
    private (CallArgument[] Arguments, List<(string Array, IOperation Syntax)> Inputs, (string Array, IOperation Syntax)? Target)? Arguments(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var root = Context.Root;
        var calls = new CallLowerer(Context, inlineCalls: true);
        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, root) || calls.CallsBack(method.OriginalDefinition))
        {
            Context.Report(DiagnosticDescriptors.Recursion, invocation.Syntax, root.Name, method.Name);
            return null;
        }

        if (method.IsGenericMethod || !method.ContainingType.TypeParameters.IsEmpty || (!method.IsStatic && invocation.Instance is not IInstanceReferenceOperation))
        {
            Context.Report(DiagnosticDescriptors.CallNotInlinable, invocation.Syntax, method.Name, root.Name,
                "its generated derivatives are called, so it must be a static (or this-instance), non-generic method of a non-generic type");
            return null;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            Context.Read(reference); // the call depends on the callee's declaration (its parameter kinds)
        }

        var arguments = new CallArgument?[method.Parameters.Length];
        var inputs = new List<(string Array, IOperation Syntax)>();
        (string Array, IOperation Syntax)? target = null;
        bool failed = false;
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || argument.ArgumentKind == ArgumentKind.ParamArray || parameter.RefKind != RefKind.None)
            {
                Report(argument, method, "params arrays and ref, in or out arguments are not supported; pass each argument by value");
                failed = true;
                continue;
            }

            bool differentiable = MethodParser.KindOf(parameter) == Models.ParameterKind.Differentiable;
            bool isOutput = VectorOutputs.IsOutput(parameter);
            if (parameter.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Int32)
            {
                bool integer = parameter.Type.SpecialType == SpecialType.System_Int32;
                arguments[parameter.Ordinal] = CallArgument.Scalar(Expression(argument.Value), integer, differentiable);
                continue;
            }

            if (parameter.Type is IArrayTypeSymbol)
            {
                Report(argument, method, $"the parameter '{parameter.Name}' of '{method.Name}' is a double[], which a slice cannot be passed as; declare it 'ReadOnlySpan<double>'");
                failed = true;
                continue;
            }

            if (!Slice(argument.Value, out var array, out var offset, out var length, out var symbol))
            {
                Report(argument, method, "it is not a span of the method or a slice of one; " + SpanArguments);
                failed = true;
                continue;
            }

            if (isOutput)
            {
                if (symbol is not ILocalSymbol && !(symbol is IParameterSymbol p && VectorOutputs.IsOutput(p) && !_inputs.Contains(p)))
                {
                    Context.Report(DiagnosticDescriptors.WriteToInput, argument.Value.Syntax, symbol?.Name ?? array);
                    failed = true;
                    continue;
                }

                target = (array, argument.Value);
            }
            else
            {
                inputs.Add((array, argument.Value));
            }

            arguments[parameter.Ordinal] = CallArgument.Slice(array, offset, length, isOutput, differentiable);
        }

        if (failed)
        {
            return null;
        }

        if (arguments.Any(a => a is null))
        {
            Context.Unsupported(invocation, "every argument must have a value");
            return null;
        }

        return (arguments.Select(a => a!).ToArray(), inputs, target);
    }

    /// <summary>
    /// True when <paramref name="call"/> is in the condition of a for loop (or of a while or do loop, with
    /// <paramref name="whileOrDo"/>): a call lowered to statements before the one being lowered would run once, where
    /// the condition is tested on every trip.
    /// </summary>
    private static bool InLoopCondition(IOperation call, bool whileOrDo)
    {
        for (var node = call.Syntax.Parent; node is not null && node is not StatementSyntax; node = node.Parent)
        {
            if (node.Parent is ForStatementSyntax f && f.Condition == node
                || whileOrDo && (node.Parent is WhileStatementSyntax w && w.Condition == node || node.Parent is DoStatementSyntax d && d.Condition == node))
            {
                return true;
            }
        }

        return false;
    }

    private string CallableName(IMethodSymbol method) => CallLowerer.CallableName(method, Context.Root);

    private const string SpanArguments = "pass a span parameter, a local span, or 'span.Slice(start, length)' of one";

    private void Report(IArgumentOperation argument, IMethodSymbol method, string why) =>
        Context.Report(DiagnosticDescriptors.UnsupportedLayerCall, argument.Syntax, LoweringContext.Shorten(argument.Syntax.ToString()), method.Name, why);

    /// <summary>
    /// How many elements of its output the layer writes for sure, in the caller's terms: null for all of them, else a
    /// length the generated code checks against the output's (see <see cref="LayerCoverage"/>); false with DG0029 when unknown.
    /// </summary>
    private bool Written(IInvocationOperation invocation, IMethodSymbol method, CallArgument?[] arguments, IOperation outputArgument, out Node? written)
    {
        written = null;
        var output = method.Parameters.First(VectorOutputs.IsOutput);
        IOperation? body = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (Context.Read(reference) is MethodDeclarationSyntax declaration
                && Context.ModelOf(declaration.SyntaxTree).GetOperation(declaration, Context.Cancellation) is IMethodBodyOperation operation)
            {
                body = operation.BlockBody ?? operation.ExpressionBody;
            }
        }

        var coverage = body is null ? new LayerCoverage.Written(LayerCoverage.Kind.Unknown) : LayerCoverage.Of(body, output);
        switch (coverage.Kind)
        {
            case LayerCoverage.Kind.All:
                return true;
            case LayerCoverage.Kind.LengthOf:
                written = arguments[coverage.Parameter!.Ordinal]!.Length;
                return true;
            case LayerCoverage.Kind.IntParameter:
                written = arguments[coverage.Parameter!.Ordinal]!.Value;
                return true;
            case LayerCoverage.Kind.Constant:
                written = _g.Const(coverage.Count);
                return true;
        }

        string why = body is null ? $"the source of '{method.Name}' is not in this compilation, so it is not known to write every element of its output '{output.Name}'"
            : $"'{method.Name}' is not known to write every element of its output '{output.Name}', and an element it leaves alone would keep its value without its derivative; "
              + $"before any return, start '{method.Name}' with '{output.Name}.Clear();' or write '{output.Name}[i]' at the top level of a loop 'for (int i = 0; i < {output.Name}.Length; i++)'";
        Context.Report(DiagnosticDescriptors.UnsupportedLayerCall, outputArgument.Syntax, LoweringContext.Shorten(outputArgument.Syntax.ToString()), method.Name, why);
        return false;
    }

    /// <summary>
    /// The array, start and length of a span argument: a span or array of the method (all of it), or a <c>Slice</c> /
    /// <c>AsSpan</c> of one with int bounds (nested slices add their starts). <paramref name="symbol"/> is the array's declaration.
    /// </summary>
    private bool Slice(IOperation op, out string array, out Node offset, out Node length, out ISymbol? symbol)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        array = "";
        offset = _g.Zero;
        length = _g.Zero;
        symbol = null;
        if (op is IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" } slice)
        {
            // Slice is a method of the span; AsSpan an extension whose receiver is its first argument
            var receiver = slice.Instance ?? (slice.Arguments.Length > 0 ? slice.Arguments[0].Value : null);
            var bounds = slice.Arguments.Where(a => slice.Instance is not null || a.Parameter?.Ordinal > 0).Select(a => a.Value).ToList();
            if (receiver is null || bounds.Count is < 1 or > 2 || bounds.Any(b => b.Type?.SpecialType != SpecialType.System_Int32)
                || !Slice(receiver, out array, out var outerOffset, out var outerLength, out symbol))
            {
                return false;
            }

            var start = Expression(bounds[0]);
            offset = _g.Add(outerOffset, start);
            length = bounds.Count == 2 ? Expression(bounds[1]) : _g.Sub(outerLength, start);
            return true;
        }

        if (_expressions.ArrayOf(op) is not { } name)
        {
            return false;
        }

        array = name;
        length = _g.Var(name + ".Length");
        symbol = op switch
        {
            IParameterReferenceOperation p => p.Parameter,
            ILocalReferenceOperation l => l.Local,
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation p => p.Property,
            _ => null,
        };
        return true;
    }
}
