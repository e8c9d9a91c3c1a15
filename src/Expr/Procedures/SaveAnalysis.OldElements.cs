namespace DiffGen.Expr;

/// <summary>
/// A store's old element needs no saving when no reverse step can read it: the first loop that fills an
/// array (<c>y[i] = tanh(x[i])</c>, softmax's <c>y[i] = e^(x[i] − m)</c>) overwrites elements nobody reads
/// in reverse, so it pushes nothing and, for an output, the reverse sweep need not restore its final values.
/// </summary>
internal sealed partial class SaveAnalysis
{
    /// <summary>
    /// True when <paramref name="store"/> writes a distinct element each trip (index = ±c·counter + an offset the
    /// procedure never writes) of a loop at the top of the body, reads no element of its array, and no other
    /// statement of the loop, nor any statement before it back to the array's declaration, reads that array
    /// in its reverse step. Its own reverse step reads at most the element it stored, before the element
    /// would have been restored.
    /// </summary>
    private bool OldElementUnread(Store store)
    {
        var (body, _) = _position[store];
        if (!_owner.TryGetValue(body, out var owner) || owner is not For loop
            || !OwnElement(store.Index, loop.Counter, IsWritten)
            || ProcedureAnalysis.Reads(store.Value).Contains(store.Array))
        {
            return false;
        }

        var (top, loopIndex) = _position[loop];
        if (_owner.ContainsKey(top))
        {
            return false;
        }

        foreach (var other in body.Statements)
        {
            if (!ReferenceEquals(other, store) && ReverseAccess(other, store.Array) != Access.None)
            {
                return false;
            }
        }

        for (int k = loopIndex - 1; k >= 0; k--)
        {
            if (top.Statements[k] is Declare d && d.Name == store.Array)
            {
                return true;
            }

            if (ReverseAccess(top.Statements[k], store.Array) != Access.None)
            {
                return false;
            }
        }

        return true;
    }
}
