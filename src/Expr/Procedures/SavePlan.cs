using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// The decisions of <see cref="SaveAnalysis"/> for one procedure, read by <see cref="ReverseSweep"/>:
/// the derivative terms of every statement, which statements are dead (their value cannot reach the
/// result), where old values are pushed, and which accumulators are saved once around a loop. Immutable.
/// </summary>
internal sealed class SavePlan
{
    private static readonly IReadOnlyList<string> None = System.Array.Empty<string>();
    private static readonly IReadOnlyList<Declare> NoDeclarations = System.Array.Empty<Declare>();
    private readonly Dictionary<Statement, List<(Node Input, Node Partial)>> _terms;
    private readonly HashSet<Statement> _dead;
    private readonly HashSet<Statement> _pushAt;
    private readonly Dictionary<Statement, List<string>> _savedAtLoopEntry;
    private readonly HashSet<string> _unchanging;
    private readonly HashSet<Statement> _invertAt;
    private readonly Dictionary<Block, List<Declare>> _recomputed;
    private readonly HashSet<Statement> _readsStoredValue;
    private readonly Dictionary<Statement, List<(string Array, Node Length)>> _snapshots;
    private readonly Dictionary<Block, List<For>> _refills;
    private readonly HashSet<string> _mayBeInfinite;

    public SavePlan(
        Dictionary<Statement, List<(Node Input, Node Partial)>> terms,
        HashSet<Statement> dead,
        HashSet<Statement> pushAt,
        Dictionary<Statement, List<string>> savedAtLoopEntry,
        HashSet<string> unchanging,
        HashSet<Statement> invertAt,
        Dictionary<Block, List<Declare>> recomputed,
        HashSet<Statement> readsStoredValue,
        Dictionary<Statement, List<(string Array, Node Length)>> snapshots,
        Dictionary<Block, List<For>> refills,
        HashSet<string> mayBeInfinite)
    {
        _terms = new Dictionary<Statement, List<(Node, Node)>>(terms, StatementIdentity.Instance);
        _dead = new HashSet<Statement>(dead, StatementIdentity.Instance);
        _pushAt = new HashSet<Statement>(pushAt, StatementIdentity.Instance);
        _savedAtLoopEntry = new Dictionary<Statement, List<string>>(savedAtLoopEntry, StatementIdentity.Instance);
        _unchanging = new HashSet<string>(unchanging, unchanging.Comparer);
        _invertAt = new HashSet<Statement>(invertAt, StatementIdentity.Instance);
        _recomputed = new Dictionary<Block, List<Declare>>(recomputed, BlockIdentity.Instance);
        _readsStoredValue = new HashSet<Statement>(readsStoredValue, StatementIdentity.Instance);
        _snapshots = new Dictionary<Statement, List<(string, Node)>>(snapshots, StatementIdentity.Instance);
        _refills = new Dictionary<Block, List<For>>(refills, BlockIdentity.Instance);
        _mayBeInfinite = new HashSet<string>(mayBeInfinite, mayBeInfinite.Comparer);
    }

    /// <summary>The derivative terms (active input, ∂value/∂input) of a statement's value; none for a dead statement.</summary>
    public IReadOnlyList<(Node Input, Node Partial)> Terms(Statement s) => _terms[s];

    /// <summary>True when the value <paramref name="s"/> writes cannot reach the result: its adjoint is exactly 0.</summary>
    public bool IsDead(Statement s) => _dead.Contains(s);

    /// <summary>True when the forward sweep saves the value <paramref name="s"/> overwrites, and the reverse sweep restores it.</summary>
    public bool PushesAt(Statement s) => _pushAt.Contains(s);

    /// <summary>True when the reverse sweep undoes the integer step <paramref name="s"/> (t = t ± c) instead of restoring a saved t.</summary>
    public bool Inverts(Statement s) => _invertAt.Contains(s);

    /// <summary>True when the partials of the store or definition <paramref name="s"/> read the value it stored: its reverse step uses them before restoring the old one.</summary>
    public bool ReadsStoredValue(Statement s) => _readsStoredValue.Contains(s);

    /// <summary>The locals the reverse of <paramref name="block"/> recomputes on entry, in the order of their declarations.</summary>
    public IReadOnlyList<Declare> RecomputedIn(Block block) => _recomputed.TryGetValue(block, out var list) ? list : NoDeclarations;

    /// <summary>The accumulators saved once on entry to <paramref name="loop"/> (restored after its reverse).</summary>
    public IReadOnlyList<string> SavedAtEntry(Statement loop) => _savedAtLoopEntry.TryGetValue(loop, out var saved) ? saved : None;

    /// <summary>The arrays whose elements (0 to length) are saved before <paramref name="s"/> runs and restored after its reverse step, in place of saves at their stores.</summary>
    public IReadOnlyList<(string Array, Node Length)> SnapshotsBefore(Statement s) =>
        _snapshots.TryGetValue(s, out var list) ? list : System.Array.Empty<(string, Node)>();

    /// <summary>The fill loops the reverse of <paramref name="block"/> runs again on entry, in place of saves at their stores.</summary>
    public IReadOnlyList<For> RefilledIn(Block block) => _refills.TryGetValue(block, out var list) ? list : System.Array.Empty<For>();

    /// <summary>True for a local whose definitions' partials read it in place of a value that can be ±∞ (a kept eˣ): a partial reading it keeps its guard against a zero seed.</summary>
    public bool MayBeInfinite(string name) => _mayBeInfinite.Contains(name);

    /// <summary>True when <paramref name="name"/> holds one value all through the procedure: nothing writes it, or it is declared once from such names (<see cref="DiffGen.Expr.Unchanging"/>).</summary>
    public bool Unchanging(string name) => _unchanging.Contains(name);

    /// <summary>How many locals are recomputed in the reverse sweep instead of saved.</summary>
    public int RecomputedLocals => _recomputed.Values.Sum(list => list.Count);

    /// <summary>How many places of the forward sweep save a value (pushes of old values and loop-entry saves; branch flags, loop bounds and while-loop trip counts apart).</summary>
    public int SaveSites => _pushAt.Count + CountEntrySaves() + _snapshots.Values.Sum(list => list.Count);

    private int CountEntrySaves()
    {
        int n = 0;
        foreach (var saved in _savedAtLoopEntry.Values)
        {
            n += saved.Count;
        }

        return n;
    }
}
