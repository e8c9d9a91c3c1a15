using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Generator.Emitting;

/// <summary>The bodies of a vector-output method's products: the reverse sweep seeded with ȳ, and the forward sweep writing ẏ.</summary>
internal sealed partial class ProcedureBodies
{
    /// <summary>x̄ = Jᵀȳ: the outputs' adjoints start at the seed, the inputs' adjoints are the gradient outputs.</summary>
    public void VectorJacobianProduct(CodeWriter w, string output)
    {
        string seed = Names.Seed;
        var vjp = ProcedureDerivatives.VectorJacobianProduct(_procedure, n => Lookup(Names.Gradient, n), n => n == output ? seed : "_unused_" + n);
        Print(w, vjp, $"values and vector-Jacobian product (forward sweep, then reverse sweep from {seed})", complex: false);
    }

    /// <summary>ẏ = J ẋ: forward mode, the output's tangent is the span <see cref="GeneratedNames.OutputTangent"/>.</summary>
    public void JacobianVectorProduct(CodeWriter w, string output)
    {
        var tangents = new Dictionary<string, string>(Names.Tangent, StringComparer.Ordinal) { [output] = Names.OutputTangent };
        var jvp = ProcedureDerivatives.Tangent(_procedure, n => Lookup(tangents, n), Names.TangentOutput);
        Print(w, jvp, "values and Jacobian-vector product (forward mode)", complex: false);
    }
}
