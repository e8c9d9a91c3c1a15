using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// Member bodies of a method lowered to a <see cref="Procedure"/> (span or array parameters, runtime
/// loops): derivative procedures come from <see cref="ProcedureDerivatives"/> and are printed by
/// <see cref="ProcedurePrinter"/>: loops stay loops, overwritten values needed by the reverse sweep live
/// on a pooled <c>ValueStack</c>, local arrays on the stack (≤ 512 elements) or in pooled arrays. The
/// Hessian-vector product is the tangent of the gradient procedure; the Hessian is one product per row.
/// </summary>
internal sealed partial class ProcedureBodies : MemberBodies
{
    private const string SpanOf = "global::System.Span<double>";

    /// <summary>The method's real type (a float method's members compute in float) and its literals.</summary>
    private string Real => MethodEmitter.Real(Model);

    private string SpanOfReal => MethodEmitter.InPrecision(Model, SpanOf);

    private string Zero => MethodEmitter.Literal(Model, 0);

    private string One => MethodEmitter.Literal(Model, 1);

    private readonly Procedure _procedure;

    public ProcedureBodies(MethodModel model, Procedure procedure, GeneratedNames names)
        : base(model, names)
    {
        // Differentiation adds nodes to the procedure's graph: never to the cached model's own.
        _procedure = procedure.CopyToNewGraph();
    }

    public override bool HasHessianVector => Model.Body is not MethodBody.Statements { FirstOrderOnly: true };

    public override void Gradient(CodeWriter w)
    {
        var gradient = ProcedureDerivatives.Gradient(_procedure, n => Lookup(Names.Gradient, n));
        bool reverseLoops = false;
        ProcedureAnalysis.Visit(gradient.Body, s => reverseLoops |= s is For { Backward: true });
        bool loops = false;
        ProcedureAnalysis.Visit(gradient.Body, s => loops |= s is For);
        Print(w, gradient, loops && !reverseLoops
            ? "value and gradient in one pass (each reverse loop runs inside its forward loop)"
            : "value and gradient (forward sweep, then reverse sweep)", complex: false);
    }

    public override void Tangent(CodeWriter w)
    {
        var tangent = ProcedureDerivatives.Tangent(_procedure, n => Lookup(Names.Tangent, n), Names.TangentOutput);
        Print(w, tangent, "value and tangent (forward mode)", complex: false);
    }

    public override void HessianVector(CodeWriter w)
    {
        var names = Names;
        var model = Model;
        var gradient = ProcedureDerivatives.Gradient(_procedure, n => Lookup(names.HessianGradient, n), scratchOutputs: true);
        var product = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var x in MethodEmitter.Differentiable(model))
        {
            product[names.HessianGradient[x.Name]] = names.Product[x.Name];
        }

        var hvp = ProcedureDerivatives.Tangent(gradient, n => names.Direction.TryGetValue(n, out var v) ? v : Lookup(product, n), names.Directional);

        // The gradient is scratch: locals of the product, not parameters.
        var g = hvp.Graph;
        var scratch = new HashSet<string>(names.HessianGradient.Values, StringComparer.Ordinal) { names.Directional };
        var declarations = new List<Statement>();
        foreach (var x in MethodEmitter.Differentiable(model))
        {
            string d = names.HessianGradient[x.Name];
            declarations.Add(x.IsArray ? new Declare(d, ValueKind.Array, Length: g.Var(x.Name + ".Length")) : new Declare(d, ValueKind.Real, g.Zero));
        }

        var parameters = hvp.Parameters.Where(x => !scratch.Contains(x.Name)).ToList();
        foreach (var x in MethodEmitter.Differentiable(model))
        {
            // a product block that does not depend on the inputs is not an output of the tangent procedure: it is zero
            string hv = names.Product[x.Name];
            if (!parameters.Any(q => q.Name == hv))
            {
                w.Line(x.IsArray ? $"{CSharpNames.Escape(hv)}.Clear();" : $"{CSharpNames.Escape(hv)} = {Zero};");
            }
        }

        // g·v, the tangent of the value, is not an output of the product: its assignments go.
        var statements = hvp.Body.Statements.Where(s => !(s is Assign a && a.Target == names.Directional));
        var body = new Procedure(hvp.Name, parameters, new Block(declarations.Concat(statements)), g);
        Print(w, body, "value, gradient and Hessian-vector product (forward over reverse)", complex: false);
    }

    public override void Hessian(CodeWriter w, string count, NameBuilder local)
    {
        var names = Names;
        var model = Model;
        var differentiable = MethodEmitter.Differentiable(model).ToList();
        var offsets = Enumerable.Range(0, differentiable.Count).Select(k => MethodEmitter.HessianOffset(model, k)).ToList();
        w.Line(MethodEmitter.SourceComment(model, "value, gradient and Hessian") + " (one Hessian-vector product per row)");
        // value and gradient
        var gradientArgs = model.Parameters.Select(x => CSharpNames.Escape(x.Name)).ToList();
        var copies = new List<string>();
        for (int k = 0; k < differentiable.Count; k++)
        {
            var x = differentiable[k];
            if (x.IsArray)
            {
                gradientArgs.Add($"{names.GradientSpan}.Slice({offsets[k]}, {CSharpNames.Escape(x.Name)}.Length)");
            }
            else
            {
                string d = local.Unique("d" + x.Name);
                gradientArgs.Add($"out {Real} " + d);
                copies.Add($"{names.GradientSpan}[{offsets[k]}] = {d};");
            }
        }

        string value = local.Unique("value");
        w.Line($"{Real} {value} = {model.Name}Gradient({string.Join(", ", gradientArgs)});");
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
                w.Line($"{Real}[]? {r} = null;");
                w.Line($"{SpanOfReal} {v} = {CSharpNames.Escape(x.Name)}.Length <= {ProcedurePrinter.StackallocLimit} ? stackalloc {Real}[{CSharpNames.Escape(x.Name)}.Length] : new {SpanOfReal}({r} = {ScratchArrays.Rent(Real, CSharpNames.Escape(x.Name) + ".Length")}, 0, {CSharpNames.Escape(x.Name)}.Length);");
                w.Line($"{v}.Clear();");
            }
            else
            {
                w.Line($"{Real} {v} = {Zero};");
            }
        }

        string row = local.Unique("row");
        w.Line($"int {row} = 0;");
        for (int k = 0; k < differentiable.Count; k++)
        {
            var x = differentiable[k];
            string v = directions[x.Name];
            var args = model.Parameters.Select(q => CSharpNames.Escape(q.Name)).ToList();
            args.AddRange(differentiable.Select(q => directions[q.Name]));
            var stores = new List<string>();
            for (int j = 0; j < differentiable.Count; j++)
            {
                var y = differentiable[j];
                if (y.IsArray)
                {
                    args.Add($"{names.HessianSpan}.Slice({RowStart(row, count, offsets[j])}, {CSharpNames.Escape(y.Name)}.Length)");
                }
                else
                {
                    string h = local.Unique("h" + y.Name);
                    args.Add($"out {Real} " + h);
                    stores.Add($"{names.HessianSpan}[{RowStart(row, count, offsets[j])}] = {h};");
                }
            }

            string call = $"{model.Name}HessianVector({string.Join(", ", args)});";
            if (x.IsArray)
            {
                string j = local.Unique("j");
                w.Line($"for (int {j} = 0; {j} < {CSharpNames.Escape(x.Name)}.Length; {j}++)");
                w.Open();
                w.Line($"{v}[{j}] = {One};");
                w.Line(call);
                foreach (var store in stores)
                {
                    w.Line(store);
                }

                w.Line($"{v}[{j}] = {Zero};");
                w.Line($"{row}++;");
                w.Close();
            }
            else
            {
                w.Line($"{v} = {One};");
                w.Line(call);
                foreach (var store in stores)
                {
                    w.Line(store);
                }

                w.Line($"{v} = {Zero};");
                w.Line($"{row}++;");
            }
        }

        foreach (var r in rented)
        {
            w.Line($"if ({r} is not null) {ScratchArrays.Return(r)}");
        }

        w.Line($"return {value};");
    }

    public override void ComplexValue(CodeWriter w) => Print(w, _procedure, "value over complex numbers", complex: true);

    /// <summary>Where input block <paramref name="offset"/> of Hessian row <paramref name="row"/> starts: <c>row * count + offset</c>.</summary>
    private static string RowStart(string row, string count, string offset) => offset == "0" ? $"{row} * {count}" : $"{row} * {count} + {offset}";

    /// <summary>The generated name of <paramref name="name"/>; the derivative builders also ask for names of constants, which stay unused.</summary>
    private static string Lookup(Dictionary<string, string> names, string name) =>
        names.TryGetValue(name, out var found) ? found : "_unused_" + name;

    private void Print(CodeWriter w, Procedure p, string what, bool complex)
    {
        w.Line(MethodEmitter.SourceComment(Model, what) + ", loops kept as loops");
        var reserved = new NameBuilder(p.Parameters.Select(x => x.Name));
        var printer = new ProcedurePrinter(p, reserved, complex) { Indent = w.Indent, ConstantArraysStayReal = true, IsSingle = Model.Single };
        w.Buffer.Append(printer.PrintBody());
    }
}
