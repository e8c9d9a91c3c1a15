using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Differentiates procedures with loops, keeping loops as loops (the code grows with the source, not
/// with the trip count).
/// <para>Reverse mode (<see cref="Gradient"/>) writes a forward sweep that saves, on a value stack, what
/// the reverse sweep will need and the forward sweep overwrites, then a reverse sweep that runs every
/// loop backwards, restores the saved values and accumulates adjoints by the rules of
/// <see cref="OpTable"/>. What is saved, and why:</para>
/// <list type="bullet">
/// <item>a scalar's old value at an assignment, when a later-reversed statement reads it (its
/// partials or an index) and the scalar is assigned more than once or inside a loop;</item>
/// <item>an accumulation <c>s += e</c> in a loop whose body reads s nowhere else in reverse: s is saved
/// once at loop entry instead of once per iteration;</item>
/// <item>an array element's old value at a store, when the reverse sweep reads that array;</item>
/// <item>the branch taken by every <c>if</c> (pushed after the branch ran, so that the reverse sweep pops it
/// before replaying the branch), and loop bounds that could change while the loop runs (kept in locals at
/// loop entry, pushed after the loop).</item>
/// </list>
/// <para>Primal subexpressions a statement's partials need (eˣ in (eˣ)' = eˣ) are recomputed inside
/// that statement's reverse step rather than saved: they cost one evaluation and no memory.</para>
/// <para>Forward mode (<see cref="Tangent"/>) pairs every assignment with its tangent, computed first
/// so that it reads the old values. Applied to a gradient procedure it gives Hessian-vector products
/// (forward over reverse).</para>
/// </summary>
public static class ProcedureDerivatives
{
    /// <summary>
    /// The gradient procedure: the original parameters, then for every differentiable parameter an output
    /// named by <paramref name="outputName"/> (an out scalar or a span of the same length, overwritten).
    /// It returns the original value.
    /// </summary>
    public static Procedure Gradient(Procedure procedure, Func<string, string> outputName) =>
        new ReverseSweep(procedure, outputName ?? throw new ArgumentNullException(nameof(outputName))).Build();

    /// <summary>
    /// The tangent procedure: the original parameters, a tangent input per differentiable parameter
    /// (named by <paramref name="tangentName"/>) and the output <paramref name="outputTangent"/>; it
    /// returns the value. Outputs of <paramref name="procedure"/> get tangent outputs named
    /// <paramref name="tangentName"/> of their name.
    /// </summary>
    public static Procedure Tangent(Procedure procedure, Func<string, string> tangentName, string outputTangent = "tangent") =>
        new ForwardSweep(procedure, tangentName ?? throw new ArgumentNullException(nameof(tangentName)), outputTangent).Build();

    /// <summary>The leaves of <paramref name="e"/> whose names are active, with ∂e/∂leaf.</summary>
    internal static List<(Node Input, Node Partial)> Linearize(Node e, ISet<string> active)
    {
        var inputs = Traversal.TopologicalOrder(e)
            .Where(n => n.Op is Op.Var or Op.Load && active.Contains(n.Name!))
            .ToList();
        var result = new List<(Node, Node)>(inputs.Count);
        if (inputs.Count == 0)
        {
            return result;
        }

        var partials = Derivatives.Gradient(e, inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!partials[i].IsConstantValue(0.0))
            {
                result.Add((inputs[i], partials[i]));
            }
        }

        return result;
    }

    private sealed class ReverseSweep
    {
        private readonly Procedure _p;
        private readonly Graph _g;
        private readonly Func<string, string> _outputName;
        private readonly NameBuilder _names;
        private readonly HashSet<string> _active;
        private readonly Dictionary<string, string> _adjoint = new(StringComparer.Ordinal);
        private readonly Dictionary<Statement, List<(Node Input, Node Partial)>> _linear = new(StatementIdentity.Instance);
        private readonly Dictionary<Statement, (string? Target, Node? Index)> _targets = new(StatementIdentity.Instance);
        private readonly HashSet<Statement> _dead = new(StatementIdentity.Instance);
        private readonly Dictionary<Statement, HashSet<string>> _reverseReads = new(StatementIdentity.Instance);
        private readonly HashSet<string> _needed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _assignments = new(StringComparer.Ordinal);
        private readonly HashSet<string> _assignedInLoop = new(StringComparer.Ordinal);
        private readonly HashSet<string> _neverAssigned = new(StringComparer.Ordinal);
        private readonly Dictionary<Statement, List<string>> _savedAtLoopEntry = new(StatementIdentity.Instance);
        private readonly HashSet<Statement> _pushAt = new(StatementIdentity.Instance);
        private readonly Dictionary<Statement, (Block Block, int Index)> _position = new(StatementIdentity.Instance);
        private readonly Dictionary<Block, Statement> _owner = new(BlockIdentity.Instance);
        private readonly List<Statement> _hoisted = new();
        private string _result = "";

        public ReverseSweep(Procedure p, Func<string, string> outputName)
        {
            _p = p;
            _g = p.Graph;
            _outputName = outputName;
            _names = new NameBuilder(p.Kinds.Keys);
            foreach (var parameter in p.Parameters)
            {
                _names.Reserve(outputName(parameter.Name));
            }

            _active = ProcedureAnalysis.Active(p, p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput).Select(x => x.Name));
        }

        public Procedure Build()
        {
            Analyze(_p.Body, new List<For>());
            DropDeadTerms();
            DecideSaves(_p.Body, new List<For>());

            // Adjoints: outputs for parameters (scalars through a local), locals for everything else.
            var prologue = new List<Statement>();
            var epilogue = new List<Statement>();
            var parameters = new List<Parameter>(_p.Parameters);
            foreach (var parameter in _p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput))
            {
                string output = _outputName(parameter.Name);
                parameters.Add(new Parameter(output, parameter.Kind, Differentiable: false, IsOutput: true));
                if (parameter.Kind == ValueKind.Array)
                {
                    _adjoint[parameter.Name] = output;
                    prologue.Add(new Clear(output));
                }
                else
                {
                    string local = _names.Adjoint(parameter.Name);
                    _adjoint[parameter.Name] = local;
                    prologue.Add(new Declare(local, ValueKind.Real, _g.Zero));
                    epilogue.Add(new Assign(output, _g.Var(local)));
                }
            }

            foreach (var pair in _p.Kinds)
            {
                if (_active.Contains(pair.Key) && !_adjoint.ContainsKey(pair.Key) && pair.Value != ValueKind.Integer)
                {
                    _adjoint[pair.Key] = _names.Adjoint(pair.Key);
                }
            }

            _result = _names.Unique("value");
            _hoisted.Add(new Declare(_result, ValueKind.Real, _g.Zero));
            var forward = Forward(_p.Body, depth: 0);
            var reverse = Reverse(_p.Body);

            var body = new List<Statement>();
            body.AddRange(prologue);
            body.AddRange(_hoisted);
            body.AddRange(forward);
            body.AddRange(reverse);
            body.AddRange(epilogue);
            body.Add(new Return(_g.Var(_result)));
            return DeadStores.Remove(new Procedure(_p.Name + "Gradient", parameters, new Block(body), _g));
        }

        // ---- analysis --------------------------------------------------------------------------

        private void Analyze(Block block, List<For> loops)
        {
            for (int index = 0; index < block.Statements.Count; index++)
            {
                var s = block.Statements[index];
                _position[s] = (block, index);
                switch (s)
                {
                    case Declare d when d.Kind != ValueKind.Array:
                        Assigned(d.Name, loops);
                        Linear(s, d.Name, d.Initial ?? _g.Zero, null);
                        break;
                    case Assign a:
                        Assigned(a.Target, loops);
                        Linear(s, a.Target, a.Value, null);
                        break;
                    case Store st:
                        Assigned(st.Array, loops);
                        Linear(s, st.Array, st.Value, st.Index);
                        break;
                    case Return r:
                        Linear(s, null, r.Value, null);
                        break;
                    case For f:
                        _owner[f.Body] = f;
                        loops.Add(f);
                        Analyze(f.Body, loops);
                        loops.RemoveAt(loops.Count - 1);
                        break;
                    case If i:
                        _owner[i.Then] = i;
                        _owner[i.Else] = i;
                        Analyze(i.Then, loops);
                        Analyze(i.Else, loops);
                        break;
                }
            }

            foreach (var name in _p.Kinds.Keys)
            {
                if (!_assignments.ContainsKey(name))
                {
                    _neverAssigned.Add(name);
                }
            }
        }

        private void Assigned(string name, List<For> loops)
        {
            _assignments[name] = _assignments.TryGetValue(name, out int n) ? n + 1 : 1;
            if (loops.Count > 0)
            {
                _assignedInLoop.Add(name);
            }
        }

        private void Linear(Statement s, string? target, Node value, Node? targetIndex)
        {
            bool active = target is null || _active.Contains(target);
            _linear[s] = active ? Linearize(value, _active) : new List<(Node, Node)>();
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
                ProcedureAnalysis.Visit(loop.Body, other => readInLoop |= ReadsInReverse(other, target, nested: false));
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
                    if (ReadsInReverse(statements[k], target, nested: true))
                    {
                        return true;
                    }

                    if (Defines(statements[k], target))
                    {
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
                        if (ReadsInReverse(statements[k], target, nested: true))
                        {
                            return true;
                        }

                        if (Defines(statements[k], target))
                        {
                            break;
                        }
                    }
                }

                (block, index) = _position[owner];
            }
        }

        private bool ReadsInReverse(Statement s, string target, bool nested)
        {
            if (_reverseReads.TryGetValue(s, out var reads) && reads.Contains(target))
            {
                return true;
            }

            bool found = false;
            if (nested)
            {
                switch (s)
                {
                    case For f:
                        ProcedureAnalysis.Visit(f.Body, inner => found |= ReadsInReverse(inner, target, nested: false));
                        break;
                    case If i:
                        ProcedureAnalysis.Visit(i.Then, inner => found |= ReadsInReverse(inner, target, nested: false));
                        ProcedureAnalysis.Visit(i.Else, inner => found |= ReadsInReverse(inner, target, nested: false));
                        break;
                }
            }

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

        /// <summary>True when a loop bound reads only names that never change while the loop can run.</summary>
        private bool IsStable(Node bound, List<string> enclosingCounters) =>
            ProcedureAnalysis.Reads(bound).All(n => _neverAssigned.Contains(n) || enclosingCounters.Contains(n));

        // ---- forward sweep ---------------------------------------------------------------------

        private readonly Dictionary<Statement, (string? Start, string? End, string? Flag)> _recorded = new(StatementIdentity.Instance);
        private readonly List<string> _counters = new();

        private List<Statement> Forward(Block block, int depth)
        {
            var output = new List<Statement>();
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case Declare d when d.Kind == ValueKind.Array:
                        output.Add(d);
                        if (_adjoint.TryGetValue(d.Name, out var adjointArray))
                        {
                            output.Add(new Declare(adjointArray, ValueKind.Array, Length: d.Length));
                        }

                        break;
                    case Declare d:
                        _hoisted.Add(new Declare(d.Name, d.Kind, _g.Zero));
                        if (_adjoint.TryGetValue(d.Name, out var adjointScalar))
                        {
                            _hoisted.Add(new Declare(adjointScalar, ValueKind.Real, _g.Zero));
                        }

                        SaveScalar(s, d.Name, output);
                        output.Add(new Assign(d.Name, d.Initial ?? _g.Zero));
                        break;
                    case Assign a:
                        SaveScalar(s, a.Target, output);
                        output.Add(a);
                        break;
                    case Store st:
                        if (_pushAt.Contains(s))
                        {
                            output.Add(new Push(_g.Load(st.Array, st.Index)));
                        }

                        output.Add(st);
                        break;
                    case Return r:
                        output.Add(new Assign(_result, r.Value));
                        break;
                    case For f:
                        if (_savedAtLoopEntry.TryGetValue(f, out var saved))
                        {
                            foreach (var name in saved)
                            {
                                output.Add(new Push(_g.Var(name)));
                            }
                        }

                        // Bounds that could change are kept in locals at loop entry and pushed after the loop:
                        // the reverse sweep pops them before it replays the loop, so they must sit above
                        // everything the loop's iterations pushed.
                        string? start = null, end = null;
                        if (!IsStable(f.Start, _counters))
                        {
                            start = HoistInteger("_start");
                            output.Add(new Assign(start, f.Start));
                        }

                        if (!IsStable(f.End, _counters))
                        {
                            end = HoistInteger("_end");
                            output.Add(new Assign(end, f.End));
                        }

                        _recorded[f] = (start, end, null);
                        _counters.Add(f.Counter);
                        output.Add(f with
                        {
                            Start = start is null ? f.Start : _g.Var(start),
                            End = end is null ? f.End : _g.Var(end),
                            Body = new Block(Forward(f.Body, depth + 1)),
                        });
                        _counters.RemoveAt(_counters.Count - 1);
                        if (start is not null)
                        {
                            output.Add(new Push(_g.Var(start)));
                        }

                        if (end is not null)
                        {
                            output.Add(new Push(_g.Var(end)));
                        }

                        break;
                    case If i:
                        // The branch taken is recorded in a flag and pushed after the branch ran, above
                        // whatever the branch pushed: the reverse sweep pops it first, then replays the branch.
                        string flag = HoistInteger("_branch");
                        _recorded[i] = (null, null, flag);
                        var then = new List<Statement> { new Assign(flag, _g.One) };
                        then.AddRange(Forward(i.Then, depth + 1));
                        var otherwise = new List<Statement> { new Assign(flag, _g.Zero) };
                        otherwise.AddRange(Forward(i.Else, depth + 1));
                        output.Add(new If(i.Condition, new Block(then), new Block(otherwise)));
                        output.Add(new Push(_g.Var(flag)));
                        break;
                    default:
                        throw new NotSupportedException($"{s.GetType().Name} cannot be differentiated (it belongs to derivative procedures).");
                }
            }

            return output;
        }

        private void SaveScalar(Statement s, string target, List<Statement> output)
        {
            if (_pushAt.Contains(s))
            {
                output.Add(new Push(_g.Var(target)));
            }
        }

        private string HoistInteger(string stem)
        {
            string name = _names.Unique(stem);
            _hoisted.Add(new Declare(name, ValueKind.Integer, _g.Zero));
            return name;
        }

        // ---- reverse sweep ---------------------------------------------------------------------

        private List<Statement> Reverse(Block block)
        {
            var output = new List<Statement>();
            for (int k = block.Statements.Count - 1; k >= 0; k--)
            {
                var s = block.Statements[k];
                switch (s)
                {
                    case Declare d when d.Kind == ValueKind.Array:
                        break;
                    case Declare d:
                        ReverseScalar(s, d.Name, output);
                        break;
                    case Assign a:
                        ReverseScalar(s, a.Target, output);
                        break;
                    case Store st:
                        ReverseStore(st, output);
                        break;
                    case Return:
                        foreach (var (input, partial) in _linear[s])
                        {
                            output.Add(AccumulateInto(input, partial));
                        }

                        break;
                    case For f:
                        var (start, end, _) = _recorded[f];
                        if (end is not null)
                        {
                            output.Add(new Pop(end));
                        }

                        if (start is not null)
                        {
                            output.Add(new Pop(start));
                        }

                        var body = Reverse(f.Body);
                        if (body.Count > 0)
                        {
                            // the iterations in the opposite order: a loop counting down is replayed counting up
                            output.Add(new For(
                                f.Counter,
                                start is null ? f.Start : _g.Var(start),
                                end is null ? f.End : _g.Var(end),
                                new Block(body),
                                Backward: !f.Backward));
                        }

                        if (_savedAtLoopEntry.TryGetValue(f, out var saved))
                        {
                            for (int i = saved.Count - 1; i >= 0; i--)
                            {
                                output.Add(new Pop(saved[i]));
                            }
                        }

                        break;
                    case If i:
                        string flag = _recorded[i].Flag!;
                        output.Add(new Pop(flag));
                        output.Add(new If(_g.NotEqual(_g.Var(flag), _g.Zero), new Block(Reverse(i.Then)), new Block(Reverse(i.Else))));
                        break;
                }
            }

            return output;
        }

        private void ReverseScalar(Statement s, string target, List<Statement> output)
        {
            var linear = _linear[s];
            if (!_adjoint.TryGetValue(target, out var adjoint) || _dead.Contains(s))
            {
                if (_pushAt.Contains(s))
                {
                    output.Add(new Pop(target));
                }

                return;
            }

            // t = t + e: the adjoint of t passes through unchanged, e's inputs get _d_t·∂e/∂u.
            int self = linear.FindIndex(l => l.Input.Op == Op.Var && l.Input.Name == target);
            if (self >= 0 && linear[self].Partial.IsConstantValue(1.0) && !_pushAt.Contains(s))
            {
                for (int k = 0; k < linear.Count; k++)
                {
                    if (k != self)
                    {
                        output.Add(AccumulateInto(linear[k].Input, _g.Mul(_g.Var(adjoint), linear[k].Partial)));
                    }
                }

                return;
            }

            if (linear.Count == 0)
            {
                // t = constant: nothing upstream, but the old value of t starts with no adjoint of its own.
                output.Add(new Assign(adjoint, _g.Zero));
                if (_pushAt.Contains(s))
                {
                    output.Add(new Pop(target));
                }

                return;
            }

            // r = _d_t; _d_t = 0: the old value of t starts with no adjoint of its own.
            string seed = _names.Unique("_r");
            output.Add(new Declare(seed, ValueKind.Real, _g.Var(adjoint)));
            output.Add(new Assign(adjoint, _g.Zero));
            if (_pushAt.Contains(s))
            {
                output.Add(new Pop(target));
            }

            foreach (var (input, partial) in linear)
            {
                output.Add(AccumulateInto(input, _g.Mul(_g.Var(seed), partial)));
            }
        }

        private void ReverseStore(Store st, List<Statement> output)
        {
            string? seed = null;
            if (_adjoint.TryGetValue(st.Array, out var adjoint) && !_dead.Contains(st))
            {
                seed = _names.Unique("_r");
                output.Add(new Declare(seed, ValueKind.Real, _g.Load(adjoint, st.Index)));
                output.Add(new Store(adjoint, st.Index, _g.Zero));
            }

            if (_pushAt.Contains(st))
            {
                output.Add(new PopStore(st.Array, st.Index));
            }

            if (seed is not null)
            {
                foreach (var (input, partial) in _linear[st])
                {
                    output.Add(AccumulateInto(input, _g.Mul(_g.Var(seed), partial)));
                }
            }
        }

        private Statement AccumulateInto(Node input, Node amount) =>
            input.Op == Op.Load
                ? new AccumulateElement(_adjoint[input.Name!], input.ArgArray[0], amount)
                : new Accumulate(_adjoint[input.Name!], amount);
    }

    private sealed class ForwardSweep
    {
        private readonly Procedure _p;
        private readonly Graph _g;
        private readonly Func<string, string> _tangentName;
        private readonly string _outputTangent;
        private readonly HashSet<string> _active;
        private readonly Dictionary<string, string> _tangent = new(StringComparer.Ordinal);
        private readonly Dictionary<Node, List<(Node Input, Node Partial)>> _linear = new(NodeIdentity.Comparer);
        private readonly NameBuilder _names;
        private UsefulAnalysis? _useful;

        public ForwardSweep(Procedure p, Func<string, string> tangentName, string outputTangent)
        {
            _p = p;
            _g = p.Graph;
            _tangentName = tangentName;
            _outputTangent = outputTangent;
            _names = new NameBuilder(p.Kinds.Keys);
            _names.Reserve(outputTangent);
            var seeds = p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput).Select(x => x.Name).ToList();
            // In a gradient procedure the adjoints become active too: Active follows accumulations.
            _active = ProcedureAnalysis.Active(p, seeds);
        }

        public Procedure Build()
        {
            var parameters = new List<Parameter>();
            var prologue = new List<Statement>();
            foreach (var parameter in _p.Parameters)
            {
                parameters.Add(parameter);
            }

            foreach (var parameter in _p.Parameters)
            {
                if (parameter.Kind == ValueKind.Integer || !_active.Contains(parameter.Name) || (!parameter.Differentiable && !parameter.IsOutput))
                {
                    continue;
                }

                string name = _tangentName(parameter.Name);
                _names.Reserve(name);
                _tangent[parameter.Name] = name;
                parameters.Add(new Parameter(name, parameter.Kind, Differentiable: false, IsOutput: parameter.IsOutput));
            }

            foreach (var pair in _p.Kinds)
            {
                if (_active.Contains(pair.Key) && !_tangent.ContainsKey(pair.Key) && pair.Value != ValueKind.Integer)
                {
                    _tangent[pair.Key] = _names.Tangent(pair.Key);
                }
            }

            parameters.Add(new Parameter(_outputTangent, ValueKind.Real, Differentiable: false, IsOutput: true));
            prologue.Add(new Assign(_outputTangent, _g.Zero));
            _useful = UsefulAnalysis.Run(_p, s => Inputs(s).Select(l => l.Input.Name!));
            var body = new List<Statement>(prologue);
            body.AddRange(Transform(_p.Body));
            return DeadStores.Remove(new Procedure(_p.Name + "Tangent", parameters, new Block(body), _g));
        }

        /// <summary>The active leaves of the value a statement writes, with their partials (cached per value).</summary>
        private List<(Node Input, Node Partial)> Inputs(Statement s)
        {
            Node? value = s switch
            {
                Declare d when d.Kind != ValueKind.Array => d.Initial,
                Assign a => a.Value,
                Store st => st.Value,
                Accumulate acc => acc.Value,
                AccumulateElement acc => acc.Value,
                Push push => push.Value,
                Return r => r.Value,
                _ => null,
            };
            if (value is null)
            {
                return new List<(Node, Node)>();
            }

            if (!_linear.TryGetValue(value, out var linear))
            {
                _linear[value] = linear = Linearize(value, _active);
            }

            return linear;
        }

        /// <summary>
        /// The tangent of the value <paramref name="s"/> writes into <paramref name="target"/>: null when it
        /// has no active leaves, or when that value cannot reach the result (its tangent is never read, and
        /// computing it could multiply a zero tangent by an infinite partial).
        /// </summary>
        private Node? TangentOf(Statement s, string target) =>
            _useful!.UsefulAfter(s, target) ? TangentOf(Inputs(s)) : null;

        /// <summary>Σ ∂e/∂u · tan(u) over the active leaves of e (null when e has none).</summary>
        private Node? TangentOf(List<(Node Input, Node Partial)> linear)
        {
            Node? sum = null;
            foreach (var (input, partial) in linear)
            {
                Node tangent = input.Op == Op.Load ? _g.Load(_tangent[input.Name!], input.ArgArray[0]) : _g.Var(_tangent[input.Name!]);
                var term = _g.Mul(partial, tangent);
                sum = sum is null ? term : _g.Add(sum, term);
            }

            return sum;
        }

        private List<Statement> Transform(Block block)
        {
            var output = new List<Statement>();
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case Declare d when d.Kind == ValueKind.Array:
                        output.Add(d);
                        if (_tangent.TryGetValue(d.Name, out var tangentArray))
                        {
                            output.Add(new Declare(tangentArray, ValueKind.Array, Length: d.Length));
                        }

                        break;
                    case Declare d:
                        if (_tangent.TryGetValue(d.Name, out var t0))
                        {
                            output.Add(new Declare(t0, ValueKind.Real, TangentOf(s, d.Name) ?? _g.Zero));
                        }

                        output.Add(d);
                        break;
                    case Assign a:
                        if (_tangent.TryGetValue(a.Target, out var t1))
                        {
                            output.Add(new Assign(t1, TangentOf(s, a.Target) ?? _g.Zero));
                        }

                        output.Add(a);
                        break;
                    case Store st:
                        if (_tangent.TryGetValue(st.Array, out var t2))
                        {
                            output.Add(new Store(t2, st.Index, TangentOf(s, st.Array) ?? _g.Zero));
                        }

                        output.Add(st);
                        break;
                    case Accumulate acc:
                        if (_tangent.TryGetValue(acc.Target, out var t3) && TangentOf(s, acc.Target) is { } dv)
                        {
                            output.Add(new Accumulate(t3, dv));
                        }

                        output.Add(acc);
                        break;
                    case AccumulateElement acc:
                        if (_tangent.TryGetValue(acc.Array, out var t4) && TangentOf(s, acc.Array) is { } de)
                        {
                            output.Add(new AccumulateElement(t4, acc.Index, de));
                        }

                        output.Add(acc);
                        break;
                    case Clear clear:
                        output.Add(clear);
                        if (_tangent.TryGetValue(clear.Array, out var t5))
                        {
                            output.Add(new Clear(t5));
                        }

                        break;
                    case Push push:
                        // value first, then its tangent; pops take them in the opposite order
                        output.Add(push);
                        output.Add(new Push(TangentOf(Inputs(s)) ?? _g.Zero));
                        break;
                    case Pop pop:
                        output.Add(_tangent.TryGetValue(pop.Target, out var t6) ? new Pop(t6) : new Pop(Pop.Discard));
                        output.Add(pop);
                        break;
                    case PopStore pop:
                        if (_tangent.TryGetValue(pop.Array, out var t7))
                        {
                            output.Add(new PopStore(t7, pop.Index));
                        }
                        else
                        {
                            output.Add(new Pop(Pop.Discard));
                        }

                        output.Add(pop);
                        break;
                    case For f:
                        output.Add(f with { Body = new Block(Transform(f.Body)) });
                        break;
                    case If i:
                        output.Add(new If(i.Condition, new Block(Transform(i.Then)), new Block(Transform(i.Else))));
                        break;
                    case Return r:
                        output.Add(new Assign(_outputTangent, TangentOf(Inputs(s)) ?? _g.Zero));
                        output.Add(r);
                        break;
                }
            }

            return output;
        }
    }
}
