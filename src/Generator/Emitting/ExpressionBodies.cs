using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Models;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// Member bodies of a loop-free method: the derivatives are DAGs from DiffGen.Expr, and each body is
/// printed by one <see cref="CSharpEmitter"/> in one pass, so the derivative statements reuse the
/// value's temporaries (an exponential is computed once). The model's DAG is imported into a fresh
/// graph per member: the cached model is never modified.
/// </summary>
internal sealed class ExpressionBodies : MemberBodies
{
    private const string Complex = "global::System.Numerics.Complex";

    // Variables of the derivative graphs that stand for generated parameters, apart from the source's.
    private const string TangentPrefix = "tangent:";
    private const string DirectionPrefix = "direction:";

    private readonly MethodBody.Expression _body;

    public ExpressionBodies(MethodModel model, MethodBody.Expression body, GeneratedNames names)
        : base(model, names) => _body = body;

    public override bool HasHessianVector => _body.SecondOrder is not null;

    public override void Gradient(CodeWriter w)
    {
        var (_, f, wrt) = Import(_body.Value);
        var names = Temporaries();
        string value = names.Unique("value");
        var gradient = Derivatives.Gradient(f, wrt);
        var assignments = new List<Assignment> { new(value, f, declare: true, comment: "value") };
        var outputs = MethodEmitter.Differentiable(Model).Select(p => CSharpNames.Escape(Names.Gradient[p.Name])).ToList();
        for (int i = 0; i < gradient.Length; i++)
        {
            assignments.Add(new Assignment(outputs[i], gradient[i], comment: i == 0 ? "gradient (reverse mode)" : null));
        }

        Print(w, names, assignments, complex: false, "value and gradient");
        w.Line("return " + value + ";");
    }

    public override void Tangent(CodeWriter w)
    {
        var (g, f, wrt) = Import(_body.Value);
        var tangents = Inputs(g, TangentPrefix, Names.Tangent, out var tangentNames);
        var names = Temporaries();
        string value = names.Unique("value");
        var assignments = new List<Assignment>
        {
            new(value, f, declare: true, comment: "value"),
            new(CSharpNames.Escape(Names.TangentOutput), Derivatives.Tangent(f, wrt, tangents), comment: "directional derivative (forward mode)"),
        };
        Print(w, names, assignments, complex: false, "value and tangent", tangentNames);
        w.Line("return " + value + ";");
    }

    public override void HessianVector(CodeWriter w)
    {
        var (g, f, wrt) = Import(_body.SecondOrder!);
        var directions = Inputs(g, DirectionPrefix, Names.Direction, out var directionNames);
        var names = Temporaries();
        string value = names.Unique("value");
        var product = Derivatives.HessianVector(f, wrt, directions.Select(v => v!).ToList());
        var assignments = new List<Assignment> { new(value, f, declare: true, comment: "value") };
        var outputs = MethodEmitter.Differentiable(Model).Select(p => CSharpNames.Escape(Names.Product[p.Name])).ToList();
        for (int i = 0; i < product.Length; i++)
        {
            assignments.Add(new Assignment(outputs[i], product[i], comment: i == 0 ? "Hessian-vector product (forward over reverse)" : null));
        }

        Print(w, names, assignments, complex: false, "value and Hessian-vector product", directionNames);
        w.Line("return " + value + ";");
    }

    public override void Hessian(CodeWriter w, string count, NameBuilder locals)
    {
        var (_, f, wrt) = Import(_body.SecondOrder ?? _body.Value);
        string gradientName = CSharpNames.Escape(Names.GradientSpan);
        string hessianName = CSharpNames.Escape(Names.HessianSpan);
        int n = wrt.Count;
        string value = locals.Unique("value");
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

        Print(w, locals, assignments, complex: false, "value, gradient and Hessian");
        w.Line("return " + value + ";");
    }

    public override void ComplexValue(CodeWriter w)
    {
        var (_, f, _) = Import(_body.Value);
        var names = Temporaries();
        string value = names.Unique("value");
        Print(w, names, new[] { new Assignment(value, f, declare: true, comment: "value") }, complex: true, "value over complex numbers");
        w.Line("return " + value + ";");
    }

    // ---- pieces -------------------------------------------------------------------------------

    /// <summary>Copies <paramref name="value"/> into a fresh graph (the model's own graph is never modified).</summary>
    private (Graph G, Node F, List<Node> Wrt) Import(Node value)
    {
        var g = new Graph(simplify: true) { FoldsInSingle = Model.Single };
        foreach (var p in Model.Parameters)
        {
            g.Var(p.Name);
        }

        var f = g.Import(value);
        var wrt = MethodEmitter.Differentiable(Model).Select(p => g.Var(p.Name)).ToList();
        return (g, f, wrt);
    }

    /// <summary>One variable per differentiable parameter for a generated input (a tangent, a direction), and its C# name.</summary>
    private List<Node?> Inputs(Graph g, string prefix, Dictionary<string, string> generated, out Dictionary<string, string> printedNames)
    {
        var inputs = new List<Node?>();
        printedNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in MethodEmitter.Differentiable(Model))
        {
            inputs.Add(g.Var(prefix + p.Name));
            printedNames[prefix + p.Name] = CSharpNames.Escape(generated[p.Name]);
        }

        return inputs;
    }

    /// <summary>Temporaries avoid the source's parameters and every generated name.</summary>
    private NameBuilder Temporaries() => new(Names.Taken);

    private void Print(CodeWriter w, NameBuilder names, IReadOnlyList<Assignment> assignments, bool complex, string what,
        Dictionary<string, string>? generatedInputs = null)
    {
        var kinds = Model.Parameters.ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal);
        string VariableName(Node v)
        {
            string name = v.Name!;
            if (name.StartsWith(ExpressionLowerer.FieldPrefix, StringComparison.Ordinal))
            {
                string text = name.Substring(ExpressionLowerer.FieldPrefix.Length);
                return complex ? $"(({Complex}){text})" : text;
            }

            if (generatedInputs is not null && generatedInputs.TryGetValue(name, out var generated))
            {
                return generated;
            }

            string identifier = CSharpNames.Escape(name);
            // The DAG computes in the method's precision: an int parameter is cast so that C# never does int
            // division or overflows int where the source computed in double or float ((double)a / b); in the
            // complex overload the cast also lets comparisons take .Real.
            if (kinds.TryGetValue(name, out var kind) && kind == ParameterKind.Int)
            {
                return complex ? $"(({Complex}){identifier})" : $"(({MethodEmitter.Real(Model)}){identifier})";
            }

            return identifier;
        }

        w.Line(MethodEmitter.SourceComment(Model, what));
        var emitter = new CSharpEmitter(VariableName, names, complex) { Indent = w.Indent, IsSingle = Model.Single };
        emitter.Emit(w.Buffer, assignments);
    }
}
