using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// What the reverse sweep of a procedure must save, and which derivative terms it computes: the
/// to-be-recorded analysis (as Tapenade's and Clad's TBR). It linearizes every statement, drops the terms
/// whose value cannot reach the result (<see cref="UsefulAnalysis"/>), and decides where old values are
/// saved:
/// <list type="bullet">
/// <item>a scalar's old value at an assignment, when a later-reversed statement reads it (its
/// partials or an index) and the value overwritten was defined since that read could happen;</item>
/// <item>an accumulation <c>s += e</c> in a loop whose body reads s nowhere else in reverse: s is saved
/// once at loop entry instead of once per iteration;</item>
/// <item>an array element's old value at a store, when the reverse sweep reads that array.</item>
/// </list>
/// The result is an immutable <see cref="SavePlan"/>; the analysis adds the partials' nodes to the
/// procedure's graph and changes nothing else.
/// </summary>
internal sealed class SaveAnalysis
{
    private readonly Procedure _p;
    private readonly Graph _g;
    private readonly HashSet<string> _active;
    private readonly Dictionary<Statement, List<(Node Input, Node Partial)>> _linear = new(StatementIdentity.Instance);
    private readonly Dictionary<Statement, (string? Target, Node? Index)> _targets = new(StatementIdentity.Instance);
    private readonly HashSet<Statement> _dead = new(StatementIdentity.Instance);
    private readonly Dictionary<Statement, HashSet<string>> _reverseReads = new(StatementIdentity.Instance);
    private readonly HashSet<string> _needed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _assigned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _neverAssigned = new(StringComparer.Ordinal);
    private readonly Dictionary<Statement, List<string>> _savedAtLoopEntry = new(StatementIdentity.Instance);
    private readonly HashSet<Statement> _pushAt = new(StatementIdentity.Instance);
    private readonly Dictionary<Statement, (Block Block, int Index)> _position = new(StatementIdentity.Instance);
    private readonly Dictionary<Block, Statement> _owner = new(BlockIdentity.Instance);

    private SaveAnalysis(Procedure p, HashSet<string> active)
    {
        _p = p;
        _g = p.Graph;
        _active = active;
    }

    /// <summary>The save plan of <paramref name="p"/>'s reverse sweep, for the names in <paramref name="active"/>.</summary>
    public static SavePlan Run(Procedure p, HashSet<string> active)
    {
        var analysis = new SaveAnalysis(p, active);
        analysis.Analyze(p.Body);
        analysis.DropDeadTerms();
        analysis.DecideSaves(p.Body, new List<For>());
        return new SavePlan(analysis._linear, analysis._dead, analysis._pushAt, analysis._savedAtLoopEntry, analysis._neverAssigned);
    }

    private void Analyze(Block block)
    {
        for (int index = 0; index < block.Statements.Count; index++)
        {
            var s = block.Statements[index];
            _position[s] = (block, index);
            switch (s)
            {
                case Declare d when d.Kind != ValueKind.Array:
                    Assigned(d.Name);
                    Linear(s, d.Name, d.Initial ?? _g.Zero, null);
                    break;
                case Assign a:
                    Assigned(a.Target);
                    Linear(s, a.Target, a.Value, null);
                    break;
                case Store st:
                    Assigned(st.Array);
                    Linear(s, st.Array, st.Value, st.Index);
                    break;
                case Return r:
                    Linear(s, null, r.Value, null);
                    break;
                case For f:
                    _owner[f.Body] = f;
                    Analyze(f.Body);
                    break;
                case If i:
                    _owner[i.Then] = i;
                    _owner[i.Else] = i;
                    Analyze(i.Then);
                    Analyze(i.Else);
                    break;
            }
        }

        foreach (var name in _p.Kinds.Keys)
        {
            if (!_assigned.Contains(name))
            {
                _neverAssigned.Add(name);
            }
        }
    }

    private void Assigned(string name) => _assigned.Add(name);

    private void Linear(Statement s, string? target, Node value, Node? targetIndex)
    {
        bool active = target is null || _active.Contains(target);
        _linear[s] = active ? ProcedureDerivatives.Linearize(value, _active) : new List<(Node, Node)>();
        _targets[s] = (target, targetIndex);
    }

    /// <summary>
    /// Drops the derivative terms of statements whose value cannot reach the result (their adjoint is an
    /// exact zero: multiplied by an infinite partial it would be NaN), then collects what the remaining
    /// reverse steps read.
    /// </summary>
    private void DropDeadTerms()
    {
        var useful = UsefulAnalysis.Run(_p, s => _linear.TryGetValue(s, out var linear) ? linear.Select(l => l.Input.Name!) : Enumerable.Empty<string>());
        foreach (var pair in _targets)
        {
            var s = pair.Key;
            var (target, targetIndex) = pair.Value;
            if (target is not null && !useful.UsefulAfter(s, target))
            {
                _dead.Add(s);
                _linear[s] = new List<(Node, Node)>();
            }

            var reads = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (input, partial) in _linear[s])
            {
                reads.UnionWith(ProcedureAnalysis.Reads(partial));
                if (input.Op == Op.Load)
                {
                    reads.UnionWith(ProcedureAnalysis.Reads(input.ArgArray[0]));
                }
            }

            if (targetIndex is not null && !_dead.Contains(s))
            {
                reads.UnionWith(ProcedureAnalysis.Reads(targetIndex));
            }

            _reverseReads[s] = reads;
            _needed.UnionWith(reads);
        }
    }

    /// <summary>Which assignments save the old value, and which loops save an accumulator once.</summary>
    private void DecideSaves(Block block, List<For> loops)
    {
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case Declare d when d.Kind != ValueKind.Array:
                    DecideScalar(s, d.Name, d.Initial ?? _g.Zero, loops);
                    break;
                case Assign a:
                    DecideScalar(s, a.Target, a.Value, loops);
                    break;
                case Store st when _needed.Contains(st.Array):
                    _pushAt.Add(s);
                    break;
                case For f:
                    loops.Add(f);
                    DecideSaves(f.Body, loops);
                    loops.RemoveAt(loops.Count - 1);
                    break;
                case If i:
                    DecideSaves(i.Then, loops);
                    DecideSaves(i.Else, loops);
                    break;
            }
        }
    }

    private void DecideScalar(Statement s, string target, Node value, List<For> loops)
    {
        if (!_needed.Contains(target))
        {
            return;
        }

        // The statement's own partials read the old value (t = t·x): restore it before them.
        if (_reverseReads[s].Contains(target))
        {
            _pushAt.Add(s);
            return;
        }

        if (loops.Count > 0 && IsAccumulation(target, value))
        {
            var loop = loops[loops.Count - 1];
            bool readInLoop = false;
            ProcedureAnalysis.Visit(loop.Body, other => readInLoop |= ReadsInReverse(other, target));
            if (!readInLoop)
            {
                // Nothing in the loop needs the running value: save it once, around the whole loop.
                if (ReadBeforeSinceDefinition(loop, target))
                {
                    if (!_savedAtLoopEntry.TryGetValue(loop, out var saved))
                    {
                        _savedAtLoopEntry[loop] = saved = new List<string>();
                    }

                    if (!saved.Contains(target))
                    {
                        saved.Add(target);
                    }
                }

                return;
            }
        }

        if (ReadBeforeSinceDefinition(s, target))
        {
            _pushAt.Add(s);
        }
    }

    /// <summary>
    /// True when the value of <paramref name="target"/> that <paramref name="s"/> overwrites is read by
    /// the reverse step of a statement executed since that value was defined: statements before
    /// <paramref name="s"/> back to the previous definition, the rest of a loop body (the previous
    /// iteration), and, through enclosing loops and branches, what ran before them.
    /// </summary>
    private bool ReadBeforeSinceDefinition(Statement s, string target)
    {
        var (block, index) = _position[s];
        while (true)
        {
            var statements = block.Statements;
            for (int k = index - 1; k >= 0; k--)
            {
                switch (ReverseAccess(statements[k], target))
                {
                    case Access.Read:
                        return true;
                    case Access.Defined:
                        return false;
                }
            }

            if (!_owner.TryGetValue(block, out var owner))
            {
                return false;
            }

            if (owner is For)
            {
                // the previous iteration ran the rest of the body after this point, and the statement
                // at this point too: when it is a branch or loop holding s, its other parts (another
                // branch) ran in the previous iteration and their reverse steps may read the value
                for (int k = statements.Count - 1; k >= index; k--)
                {
                    var access = ReverseAccess(statements[k], target);
                    if (access == Access.Read)
                    {
                        return true;
                    }

                    if (access == Access.Defined)
                    {
                        break;
                    }
                }
            }

            (block, index) = _position[owner];
        }
    }

    private bool ReadsInReverse(Statement s, string target) =>
        _reverseReads.TryGetValue(s, out var reads) && reads.Contains(target);

    /// <summary>What the reverse sweep first does with a scalar's value, scanning the reverse steps of a statement.</summary>
    private enum Access
    {
        /// <summary>Neither reads nor defines it.</summary>
        None,
        /// <summary>Reads the value (its partials or an index do).</summary>
        Read,
        /// <summary>Defines the value before reading it: the statement that assigned it, whose reverse step restores the older value.</summary>
        Defined,
    }

    /// <summary>
    /// The first access to <paramref name="target"/> by the reverse steps of <paramref name="s"/>. A loop's
    /// body may run zero times: a definition inside it does not end the search, a read does.
    /// </summary>
    private Access ReverseAccess(Statement s, string target)
    {
        switch (s)
        {
            case For f:
                return ReadsInside(f.Body, target) ? Access.Read : Access.None;
            case If i:
                return ReadsInside(i.Then, target) || ReadsInside(i.Else, target) ? Access.Read : Access.None;
            default:
                return ReadsInReverse(s, target) ? Access.Read : Defines(s, target) ? Access.Defined : Access.None;
        }
    }

    private bool ReadsInside(Block block, string target)
    {
        bool found = false;
        ProcedureAnalysis.Visit(block, inner => found |= ReadsInReverse(inner, target));
        return found;
    }

    private static bool Defines(Statement s, string target) =>
        s is Assign a && a.Target == target || s is Declare d && d.Name == target;

    /// <summary>t = t ± e or t = e + t, where e does not read t.</summary>
    private static bool IsAccumulation(string target, Node value)
    {
        if (value.Op is not (Op.Add or Op.Sub))
        {
            return false;
        }

        var a = value.ArgArray;
        bool IsTarget(Node n) => n.Op == Op.Var && n.Name == target;
        if (IsTarget(a[0]))
        {
            return !ProcedureAnalysis.Reads(a[1]).Contains(target);
        }

        return value.Op == Op.Add && IsTarget(a[1]) && !ProcedureAnalysis.Reads(a[0]).Contains(target);
    }
}
