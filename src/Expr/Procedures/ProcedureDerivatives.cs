using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Differentiates procedures with loops, keeping loops as loops (the code grows with the source, not
/// with the trip count). Reverse mode is <see cref="ReverseSweep"/> over the decisions of
/// <see cref="SaveAnalysis"/>; forward mode is <see cref="ForwardSweep"/>. Both drop the derivative terms
/// of values that cannot reach the result (<see cref="UsefulAnalysis"/>); the printer drops the locals nothing reads
/// (<see cref="UnreadLocals"/>); reverse sweeps are then cleaned up as a person would (<see cref="AdjointSimplification"/>). A procedure is differentiated in a copy over a graph of its own: the
/// procedure passed in, and its graph, are never changed (a cached model may be read by several threads).
/// </summary>
internal static partial class ProcedureDerivatives
{
    /// <summary>
    /// The gradient procedure: the original parameters, then for every differentiable parameter an output
    /// named by <paramref name="outputName"/> (an out scalar or a span of the same length, overwritten).
    /// It returns the original value. <paramref name="scratchOutputs"/>: the outputs are a Hessian-vector product's
    /// scratch, so no value is cached in them (<see cref="ElementCache"/>).
    /// </summary>
    public static Procedure Gradient(Procedure procedure, Func<string, string> outputName, bool scratchOutputs = false) =>
        AdjointSimplification.Apply(ReverseFusion.Apply(new ReverseSweep(
            LogSumExpShift.Apply((procedure ?? throw new ArgumentNullException(nameof(procedure))).CopyToNewGraph()),
            outputName ?? throw new ArgumentNullException(nameof(outputName)), cacheElements: !scratchOutputs).Build()), cacheElements: !scratchOutputs);

    /// <summary>
    /// The tangent procedure: the original parameters, a tangent input per differentiable parameter
    /// (named by <paramref name="tangentName"/>) and the output <paramref name="outputTangent"/>; it
    /// returns the value. Outputs of <paramref name="procedure"/> get tangent outputs named
    /// <paramref name="tangentName"/> of their name.
    /// </summary>
    public static Procedure Tangent(Procedure procedure, Func<string, string> tangentName, string outputTangent = "tangent") =>
        SharedValues.Apply(new ForwardSweep(
            (procedure ?? throw new ArgumentNullException(nameof(procedure))).CopyToNewGraph(),
            tangentName ?? throw new ArgumentNullException(nameof(tangentName)),
            outputTangent).Build());

    /// <summary>The leaves of <paramref name="e"/> whose names are active, with ∂e/∂leaf.</summary>
    internal static List<(Node Input, Node Partial)> Linearize(Node e, ISet<string> active)
    {
        var inputs = Traversal.TopologicalOrder(e)
            .Where(n => n.Op is Op.Var or Op.Load && active.Contains(n.Name!))
            .ToList();
        var result = new List<(Node, Node)>(inputs.Count);
        if (inputs.Count == 0)
        {
            return result;
        }

        var partials = Derivatives.Gradient(e, inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!partials[i].IsConstantValue(0.0))
            {
                result.Add((inputs[i], partials[i]));
            }
        }

        return result;
    }
}
