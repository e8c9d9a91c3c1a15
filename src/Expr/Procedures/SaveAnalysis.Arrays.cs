using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Local arrays that the reverse sweep saves less of (issue 11, GMM): scratch arrays refilled in every iteration
/// of a loop.
/// <list type="bullet">
/// <item>An array filled by one loop over its whole length from read-only inputs and loop counters
/// (<c>centered[j] = x[i·d + j] − means[c·d + j]</c>), and read in the reverse sweep only after the fill (or in
/// the fill's own iteration, at the element just stored), is filled again at the start of its block's reverse
/// instead of saved at its store.</item>
/// <item>An array whose stores all lie in one block, with a loop among them that writes every element, and that
/// no reverse step between its first and last store reads (<c>qx</c>: filled, then updated d(d−1)/2 times,
/// then read by a dot product): its elements are saved once before the first store and restored after that
/// store's reverse, instead of at every store. The reverse steps after the stores read the block's final
/// values, those before read the values the block started with.</item>
/// </list>
/// </summary>
internal sealed partial class SaveAnalysis
{
    private readonly HashSet<string> _snapshotArrays = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refilledArrays = new(StringComparer.Ordinal);
    private readonly Dictionary<Block, List<For>> _refills = new(BlockIdentity.Instance);
    private readonly Dictionary<Statement, List<(string Array, Node Length)>> _snapshots = new(StatementIdentity.Instance);

    /// <summary>Finds the arrays the reverse sweep refills instead of saving them.</summary>
    private void FindRefills()
    {
        foreach (var (array, length) in LocalArrays())
        {
            var stores = StoresTo(array);
            if (stores is not { Count: 1 } || FillLoop(stores[0], length) is not { } fill
                || !ProcedureAnalysis.Reads(length).All(_neverAssigned.Contains))
            {
                continue;
            }

            var store = stores[0];
            if (!IsCheapToRecompute(store.Value) || !ProcedureAnalysis.Reads(store.Value).All(n => n != array && (_neverAssigned.Contains(n) || n == fill.Counter)))
            {
                continue;
            }

            var (block, index) = _position[fill];
            var after = new HashSet<Statement>(StatementIdentity.Instance);
            for (int k = index + 1; k < block.Statements.Count; k++)
            {
                Collect(block.Statements[k], after);
            }

            var sameIteration = new HashSet<Statement>(StatementIdentity.Instance);
            for (int k = _position[store].Index; k < fill.Body.Statements.Count; k++)
            {
                Collect(fill.Body.Statements[k], sameIteration);
            }

            // after the fill, any element; in the fill's own iteration, the element just stored
            var counter = _g.Var(fill.Counter);
            if (!ReverseReaders(array).All(s => after.Contains(s)
                || sameIteration.Contains(s) && ReverseLoadsOf(s, array).All(load => load.ArgArray[0].Equals(counter))))
            {
                continue;
            }

            _refilledArrays.Add(array);
            if (!_refills.TryGetValue(block, out var list))
            {
                _refills[block] = list = new List<For>();
            }

            list.Add(fill with { Body = new Block(new Statement[] { store }) });
        }
    }

    /// <summary>Chooses the arrays saved once per run of their block instead of at every store.</summary>
    private void FindSnapshots()
    {
        foreach (var (array, length) in LocalArrays())
        {
            var stores = StoresTo(array);
            if (stores is null || stores.Count < 2 || !_needed.Contains(array) || _refilledArrays.Contains(array)
                || !ProcedureAnalysis.Reads(length).All(_neverAssigned.Contains))
            {
                continue;
            }

            // the innermost block holding every store, and the first and last of its statements that hold one
            var chains = stores.Select(Ancestors).ToList();
            Block? common = null;
            int first = int.MaxValue, last = -1;
            foreach (var (block, _) in chains[0])
            {
                if (chains.All(chain => chain.Any(p => ReferenceEquals(p.Block, block))))
                {
                    common = block;
                    foreach (var chain in chains)
                    {
                        int at = chain.First(p => ReferenceEquals(p.Block, block)).Index;
                        first = Math.Min(first, at);
                        last = Math.Max(last, at);
                    }

                    break;
                }
            }

            if (common is null)
            {
                continue;
            }

            // cheaper than saving at every store only when some loop among them stores every element
            bool fills = false;
            var between = new HashSet<Statement>(StatementIdentity.Instance);
            for (int k = first; k <= last; k++)
            {
                fills |= common.Statements[k] is For f && stores.Any(st => ReferenceEquals(FillLoop(st, length), f));
                Collect(common.Statements[k], between);
            }

            if (!fills || ReverseReaders(array).Any(between.Contains))
            {
                continue;
            }

            _snapshotArrays.Add(array);
            var before = common.Statements[first];
            if (!_snapshots.TryGetValue(before, out var list))
            {
                _snapshots[before] = list = new List<(string, Node)>();
            }

            list.Add((array, length));
        }
    }

    /// <summary>The procedure's local arrays (not parameters) with their lengths.</summary>
    private List<(string Array, Node Length)> LocalArrays()
    {
        var arrays = new List<(string, Node)>();
        ProcedureAnalysis.Visit(_p.Body, s =>
        {
            if (s is Declare { Kind: ValueKind.Array, Length: { } length } d)
            {
                arrays.Add((d.Name, length));
            }
        });
        return arrays;
    }

    /// <summary>The stores to <paramref name="array"/>; null when a call writes it.</summary>
    private List<Store>? StoresTo(string array)
    {
        var stores = new List<Store>();
        bool called = false;
        ProcedureAnalysis.Visit(_p.Body, s =>
        {
            if (s is Store st && st.Array == array)
            {
                stores.Add(st);
            }

            called |= s is Invoke c && c.Output.Array == array;
        });
        return called ? null : stores;
    }

    /// <summary>The loop <c>for (j = 0; j &lt; length; j++)</c> whose body stores a[j] unconditionally by <paramref name="store"/>, or null.</summary>
    private For? FillLoop(Store store, Node length) =>
        _owner.TryGetValue(_position[store].Block, out var owner) && owner is For { Backward: false } f
        && f.Start.IsConstantValue(0.0) && f.End.Equals(length) && store.Index.Op == Op.Var && store.Index.Name == f.Counter
            ? f : null;

    /// <summary>The statement's position, then its enclosing statements' positions, innermost first.</summary>
    private List<(Block Block, int Index)> Ancestors(Statement s)
    {
        var chain = new List<(Block, int)>();
        var position = _position[s];
        while (true)
        {
            chain.Add(position);
            if (!_owner.TryGetValue(position.Block, out var owner))
            {
                return chain;
            }

            position = _position[owner];
        }
    }

    /// <summary>The statements whose reverse steps read <paramref name="array"/>.</summary>
    private List<Statement> ReverseReaders(string array) =>
        _reverseReads.Where(pair => pair.Value.Contains(array)).Select(pair => pair.Key).ToList();

    private static void Collect(Statement s, HashSet<Statement> into)
    {
        into.Add(s);
        switch (s)
        {
            case For f:
                ProcedureAnalysis.Visit(f.Body, x => into.Add(x));
                break;
            case If i:
                ProcedureAnalysis.Visit(i.Then, x => into.Add(x));
                ProcedureAnalysis.Visit(i.Else, x => into.Add(x));
                break;
            case While w:
                ProcedureAnalysis.Visit(w.Body, x => into.Add(x));
                break;
        }
    }

    /// <summary>The loads of <paramref name="array"/> a statement's reverse step evaluates: in its partials and indices.</summary>
    private IEnumerable<Node> ReverseLoadsOf(Statement s, string array)
    {
        var roots = new List<Node>();
        foreach (var (input, partial) in _linear[s])
        {
            roots.Add(partial);
            if (input.Op == Op.Load)
            {
                roots.Add(input.ArgArray[0]);
            }
        }

        if (_targets[s].Index is { } index)
        {
            roots.Add(index);
        }

        return Traversal.TopologicalOrder(roots).Where(n => n.Op == Op.Load && n.Name == array);
    }
}
