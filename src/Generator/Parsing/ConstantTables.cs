using System.Linq;
using DiffGen.Expr;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Constant tables a method with loops reads by index: a static <c>double[]</c> field, and a static
/// <c>ReadOnlySpan&lt;double&gt;</c> property written <c>=&gt; [ … ]</c> over constants (the compiler keeps such
/// data in the assembly, so reading it allocates nothing). The generated code reads the table itself
/// (<c>global::N.T.Table[i]</c>); its elements are constants of the derivative, never differentiated.
/// </summary>
internal static class ConstantTables
{
    /// <summary>The C# expression that names the table <paramref name="symbol"/>, or null when it is not one.</summary>
    public static string? Read(ISymbol symbol, LoweringContext context)
    {
        switch (symbol)
        {
            case IFieldSymbol { IsStatic: true, Type: IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double } } field:
                return NameOf(field);
            case IPropertySymbol { IsStatic: true, Parameters.Length: 0, GetMethod: not null } property
                when IsReadOnlySpanOfDouble(property.Type) && ReturnsConstantData(property, context):
                return NameOf(property);
            default:
                return null;
        }
    }

    private static string NameOf(ISymbol member) =>
        member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + CSharpNames.Escape(member.Name);

    private static bool IsReadOnlySpanOfDouble(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "ReadOnlySpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, TypeArguments.Length: 1 } span
        && span.TypeArguments[0].SpecialType == SpecialType.System_Double;

    /// <summary>True for <c>=&gt; [c0, c1, …]</c> or <c>=&gt; new double[] { c0, … }</c> with constant elements: no allocation when read.</summary>
    private static bool ReturnsConstantData(IPropertySymbol property, LoweringContext context)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (context.Read(reference) is not PropertyDeclarationSyntax { ExpressionBody.Expression: var body } declaration)
            {
                continue;
            }

            var elements = body switch
            {
                CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
                    collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
                ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.ToList(),
                ImplicitArrayCreationExpressionSyntax { Initializer: var initializer } => initializer.Expressions.ToList(),
                _ => null,
            };
            var model = context.ModelOf(declaration.SyntaxTree);
            return elements is not null && elements.All(e => model.GetConstantValue(e, context.Cancellation).HasValue);
        }

        return false;
    }
}
