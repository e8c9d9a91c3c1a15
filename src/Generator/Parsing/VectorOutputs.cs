using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// The checks of a vector-output method, <c>void F(…inputs…, Span&lt;double&gt; y)</c>: exactly one output
/// span on a void method (DG0019), no <c>out</c>/<c>ref</c> outputs (DG0020), the output written before
/// it is read (DG0021), no Hessian (DG0022). Its members (Jacobian, VJP, JVP) are written by the emitter.
/// </summary>
internal static class VectorOutputs
{
    /// <summary>True for a by-value <c>Span&lt;double&gt;</c> (or <c>Span&lt;float&gt;</c>) parameter: the output of a vector-output method.</summary>
    public static bool IsOutput(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None && !parameter.IsParams
        && parameter.Type is INamedTypeSymbol { Name: "Span", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, TypeArguments.Length: 1 } span
        && span.TypeArguments[0].SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    /// <summary>An <c>out</c> parameter, or a <c>ref</c> one of a void method: an output the generator does not take (DG0020).</summary>
    public static bool IsOutParameter(IMethodSymbol method, IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.Out || (parameter.RefKind == RefKind.Ref && method.ReturnsVoid);

    /// <summary>DG0019 for output spans on a method returning a value, or more than one; DG0003 for a void method without one.</summary>
    public static void CheckShape(MethodDeclarationSyntax syntax, IMethodSymbol method, List<ParameterModel> parameters, List<DiagnosticInfo> diagnostics)
    {
        var outputs = parameters.Select((p, i) => (Model: p, Syntax: syntax.ParameterList.Parameters[i])).Where(p => p.Model.Kind == ParameterKind.Output).ToList();
        if (method.ReturnsVoid && outputs.Count == 0 && !diagnostics.Any(d => d.Id == DiagnosticDescriptors.OutParameter.Id))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType), method.Name, "void"));
        }

        for (int k = 0; k < outputs.Count; k++)
        {
            string? reason = !method.ReturnsVoid ? $"it also returns '{syntax.ReturnType}'"
                : k > 0 ? $"it is a second output span after '{outputs[0].Model.Name}'"
                : null;
            if (reason is not null)
            {
                var at = outputs[k].Syntax;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedVectorOutput, LocationInfo.From((SyntaxNode?)at.Type ?? at),
                    method.Name, outputs[k].Model.Name, reason));
            }
        }
    }

    /// <summary>DG0022 at <c>Hessian = true</c> (or at the method when the Hessian comes from an overridden base) of a vector-output method.</summary>
    public static void CheckNoHessian(MethodDeclarationSyntax syntax, IMethodSymbol method, List<ParameterModel> parameters, bool hessian, List<DiagnosticInfo> diagnostics)
    {
        var output = parameters.FirstOrDefault(p => p.Kind == ParameterKind.Output);
        if (!hessian || output is null)
        {
            return;
        }

        SyntaxNode at = syntax.AttributeLists.SelectMany(list => list.Attributes)
            .SelectMany(a => a.ArgumentList?.Arguments ?? default)
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Hessian") ?? (SyntaxNode)syntax;
        var location = at == syntax ? LocationInfo.From(syntax.Identifier) : LocationInfo.From(at);
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VectorOutputHessian, location, method.Name, output.Name));
    }

    /// <summary>The call of a [Differentiable] vector-output method that takes <paramref name="use"/> (or a slice of it) as its output, or null.</summary>
    private static IInvocationOperation? LayerOutputCall(IOperation? use)
    {
        while (use is IConversionOperation or IInvocationOperation { TargetMethod.Name: "Slice" })
        {
            use = use.Parent;
        }

        return use is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation call } && IsOutput(parameter)
            && MethodParser.HasDifferentiable(call.TargetMethod) ? call : null;
    }

    /// <summary>
    /// DG0021 when, in source order, the first use of the output span is a read: its values would then depend on
    /// what the caller left in it, and the Jacobian, which calls the products again with the same span, would see
    /// the first call's values. A plain assignment <c>y[i] = …</c> writes after its right side is read; a
    /// compound one (<c>y[i] += …</c>) reads first; <c>y.Clear()</c> writes every element; <c>y.Length</c> reads no element. The order is the source's,
    /// not the run's: a loop that reads <c>y[i - 1]</c> before it writes <c>y[i]</c> is reported too.
    /// </summary>
    public static void CheckWrittenBeforeRead(IMethodSymbol method, IOperation body, List<DiagnosticInfo> diagnostics)
    {
        var output = method.Parameters.FirstOrDefault(IsOutput);
        if (output is null)
        {
            return;
        }

        (int At, bool Write, SyntaxNode Syntax)? first = null;
        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, output))
            {
                continue;
            }

            var parent = reference.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IPropertyReferenceOperation { Property.Name: "Length" })
            {
                continue;
            }

            bool write = (parent is IPropertyReferenceOperation { Property.IsIndexer: true } element && element.Parent is ISimpleAssignmentOperation assignment
                && assignment.Target == element) || parent is IInvocationOperation { TargetMethod.Name: "Clear", Arguments.Length: 0 };
            if (LayerOutputCall(parent) is { } layer)
            {
                // passed as a layer's output (or a slice of it): the layer writes it, after reading its inputs
                first = first is null || layer.Syntax.Span.End < first.Value.At ? (layer.Syntax.Span.End, true, layer.Syntax) : first;
                continue;
            }

            var use = write ? (parent!.Parent!.Syntax.Span.End, true, parent.Syntax) : (reference.Syntax.SpanStart, false, (parent ?? reference).Syntax);
            if (first is null || use.Item1 < first.Value.At)
            {
                first = use;
            }
        }

        if (first is { Write: false } read)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputReadBeforeWritten, LocationInfo.From(read.Syntax), method.Name, output.Name));
        }
    }
}
