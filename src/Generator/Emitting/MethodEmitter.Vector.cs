using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// The members of a vector-output method <c>void F(…inputs…, Span&lt;double&gt; y)</c>, in place of the
/// scalar ones (a void method has no gradient, and a vector no Hessian):
/// <list type="table">
/// <item><term><c>void FJacobian(…, Span&lt;double&gt; y, Span&lt;double&gt; jacobian)</c></term><description>dense row-major,
/// rows = outputs, columns = differentiable inputs flattened in parameter order; forward or reverse mode by shape.</description></item>
/// <item><term><c>void FVjp(…, ReadOnlySpan&lt;double&gt; ybar, Span&lt;double&gt; dx / out double ds …)</c></term><description>x̄ = Jᵀȳ, reverse mode.</description></item>
/// <item><term><c>void FJvp(…, ReadOnlySpan&lt;double&gt; tx / double ts …, Span&lt;double&gt; ty)</c></term><description>ẏ = J ẋ, forward mode.</description></item>
/// </list>
/// Each also writes the values into <c>y</c>. The complex overload is the scalar methods' one, returning void.
/// </summary>
internal static partial class MethodEmitter
{
    /// <summary>The output span of a vector-output method, or null.</summary>
    internal static ParameterModel? VectorOutput(MethodModel model) => model.Parameters.FirstOrDefault(p => p.Kind == ParameterKind.Output);

    private static void VectorMembers(CodeWriter w, MethodModel model, GeneratedNames names, ProcedureBodies bodies, ParameterModel output)
    {
        Jacobian(w, model, names, output);
        w.Line();
        VectorJacobianProduct(w, model, names, bodies, output);
        w.Line();
        JacobianVectorProduct(w, model, names, bodies, output);
    }

    private static void VectorJacobianProduct(CodeWriter w, MethodModel model, GeneratedNames names, ProcedureBodies bodies, ParameterModel output)
    {
        var signature = Parameters(model, complex: false).ToList();
        signature.Add(InPrecision(model, ReadOnlySpanOf) + " " + CSharpNames.Escape(names.Seed));
        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, SpanOf) + " " : $"out {Real(model)} ") + CSharpNames.Escape(names.Gradient[p.Name]));
        }

        Summary(w, $"Writes {Cref(model)}'s values into {Ref(output)} and the vector-Jacobian product x̄ = Jᵀ{Ref(names.Seed)} by reverse mode (one forward and one reverse sweep): one output per differentiable parameter, in parameter order, overwritten.");
        Member(w, model, model.Name + "Vjp", signature, "void");
        LengthCheck(w, names.Seed, output.Name);
        foreach (var p in Differentiable(model).Where(p => p.IsArray))
        {
            LengthCheck(w, names.Gradient[p.Name], p.Name);
        }

        bodies.VectorJacobianProduct(w, output.Name);
        w.Close();
    }

    private static void JacobianVectorProduct(CodeWriter w, MethodModel model, GeneratedNames names, ProcedureBodies bodies, ParameterModel output)
    {
        var signature = Parameters(model, complex: false).ToList();
        foreach (var p in Differentiable(model))
        {
            signature.Add((p.IsArray ? InPrecision(model, ReadOnlySpanOf) + " " : Real(model) + " ") + CSharpNames.Escape(names.Tangent[p.Name]));
        }

        signature.Add(InPrecision(model, SpanOf) + " " + CSharpNames.Escape(names.OutputTangent));
        Summary(w, $"Writes {Cref(model)}'s values into {Ref(output)} and the Jacobian-vector product {Ref(names.OutputTangent)} = J ẋ along the tangent inputs, by forward mode.");
        Member(w, model, model.Name + "Jvp", signature, "void");
        foreach (var p in Differentiable(model).Where(p => p.IsArray))
        {
            LengthCheck(w, names.Tangent[p.Name], p.Name);
        }

        LengthCheck(w, names.OutputTangent, output.Name);
        w.Line("// an element the method does not write has no tangent");
        w.Line(CSharpNames.Escape(names.OutputTangent) + ".Clear();");
        bodies.JacobianVectorProduct(w, output.Name);
        w.Close();
    }

    private static void Jacobian(CodeWriter w, MethodModel model, GeneratedNames names, ParameterModel output)
    {
        string jacobian = CSharpNames.Escape(names.JacobianSpan);
        string y = CSharpNames.Escape(output.Name);
        var differentiable = Differentiable(model).ToList();
        var signature = Parameters(model, complex: false).ToList();
        signature.Add($"{InPrecision(model, SpanOf)} {jacobian}");
        Summary(w, $"Writes {Cref(model)}'s values into {Ref(output)} and its dense row-major Jacobian: one row per element of {Ref(output)}, one column per differentiable input"
            + (HasArrays(model) ? ", spans flattened in parameter order" : "")
            + ". Forward mode (one Jacobian-vector product per input column) when there are fewer inputs than outputs, else reverse mode (one vector-Jacobian product per output row).");
        Member(w, model, model.Name + "Jacobian", signature, "void");

        var locals = new NameBuilder(model.Parameters.Select(p => p.Name).Append(names.JacobianSpan));
        string inputs = locals.Unique("inputs");
        string outputs = locals.Unique("outputs");
        w.Line($"int {inputs} = {HessianOffset(model, differentiable.Count)};");
        w.Line($"int {outputs} = {y}.Length;");
        w.Line($"if ({jacobian}.Length != {outputs} * {inputs})");
        w.Open();
        w.Line($"throw new global::System.ArgumentException(\"The Jacobian span must have {output.Name}.Length × n elements, row-major (n = \" + {inputs} + \" differentiable inputs).\", nameof({jacobian}));");
        w.Close();
        w.Line();

        var arguments = model.Parameters.Select(p => CSharpNames.Escape(p.Name)).ToList();
        w.Line(SourceComment(model, "values and Jacobian"));
        w.Line($"if ({inputs} == 0 || {outputs} == 0)");
        w.Open();
        w.Line($"{CSharpNames.Escape(model.Name)}({string.Join(", ", arguments)});");
        w.Line("return;");
        w.Close();
        w.Line();
        if (differentiable.Count > 0)
        {
            ForwardColumns(w, model, differentiable, locals, inputs, outputs, jacobian);
            w.Line();
        }

        ReverseRows(w, model, names, differentiable, locals, inputs, outputs, jacobian);
        w.Close();
    }

    /// <summary>Fewer inputs than outputs: column k of the Jacobian is the Jacobian-vector product along the k-th unit input.</summary>
    private static void ForwardColumns(CodeWriter w, MethodModel model, List<ParameterModel> differentiable, NameBuilder locals, string inputs, string outputs, string jacobian)
    {
        w.Line($"if ({inputs} < {outputs})");
        w.Open();
        w.Line("// forward mode: one Jacobian-vector product per input column");
        var rented = new List<string>();
        var directions = new Dictionary<string, string>();
        foreach (var x in differentiable)
        {
            string v = locals.Unique("t" + x.Name);
            directions[x.Name] = v;
            if (x.IsArray)
            {
                rented.Add(StackOrPool(w, model, locals, v, CSharpNames.Escape(x.Name) + ".Length"));
            }
            else
            {
                w.Line($"{Real(model)} {v} = {Literal(model, 0)};");
            }
        }

        string column = locals.Unique("column");
        rented.Add(StackOrPool(w, model, locals, column, outputs));
        string col = locals.Unique("col");
        string i = locals.Unique("i");
        w.Line($"int {col} = 0;");
        var arguments = model.Parameters.Select(p => CSharpNames.Escape(p.Name)).Concat(differentiable.Select(p => directions[p.Name])).Append(column);
        string call = $"{model.Name}Jvp({string.Join(", ", arguments)});";
        void Column(string direction)
        {
            w.Line($"{direction} = {Literal(model, 1)};");
            w.Line(call);
            w.Line($"for (int {i} = 0; {i} < {outputs}; {i}++)");
            w.Open();
            w.Line($"{jacobian}[{i} * {inputs} + {col}] = {column}[{i}];");
            w.Close();
            w.Line($"{direction} = {Literal(model, 0)};");
            w.Line($"{col}++;");
        }

        foreach (var x in differentiable)
        {
            if (x.IsArray)
            {
                string j = locals.Unique("j");
                w.Line($"for (int {j} = 0; {j} < {CSharpNames.Escape(x.Name)}.Length; {j}++)");
                w.Open();
                Column($"{directions[x.Name]}[{j}]");
                w.Close();
            }
            else
            {
                Column(directions[x.Name]);
            }
        }

        ReturnToPool(w, model, rented);
        w.Line("return;");
        w.Close();
    }

    /// <summary>As many inputs as outputs or more: row r of the Jacobian is the vector-Jacobian product of the r-th unit output.</summary>
    private static void ReverseRows(CodeWriter w, MethodModel model, GeneratedNames names, List<ParameterModel> differentiable, NameBuilder locals, string inputs, string outputs, string jacobian)
    {
        w.Line("// reverse mode: one vector-Jacobian product per output row");
        string seed = locals.Unique(names.Seed);
        var rented = new List<string> { StackOrPool(w, model, locals, seed, outputs) };
        string row = locals.Unique("row");
        var arguments = model.Parameters.Select(p => CSharpNames.Escape(p.Name)).Append(seed).ToList();
        var stores = new List<string>();
        for (int k = 0; k < differentiable.Count; k++)
        {
            var x = differentiable[k];
            string at = HessianOffset(model, k);
            string start = at == "0" ? $"{row} * {inputs}" : $"{row} * {inputs} + {at}";
            if (x.IsArray)
            {
                arguments.Add($"{jacobian}.Slice({start}, {CSharpNames.Escape(x.Name)}.Length)");
            }
            else
            {
                string d = locals.Unique("d" + x.Name);
                arguments.Add($"out {Real(model)} " + d);
                stores.Add($"{jacobian}[{start}] = {d};");
            }
        }

        w.Line($"for (int {row} = 0; {row} < {outputs}; {row}++)");
        w.Open();
        w.Line($"{seed}[{row}] = {Literal(model, 1)};");
        w.Line($"{model.Name}Vjp({string.Join(", ", arguments)});");
        foreach (var store in stores)
        {
            w.Line(store);
        }

        w.Line($"{seed}[{row}] = {Literal(model, 0)};");
        w.Close();
        ReturnToPool(w, model, rented);
    }

    /// <summary>A zeroed scratch span of <paramref name="length"/> reals (double, or float for a float method): on the stack when short, from the pool when long; returns the rented array's local.</summary>
    private static string StackOrPool(CodeWriter w, MethodModel model, NameBuilder locals, string span, string length)
    {
        string rented = locals.Unique("rented_" + span);
        w.Line(InPrecision(model, $"double[]? {rented} = null;"));
        w.Line(InPrecision(model, $"{SpanOf} {span} = {length} <= {ProcedurePrinter.StackallocLimit} ? stackalloc double[{length}] : new {SpanOf}({rented} = {ScratchArrays.Rent("double", length)}, 0, {length});"));
        w.Line($"{span}.Clear();");
        return rented;
    }

    private static void ReturnToPool(CodeWriter w, MethodModel model, List<string> rented)
    {
        foreach (var r in rented)
        {
            w.Line($"if ({r} is not null) {ScratchArrays.Return(r)}");
        }
    }

    private static string Ref(ParameterModel p) => Ref(p.Name);

    private static string Ref(string name) => $"<paramref name=\"{name}\"/>";
}
