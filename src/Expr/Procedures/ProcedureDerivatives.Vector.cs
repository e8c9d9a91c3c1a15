using System;

namespace DiffGen.Expr;

/// <summary>Vector-output procedures: procedures without a return that fill output arrays (<see cref="Parameter.IsOutput"/>).</summary>
internal static partial class ProcedureDerivatives
{
    /// <summary>
    /// The vector-Jacobian product x̄ = Jᵀȳ of a procedure that fills output arrays: the original parameters, a
    /// read-only seed ȳ per output array (named by <paramref name="seedName"/>, of the output's length), then the
    /// adjoint outputs named by <paramref name="outputName"/> as in <see cref="Gradient"/> (overwritten). The
    /// reverse sweep starts each output's adjoint at its seed where a scalar procedure's starts at 1. The forward
    /// mode of such a procedure is <see cref="Tangent"/>: each output array gets a tangent output array. Its adjoint
    /// outputs are the caller's (not scratch), so values may be kept in them (<see cref="ElementCache"/>).
    /// </summary>
    internal static Procedure VectorJacobianProduct(Procedure procedure, Func<string, string> outputName, Func<string, string> seedName) =>
        AdjointSimplification.Apply(new ReverseSweep(
            (procedure ?? throw new ArgumentNullException(nameof(procedure))).CopyToNewGraph(),
            outputName ?? throw new ArgumentNullException(nameof(outputName)),
            seedName ?? throw new ArgumentNullException(nameof(seedName)), cacheElements: true).Build(), cacheElements: true);

    /// <summary>False for a procedure without a return (a vector-output method): its derivatives return nothing either.</summary>
    internal static bool Returns(Procedure procedure)
    {
        bool returns = false;
        ProcedureAnalysis.Visit(procedure.Body, s => returns |= s is Return);
        return returns;
    }
}
