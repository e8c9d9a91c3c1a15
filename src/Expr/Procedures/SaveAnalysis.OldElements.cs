using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// The old-element analysis: whether a reverse step can read the element value a store overwrites. When none can,
/// the store pushes nothing (the first loop filling a span, softmax's <c>y[i] = e^(x[i] − m)</c>; the MLP's hidden
/// layer <c>h1[j] = tanh(…)</c>), and, for an output, the reverse sweep need not restore its final values.
/// <para>
/// What it proves, for a store <c>a[index] = v</c> in the body of <c>for (c …)</c>: the store writes an element of
/// its own each trip (index = ±k·c + terms the body does not write; c is not assigned), and the old element's only
/// possible readers read something else:
/// <list type="bullet">
/// <item>within the body, a reverse step reads a only where the store's own step reads the value it just stored,
/// or, when nothing else in the body writes a, where a statement after the store reads a[index] — the element
/// this trip stored, which later trips leave alone;</item>
/// <item>before the loop, back to a's definition (and through enclosing loops, their previous iterations,
/// this loop among them), no reverse step reads a.</item>
/// </list>
/// </para>
/// </summary>
internal sealed partial class SaveAnalysis
{
    /// <summary>True when a reverse step may read the element value <paramref name="store"/> overwrites (so it is saved).</summary>
    private bool OldElementMayBeRead(Store store)
    {
        var (body, at) = _position[store];
        if (!_owner.TryGetValue(body, out var owner) || owner is not For loop || _assigned.Contains(loop.Counter))
        {
            return true;
        }

        var inLoop = new HashSet<Statement>(StatementIdentity.Instance);
        Collect(loop, inLoop);
        inLoop.Remove(loop);
        var writtenInLoop = new HashSet<string>(StringComparer.Ordinal) { loop.Counter };
        bool otherWriter = false;
        foreach (var s in inLoop)
        {
            switch (s)
            {
                case Assign a:
                    writtenInLoop.Add(a.Target);
                    break;
                case Declare d:
                    writtenInLoop.Add(d.Name);
                    break;
                case For f:
                    writtenInLoop.Add(f.Counter);
                    break;
                case Store other when other.Array == store.Array && !ReferenceEquals(other, store):
                    otherWriter = true;
                    break;
                case Invoke call when call.Output.Array == store.Array:
                    otherWriter = true;
                    break;
            }
        }

        if (!OwnElement(store.Index, loop.Counter, writtenInLoop.Contains))
        {
            return true;
        }

        foreach (var s in inLoop)
        {
            if (!ReadsInReverse(s, store.Array))
            {
                continue;
            }

            bool readsWhatItStored = ReferenceEquals(s, store) ? _readsStoredValue.Contains(store)
                : !otherWriter && s is not Invoke && TopIndex(s, body) > at
                    && ReverseLoadsOf(s, store.Array).All(load => load.ArgArray[0].Equals(store.Index));
            if (!readsWhatItStored)
            {
                return true;
            }
        }

        return ReadBeforeSinceDefinition(loop, store.Array);
    }

    /// <summary>The index in <paramref name="body"/> of the statement holding <paramref name="s"/> (itself or an enclosing one).</summary>
    private int TopIndex(Statement s, Block body)
    {
        var position = _position[s];
        while (!ReferenceEquals(position.Block, body))
        {
            position = _position[_owner[position.Block]];
        }

        return position.Index;
    }

    /// <summary>
    /// True when <paramref name="index"/> differs in every iteration of the loop counting with <paramref name="counter"/>:
    /// ±k·counter plus terms that read no name <paramref name="written"/> says is written.
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
