using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Turns one [Differentiable] method (syntax + semantic model) into a <see cref="MethodModel"/>:
/// checks the method's shape, the containing types and the parameters, then lowers the body: to one
/// expression by the <see cref="SymbolicExecutor"/> when it can, else to a procedure by the
/// <see cref="ProcedureLowerer"/>. Never throws: an unexpected exception becomes DG9999.
/// </summary>
internal static class MethodParser
{
    private const string NoDiffAttribute = "DiffGen.NoDiffAttribute";

    /// <param name="context">The method and its semantic model.</param>
    /// <param name="reservedNames">The names of the generated members' parameters, which a procedure's locals must not take.</param>
    /// <param name="ct">Cancels the lowering.</param>
    public static MethodResult Parse(GeneratorAttributeSyntaxContext context, Func<IReadOnlyList<ParameterModel>, IEnumerable<string>> reservedNames,
        CancellationToken ct)
    {
        if (context.TargetNode is MethodDeclarationSyntax method)
        {
            var result = ParseCache.GetOrParse(method, context.SemanticModel.Compilation,
                read => DeepStack.Parse(DeepStack.IsDeep(method), () => Parse(context, reservedNames, read, ct)));
            return result.Model is { } model && SkipsLocalsInit(context.SemanticModel.Compilation)
                ? result with { Model = model with { SkipsLocalsInit = true } }
                : result;
        }

        return Parse(context, reservedNames, new HashSet<SyntaxTree>(), ct);
    }

    /// <summary>
    /// Generated members may skip the zeroing of their locals (every buffer they stackalloc they clear or write before
    /// reading) where the user's compilation allows it: unsafe code allowed, and the attribute defined (.NET 5 and later).
    /// </summary>
    private static bool SkipsLocalsInit(Compilation compilation) =>
        compilation.Options is CSharpCompilationOptions { AllowUnsafe: true }
        && compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.SkipLocalsInitAttribute") is not null;

    /// <summary>Parses and lowers without the cache; adds to <paramref name="read"/> the syntax trees whose text the lowering read besides the method.</summary>
    private static MethodResult Parse(GeneratorAttributeSyntaxContext context, Func<IReadOnlyList<ParameterModel>, IEnumerable<string>> reservedNames,
        HashSet<SyntaxTree> read, CancellationToken ct)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (context.TargetNode is LocalFunctionStatementSyntax local)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, LocationInfo.From(local.Identifier),
                local.Identifier.ValueText, "a local function"));
            return new MethodResult(null, diagnostics.ToEquatableArray());
        }

        if (context.TargetNode is not MethodDeclarationSyntax syntax || context.TargetSymbol is not IMethodSymbol method)
        {
            return new MethodResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            var model = Build(syntax, method, context.SemanticModel, context.Attributes, reservedNames, read, diagnostics, ct);
            if (model is null && diagnostics.Count == 0)
            {
                // Never drop a method silently: no members and no diagnostic would leave the user with CS0117.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier),
                    method.Name, "the method was lowered to nothing and no diagnostic explains why"));
            }

            return new MethodResult(diagnostics.Count == 0 ? model : null, diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException)
        {
            // Roslyn's own guard, raised while it builds the operation tree of a very deep body.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NestedTooDeeply, LocationInfo.From(syntax.Identifier), method.Name,
                "the C# compiler could not build its operation tree"));
            return new MethodResult(null, diagnostics.ToEquatableArray());
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier),
                method.Name, e.GetType().Name + ": " + e.Message));
            return new MethodResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>How a parameter is treated: <c>int</c> and <c>[NoDiff]</c> are constants.</summary>
    public static ParameterKind KindOf(IParameterSymbol parameter)
    {
        if (parameter.Type.SpecialType == SpecialType.System_Int32)
        {
            return ParameterKind.Int;
        }

        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == NoDiffAttribute)
            {
                return ParameterKind.NoDiff;
            }
        }

        return ParameterKind.Differentiable;
    }

    private static MethodModel? Build(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel semanticModel,
        IReadOnlyList<AttributeData> attributes, Func<IReadOnlyList<ParameterModel>, IEnumerable<string>> reservedNames,
        HashSet<SyntaxTree> read, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        // The containing types, outermost first; each must be partial.
        var types = new List<TypeModel>();
        foreach (var type in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, LocationInfo.From(type.Identifier),
                    type.Identifier.ValueText, method.Name));
            }

            types.Insert(0, new TypeModel(Keyword(type), type.Identifier.ValueText, type.TypeParameterList?.ToString() ?? "",
                type.Modifiers.Any(SyntaxKind.StaticKeyword)));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, LocationInfo.From(syntax.Identifier), method.Name, "generic"));
        }

        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, LocationInfo.From(syntax.Identifier), method.Name, "without a body"));
        }

        if (method.IsAsync || method.IsExtensionMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, LocationInfo.From(syntax.Identifier), method.Name,
                method.IsAsync ? "async" : "an extension method"));
        }

        if ((!Precision.IsReal(method.ReturnType) && !method.ReturnsVoid) || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType),
                method.Name, syntax.ReturnType.ToString()));
        }

        var parameters = new List<ParameterModel>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var p = method.Parameters[i];
            var ps = syntax.ParameterList.Parameters[i];
            var shape = ShapeOf(p.Type);
            bool typeOk = shape is not null;
            if (VectorOutputs.IsOutput(p))
            {
                parameters.Add(new ParameterModel(p.Name, ParameterKind.Output, ParameterShape.Span));
                continue;
            }

            if (VectorOutputs.IsOutParameter(method, p))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutParameter, LocationInfo.From(ps.Modifiers.First()), p.Name, ps.Modifiers.First().ValueText));
            }
            else if (!typeOk || p.RefKind != RefKind.None || p.IsParams)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType,
                    LocationInfo.From((SyntaxNode?)ps.Type ?? ps), p.Name, (ps.Modifiers.ToString() + " " + ps.Type).Trim()));
            }

            parameters.Add(new ParameterModel(p.Name, KindOf(p), shape ?? ParameterShape.Scalar));
        }

        VectorOutputs.CheckShape(syntax, method, parameters, diagnostics);
        Precision.CheckParameters(syntax, method, diagnostics);

        if (diagnostics.Count > 0)
        {
            return null;
        }

        bool hessian = HessianRequested(attributes);
        string virtuality = Virtuality(method, ref hessian, out string hessianVirtuality);
        VectorOutputs.CheckNoHessian(syntax, method, parameters, hessian, diagnostics);

        if (semanticModel.GetOperation(syntax, ct) is not IMethodBodyOperation body || (body.BlockBody ?? body.ExpressionBody) is not { } block)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, LocationInfo.From(syntax.Identifier), method.Name, "without a body"));
            return null;
        }

        // Loops stay loops when the method reads spans or tables, has foreach or local spans, or has statements that
        // do not execute symbolically (a loop with a runtime bound or too long to unroll, break, continue);
        // loop-free scalar methods lower to one DAG.
        Node? value = null;
        Node? secondOrder = null;
        var customCalls = new List<(SyntaxNode Call, string Function)>();
        bool statements = parameters.Any(p => p.IsArray) || syntax.DescendantNodes().Any(n => n is ForEachStatementSyntax or StackAllocArrayCreationExpressionSyntax
            or ImplicitStackAllocArrayCreationExpressionSyntax or CollectionExpressionSyntax or ElementAccessExpressionSyntax);
        if (!statements)
        {
            var dag = new List<DiagnosticInfo>();
            var scalar = LowerScalar(method, semanticModel, block, inlineCalls: false, read, dag, customCalls, ct);
            statements = scalar.Outcome == ScalarOutcome.NeedsStatements;
            if (!statements)
            {
                diagnostics.AddRange(dag);
                value = scalar.Value;
                secondOrder = value;
            }

            if (scalar.UsedCalls && value is not null)
            {
                // Second derivatives of callees: lower again with every call inlined. Where that fails, only a
                // requested Hessian makes it an error (the Hessian-vector product is then left out); unrolling the
                // callees' loops too can go past the caps, and then a Hessian keeps the method's loops as loops.
                var second = new List<DiagnosticInfo>();
                var inlined = LowerScalar(method, semanticModel, block, inlineCalls: true, read, second, customCalls, ct);
                secondOrder = inlined.Outcome == ScalarOutcome.Lowered && second.Count == 0 ? inlined.Value : null;
                if (hessian)
                {
                    statements = inlined.Outcome == ScalarOutcome.NeedsStatements;
                    foreach (var d in statements ? Enumerable.Empty<DiagnosticInfo>() : second)
                    {
                        if (!diagnostics.Contains(d))
                        {
                            diagnostics.Add(d);
                        }
                    }
                }
            }
        }

        if (statements)
        {
            VectorOutputs.CheckWrittenBeforeRead(method, block, diagnostics);
            var layerCalls = new List<(SyntaxNode Call, string Function)>();
            var procedure = LowerProcedure(method, semanticModel, block, parameters, reservedNames(parameters), read, diagnostics, customCalls, layerCalls, ct);
            return diagnostics.Count > 0 || procedure is null || !SecondOrderAvailable(method, hessian, customCalls, diagnostics)
                || !SecondOrderAvailable(method, hessian, layerCalls, diagnostics, DiagnosticDescriptors.SecondOrderThroughLayer) ? null
                : Model(syntax, method, types, parameters, hessian, virtuality, hessianVirtuality,
                    new MethodBody.Statements(procedure, FirstOrderOnly: customCalls.Count > 0 || layerCalls.Count > 0), ct);
        }

        if (value is null || diagnostics.Count > 0 || !SecondOrderAvailable(method, hessian, customCalls, diagnostics))
        {
            return null;
        }

        if (customCalls.Count > 0)
        {
            secondOrder = null; // a hand-written rule has first derivatives only: no …HessianVector
        }

        return Model(syntax, method, types, parameters, hessian, virtuality, hessianVirtuality, new MethodBody.Expression(value, secondOrder), ct);
    }

    private static MethodModel Model(MethodDeclarationSyntax syntax, IMethodSymbol method, List<TypeModel> types, List<ParameterModel> parameters,
        bool hessian, string virtuality, string hessianVirtuality, MethodBody body, CancellationToken ct)
    {
        // From the return type (after the attributes) to the closing brace.
        var span = syntax.SyntaxTree.GetLineSpan(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.ReturnType.SpanStart, syntax.Span.End), ct);
        string? ns = method.ContainingType.ContainingNamespace.IsGlobalNamespace ? null : method.ContainingType.ContainingNamespace.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        return new MethodModel(
            HintName(method),
            ns,
            types.ToEquatableArray(),
            method.Name,
            Accessibility(method.DeclaredAccessibility),
            method.IsStatic,
            virtuality,
            hessianVirtuality,
            parameters.ToEquatableArray(),
            hessian,
            System.IO.Path.GetFileName(span.Path ?? ""),
            span.StartLinePosition.Line + 1,
            span.EndLinePosition.Line + 1,
            body)
        {
            Single = Precision.IsSingle(method),
        };
    }

    private static bool HessianRequested(IEnumerable<AttributeData> attributes)
    {
        bool hessian = false;
        foreach (var attribute in attributes)
        {
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Hessian" && named.Value.Value is bool b)
                {
                    hessian = b;
                }
            }
        }

        return hessian;
    }

    /// <summary>
    /// The generated members follow overriding as the method does: members of a virtual method are
    /// virtual, those of an override of a [Differentiable] method override the base's members (and
    /// also get a Hessian when the base has one, so none is inherited from the base).
    /// </summary>
    private static string Virtuality(IMethodSymbol method, ref bool hessian, out string hessianVirtuality)
    {
        string open = (method.IsVirtual || method.IsOverride) && !method.IsSealed ? "virtual " : "";
        if (method.IsOverride && method.OverriddenMethod is { } overridden && HasDifferentiable(overridden))
        {
            bool baseHessian = HessianRequested(overridden.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == DifferentiableGenerator.AttributeName));
            string overriding = method.IsSealed ? "sealed override " : "override ";
            // A Hessian the base has is overridden; one the base lacks starts a new virtual member.
            hessianVirtuality = baseHessian ? overriding : open;
            hessian |= baseHessian;
            return overriding;
        }

        hessianVirtuality = open;
        return open;
    }

    /// <summary>
    /// DG0018 for an override without [Differentiable] of a [Differentiable] method: it would inherit the
    /// base's generated members, whose gradient is the base method's.
    /// </summary>
    public static DiagnosticInfo? CheckOverride(GeneratorSyntaxContext context, CancellationToken ct)
    {
        if (context.Node is not MethodDeclarationSyntax syntax
            || context.SemanticModel.GetDeclaredSymbol(syntax, ct) is not IMethodSymbol { IsOverride: true, OverriddenMethod: { } overridden } method
            || HasDifferentiable(method) || !HasDifferentiable(overridden))
        {
            return null;
        }

        return DiagnosticInfo.Create(DiagnosticDescriptors.OverrideNotDifferentiable, LocationInfo.From(syntax.Identifier),
            method.ContainingType.Name + "." + method.Name, overridden.ContainingType.Name + "." + overridden.Name);
    }

    /// <summary>The shape of a supported parameter type, or null.</summary>
    private static ParameterShape? ShapeOf(ITypeSymbol type)
    {
        // float data is accepted here and checked by Precision (DG0030), so it is not also DG0002
        if (type.SpecialType is SpecialType.System_Double or SpecialType.System_Int32 or SpecialType.System_Single)
        {
            return ParameterShape.Scalar;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single })
        {
            return ParameterShape.Array;
        }

        if (type is INamedTypeSymbol { Name: "ReadOnlySpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, TypeArguments.Length: 1 } span
            && span.TypeArguments[0].SpecialType is SpecialType.System_Double or SpecialType.System_Single)
        {
            return ParameterShape.Span;
        }

        return null;
    }

    private static Procedure? LowerProcedure(IMethodSymbol method, SemanticModel semanticModel, IOperation block, List<ParameterModel> parameters,
        IEnumerable<string> reserved, HashSet<SyntaxTree> read, List<DiagnosticInfo> diagnostics, List<(SyntaxNode Call, string Function)> customCalls,
        List<(SyntaxNode Call, string Function)> layerCalls, CancellationToken ct)
    {
        var context = new LoweringContext(new Graph(simplify: true) { FoldsInSingle = Precision.IsSingle(method) }, method, semanticModel, read, diagnostics, ct);
        var procedure = new ProcedureLowerer(context, reserved).Lower(block, parameters);
        customCalls.AddRange(context.CustomRuleCalls);
        layerCalls.AddRange(context.LayerCalls);
        return procedure;
    }

    /// <summary>
    /// False (with DG0026 at each call, or <paramref name="descriptor"/>'s id) when a Hessian is requested of a method that calls
    /// methods with hand-written rules (or layers), which give first derivatives only.
    /// </summary>
    private static bool SecondOrderAvailable(IMethodSymbol method, bool hessian, List<(SyntaxNode Call, string Function)> customCalls,
        List<DiagnosticInfo> diagnostics, DiagnosticDescriptor? descriptor = null)
    {
        if (!hessian || customCalls.Count == 0)
        {
            return true;
        }

        var reported = new HashSet<SyntaxNode>();
        foreach (var (call, function) in customCalls)
        {
            if (reported.Add(call))
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor ?? DiagnosticDescriptors.SecondOrderThroughCustomRule, LocationInfo.From(call), method.Name, function));
            }
        }

        return false;
    }

    private static ScalarLowering LowerScalar(IMethodSymbol method, SemanticModel semanticModel, IOperation block, bool inlineCalls,
        HashSet<SyntaxTree> read, List<DiagnosticInfo> diagnostics, List<(SyntaxNode Call, string Function)> customCalls, CancellationToken ct)
    {
        var graph = new Graph(simplify: true) { FoldsInSingle = Precision.IsSingle(method) };
        var arguments = new Node[method.Parameters.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = graph.Var(method.Parameters[i].Name);
        }

        var context = new LoweringContext(graph, method, semanticModel, read, diagnostics, ct);
        var lowering = new SymbolicExecutor(context, inlineCalls).LowerMethod(block, arguments);
        customCalls.AddRange(context.CustomRuleCalls);
        return lowering;
    }

    /// <summary>True when <paramref name="method"/> carries [Differentiable].</summary>
    internal static bool HasDifferentiable(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == DifferentiableGenerator.AttributeName)
            {
                return true;
            }
        }

        return false;
    }

    private static string Keyword(TypeDeclarationSyntax type) => type switch
    {
        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>
    /// <c>{Namespace}.{Type}.{Method}.g.cs</c> from metadata names (nested types joined by <c>+</c>, generic
    /// arity as <c>`1</c>); overloads add their parameter types in parentheses. Each part is encoded
    /// injectively (<see cref="EncodeHint"/>), so two methods never share a hint name: <c>G&lt;T&gt;</c> is
    /// <c>G_g1</c> and <c>G_T_</c> is <c>G__T__</c>.
    /// </summary>
    internal static string HintName(IMethodSymbol method)
    {
        var types = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, type.MetadataName);
        }

        string member = method.MetadataName;
        if (method.ContainingType.GetMembers(method.Name).Count(m => m is IMethodSymbol) > 1)
        {
            member += "(" + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")";
        }

        var parts = new List<string> { EncodeHint(string.Join("+", types)), EncodeHint(member) };
        for (var ns = method.ContainingType.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, EncodeHint(ns.MetadataName));
        }

        return string.Join(".", parts) + ".g.cs";
    }

    /// <summary>
    /// One part of a hint name (the parts are joined by dots). ASCII letters and digits are kept; every
    /// other character becomes <c>_</c> and one letter (<c>__</c> for <c>_</c>, <c>_g</c> for <c>`</c>,
    /// <c>_n</c> for <c>+</c>, <c>_d</c> for <c>.</c>, else <c>_x</c> and four hex digits). Each escape
    /// starts with <c>_</c> and is decoded alone, so the encoding is injective.
    /// </summary>
    internal static string EncodeHint(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '_': sb.Append("__"); break;
                case '`': sb.Append("_g"); break;
                case '+': sb.Append("_n"); break;
                case '.': sb.Append("_d"); break;
                default:
                    if (c < 128 && char.IsLetterOrDigit(c))
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        sb.Append("_x").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
