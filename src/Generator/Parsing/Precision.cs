using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// The precision a [Differentiable] method computes in: <c>float</c> when it returns float (or, void, writes a
/// <c>Span&lt;float&gt;</c>), else double.
/// A method computes in one precision throughout, so that the generated code, printed in that precision,
/// gives the value C# gives bit for bit: any value of the other precision is DG0030 where it stands.
/// </summary>
internal static class Precision
{
    /// <summary>True for a method that returns float, or a void one writing a <c>Span&lt;float&gt;</c>: its members are printed in float.</summary>
    public static bool IsSingle(IMethodSymbol method) => method.ReturnType.SpecialType == SpecialType.System_Single
        || (method.ReturnsVoid && method.Parameters.Any(p => VectorOutputs.IsOutput(p) && RealElement(p.Type)?.SpecialType == SpecialType.System_Single));

    /// <summary>The C# keyword of the precision.</summary>
    public static string Keyword(bool single) => single ? "float" : "double";

    /// <summary>True for <c>float</c> or <c>double</c>.</summary>
    public static bool IsReal(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>The element type of the span or array <paramref name="collection"/> names (through its conversions), or null.</summary>
    public static ITypeSymbol? ElementOf(IOperation collection)
    {
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        return collection.Type is { } type ? RealElement(type) : null;
    }

    /// <summary>The real element type of a parameter type (a scalar, an array, a span), or null for int and others.</summary>
    private static ITypeSymbol? RealElement(ITypeSymbol type)
    {
        var element = type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0],
            _ => type,
        };
        return IsReal(element) ? element : null;
    }

    /// <summary>DG0030 at each real parameter whose precision is not the method's (its return type's, or its output span's).</summary>
    public static void CheckParameters(MethodDeclarationSyntax syntax, IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        bool single = IsSingle(method);
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var p = method.Parameters[i];
            var ps = syntax.ParameterList.Parameters[i];
            if (RealElement(p.Type) is { } element && (element.SpecialType == SpecialType.System_Single) != single)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedPrecision, LocationInfo.From((SyntaxNode?)ps.Type ?? ps),
                    $"{ps.Type} {p.Name}", Keyword(!single), Keyword(single) + (method.ReturnsVoid ? " (its output span)" : " (its return type)"),
                    "declare the return type (or the output span) and every real parameter with one precision: all float or all double"));
            }
        }
    }

    /// <summary>
    /// Why <paramref name="op"/> (not a C# constant) cannot be lowered in a method computing in the precision
    /// <paramref name="single"/>: a value of the other precision. Null when it can.
    /// </summary>
    public static (string Type, string Advice)? Problem(IOperation op, bool single)
    {
        if (op.ConstantValue.HasValue || !IsReal(op.Type) || (op.Type!.SpecialType == SpecialType.System_Single) == single)
        {
            return null;
        }

        return single
            ? ("double", "write float literals (0.5f) and MathF functions, cast double values to float where the source means float, or write the whole method over double")
            : ("float", "compute in double (a double local, Math functions), or write the whole method over float (float parameters, return type and locals)");
    }

    /// <summary>DG0030 for a compound assignment whose arithmetic (C#'s promotion of target and value) is of the other precision.</summary>
    public static bool CheckCompound(ICompoundAssignmentOperation compound, bool single, LoweringContext context)
    {
        var types = new[] { compound.Target.Type, compound.Value.Type };
        bool isDouble = types.Any(t => t?.SpecialType == SpecialType.System_Double);
        bool isSingle = !isDouble && types.Any(t => t?.SpecialType == SpecialType.System_Single);
        if ((single && isDouble) || (!single && isSingle))
        {
            if (context.Diagnostics.Exists(d => d.Id == DiagnosticDescriptors.MixedPrecision.Id))
            {
                return false; // one DG0030 per method, as in ExpressionLowerer
            }

            context.Report(DiagnosticDescriptors.MixedPrecision, compound.Syntax, LoweringContext.Shorten(compound.Syntax.ToString()),
                Keyword(isSingle), Keyword(single), single
                    ? "write float literals (0.5f) and MathF functions on the right, or write the whole method over double"
                    : "compute in double, or write the whole method over float");
            return false;
        }

        return true;
    }
}
