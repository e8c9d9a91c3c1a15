using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// The one writer of a method's generated members (DESIGN.md), into a re-opened partial declaration of
/// the containing types, whatever the body's kind:
/// <list type="table">
/// <item><term><c>double {Name}Gradient(…, out double dp / Span&lt;double&gt; dx)</c></term><description>reverse mode; output spans are overwritten.</description></item>
/// <item><term><c>double {Name}Tangent(…, double tp / ReadOnlySpan&lt;double&gt; tx, out double tangent)</c></term><description>forward mode.</description></item>
/// <item><term><c>double {Name}HessianVector(…, double vp / ReadOnlySpan&lt;double&gt; vx, …, out double hvp / Span&lt;double&gt; hvx, …)</c></term>
/// <description>H·v by forward over reverse. Left out only where a loop-free method's callee cannot be inlined and no Hessian was asked for (see <see cref="MethodBody.Expression"/>).</description></item>
/// <item><term><c>double {Name}Hessian(…, Span&lt;double&gt; gradient, Span&lt;double&gt; hessian)</c></term><description>with <c>Hessian = true</c>:
/// the dense row-major n×n Hessian over the differentiable inputs, span parameters flattened in parameter order.</description></item>
/// <item><term><c>Complex {Name}(…)</c></term><description>the body over <c>System.Numerics.Complex</c>: real parameters become
/// <c>Complex</c>, differentiable spans and arrays <c>ReadOnlySpan&lt;Complex&gt;</c>, [NoDiff] data stays real, int stays int.</description></item>
/// </list>
/// Signatures, summaries and argument checks are written here, once; the statements inside come from
/// <see cref="ExpressionBodies"/> (loop-free methods) or <see cref="ProcedureBodies"/> (loops kept as loops).
/// </summary>
internal static partial class MethodEmitter
{
    private const string Complex = "global::System.Numerics.Complex";
    private const string SpanOf = "global::System.Span<double>";
    private const string ReadOnlySpanOf = "global::System.ReadOnlySpan<double>";

    private static readonly string Version =
        typeof(MethodEmitter).Assembly.GetName().Version?.ToString() ?? "1.0.0.0";

    public static string Emit(MethodModel model)
    {
        var w = new CodeWriter().Header();
        w.Line();
        if (model.Namespace is not null)
        {
            w.Open("namespace " + model.Namespace);
        }

        foreach (var type in model.ContainingTypes)
        {
            w.Open((type.IsStatic ? "static " : "") + "partial " + type.Keyword + " " + CSharpNames.Escape(type.Name) + type.TypeParameters);
        }

        var names = new GeneratedNames(model.Parameters);
        MemberBodies bodies = model.Body switch
        {
            MethodBody.Expression e => new ExpressionBodies(model, e, names),
            MethodBody.Statements s => new ProcedureBodies(model, s.Procedure, names),
            _ => throw new System.InvalidOperationException("Unknown method body " + model.Body.GetType().Name),
        };

        if (VectorOutput(model) is { } output && bodies is ProcedureBodies procedure)
        {
            VectorMembers(w, model, names, procedure, output);
        }
        else
        {
            Gradient(w, model, names, bodies);
            w.Line();
            Tangent(w, model, names, bodies);
            if (bodies.HasHessianVector)
            {
                w.Line();
                HessianVector(w, model, names, bodies);
            }

            if (model.Hessian)
            {
                w.Line();
                Hessian(w, model, names, bodies);
            }
        }

        if (model.Parameters.Any(p => p.Kind != ParameterKind.Int))
        {
            w.Line();
            ComplexOverload(w, model, bodies);
        }

        while (w.Depth > 0)
        {
            w.Close();
        }

        return w.ToString();
    }

    // ---- the members --------------------------------------------------------------------------

    private static void Gradient(CodeWriter w, MethodModel model, GeneratedNames names, MemberBodies bodies)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, SpanOf) + " " : $"out {Real(model)} ") + CSharpNames.Escape(names.Gradient[p.Name]));
        }

        Summary(w, $"The value of {Cref(model)} and its gradient by reverse mode: one output per differentiable parameter, in parameter order{(HasArrays(model) ? " (spans are overwritten)" : "")}.");
        Member(w, model, model.Name + "Gradient", signature);
        foreach (var p in Differentiable(model).Where(p => p.IsArray))
        {
            LengthCheck(w, names.Gradient[p.Name], p.Name);
        }

        bodies.Gradient(w);
        w.Close();
    }

    private static void Tangent(CodeWriter w, MethodModel model, GeneratedNames names, MemberBodies bodies)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, ReadOnlySpanOf) + " " : Real(model) + " ") + CSharpNames.Escape(names.Tangent[p.Name]));
        }

        signature.Add($"out {Real(model)} " + CSharpNames.Escape(names.TangentOutput));
        Summary(w, $"The value of {Cref(model)} and its directional derivative along the tangent inputs, by forward mode.");
        Member(w, model, model.Name + "Tangent", signature);
        foreach (var p in Differentiable(model).Where(p => p.IsArray))
        {
            LengthCheck(w, names.Tangent[p.Name], p.Name);
        }

        bodies.Tangent(w);
        w.Close();
    }

    private static void HessianVector(CodeWriter w, MethodModel model, GeneratedNames names, MemberBodies bodies)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, ReadOnlySpanOf) + " " : Real(model) + " ") + CSharpNames.Escape(names.Direction[p.Name]));
        }

        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, SpanOf) + " " : $"out {Real(model)} ") + CSharpNames.Escape(names.Product[p.Name]));
        }

        Summary(w, $"The value of {Cref(model)} and the Hessian-vector product H·v, by forward mode over the reverse-mode gradient: about the cost of a few gradients, whatever the dimension.");
        Member(w, model, model.Name + "HessianVector", signature);
        foreach (var p in Differentiable(model).Where(p => p.IsArray))
        {
            LengthCheck(w, names.Direction[p.Name], p.Name);
            LengthCheck(w, names.Product[p.Name], p.Name);
        }

        bodies.HessianVector(w);
        w.Close();
    }

    private static void Hessian(CodeWriter w, MethodModel model, GeneratedNames names, MemberBodies bodies)
    {
        string gradient = CSharpNames.Escape(names.GradientSpan);
        string hessian = CSharpNames.Escape(names.HessianSpan);
        var signature = Parameters(model, complex: false).ToList();
        signature.Add($"global::System.Span<{Real(model)}> {gradient}");
        signature.Add($"global::System.Span<{Real(model)}> {hessian}");
        int scalars = Differentiable(model).Count(p => !p.IsArray);
        string size = HasArrays(model) ? "n×n" : $"{scalars}×{scalars}";
        Summary(w, $"The value of {Cref(model)}, its gradient and its dense row-major {size} Hessian over the differentiable inputs{(HasArrays(model) ? ", spans flattened in parameter order" : "")}.");
        Member(w, model, model.Name + "Hessian", signature);

        // n: a number, or a local summing the lengths of the differentiable spans
        var locals = new NameBuilder(model.Parameters.Select(p => p.Name).Append(names.GradientSpan).Append(names.HessianSpan));
        string count;
        if (HasArrays(model))
        {
            count = locals.Unique("count");
            w.Line($"int {count} = {HessianOffset(model, Differentiable(model).Count())};");
        }
        else
        {
            count = scalars.ToString(CultureInfo.InvariantCulture);
        }

        string n = HasArrays(model) ? "\" + " + count + " + \"" : count;
        w.Line($"if ({gradient}.Length != {count})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The gradient span must have one element per differentiable input ({n}).\", nameof({gradient}));");
        w.Close();
        w.Line();
        w.Line($"if ({hessian}.Length != {(HasArrays(model) ? count + " * " + count : (scalars * scalars).ToString(CultureInfo.InvariantCulture))})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The Hessian span must have n×n elements, row-major (n = {n}).\", nameof({hessian}));");
        w.Close();
        w.Line();
        bodies.Hessian(w, count, locals);
        w.Close();
    }

    private static void ComplexOverload(CodeWriter w, MethodModel model, MemberBodies bodies)
    {
        Summary(w, $"{Cref(model)} evaluated over complex numbers, for complex-step derivative checks: Im f(x + ih)/h ≈ ∂f/∂x for h = 1e-20."
            + (HasArrays(model) ? " Differentiable span and array parameters become ReadOnlySpan&lt;Complex&gt;; [NoDiff] data stays real." : ""));
        Member(w, model, CSharpNames.Escape(model.Name), Parameters(model, complex: true), VectorOutput(model) is null ? Complex : "void");
        bodies.ComplexValue(w);
        w.Close();
    }

    // ---- pieces -------------------------------------------------------------------------------

    internal static IEnumerable<ParameterModel> Differentiable(MethodModel model) =>
        model.Parameters.Where(p => p.Kind == ParameterKind.Differentiable);

    private static bool HasArrays(MethodModel model) => Differentiable(model).Any(p => p.IsArray);

    /// <summary>Where the <paramref name="index"/>-th differentiable input starts in the flattened inputs: <c>2 + x.Length</c>.</summary>
    internal static string HessianOffset(MethodModel model, int index)
    {
        var before = Differentiable(model).Take(index).ToList();
        int scalars = before.Count(p => !p.IsArray);
        var terms = new List<string>();
        if (scalars > 0 || before.All(p => !p.IsArray))
        {
            terms.Add(scalars.ToString(CultureInfo.InvariantCulture));
        }

        terms.AddRange(before.Where(p => p.IsArray).Select(p => CSharpNames.Escape(p.Name) + ".Length"));
        return string.Join(" + ", terms);
    }

    private static IEnumerable<string> Parameters(MethodModel model, bool complex) =>
        model.Parameters.Select(p => InPrecision(model, Type(p, complex)) + " " + CSharpNames.Escape(p.Name));

    /// <summary>The real type of the members' values, gradients, tangents and Hessians: the method's (a float method's are float).</summary>
    internal static string Real(MethodModel model) => model.Single ? "float" : "double";

    /// <summary>A literal of the method's real type: <c>1.0</c>, or <c>1f</c> in a float method.</summary>
    internal static string Literal(MethodModel model, int value) => value.ToString(CultureInfo.InvariantCulture) + (model.Single ? "f" : ".0");

    /// <summary>A real type (<c>double</c>, <c>Span&lt;double&gt;</c>, <c>double[]</c>) in the method's precision.</summary>
    internal static string InPrecision(MethodModel model, string type) => model.Single ? type.Replace("double", "float") : type;

    private static string Type(ParameterModel p, bool complex) => (p.Kind, p.Shape, complex) switch
    {
        (ParameterKind.Int, _, _) => "int",
        (ParameterKind.Output, _, false) => SpanOf,
        (ParameterKind.Output, _, true) => $"global::System.Span<{Complex}>",
        (_, ParameterShape.Scalar, false) => "double",
        (_, ParameterShape.Scalar, true) => Complex,
        (_, ParameterShape.Span, false) => ReadOnlySpanOf,
        (_, ParameterShape.Array, false) => "double[]",
        // [NoDiff] data stays real in the complex overload (DESIGN): the caller passes it as it is.
        (ParameterKind.NoDiff, ParameterShape.Span, true) => ReadOnlySpanOf,
        (ParameterKind.NoDiff, ParameterShape.Array, true) => "double[]",
        _ => $"global::System.ReadOnlySpan<{Complex}>",
    };

    private static string Cref(MethodModel model)
    {
        var types = model.Parameters.Select(p => p.Kind == ParameterKind.Int ? "int"
            : InPrecision(model, p.Kind == ParameterKind.Output ? "global::System.Span{double}"
                : p.Shape switch { ParameterShape.Span => "global::System.ReadOnlySpan{double}", ParameterShape.Array => "double[]", _ => "double" }));
        return $"<see cref=\"{CSharpNames.Escape(model.Name)}({string.Join(", ", types)})\"/>";
    }

    private static void Summary(CodeWriter w, string text)
    {
        w.Line("/// <summary>");
        w.Line("/// " + text + " Generated by DiffGen.");
        w.Line("/// </summary>");
    }

    private static void Member(CodeWriter w, MethodModel model, string name, IEnumerable<string> parameters, string? returnType = null)
    {
        returnType ??= Real(model);
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"{Version}\")]");
        if (model.SkipsLocalsInit)
        {
            w.Line("[global::System.Runtime.CompilerServices.SkipLocalsInit]");
        }

        string virtuality = name == model.Name + "Hessian" ? model.HessianVirtuality : model.Virtuality;
        string modifiers = model.Accessibility + (model.IsStatic ? " static " : " ") + virtuality;
        w.Open($"{modifiers}{returnType} {name}({string.Join(", ", parameters)})");
    }

    private static void LengthCheck(CodeWriter w, string span, string input)
    {
        w.Line($"if ({CSharpNames.Escape(span)}.Length != {CSharpNames.Escape(input)}.Length)");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The span '{span}' must have the length of '{input}'.\", nameof({CSharpNames.Escape(span)}));");
        w.Close();
        w.Line();
    }

    /// <summary>The comment tying a body to its source: <c>// File.cs, lines 3–7: what of Name</c>.</summary>
    internal static string SourceComment(MethodModel model, string what) =>
        (model.FirstLine == model.LastLine
            ? $"// {model.SourceFile}, line {model.FirstLine}"
            : $"// {model.SourceFile}, lines {model.FirstLine}–{model.LastLine}") + ": " + what + " of " + model.Name;
}
