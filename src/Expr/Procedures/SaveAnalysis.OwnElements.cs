using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Stores that give each iteration of their loop an element of its own (issue 11, the MLP's hidden layer:
/// <c>h1[j] = tanh(…)</c> in <c>for j</c>). Within the loop, the reverse steps read the element only after it was
/// stored (in its own iteration, at the same index), so the value a store overwrites can only be read by reverse
/// steps of what ran before the loop: when none since the array's previous definition reads the array, the
/// old values need no saving.
/// </summary>
internal sealed partial class SaveAnalysis
{
    /// <summary>True when a reverse step may read the element value <paramref name="st"/> overwrites (so it is saved).</summary>
    private bool OldElementRead(Store st)
    {
        var (body, at) = _position[st];
        if (!_owner.TryGetValue(body, out var owner) || owner is not For loop || _assigned.Contains(loop.Counter))
        {
            return true;
        }

        var written = new HashSet<string>(StringComparer.Ordinal) { loop.Counter };
        ProcedureAnalysis.Visit(loop.Body, s =>
        {
            switch (s)
            {
                case Assign a:
                    written.Add(a.Target);
                    break;
                case Declare d:
                    written.Add(d.Name);
                    break;
                case For f:
                    written.Add(f.Counter);
                    break;
            }
        });
        if (!OwnElement(st.Index, loop.Counter, written.Contains))
        {
            return true;
        }

        for (int k = 0; k < body.Statements.Count; k++)
        {
            var inside = new HashSet<Statement>(StatementIdentity.Instance);
            Collect(body.Statements[k], inside);
            foreach (var s in inside)
            {
                if (ReferenceEquals(s, st))
                {
                    // its own partials may read the element only before the restore: the value just stored
                    if (ReadsInReverse(st, st.Array) && !_readsStoredValue.Contains(st))
                    {
                        return true;
                    }

                    continue;
                }

                if (s is Store other && other.Array == st.Array || s is Invoke call && (call.Output.Array == st.Array || ReadsInReverse(s, st.Array)))
                {
                    return true;
                }

                if (ReadsInReverse(s, st.Array) && (k <= at || !ReverseLoadsOf(s, st.Array).All(load => load.ArgArray[0].Equals(st.Index))))
                {
                    return true;
                }
            }
        }

        return ReadBeforeSinceDefinition(loop, st.Array);
    }

    /// <summary>
    /// True when <paramref name="index"/> differs in every iteration of the loop counting with <paramref name="counter"/>:
    /// ±c·counter plus terms that read no name <paramref name="written"/> says is written.
    /// </summary>
    private static bool OwnElement(Node index, string counter, Func<string, bool> written)
    {
        bool Invariant(Node n) => !ProcedureAnalysis.Reads(n).Any(written);
        bool Factor(Node n) => n.IsConstant && n.Value != 0;
        var n = index;
        while (true)
        {
            if (n.Op == Op.Var)
            {
                return n.Name == counter;
            }

            var a = n.ArgArray;
            switch (n.Op)
            {
                case Op.Neg:
                    n = a[0];
                    break;
                case Op.Add or Op.Sub when Invariant(a[1]):
                    n = a[0];
                    break;
                case Op.Add or Op.Sub when Invariant(a[0]):
                    n = a[1];
                    break;
                case Op.Mul when Factor(a[0]):
                    n = a[1];
                    break;
                case Op.Mul when Factor(a[1]):
                    n = a[0];
                    break;
                default:
                    return false;
            }
        }
    }
}
