using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Values cheap to recompute in the reverse sweep: a few additions, multiplications and loads, and costly values
/// that read only names the procedure never writes (e^(−s) of a scalar parameter s), which
/// <see cref="SharedValues"/> computes once before the loops — as Enzyme's and Tapenade's cache-or-recompute
/// choice counts them.
/// </summary>
internal sealed partial class SaveAnalysis
{
    private HashSet<string>? _counters;

    private bool IsCheapToRecompute(Node e)
    {
        var nodes = Traversal.TopologicalOrder(e);
        return nodes.Count <= MaxRecomputedNodes && nodes.TrueForAll(n => IsCheapOp(n.Op) || SharedValues.IsInvariant(n, IsWritten));
    }

    /// <summary>True when a statement assigns <paramref name="name"/> or a loop counts with it.</summary>
    private bool IsWritten(string name)
    {
        if (_counters is null)
        {
            _counters = new HashSet<string>(StringComparer.Ordinal);
            ProcedureAnalysis.Visit(_p.Body, s =>
            {
                if (s is For f)
                {
                    _counters.Add(f.Counter);
                }
            });
        }

        return !_neverAssigned.Contains(name) || _counters.Contains(name);
    }
}
