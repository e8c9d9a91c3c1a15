using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// A definition <c>t = v</c> of a real scalar, v costly (<see cref="PartialValues.IsWorthKeeping"/>), whose partials
/// need v itself (tanh′ = 1 − v², (eˣ)′ = v: the user's <c>double h = Math.Tanh(a)</c>, or a local of
/// <see cref="PartialValues"/>) reads v back from t in its reverse step, before t is restored, instead of recomputing
/// it — when v reads a real value the procedure writes (recomputing it would need that value saved; integers are
/// stepped back or recomputed) and not t. The scalar counterpart of <see cref="ReadStoredValues"/>. Where v can be ±∞
/// (eˣ), partials reading t keep their guard against a zero seed (<see cref="ZeroSeed"/>), as partials reading v had.
/// </summary>
internal sealed partial class SaveAnalysis
{
    private readonly HashSet<string> _mayBeInfinite = new(StringComparer.Ordinal);

    private void ReadDefinedValues()
    {
        foreach (var pair in _targets)
        {
            var s = pair.Key;
            var value = s switch
            {
                Assign a => a.Value,
                Declare d => d.Initial,
                _ => null,
            };
            if (value is null || !PartialValues.IsWorthKeeping(value.Op) || _dead.Contains(s) || pair.Value.Target is not { } target
                || !_p.Kinds.TryGetValue(target, out var kind) || kind != ValueKind.Real)
            {
                continue;
            }

            var reads = ProcedureAnalysis.Reads(value);
            if (reads.Contains(target) || reads.All(n => _neverAssigned.Contains(n) || _p.Kinds.TryGetValue(n, out var k) && k == ValueKind.Integer))
            {
                continue;
            }

            var defined = _g.Var(target);
            var terms = _linear[s];
            bool changed = false;
            for (int k = 0; k < terms.Count; k++)
            {
                var partial = Substitute(terms[k].Partial, value, defined);
                changed |= !ReferenceEquals(partial, terms[k].Partial);
                terms[k] = (terms[k].Input, partial);
            }

            if (changed)
            {
                if (ZeroSeed.CanBeInfinite(value))
                {
                    _mayBeInfinite.Add(target);
                }

                _readsStoredValue.Add(s);
                _reverseReads[s] = ReverseReads(s, null);
            }
        }
    }
}
