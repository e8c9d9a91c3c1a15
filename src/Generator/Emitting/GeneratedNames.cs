using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// The names of the generated members' own parameters, by the rule of <see cref="OutputNames"/>, one
/// picker per member: <c>dp</c> (gradient), <c>tp</c> and <c>tangent</c> (tangent), <c>vp</c> and
/// <c>hvp</c> (Hessian-vector product), <c>gradient</c> and <c>hessian</c> (Hessian). Unescaped: a
/// keyword-named parameter <c>@in</c> gives <c>din</c>, and signatures escape what needs it.
/// </summary>
internal sealed class GeneratedNames
{
    public GeneratedNames(IReadOnlyList<ParameterModel> parameters)
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

        // The loop path's gradient inside the Hessian-vector product is local: named like the gradient's outputs, free of the above.
        foreach (var p in differentiable)
        {
            HessianGradient[p.Name] = hvp.Pick("d" + p.Name);
        }

        Directional = hvp.Pick("gradientDotV");

        var hessian = new OutputNames(all);
        GradientSpan = hessian.Pick("gradient");
        HessianSpan = hessian.Pick("hessian");

        // A vector-output method's seed ȳ (beside the gradient's names), output tangent ẏ (beside the tangents) and Jacobian.
        var output = parameters.FirstOrDefault(p => p.Kind == ParameterKind.Output);
        var vector = new List<string>();
        if (output is not null)
        {
            Seed = new OutputNames(all.Concat(Gradient.Values)).Pick(output.Name + "bar");
            OutputTangent = tangent.Pick("t" + output.Name);
            JacobianSpan = new OutputNames(all).Pick("jacobian");
            vector.AddRange(new[] { Seed, OutputTangent, JacobianSpan });
        }

        Taken = new HashSet<string>(all.Concat(Gradient.Values).Concat(Tangent.Values).Concat(Direction.Values).Concat(Product.Values)
            .Concat(HessianGradient.Values).Concat(new[] { TangentOutput, Directional, GradientSpan, HessianSpan }).Concat(vector), StringComparer.Ordinal);
    }

    /// <summary>Every name a generated member gives its parameters (outputs, tangents, directions); the source's locals avoid them.</summary>
    public static IEnumerable<string> Reserved(IReadOnlyList<ParameterModel> parameters)
    {
        var names = new GeneratedNames(parameters);
        return names.Taken.Except(parameters.Select(p => p.Name));
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
    public string Seed { get; } = "";
    public string OutputTangent { get; } = "";
    public string JacobianSpan { get; } = "";

    /// <summary>The source's parameters and every generated name: temporaries in the bodies avoid them all.</summary>
    public HashSet<string> Taken { get; }
}
