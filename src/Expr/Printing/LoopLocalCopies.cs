using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Finds the real locals an innermost loop reads but never writes, which the printer copies into
/// loop-local variables before the loop. A local of a reverse sweep lives across the whole method
/// and across the value stack's calls; the JIT then keeps it in memory, and an innermost loop that
/// reads it loads it (and stores it back) every trip: llsq's reverse Horner loop ran 2.2× slower for
/// its <c>t</c>. A copy declared next to the loop lives only where no call is, so it stays in a register.
/// A local declared in the loop's own block is short-lived already, and a parameter is the caller's: both are read as they are.
/// </summary>
internal static class LoopLocalCopies
{
    /// <summary>
    /// The names to copy for <paramref name="loop"/>, in a fixed order; empty unless the loop is
    /// innermost, saves and restores nothing and calls no layer: all of these call out of the loop.
    /// </summary>
    public static IReadOnlyList<string> Find(For loop, Procedure procedure, ISet<string> declaredBeside)
    {
        bool nestedOrStacked = false;
        ProcedureAnalysis.Visit(loop.Body, s => nestedOrStacked |= s is For or While or Push or Pop or PopStore or Invoke or InvokeVjp or InvokeJvp);
        var reads = new HashSet<string>(StringComparer.Ordinal);
        var writes = new HashSet<string>(StringComparer.Ordinal);
        if (nestedOrStacked || !ProcedureAnalysis.Collect(loop.Body, writes, reads))
        {
            return Array.Empty<string>();
        }

        var parameters = new HashSet<string>(procedure.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        var copies = new List<string>();
        foreach (var name in reads.OrderBy(n => n, StringComparer.Ordinal))
        {
            if (!writes.Contains(name) && !declaredBeside.Contains(name) && !parameters.Contains(name)
                && procedure.Kinds.TryGetValue(name, out var kind) && kind == ValueKind.Real)
            {
                copies.Add(name);
            }
        }

        return copies;
    }
}
