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
/// <item>an array element's old value at a store, when the reverse sweep reads that array (not where each
/// iteration of the store's loop writes an element of its own that no reverse step reads: SaveAnalysis.OldElements).</item>
/// </list>
/// and where it saves less (issue 11): a local declared once from read-only inputs, sizes and loop
/// counters is recomputed at the start of its block's reverse instead of saved (Rosenbrock saves nothing);
/// an integer step <c>t = t ± c</c> is undone instead of saved (GMM's packed index); a store's partials that
/// need the stored value read it back from the array, so its inputs need no saving (the MLP's
/// pre-activations); a value declared in a loop body is saved only when the previous iteration's reverse
/// reads it before it is defined again.
/// The result is an immutable <see cref="SavePlan"/>; the analysis adds the partials' nodes to the
/// procedure's graph and changes nothing else.
/// </summary>
internal sealed partial class SaveAnalysis
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
    private readonly HashSet<Statement> _invertAt = new(StatementIdentity.Instance);
    private readonly HashSet<Statement> _readsStoredValue = new(StatementIdentity.Instance);
    private readonly Dictionary<Block, List<Declare>> _recomputed = new(BlockIdentity.Instance);
    private readonly HashSet<Statement> _recomputable = new(StatementIdentity.Instance);
    private readonly List<Declare> _wanted = new();
    private readonly Dictionary<string, int> _definitions = new(StringComparer.Ordinal);
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
        // after the whole body: a name a later loop assigns is not constant in an earlier one
        foreach (var name in p.Kinds.Keys)
        {
            if (!analysis._assigned.Contains(name))
            {
                analysis._neverAssigned.Add(name);
            }
        }

        analysis.DropDeadTerms();
        analysis.FindRefills();
        analysis.FindSnapshots();
        analysis.ReadDefinedValues();
        analysis.ReadStoredValues();
        analysis.FindRecomputable(p.Body);
        analysis.DecideSaves(p.Body, new List<Statement>());
        analysis.PlaceRecomputations();
        return new SavePlan(analysis._linear, analysis._dead, analysis._pushAt, analysis._savedAtLoopEntry, Unchanging.Names(p),
            analysis._invertAt, analysis._recomputed, analysis._readsStoredValue, analysis._snapshots, analysis._refills, analysis._mayBeInfinite);
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
                case Invoke c:
                    // the callee's vector-Jacobian product gives its derivatives: no partials here
                    Assigned(c.Output.Array!);
                    _linear[s] = new List<(Node, Node)>();
                    _targets[s] = (c.Output.Array, null);
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
                case While w:
                    _owner[w.Body] = w;
                    Analyze(w.Body);
                    break;
            }
        }
    }

    private void Assigned(string name)
    {
        _assigned.Add(name);
        _definitions[name] = _definitions.TryGetValue(name, out int n) ? n + 1 : 1;
    }

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
        var useful = UsefulAnalysis.Run(_p, s => s is Invoke c ? c.DifferentiableReads()
            : _linear.TryGetValue(s, out var linear) ? linear.Select(l => l.Input.Name!) : Enumerable.Empty<string>());
        foreach (var pair in _targets)
        {
            var s = pair.Key;
            var (target, targetIndex) = pair.Value;
            if (target is not null && !useful.UsefulAfter(s, target))
            {
                _dead.Add(s);
                _linear[s] = new List<(Node, Node)>();
            }

            _reverseReads[s] = ReverseReads(s, targetIndex);
            _needed.UnionWith(_reverseReads[s]);
        }
    }

    /// <summary>What the reverse step of <paramref name="s"/> reads: its partials, the indices of its inputs and of its target.</summary>
    private HashSet<string> ReverseReads(Statement s, Node? targetIndex)
    {
        if (s is Invoke call)
        {
            // the product reads the callee's inputs as they were at the call; restoring the output reads its bounds
            var output = call.Output;
            var bounds = ProcedureAnalysis.Reads(output.Offset);
            bounds.UnionWith(ProcedureAnalysis.Reads(output.Length));
            return _dead.Contains(s) ? bounds : call.Reads();
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

        return reads;
    }

    /// <summary>
    /// A store <c>h[i] = v</c> whose partials need v itself (tanh′ = 1 − v², σ′ = v·σ(−x), (eˣ)′ = v, and ∂(y/s)/∂s =
    /// −(y/s)/s of <c>y[i] /= s</c>) reads v back from h[i] in its reverse step, before h[i] is restored, instead of
    /// recomputing it from its inputs — when the reverse sweep reads h anyway (so h's elements are saved already) or no
    /// reverse step can read the element the store overwrites (<see cref="OldElementMayBeRead"/>; a later store to h[i]
    /// is then saved, as this step reads h), and its partials read h only inside v. The inputs then need no saving for
    /// it: the MLP's accumulated pre-activation. Except where reading h would make a later store to h save the elements
    /// it overwrites, and the partials can be computed again without saving anything (<see cref="RecomputableAt"/>):
    /// softmax's fill <c>y[i] = e^(x[i] − m)</c> computes eˣ again (or reads it where <see cref="ElementCache"/> keeps
    /// it), so <c>y[i] /= sum</c> pushes nothing.
    /// </summary>
    private void ReadStoredValues()
    {
        // later stores first: one that reads its own element (y[i] /= s) reads the value it stored before an earlier
        // fill of the array decides whether reading its own would make that later store save its old elements
        var stores = _targets.Keys.OfType<Store>().ToList();
        stores.Reverse();
        foreach (var st in stores)
        {
            if (_dead.Contains(st) || !_needed.Contains(st.Array) && OldElementMayBeRead(st) || _snapshotArrays.Contains(st.Array)
                || _linear[st].Any(t => ReadsOutside(t.Partial, st.Value, st.Array)))
            {
                continue;
            }

            var unsaved = StoresTo(st.Array)?.Where(other => !ReferenceEquals(other, st) && !OldElementMayBeRead(other)).ToList();
            var stored = _g.Load(st.Array, st.Index);
            var terms = _linear[st];
            var original = terms.ToList();
            bool changed = false;
            for (int k = 0; k < terms.Count; k++)
            {
                var partial = Substitute(terms[k].Partial, st.Value, stored);
                changed |= !ReferenceEquals(partial, terms[k].Partial);
                terms[k] = (terms[k].Input, partial);
            }

            if (!changed)
            {
                continue;
            }

            _readsStoredValue.Add(st);
            _reverseReads[st] = ReverseReads(st, st.Index);
            if (unsaved is not null && unsaved.Any(OldElementMayBeRead) && original.All(t => RecomputableAt(st, t.Partial)))
            {
                // reading the stored value would make a later store save every element it overwrites: recompute instead
                terms.Clear();
                terms.AddRange(original);
                _readsStoredValue.Remove(st);
                _reverseReads[st] = ReverseReads(st, st.Index);
            }
        }

        _needed.Clear();
        foreach (var reads in _reverseReads.Values)
        {
            _needed.UnionWith(reads);
        }
    }

    /// <summary>True when <paramref name="root"/> loads from <paramref name="array"/> other than inside <paramref name="value"/>.</summary>
    private static bool ReadsOutside(Node root, Node value, string array)
    {
        var seen = new HashSet<Node>(NodeIdentity.Comparer);
        var work = new Stack<Node>();
        work.Push(root);
        while (work.Count > 0)
        {
            var n = work.Pop();
            if (ReferenceEquals(n, value) || !seen.Add(n))
            {
                continue;
            }

            if (n.Op == Op.Load && n.Name == array)
            {
                return true;
            }

            foreach (var arg in n.ArgArray)
            {
                work.Push(arg);
            }
        }

        return false;
    }

    /// <summary>
    /// True when the reverse step of <paramref name="st"/> can compute <paramref name="partial"/> again without saving
    /// anything for it: it reads names that hold one value, the counters of the loops around st, and names nothing
    /// writes from the top-level statement holding st on (the reverse of that statement sees their values at st).
    /// </summary>
    private bool RecomputableAt(Store st, Node partial)
    {
        var chain = Ancestors(st);
        var counters = chain.Select(p => _owner.TryGetValue(p.Block, out var owner) && owner is For f ? f.Counter : null).ToList();
        var writtenFromHere = new HashSet<string>(StringComparer.Ordinal);
        bool known = ProcedureAnalysis.Collect(new Block(_p.Body.Statements.Skip(chain[chain.Count - 1].Index)), writtenFromHere, new HashSet<string>(StringComparer.Ordinal));
        var unchanging = Unchanging.Names(_p);
        return known && ProcedureAnalysis.Reads(partial).All(n => unchanging.Contains(n) || counters.Contains(n) || !writtenFromHere.Contains(n));
    }

    /// <summary><paramref name="root"/> with <paramref name="from"/> replaced by <paramref name="to"/> (iterative, shared nodes rebuilt once).</summary>
    private Node Substitute(Node root, Node from, Node to)
    {
        var map = new Dictionary<Node, Node>(NodeIdentity.Comparer) { [from] = to };
        foreach (var node in Traversal.TopologicalOrder(root))
        {
            if (map.ContainsKey(node))
            {
                continue;
            }

            var args = node.ArgArray;
            var copied = new Node[args.Length];
            bool changed = false;
            for (int i = 0; i < args.Length; i++)
            {
                copied[i] = map[args[i]];
                changed |= !ReferenceEquals(copied[i], args[i]);
            }

            map[node] = !changed ? node : _g.Rebuild(node, copied);
        }

        return map[root];
    }

    /// <summary>Which assignments save the old value, and which loops save an accumulator once.</summary>
    private void DecideSaves(Block block, List<Statement> loops)
    {
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case Declare d when _recomputable.Contains(d):
                    if (_needed.Contains(d.Name) && ReadBeforeSinceDefinition(d, d.Name))
                    {
                        // where it would be saved, recomputed at the start of the block's reverse instead
                        _wanted.Add(d);
                    }

                    break;
                case Declare d when d.Kind != ValueKind.Array:
                    DecideScalar(s, d.Name, d.Initial ?? _g.Zero, loops);
                    break;
                case Assign a when IsInvertible(a):
                    if (_needed.Contains(a.Target))
                    {
                        _invertAt.Add(a);
                    }

                    break;
                case Assign a:
                    DecideScalar(s, a.Target, a.Value, loops);
                    break;
                case Store st when _needed.Contains(st.Array) && !_snapshotArrays.Contains(st.Array) && !_refilledArrays.Contains(st.Array)
                    && OldElementMayBeRead(st):
                    _pushAt.Add(s);
                    break;
                case Invoke c when _needed.Contains(c.Output.Array!):
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
                case While w:
                    loops.Add(w);
                    DecideSaves(w.Body, loops);
                    loops.RemoveAt(loops.Count - 1);
                    break;
            }
        }
    }

    private void DecideScalar(Statement s, string target, Node value, List<Statement> loops)
    {
        if (!_needed.Contains(target))
        {
            return;
        }

        // The statement's own partials read the old value (t = t·x): restore it before them.
        if (_reverseReads[s].Contains(target) && !_readsStoredValue.Contains(s))
        {
            _pushAt.Add(s);
            return;
        }

        if (loops.Count > 0 && IsAccumulation(target, value))
        {
            var loop = loops[loops.Count - 1];
            bool readInLoop = false;
            ProcedureAnalysis.Visit(LoopBody(loop), other => readInLoop |= ReadsInReverse(other, target));
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

            if (owner is For or While)
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
        /// <summary>Reads the value (its partials or an index do; an inverted increment does; so does a definition whose partials read the value it defined).</summary>
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
            case Assign or Declare when Defines(s, target):
                return s is Assign a && IsInvertible(a) || _readsStoredValue.Contains(s) ? Access.Read : Access.Defined;
            case For or While:
                return ReverseAccess(LoopBody(s), target) == Access.Read ? Access.Read : Access.None;
            case If i:
                var then = ReverseAccess(i.Then, target);
                var otherwise = ReverseAccess(i.Else, target);
                return then == Access.Read || otherwise == Access.Read ? Access.Read
                    : then == Access.Defined && otherwise == Access.Defined ? Access.Defined : Access.None;
            default:
                return ReadsInReverse(s, target) ? Access.Read : Access.None;
        }
    }

    /// <summary>The first access by the reverse of a block: its statements' reverse steps, the last statement's first.</summary>
    private Access ReverseAccess(Block block, string target)
    {
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            var access = ReverseAccess(block.Statements[k], target);
            if (access != Access.None)
            {
                return access;
            }
        }

        return Access.None;
    }

    private static Block LoopBody(Statement loop) => loop is While w ? w.Body : ((For)loop).Body;

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

    /// <summary>
    /// An integer step <c>t = t ± c</c> (or <c>c + t</c>) where c reads only names no statement assigns:
    /// the reverse sweep undoes it exactly (t ∓ c; integers do not round, and wrap around both ways) instead
    /// of saving t.
    /// </summary>
    private bool IsInvertible(Assign a)
    {
        if (!_p.Kinds.TryGetValue(a.Target, out var kind) || kind != ValueKind.Integer || !IsAccumulation(a.Target, a.Value))
        {
            return false;
        }

        var args = a.Value.ArgArray;
        var step = args[0].Op == Op.Var && args[0].Name == a.Target ? args[1] : args[0];
        return ProcedureAnalysis.Reads(step).All(_neverAssigned.Contains);
    }

    /// <summary>
    /// Finds the locals recomputed in the reverse sweep instead of saved: declared once and never assigned
    /// again, from an expression of names no statement assigns (read-only inputs, sizes, the counters of the
    /// enclosing loops) and of other such locals, cheap to evaluate (an integer expression always), and read
    /// only inside the block that declares them. The reverse of that block recomputes them on entry.
    /// </summary>
    private void FindRecomputable(Block body)
    {
        var recomputable = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Visit(body, s =>
        {
            if (s is Declare d && d.Kind != ValueKind.Array && d.Initial is { } initial && _definitions[d.Name] == 1
                && (d.Kind == ValueKind.Integer || IsCheapToRecompute(initial))
                && ProcedureAnalysis.Reads(initial).All(n => _neverAssigned.Contains(n) || recomputable.Contains(n))
                && !ReadOutside(_position[d].Block, d.Name))
            {
                recomputable.Add(d.Name);
                _recomputable.Add(d);
            }
        });
    }

    /// <summary>
    /// Recomputes the wanted locals and the recomputable locals their values read (in the current iteration
    /// those hold the forward sweep's last values otherwise), each at the start of its block's reverse, in
    /// declaration order.
    /// </summary>
    private void PlaceRecomputations()
    {
        var byName = new Dictionary<string, Declare>(StringComparer.Ordinal);
        foreach (var s in _recomputable)
        {
            var d = (Declare)s;
            byName[d.Name] = d;
        }

        var placed = new HashSet<Statement>(StatementIdentity.Instance);
        var work = new Stack<Declare>(_wanted);
        while (work.Count > 0)
        {
            var d = work.Pop();
            if (!placed.Add(d))
            {
                continue;
            }

            foreach (var name in ProcedureAnalysis.Reads(d.Initial))
            {
                if (byName.TryGetValue(name, out var dependency))
                {
                    work.Push(dependency);
                }
            }
        }

        foreach (var d in placed.Cast<Declare>().OrderBy(d => _position[d].Index))
        {
            var block = _position[d].Block;
            if (!_recomputed.TryGetValue(block, out var list))
            {
                _recomputed[block] = list = new List<Declare>();
            }

            list.Add(d);
        }
    }

    /// <summary>True when a statement outside <paramref name="block"/> reads <paramref name="name"/>, in the forward or the reverse sweep.</summary>
    private bool ReadOutside(Block block, string name)
    {
        bool found = false;
        void Walk(Block b)
        {
            if (ReferenceEquals(b, block))
            {
                return;
            }

            foreach (var s in b.Statements)
            {
                found |= ReadsInReverse(s, name) || ProcedureAnalysis.ReadsForward(s).Contains(name);
                switch (s)
                {
                    case For f:
                        Walk(f.Body);
                        break;
                    case If i:
                        Walk(i.Then);
                        Walk(i.Else);
                        break;
                    case While w:
                        Walk(w.Body);
                        break;
                }
            }
        }

        Walk(_p.Body);
        return found;
    }

    /// <summary>Additions, multiplications and loads: cheaper to recompute than to save and restore.</summary>
    private static bool IsCheapOp(Op op) => op is Op.Const or Op.Var or Op.Load or Op.Add or Op.Sub or Op.Mul or Op.Neg or Op.IntDiv or Op.Mod;

    private const int MaxRecomputedNodes = 16;
}
