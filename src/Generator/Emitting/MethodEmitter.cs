using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DiffGen.Expr;
using DiffGen.Generator.Models;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// Writes the generated members of one method (see DESIGN.md): <c>{Name}Gradient</c>,
/// <c>{Name}Tangent</c>, <c>{Name}Hessian</c> when asked for, and the <c>Complex</c> overload, into
/// a re-opened partial declaration of the containing types. Derivatives come from DiffGen.Expr; each
/// member's body is printed by one <see cref="CSharpEmitter"/> in one pass, so the derivative
/// statements reuse the primal's temporaries (an exponential is computed once).
/// </summary>
internal static class MethodEmitter
{
    private const string Complex = "global::System.Numerics.Complex";
    private const string TangentPrefix = "tangent:";

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
            w.Open((type.IsStatic ? "static " : "") + "partial " + type.Keyword + " " + OutputNames.Escape(type.Name) + type.TypeParameters);
        }

        if (model.Procedure is not null)
        {
            ProcedureEmitter.Members(w, model);
        }
        else
        {
            Gradient(w, model);
            w.Line();
            Tangent(w, model);
            if (model.Hessian)
            {
                w.Line();
                Hessian(w, model);
            }

            if (model.Parameters.Any(p => p.Kind != ParameterKind.Int))
            {
                w.Line();
                ComplexOverload(w, model);
            }
        }

        while (w.Depth > 0)
        {
            w.Close();
        }

        return w.ToString();
    }

    // ---- the members --------------------------------------------------------------------------

    private static void Gradient(CodeWriter w, MethodModel model)
    {
        var g = new Graph(simplify: true);
        var (f, wrt) = Import(g, model, model.Value!);
        var outputs = new OutputNames(model.Parameters.Select(p => p.Name));
        var signature = new List<string>(Parameters(model, complex: false));
        var outNames = new List<string>();
        foreach (var p in Differentiable(model))
        {
            string name = outputs.Pick("d" + p.Name);
            outNames.Add(name);
            signature.Add("out double " + OutputNames.Escape(name));
        }

        Summary(w, model, $"The value of {Cref(model)} and its gradient by reverse mode: one output per differentiable parameter, in parameter order.");
        Member(w, model, "double", model.Name + "Gradient", signature);
        var names = Names(outputs);
        string value = names.Unique("value");
        var gradient = Derivatives.Gradient(f, wrt);
        var assignments = new List<Assignment> { new(value, f, declare: true, comment: "value") };
        for (int i = 0; i < gradient.Length; i++)
        {
            assignments.Add(new Assignment(OutputNames.Escape(outNames[i]), gradient[i], comment: i == 0 ? "gradient (reverse mode)" : null));
        }

        Body(w, model, names, assignments, complex: false, "value and gradient");
        w.Line("return " + value + ";");
        w.Close();
    }

    private static void Tangent(CodeWriter w, MethodModel model)
    {
        var g = new Graph(simplify: true);
        var (f, wrt) = Import(g, model, model.Value!);
        var outputs = new OutputNames(model.Parameters.Select(p => p.Name));
        var signature = new List<string>(Parameters(model, complex: false));
        var tangents = new List<Node?>();
        var tangentNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Differentiable(model))
        {
            string name = outputs.Pick("t" + p.Name);
            signature.Add("double " + OutputNames.Escape(name));
            tangents.Add(g.Var(TangentPrefix + p.Name));
            tangentNames[TangentPrefix + p.Name] = OutputNames.Escape(name);
        }

        string tangent = outputs.Pick("tangent");
        signature.Add("out double " + OutputNames.Escape(tangent));
        Summary(w, model, $"The value of {Cref(model)} and its directional derivative along the tangent inputs, by forward mode.");
        Member(w, model, "double", model.Name + "Tangent", signature);
        var names = Names(outputs);
        string value = names.Unique("value");
        var derivative = Derivatives.Tangent(f, wrt, tangents);
        var assignments = new List<Assignment>
        {
            new(value, f, declare: true, comment: "value"),
            new(OutputNames.Escape(tangent), derivative, comment: "directional derivative (forward mode)"),
        };
        Body(w, model, names, assignments, complex: false, "value and tangent", tangentNames);
        w.Line("return " + value + ";");
        w.Close();
    }

    private static void Hessian(CodeWriter w, MethodModel model)
    {
        var g = new Graph(simplify: true);
        var (f, wrt) = Import(g, model, model.HessianValue ?? model.Value!);
        var outputs = new OutputNames(model.Parameters.Select(p => p.Name));
        string gradientName = OutputNames.Escape(outputs.Pick("gradient"));
        string hessianName = OutputNames.Escape(outputs.Pick("hessian"));
        var signature = new List<string>(Parameters(model, complex: false))
        {
            "global::System.Span<double> " + gradientName,
            "global::System.Span<double> " + hessianName,
        };
        int n = wrt.Count;
        string count = n.ToString(CultureInfo.InvariantCulture);
        string squared = (n * n).ToString(CultureInfo.InvariantCulture);
        Summary(w, model, $"The value of {Cref(model)}, its gradient and its dense row-major {count}×{count} Hessian over the differentiable parameters.");
        Member(w, model, "double", model.Name + "Hessian", signature);
        w.Line($"if ({gradientName}.Length != {count})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The gradient span must have length {count}.\", nameof({gradientName}));");
        w.Close();
        w.Line();
        w.Line($"if ({hessianName}.Length != {squared})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The Hessian span must have length {squared} ({count}×{count}, row-major).\", nameof({hessianName}));");
        w.Close();
        w.Line();
        var names = Names(outputs);
        string value = names.Unique("value");
        var gradient = Derivatives.Gradient(f, wrt);
        var hessian = Derivatives.Hessian(f, wrt);
        var assignments = new List<Assignment> { new(value, f, declare: true, comment: "value") };
        for (int i = 0; i < n; i++)
        {
            assignments.Add(new Assignment($"{gradientName}[{i}]", gradient[i], comment: i == 0 ? "gradient (reverse mode)" : null));
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                assignments.Add(new Assignment($"{hessianName}[{i * n + j}]", hessian[i, j],
                    comment: i == 0 && j == 0 ? "Hessian (forward over reverse), row-major" : null));
            }
        }

        Body(w, model, names, assignments, complex: false, "value, gradient and Hessian");
        w.Line("return " + value + ";");
        w.Close();
    }

    private static void ComplexOverload(CodeWriter w, MethodModel model)
    {
        var g = new Graph(simplify: true);
        var (f, _) = Import(g, model, model.Value!);
        var outputs = new OutputNames(model.Parameters.Select(p => p.Name));
        Summary(w, model, $"{Cref(model)} evaluated over complex numbers, for complex-step derivative checks: Im f(x + ih)/h ≈ ∂f/∂x for h = 1e-20.");
        Member(w, model, Complex, OutputNames.Escape(model.Name), Parameters(model, complex: true));
        var names = Names(outputs);
        string value = names.Unique("value");
        Body(w, model, names, new[] { new Assignment(value, f, declare: true, comment: "value") }, complex: true, "value over complex numbers");
        w.Line("return " + value + ";");
        w.Close();
    }

    // ---- pieces -------------------------------------------------------------------------------

    /// <summary>Copies the model's DAG into a fresh graph (the model's own graph is never modified).</summary>
    private static (Node F, List<Node> Wrt) Import(Graph g, MethodModel model, Node value)
    {
        foreach (var p in model.Parameters)
        {
            g.Var(p.Name);
        }

        var f = g.Import(value);
        var wrt = Differentiable(model).Select(p => g.Var(p.Name)).ToList();
        return (f, wrt);
    }

    private static IEnumerable<ParameterModel> Differentiable(MethodModel model) =>
        model.Parameters.Where(p => p.Kind == ParameterKind.Differentiable);

    private static IEnumerable<string> Parameters(MethodModel model, bool complex) =>
        model.Parameters.Select(p =>
            (p.Kind == ParameterKind.Int ? "int " : complex ? Complex + " " : "double ") + OutputNames.Escape(p.Name));

    private static NameBuilder Names(OutputNames outputs) => new(outputs.Taken);

    internal static string Cref(MethodModel model)
    {
        var types = model.Parameters.Select(p => p.Kind == ParameterKind.Int ? "int" : "double");
        return $"<see cref=\"{OutputNames.Escape(model.Name)}({string.Join(", ", types)})\"/>";
    }

    internal static void Summary(CodeWriter w, MethodModel model, string text)
    {
        w.Line("/// <summary>");
        w.Line("/// " + text + " Generated by DiffGen.");
        w.Line("/// </summary>");
    }

    internal static void Member(CodeWriter w, MethodModel model, string returnType, string name, IEnumerable<string> parameters)
    {
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"{Version}\")]");
        string virtuality = name == model.Name + "Hessian" ? model.HessianVirtuality : model.Virtuality;
        string modifiers = model.Accessibility + (model.IsStatic ? " static " : " ") + virtuality;
        w.Open($"{modifiers}{returnType} {name}({string.Join(", ", parameters)})");
    }

    private static void Body(CodeWriter w, MethodModel model, NameBuilder names, IReadOnlyList<Assignment> assignments,
        bool complex, string what, Dictionary<string, string>? extraNames = null)
    {
        var kinds = model.Parameters.ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal);
        string VariableName(Node v)
        {
            string name = v.Name!;
            if (name.StartsWith(ExpressionLowerer.FieldPrefix, StringComparison.Ordinal))
            {
                string text = name.Substring(ExpressionLowerer.FieldPrefix.Length);
                return complex ? $"(({Complex}){text})" : text;
            }

            if (extraNames is not null && extraNames.TryGetValue(name, out var extra))
            {
                return extra;
            }

            string identifier = OutputNames.Escape(name);
            // The DAG computes in double: an int parameter is cast so that C# never does int division or
            // overflows int where the source computed in double ((double)a / b); in the complex overload
            // the cast also lets comparisons take .Real.
            if (kinds.TryGetValue(name, out var kind) && kind == ParameterKind.Int)
            {
                return complex ? $"(({Complex}){identifier})" : $"((double){identifier})";
            }

            return identifier;
        }

        w.Line(Lines(model) + ": " + what + " of " + model.Name);
        var emitter = new CSharpEmitter(VariableName, names, complex) { Indent = w.Indent };
        emitter.Emit(w.Buffer, assignments);
    }

    internal static string Lines(MethodModel model) =>
        model.FirstLine == model.LastLine
            ? $"// {model.SourceFile}, line {model.FirstLine}"
            : $"// {model.SourceFile}, lines {model.FirstLine}–{model.LastLine}";
}
