using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>A problem with a custom rule: the descriptor and its message arguments, reported at the attribute and at each call.</summary>
internal sealed record CustomRuleProblem(DiagnosticDescriptor Descriptor, string[] Args)
{
    public DiagnosticInfo At(LocationInfo? location) => DiagnosticInfo.Create(Descriptor, location, Args);
}

/// <summary>
/// Hand-written derivative rules, <c>[CustomGradient(nameof(FGradient))]</c> on a method <c>F</c>: finds the gradient
/// method and checks both signatures. <see cref="CallLowerer"/> turns a call of <c>F</c> into an
/// <see cref="Op.CustomCall"/>; the generator's own pipeline checks every rule at its attribute.
/// </summary>
internal static class CustomRules
{
    public const string AttributeName = "DiffGen.CustomGradientAttribute";

    /// <summary>The [CustomGradient] attribute of <paramref name="method"/>, or null.</summary>
    public static AttributeData? AttributeOf(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AttributeName)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The gradient method of <paramref name="function"/>'s rule, or null with the <paramref name="problem"/>.</summary>
    public static IMethodSymbol? Resolve(IMethodSymbol function, AttributeData attribute, out CustomRuleProblem? problem)
    {
        problem = null;
        string? why = FunctionProblem(function);
        if (why is not null)
        {
            problem = new CustomRuleProblem(DiagnosticDescriptors.CustomRuleUnsupportedFunction, new[] { function.Name, why });
            return null;
        }

        string name = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string s ? s : "";
        string expected = ExpectedSignature(function, name.Length > 0 ? name : function.Name + "Gradient");
        var candidates = function.ContainingType.GetMembers(name).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        if (candidates.Count == 0)
        {
            problem = new CustomRuleProblem(DiagnosticDescriptors.CustomRuleMissing,
                new[] { function.Name, name, function.ContainingType.ToDisplayString(), expected });
            return null;
        }

        foreach (var candidate in candidates)
        {
            if (Mismatch(function, candidate) is null)
            {
                return candidate;
            }
        }

        problem = new CustomRuleProblem(DiagnosticDescriptors.CustomRuleSignature,
            new[] { function.Name, name, Mismatch(function, candidates[0])!, expected });
        return null;
    }

    /// <summary>The diagnostic for a rule's attribute, or null when the rule is sound (the generator's check of every rule).</summary>
    public static DiagnosticInfo? Check(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (context.TargetSymbol is not IMethodSymbol function || context.Attributes.IsEmpty)
        {
            return null;
        }

        var attribute = context.Attributes[0];
        Resolve(function, attribute, out var problem);
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) ?? context.TargetNode;
        return problem?.At(LocationInfo.From(syntax));
    }

    /// <summary>Why <paramref name="function"/> cannot carry a rule, or null.</summary>
    private static string? FunctionProblem(IMethodSymbol function)
    {
        if (!function.IsStatic)
        {
            return "it is an instance method";
        }

        if (function.IsGenericMethod)
        {
            return "it is generic";
        }

        for (var type = function.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.TypeParameters.Length > 0)
            {
                return $"it is in the generic type '{type.ToDisplayString()}'";
            }
        }

        if (function.ReturnType.SpecialType != SpecialType.System_Double || function.ReturnsByRef || function.ReturnsByRefReadonly)
        {
            return $"it returns '{function.ReturnType.ToDisplayString()}'";
        }

        if (function.Parameters.Length == 0 || function.Parameters.Length > Graph.MaxCustomArguments)
        {
            return $"it has {function.Parameters.Length} parameters (a rule takes 1 to {Graph.MaxCustomArguments})";
        }

        foreach (var p in function.Parameters)
        {
            if (p.RefKind != RefKind.None || p.IsParams)
            {
                return $"the parameter '{p.Name}' is not passed by value";
            }

            if (p.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Int32))
            {
                return $"the parameter '{p.Name}' is a '{p.Type.ToDisplayString()}' (spans and arrays are not supported: pass doubles)";
            }
        }

        return null;
    }

    /// <summary>How <paramref name="candidate"/> differs from the gradient signature of <paramref name="function"/>, or null when it matches.</summary>
    private static string? Mismatch(IMethodSymbol function, IMethodSymbol candidate)
    {
        if (!candidate.IsStatic)
        {
            return "is not static";
        }

        if (candidate.IsGenericMethod)
        {
            return "is generic";
        }

        if (candidate.ReturnType.SpecialType != SpecialType.System_Double || candidate.ReturnsByRef || candidate.ReturnsByRefReadonly)
        {
            return $"returns '{candidate.ReturnType.ToDisplayString()}' instead of the value as a 'double'";
        }

        var expected = ExpectedParameters(function);
        if (candidate.Parameters.Length != expected.Count)
        {
            return $"has {candidate.Parameters.Length} parameters where {expected.Count} are expected";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var p = candidate.Parameters[i];
            var (type, isOut, shown) = expected[i];
            if (p.Type.SpecialType != type || (p.RefKind == RefKind.Out) != isOut || (!isOut && p.RefKind != RefKind.None) || p.IsParams)
            {
                return $"has '{Describe(p)}' as parameter {i + 1} where '{shown}' is expected";
            }
        }

        return null;
    }

    /// <summary>The gradient method's parameters: the function's, then an out double per differentiable parameter.</summary>
    private static List<(SpecialType Type, bool IsOut, string Shown)> ExpectedParameters(IMethodSymbol function)
    {
        var list = new List<(SpecialType, bool, string)>();
        foreach (var p in function.Parameters)
        {
            list.Add((p.Type.SpecialType, false, $"{p.Type.ToDisplayString()} {p.Name}"));
        }

        foreach (var p in function.Parameters)
        {
            if (MethodParser.KindOf(p) == ParameterKind.Differentiable)
            {
                list.Add((SpecialType.System_Double, true, $"out double d{p.Name}"));
            }
        }

        return list;
    }

    private static string ExpectedSignature(IMethodSymbol function, string name) =>
        $"double {name}({string.Join(", ", ExpectedParameters(function).Select(p => p.Shown))})";

    private static string Describe(IParameterSymbol p)
    {
        string modifier = p.RefKind switch
        {
            RefKind.Out => "out ",
            RefKind.Ref => "ref ",
            RefKind.In => "in ",
            _ => p.IsParams ? "params " : "",
        };
        return $"{modifier}{p.Type.ToDisplayString()} {p.Name}";
    }

    /// <summary>True for a method declaration that may carry the attribute (the pipeline's syntax filter).</summary>
    public static bool IsCandidate(SyntaxNode node) => node is MethodDeclarationSyntax;
}
