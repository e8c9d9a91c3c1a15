using System;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Emitting;
using DiffGen.Generator.Models;
using DiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DiffGen.Generator;

/// <summary>
/// The DiffGen source generator: every method marked <c>[DiffGen.Differentiable]</c> gets, in its
/// partial type, <c>{Name}Gradient</c>, <c>{Name}Tangent</c>, the <c>Complex</c> overload and, on
/// request, <c>{Name}Hessian</c>. Parsing (syntax + semantic model → value-equatable model) and
/// emitting (model → C#) live in their own folders; this file is only the pipeline.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks methods to differentiate.</summary>
    public const string AttributeName = "DiffGen.DifferentiableAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                static (ctx, ct) => MethodParser.Parse(ctx, GeneratedNames.Reserved, ct))
            .WithTrackingName(TrackingNames.Methods);

        var diagnostics = methods
            .Select(static (result, _) => result.Diagnostics)
            .Where(static d => !d.IsEmpty)
            .WithTrackingName(TrackingNames.Diagnostics);

        var models = methods
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models);

        // Overrides without the attribute of [Differentiable] methods: DG0018 (they would inherit the base's gradient).
        var overrides = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is MethodDeclarationSyntax method && method.Modifiers.Any(SyntaxKind.OverrideKeyword),
                static (ctx, ct) => MethodParser.CheckOverride(ctx, ct))
            .Where(static d => d is not null);
        context.RegisterSourceOutput(overrides, static (spc, d) => spc.ReportDiagnostic(d!.ToDiagnostic()));

        // Every hand-written rule ([CustomGradient]) is checked at its attribute, whether or not a method calls it yet.
        var customRules = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CustomRules.AttributeName,
                static (node, _) => CustomRules.IsCandidate(node),
                static (ctx, ct) => CustomRules.Check(ctx, ct))
            .Where(static d => d is not null);
        context.RegisterSourceOutput(customRules, static (spc, d) => spc.ReportDiagnostic(d!.ToDiagnostic()));

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(models, static (spc, model) =>
        {
            string source;
            try
            {
                source = model.Body is MethodBody.Statements { Procedure: var procedure } && DeepStack.IsDeep(procedure.Body)
                    ? DeepStack.Run(() => MethodEmitter.Emit(model))
                    : MethodEmitter.Emit(model);
            }
            catch (Exception e)
            {
                // The generator never throws: an exception would silently drop all of its output.
                // Located at the method's first line (the model keeps the file name and lines, not a Location).
                var line = new LinePosition(model.FirstLine - 1, 0);
                var at = Location.Create(model.SourceFile, default, new LinePositionSpan(line, line));
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, at,
                    model.Name, e.GetType().Name + ": " + e.Message));
                return;
            }

            spc.AddSource(model.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
        });
    }
}
