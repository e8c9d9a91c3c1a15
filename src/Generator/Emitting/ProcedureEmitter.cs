using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// The generated members of a method lowered to a <see cref="Procedure"/> (span or array parameters,
/// runtime loops). Derivative procedures come from <see cref="ProcedureDerivatives"/> and are printed by
/// <see cref="ProcedurePrinter"/>: loops stay loops, overwritten values needed by the reverse sweep live
/// on a pooled <c>ValueStack</c>, local arrays on the stack (≤ 512 elements) or in pooled arrays.
/// <list type="table">
/// <item><term><c>{Name}Gradient(…, out double dp / Span&lt;double&gt; dx)</c></term><description>reverse mode; output spans are overwritten.</description></item>
/// <item><term><c>{Name}Tangent(…, double tp / ReadOnlySpan&lt;double&gt; tx, out double tangent)</c></term><description>forward mode.</description></item>
/// <item><term><c>{Name}HessianVector(…, double vp / ReadOnlySpan&lt;double&gt; vx, …, out double hvp / Span&lt;double&gt; hvx, …)</c></term>
/// <description>H·v by forward over reverse (the tangent of the gradient procedure), at a small multiple of one gradient's cost.
/// The direction for parameter <c>p</c> is <c>v</c> + its name and the product's block <c>hv</c> + its name, under the <see cref="OutputNames"/> rule.</description></item>
/// <item><term><c>{Name}Hessian(…, Span&lt;double&gt; gradient, Span&lt;double&gt; hessian)</c></term><description>with <c>Hessian = true</c>:
/// the dense row-major n×n Hessian over the differentiable inputs flattened in parameter order; row k is the
/// Hessian-vector product with the k-th unit vector.</description></item>
/// <item><term><c>Complex {Name}(…)</c></term><description>the body over <c>System.Numerics.Complex</c>; every real parameter
/// becomes <c>Complex</c>, every span or array parameter a <c>ReadOnlySpan&lt;Complex&gt;</c> (also for <c>double[]</c>), int stays int.</description></item>
/// </list>
/// </summary>
internal static class ProcedureEmitter
{
    private const string Complex = "global::System.Numerics.Complex";
    private const string SpanOf = "global::System.Span<double>";
    private const string ReadOnlySpanOf = "global::System.ReadOnlySpan<double>";

    /// <summary>Every name a generated member gives its parameters (outputs, tangents, directions); locals avoid them.</summary>
    public static IEnumerable<string> ReservedNames(IReadOnlyList<ParameterModel> parameters)
    {
        var names = new Names(parameters);
        return names.Gradient.Values.Concat(names.Tangent.Values).Concat(names.Direction.Values).Concat(names.Product.Values)
            .Concat(names.HessianGradient.Values)
            .Concat(new[] { names.TangentOutput, names.GradientSpan, names.HessianSpan, names.Directional });
    }

    /// <summary>The names of generated parameters, by the rule of <see cref="OutputNames"/>: one picker per member.</summary>
    private sealed class Names
    {
        public Names(IReadOnlyList<ParameterModel> parameters)
        {
            var all = parameters.Select(p => p.Name).ToList();
            var differentiable = parameters.Where(p => p.Kind == ParameterKind.Differentiable).ToList();

            var gradient = new OutputNames(all);
            foreach (var p in differentiable)
            {
                Gradient[p.Name] = gradient.Pick("d" + p.Name);
            }

            var tangent = new OutputNames(all);
            foreach (var p in differentiable)
            {
                Tangent[p.Name] = tangent.Pick("t" + p.Name);
            }

            TangentOutput = tangent.Pick("tangent");

            var hvp = new OutputNames(all);
            foreach (var p in differentiable)
            {
                Direction[p.Name] = hvp.Pick("v" + p.Name);
            }

            foreach (var p in differentiable)
            {
                Product[p.Name] = hvp.Pick("hv" + p.Name);
            }

            // The gradient inside the Hessian-vector product is local: named like the gradient's outputs, free of the above.
            foreach (var p in differentiable)
            {
                HessianGradient[p.Name] = hvp.Pick("d" + p.Name);
            }

            Directional = hvp.Pick("gradientDotV");

            var hessian = new OutputNames(all);
            GradientSpan = hessian.Pick("gradient");
            HessianSpan = hessian.Pick("hessian");
        }

        public Dictionary<string, string> Gradient { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Tangent { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Direction { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Product { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> HessianGradient { get; } = new(StringComparer.Ordinal);
        public string TangentOutput { get; }
        public string Directional { get; }
        public string GradientSpan { get; }
        public string HessianSpan { get; }
    }

    public static void Members(CodeWriter w, MethodModel model)
    {
        // Differentiation adds nodes to the procedure's graph: never to the cached model's own.
        var p = model.Procedure!.CopyToNewGraph();
        var names = new Names(model.Parameters.ToList());
        Gradient(w, model, p, names);
        w.Line();
        Tangent(w, model, p, names);
        w.Line();
        HessianVector(w, model, p, names);
        if (model.Hessian)
        {
            w.Line();
            Hessian(w, model, names);
        }

        if (model.Parameters.Any(x => x.Kind != ParameterKind.Int))
        {
            w.Line();
            ComplexOverload(w, model, p);
        }
    }

    // ---- the members --------------------------------------------------------------------------

    private static void Gradient(CodeWriter w, MethodModel model, Procedure p, Names names)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var x in Differentiable(model))
        {
            signature.Add(x.IsArray ? $"{SpanOf} {names.Gradient[x.Name]}" : $"out double {names.Gradient[x.Name]}");
        }

        MethodEmitter.Summary(w, model, $"The value of {Cref(model)} and its gradient by reverse mode: one output per differentiable parameter, in parameter order (spans are overwritten). Loops run forward, then backward.");
        MethodEmitter.Member(w, model, "double", model.Name + "Gradient", signature);
        foreach (var x in Differentiable(model).Where(x => x.IsArray))
        {
            LengthCheck(w, names.Gradient[x.Name], x.Name);
        }

        var gradient = ProcedureDerivatives.Gradient(p, n => Lookup(names.Gradient, n));
        Body(w, model, gradient, "value and gradient (forward sweep, then reverse sweep)", complex: false);
        w.Close();
    }

    private static void Tangent(CodeWriter w, MethodModel model, Procedure p, Names names)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var x in Differentiable(model))
        {
            signature.Add(x.IsArray ? $"{ReadOnlySpanOf} {names.Tangent[x.Name]}" : $"double {names.Tangent[x.Name]}");
        }

        signature.Add("out double " + names.TangentOutput);
        MethodEmitter.Summary(w, model, $"The value of {Cref(model)} and its directional derivative along the tangent inputs, by forward mode.");
        MethodEmitter.Member(w, model, "double", model.Name + "Tangent", signature);
        foreach (var x in Differentiable(model).Where(x => x.IsArray))
        {
            LengthCheck(w, names.Tangent[x.Name], x.Name);
        }

        var tangent = ProcedureDerivatives.Tangent(p, n => Lookup(names.Tangent, n), names.TangentOutput);
        Body(w, model, tangent, "value and tangent (forward mode)", complex: false);
        w.Close();
    }

    private static void HessianVector(CodeWriter w, MethodModel model, Procedure p, Names names)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var x in Differentiable(model))
        {
            signature.Add(x.IsArray ? $"{ReadOnlySpanOf} {names.Direction[x.Name]}" : $"double {names.Direction[x.Name]}");
        }

        foreach (var x in Differentiable(model))
        {
            signature.Add(x.IsArray ? $"{SpanOf} {names.Product[x.Name]}" : $"out double {names.Product[x.Name]}");
        }

        MethodEmitter.Summary(w, model, $"The value of {Cref(model)} and the Hessian-vector product H·v, by forward mode over the reverse-mode gradient: about the cost of a few gradients, whatever the dimension.");
        MethodEmitter.Member(w, model, "double", model.Name + "HessianVector", signature);
        foreach (var x in Differentiable(model).Where(x => x.IsArray))
        {
            LengthCheck(w, names.Direction[x.Name], x.Name);
            LengthCheck(w, names.Product[x.Name], x.Name);
        }

        var gradient = ProcedureDerivatives.Gradient(p, n => Lookup(names.HessianGradient, n));
        var product = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in Differentiable(model))
        {
            product[names.HessianGradient[x.Name]] = names.Product[x.Name];
        }

        var hvp = ProcedureDerivatives.Tangent(gradient, n => names.Direction.TryGetValue(n, out var v) ? v : Lookup(product, n), names.Directional);

        // The gradient is scratch: locals of the product, not parameters.
        var g = hvp.Graph;
        var scratch = new HashSet<string>(names.HessianGradient.Values, StringComparer.Ordinal) { names.Directional };
        var declarations = new List<Statement>();
        foreach (var x in Differentiable(model))
        {
            string d = names.HessianGradient[x.Name];
            declarations.Add(x.IsArray ? new Declare(d, ValueKind.Array, Length: g.Var(x.Name + ".Length")) : new Declare(d, ValueKind.Real, g.Zero));
        }

        var parameters = hvp.Parameters.Where(x => !scratch.Contains(x.Name)).ToList();
        foreach (var x in Differentiable(model))
        {
            // a product block that does not depend on the inputs is not an output of the tangent procedure: it is zero
            string hv = names.Product[x.Name];
            if (!parameters.Any(q => q.Name == hv))
            {
                w.Line(x.IsArray ? $"{hv}.Clear();" : $"{hv} = 0.0;");
            }
        }

        // g·v, the tangent of the value, is not an output of the product: its assignments go.
        var statements = hvp.Body.Statements.Where(s => !(s is Assign a && a.Target == names.Directional));
        var body = new Procedure(hvp.Name, parameters, new Block(declarations.Concat(statements)), g);
        Body(w, model, body, "value, gradient and Hessian-vector product (forward over reverse)", complex: false);
        w.Close();
    }

    private static void Hessian(CodeWriter w, MethodModel model, Names names)
    {
        var signature = Parameters(model, complex: false).ToList();
        signature.Add($"{SpanOf} {names.GradientSpan}");
        signature.Add($"{SpanOf} {names.HessianSpan}");
        MethodEmitter.Summary(w, model, $"The value of {Cref(model)}, its gradient and its dense row-major n×n Hessian over the differentiable inputs flattened in parameter order; row k is the Hessian-vector product with the k-th unit vector.");
        MethodEmitter.Member(w, model, "double", model.Name + "Hessian", signature);
        var local = new NameBuilder(model.Parameters.Select(x => x.Name).Append(names.GradientSpan).Append(names.HessianSpan));
        var differentiable = Differentiable(model).ToList();
        string count = local.Unique("count");
        var offsets = new List<string>();
        var size = new StringBuilder();
        int scalars = 0;
        var spans = new List<string>();
        foreach (var x in differentiable)
        {
            offsets.Add(Offset(scalars, spans));
            if (x.IsArray)
            {
                spans.Add(OutputNames.Escape(x.Name) + ".Length");
            }
            else
            {
                scalars++;
            }
        }

        w.Line(MethodEmitter.Lines(model) + ": value, gradient and Hessian of " + model.Name + " (one Hessian-vector product per row)");
        w.Line($"int {count} = {Offset(scalars, spans)};");
        w.Line($"if ({names.GradientSpan}.Length != {count})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The gradient span must have one element per differentiable input (\" + {count} + \").\", nameof({names.GradientSpan}));");
        w.Close();
        w.Line();
        w.Line($"if ({names.HessianSpan}.Length != {count} * {count})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The Hessian span must have n×n elements, row-major (n = \" + {count} + \").\", nameof({names.HessianSpan}));");
        w.Close();
        w.Line();

        // value and gradient
        var gradientArgs = model.Parameters.Select(x => OutputNames.Escape(x.Name)).ToList();
        var copies = new List<string>();
        for (int k = 0; k < differentiable.Count; k++)
        {
            var x = differentiable[k];
            if (x.IsArray)
            {
                gradientArgs.Add($"{names.GradientSpan}.Slice({offsets[k]}, {OutputNames.Escape(x.Name)}.Length)");
            }
            else
            {
                string d = local.Unique("d" + x.Name);
                gradientArgs.Add("out double " + d);
                copies.Add($"{names.GradientSpan}[{offsets[k]}] = {d};");
            }
        }

        string value = local.Unique("value");
        w.Line($"double {value} = {model.Name}Gradient({string.Join(", ", gradientArgs)});");
        foreach (var c in copies)
        {
            w.Line(c);
        }

        // unit directions, allocation-free: the stack when short, the pool when long
        var rented = new List<string>();
        var directions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in differentiable)
        {
            string v = local.Unique("v" + x.Name);
            directions[x.Name] = v;
            if (x.IsArray)
            {
                string r = local.Unique("rented_" + x.Name);
                rented.Add(r);
                w.Line($"double[]? {r} = null;");
                w.Line($"{SpanOf} {v} = {OutputNames.Escape(x.Name)}.Length <= {ProcedurePrinter.StackallocLimit} ? stackalloc double[{OutputNames.Escape(x.Name)}.Length] : new {SpanOf}({r} = global::System.Buffers.ArrayPool<double>.Shared.Rent({OutputNames.Escape(x.Name)}.Length), 0, {OutputNames.Escape(x.Name)}.Length);");
                w.Line($"{v}.Clear();");
            }
            else
            {
                w.Line($"double {v} = 0.0;");
            }
        }

        string row = local.Unique("row");
        w.Line($"int {row} = 0;");
        for (int k = 0; k < differentiable.Count; k++)
        {
            var x = differentiable[k];
            string v = directions[x.Name];
            var args = model.Parameters.Select(q => OutputNames.Escape(q.Name)).ToList();
            args.AddRange(differentiable.Select(q => directions[q.Name]));
            var stores = new List<string>();
            for (int j = 0; j < differentiable.Count; j++)
            {
                var y = differentiable[j];
                if (y.IsArray)
                {
                    args.Add($"{names.HessianSpan}.Slice({row} * {count} + {offsets[j]}, {OutputNames.Escape(y.Name)}.Length)");
                }
                else
                {
                    string h = local.Unique("h" + y.Name);
                    args.Add("out double " + h);
                    stores.Add($"{names.HessianSpan}[{row} * {count} + {offsets[j]}] = {h};");
                }
            }

            string call = $"{model.Name}HessianVector({string.Join(", ", args)});";
            if (x.IsArray)
            {
                string j = local.Unique("j");
                w.Line($"for (int {j} = 0; {j} < {OutputNames.Escape(x.Name)}.Length; {j}++)");
                w.Open();
                w.Line($"{v}[{j}] = 1.0;");
                w.Line(call);
                foreach (var store in stores)
                {
                    w.Line(store);
                }

                w.Line($"{v}[{j}] = 0.0;");
                w.Line($"{row}++;");
                w.Close();
            }
            else
            {
                w.Line($"{v} = 1.0;");
                w.Line(call);
                foreach (var store in stores)
                {
                    w.Line(store);
                }

                w.Line($"{v} = 0.0;");
                w.Line($"{row}++;");
            }
        }

        foreach (var r in rented)
        {
            w.Line($"if ({r} is not null) global::System.Buffers.ArrayPool<double>.Shared.Return({r});");
        }

        w.Line($"return {value};");
        w.Close();
    }

    private static string Offset(int scalars, List<string> spans)
    {
        var terms = new List<string>();
        if (scalars > 0 || spans.Count == 0)
        {
            terms.Add(scalars.ToString(CultureInfo.InvariantCulture));
        }

        terms.AddRange(spans);
        return string.Join(" + ", terms);
    }

    private static void ComplexOverload(CodeWriter w, MethodModel model, Procedure p)
    {
        MethodEmitter.Summary(w, model, $"{Cref(model)} evaluated over complex numbers, for complex-step derivative checks: Im f(x + ih)/h ≈ ∂f/∂x for h = 1e-20. Differentiable span and array parameters become ReadOnlySpan<Complex>; [NoDiff] data stays real.".Replace("<Complex>", "&lt;Complex&gt;"));
        MethodEmitter.Member(w, model, Complex, OutputNames.Escape(model.Name), Parameters(model, complex: true));
        Body(w, model, p, "value over complex numbers", complex: true);
        w.Close();
    }

    // ---- pieces -------------------------------------------------------------------------------

    /// <summary>The generated name of <paramref name="name"/>; the derivative builders also ask for names of constants, which stay unused.</summary>
    private static string Lookup(Dictionary<string, string> names, string name) =>
        names.TryGetValue(name, out var found) ? found : "_unused_" + name;

    private static IEnumerable<ParameterModel> Differentiable(MethodModel model) =>
        model.Parameters.Where(p => p.Kind == ParameterKind.Differentiable);

    private static IEnumerable<string> Parameters(MethodModel model, bool complex) =>
        model.Parameters.Select(p => Type(p, complex) + " " + OutputNames.Escape(p.Name));

    private static string Type(ParameterModel p, bool complex) => (p.Kind, p.Shape, complex) switch
    {
        (ParameterKind.Int, _, _) => "int",
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
            : p.Shape switch { ParameterShape.Span => "global::System.ReadOnlySpan{double}", ParameterShape.Array => "double[]", _ => "double" });
        return $"<see cref=\"{OutputNames.Escape(model.Name)}({string.Join(", ", types)})\"/>";
    }

    private static void LengthCheck(CodeWriter w, string span, string input)
    {
        w.Line($"if ({OutputNames.Escape(span)}.Length != {OutputNames.Escape(input)}.Length)");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The span '{span}' must have the length of '{input}'.\", nameof({OutputNames.Escape(span)}));");
        w.Close();
        w.Line();
    }

    private static void Body(CodeWriter w, MethodModel model, Procedure p, string what, bool complex)
    {
        w.Line(MethodEmitter.Lines(model) + ": " + what + " of " + model.Name + ", loops kept as loops");
        var reserved = new NameBuilder(p.Parameters.Select(x => x.Name));
        var printer = new ProcedurePrinter(p, reserved, complex) { Indent = w.Indent, ConstantArraysStayReal = true };
        w.Buffer.Append(printer.PrintBody());
    }
}
