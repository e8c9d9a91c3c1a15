using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Reverse mode over a procedure (<see cref="ProcedureDerivatives.Gradient"/>): a forward sweep that runs
/// the procedure and saves what <see cref="SavePlan"/> says, then a reverse sweep that runs every loop
/// backwards, restores the saved values and accumulates adjoints by the rules of <see cref="OpTable"/>.
/// An <c>if</c> whose condition reads only names nothing writes (and the enclosing counters) is evaluated
/// again by the reverse sweep; otherwise the branch taken in a loop is pushed after the branch ran (the
/// reverse sweep pops it before replaying the branch; outside loops a local keeps it), and loop bounds that could change while the loop runs are kept in locals at loop
/// entry and pushed after the loop; a while or do loop counts its trips, and the reverse sweep replays that
/// count with a counting-down for. Primal subexpressions a statement's partials need (eˣ in (eˣ)' = eˣ)
/// are recomputed inside that statement's reverse step rather than saved.
/// </summary>
internal sealed class ReverseSweep
{
    private readonly Procedure _p;
    private readonly Graph _g;
    private readonly Func<string, string> _outputName;
    private readonly Func<string, string>? _seedName;
    private readonly NameBuilder _names;
    private readonly HashSet<string> _active;
    private readonly SavePlan _plan;
    private readonly Dictionary<string, string> _adjoint = new(StringComparer.Ordinal);
    private readonly List<Statement> _hoisted = new();
    private readonly Dictionary<Statement, (string? Start, string? End, string? Flag)> _recorded = new(StatementIdentity.Instance);
    private readonly List<string> _counters = new();
    private readonly Dictionary<Statement, (string Trips, bool Pushed)> _tripCounts = new(StatementIdentity.Instance);
    private readonly HashSet<Statement> _pushedFlags = new(StatementIdentity.Instance);
    private int _openWhiles;
    private string _result = "";

    /// <summary>Prepares the sweep of <paramref name="p"/>, which it extends with new nodes: pass a procedure in a graph of its own.</summary>
    /// <param name="p">The procedure.</param>
    /// <param name="outputName">The name of the adjoint output of each differentiable input.</param>
    /// <param name="seedName">For a procedure with output arrays: the name of the read-only input that seeds each output's adjoint (ȳ of x̄ = Jᵀȳ).</param>
    /// <param name="cacheElements">The gradient's outputs may keep values (<see cref="ElementCache"/>): not a Hessian-vector product's scratch.</param>
    public ReverseSweep(Procedure p, Func<string, string> outputName, Func<string, string>? seedName = null, bool cacheElements = false)
    {
        var reserved = new List<string>();
        foreach (var parameter in p.Parameters)
        {
            reserved.Add(outputName(parameter.Name));
            if (seedName is not null && parameter.IsOutput)
            {
                reserved.Add(seedName(parameter.Name));
            }
        }

        var seeds = p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput).Select(x => x.Name).ToList();
        p = PartialValues.Split(p, ProcedureAnalysis.Active(p, seeds), reserved, cacheElements);
        _p = p;
        _g = p.Graph;
        _outputName = outputName;
        _seedName = seedName;
        _names = new NameBuilder(p.Kinds.Keys.Concat(reserved));
        _active = ProcedureAnalysis.Active(p, seeds);
        _plan = SaveAnalysis.Run(p, _active);
    }

    public Procedure Build()
    {
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

        SeedOutputs(parameters, prologue);
        var (keep, putBack) = KeepOutputs(prologue);
        foreach (var pair in _p.Kinds)
        {
            if (_active.Contains(pair.Key) && !_adjoint.ContainsKey(pair.Key) && pair.Value != ValueKind.Integer)
            {
                _adjoint[pair.Key] = _names.Adjoint(pair.Key);
            }
        }

        // a procedure without a return (a vector-output method) has outputs in place of a value
        bool returns = ProcedureDerivatives.Returns(_p);
        if (returns)
        {
            _result = _names.Unique("value");
            _hoisted.Add(new Declare(_result, ValueKind.Real, _g.Zero));
        }

        var forward = Forward(_p.Body, depth: 0);
        var reverse = Reverse(_p.Body);

        var body = new List<Statement>();
        body.AddRange(prologue);
        body.AddRange(_hoisted);
        body.AddRange(forward);
        body.AddRange(keep);
        body.AddRange(reverse);
        body.AddRange(putBack);
        body.AddRange(epilogue);
        if (returns)
        {
            body.Add(new Return(_g.Var(_result)));
        }

        return new Procedure(_p.Name + "Gradient", parameters, new Block(body), _g);
    }

    /// <summary>
    /// An output array's adjoint starts as its seed ȳ (a read-only parameter named by the seed picker), where the
    /// scalar result's starts as 1; the reverse sweep then reads and clears it element by element as it does a local array's.
    /// </summary>
    private void SeedOutputs(List<Parameter> parameters, List<Statement> prologue)
    {
        foreach (var output in _p.Parameters.Where(x => x.IsOutput && x.Kind == ValueKind.Array))
        {
            if (_seedName is null)
            {
                throw new InvalidOperationException($"The output array '{output.Name}' needs a seed: differentiate it by ProcedureDerivatives.VectorJacobianProduct.");
            }

            string seed = _seedName(output.Name);
            parameters.Add(new Parameter(seed, ValueKind.Array, Differentiable: false));
            if (!_active.Contains(output.Name))
            {
                continue;
            }

            string adjoint = _names.Adjoint(output.Name);
            _adjoint[output.Name] = adjoint;
            var length = _g.Var(output.Name + ".Length");
            prologue.Add(new Declare(adjoint, ValueKind.Array, Length: length));
            prologue.Add(Copy(seed, adjoint, length));
        }
    }

    /// <summary>
    /// The reverse sweep gives overwritten elements back their old values; an output array whose stores it
    /// restores is copied aside after the forward sweep and back at the end, so that it ends with the values.
    /// </summary>
    private (List<Statement> Keep, List<Statement> PutBack) KeepOutputs(List<Statement> prologue)
    {
        var keep = new List<Statement>();
        var putBack = new List<Statement>();
        foreach (var output in _p.Parameters.Where(x => x.IsOutput && x.Kind == ValueKind.Array))
        {
            bool restored = false;
            ProcedureAnalysis.Visit(_p.Body, s => restored |= (s is Store st && st.Array == output.Name || s is Invoke c && c.Output.Array == output.Name) && _plan.PushesAt(s));
            if (!restored)
            {
                continue;
            }

            string final = _names.Unique("_final_" + output.Name);
            var length = _g.Var(output.Name + ".Length");
            prologue.Add(new Declare(final, ValueKind.Array, Length: length));
            keep.Add(Copy(output.Name, final, length));
            putBack.Add(Copy(final, output.Name, length));
        }

        return (keep, putBack);
    }

    /// <summary><c>for (int i = 0; i &lt; length; i++) to[i] = from[i];</c></summary>
    private For Copy(string from, string to, Node length)
    {
        var i = _g.Var(_names.Unique("i"));
        return new For(i.Name!, _g.Zero, length, new Block(new Statement[] { new Store(to, i, _g.Load(from, i)) }));
    }

    /// <summary>True when a loop bound reads only names that never change while the loop can run.</summary>
    private bool IsStable(Node bound, List<string> enclosingCounters) =>
        ProcedureAnalysis.Reads(bound).All(n => _plan.Unchanging(n) || enclosingCounters.Contains(n));

    // ---- forward sweep ---------------------------------------------------------------------

    private List<Statement> Forward(Block block, int depth)
    {
        var output = new List<Statement>();
        foreach (var s in block.Statements)
        {
            foreach (var (array, length) in _plan.SnapshotsBefore(s))
            {
                output.Add(OverArray(length, k => new Push(_g.Load(array, k)), backward: false));
            }

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
                    if (_plan.PushesAt(s))
                    {
                        output.Add(new Push(_g.Load(st.Array, st.Index)));
                    }

                    output.Add(st);
                    break;
                case Return r:
                    output.Add(new Assign(_result, r.Value));
                    break;
                case For f:
                    foreach (var name in _plan.SavedAtEntry(f))
                    {
                        output.Add(new Push(_g.Var(name)));
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
                case If i when IsStable(i.Condition, _counters):
                    // A condition on names nothing writes (and the enclosing counters) has the same value
                    // in the reverse sweep, which evaluates it again: no flag to save.
                    _recorded[i] = (null, null, null);
                    output.Add(i with { Then = new Block(Forward(i.Then, depth + 1)), Else = new Block(Forward(i.Else, depth + 1)) });
                    break;
                case If i:
                    // The branch taken is recorded in a flag. Inside a loop it is pushed after the branch ran,
                    // above whatever the branch pushed: the reverse sweep pops it first, then replays the branch;
                    // elsewhere the branch runs once and the local keeps it.
                    string flag = HoistInteger("_branch");
                    _recorded[i] = (null, null, flag);
                    var then = new List<Statement> { new Assign(flag, _g.One) };
                    then.AddRange(Forward(i.Then, depth + 1));
                    var otherwise = new List<Statement> { new Assign(flag, _g.Zero) };
                    otherwise.AddRange(Forward(i.Else, depth + 1));
                    output.Add(new If(i.Condition, new Block(then), new Block(otherwise)));
                    if (InLoop)
                    {
                        output.Add(new Push(_g.Var(flag)));
                        _pushedFlags.Add(i);
                    }

                    break;
                case While w:
                    ForwardWhile(w, depth, output);
                    break;
                case Invoke c:
                    if (_plan.PushesAt(s))
                    {
                        output.Add(OverSlice(c.Output, k => new Push(_g.Load(c.Output.Array!, k)), backward: false));
                    }

                    output.Add(c);
                    break;
                default:
                    throw new NotSupportedException($"{s.GetType().Name} cannot be differentiated (it belongs to derivative procedures).");
            }
        }

        return output;
    }

    /// <summary>
    /// A while or do loop counts its trips in an int local. Inside another loop the count is pushed after the
    /// loop, above what its trips pushed (the reverse sweep pops it first); elsewhere the local keeps it.
    /// </summary>
    private void ForwardWhile(While w, int depth, List<Statement> output)
    {
        foreach (var name in _plan.SavedAtEntry(w))
        {
            output.Add(new Push(_g.Var(name)));
        }

        string trips = HoistInteger("_trips");
        bool nested = InLoop;
        _tripCounts[w] = (trips, nested);
        output.Add(new Assign(trips, _g.Zero));
        var body = new List<Statement> { new Assign(trips, _g.Add(_g.Var(trips), _g.One)) };
        _openWhiles++;
        body.AddRange(Forward(w.Body, depth + 1));
        _openWhiles--;
        output.Add(w with { Body = new Block(body) });
        if (nested)
        {
            output.Add(new Push(_g.Var(trips)));
        }
    }

    /// <summary>Replays a while or do loop's recorded trips, last first, as a counted loop.</summary>
    private void ReverseWhile(While w, List<Statement> output)
    {
        var (trips, pushed) = _tripCounts[w];
        if (pushed)
        {
            output.Add(new Pop(trips));
        }

        var body = Reverse(w.Body);
        if (body.Count > 0)
        {
            output.Add(new For(_names.Unique("_trip"), _g.Zero, _g.Var(trips), new Block(body), Backward: true));
        }

        var saved = _plan.SavedAtEntry(w);
        for (int i = saved.Count - 1; i >= 0; i--)
        {
            output.Add(new Pop(saved[i]));
        }
    }

    private void SaveScalar(Statement s, string target, List<Statement> output)
    {
        if (_plan.PushesAt(s))
        {
            output.Add(new Push(_g.Var(target)));
        }
    }

    /// <summary>Whether the forward sweep is inside a loop: what it records there must be pushed per trip.</summary>
    private bool InLoop => _counters.Count + _openWhiles > 0;

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
        foreach (var local in _plan.RecomputedIn(block))
        {
            output.Add(new Assign(local.Name, local.Initial!));
        }

        output.AddRange(_plan.RefilledIn(block));

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
                    foreach (var (input, partial) in _plan.Terms(s))
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

                    var saved = _plan.SavedAtEntry(f);
                    for (int i = saved.Count - 1; i >= 0; i--)
                    {
                        output.Add(new Pop(saved[i]));
                    }

                    break;
                case If i when _recorded[i].Flag is null:
                    output.Add(i with { Then = new Block(Reverse(i.Then)), Else = new Block(Reverse(i.Else)) });
                    break;
                case If i:
                    string flag = _recorded[i].Flag!;
                    if (_pushedFlags.Contains(i))
                    {
                        output.Add(new Pop(flag));
                    }

                    output.Add(new If(_g.NotEqual(_g.Var(flag), _g.Zero), new Block(Reverse(i.Then)), new Block(Reverse(i.Else))));
                    break;
                case While w:
                    ReverseWhile(w, output);
                    break;
                case Invoke c:
                    ReverseInvoke(c, output);
                    break;
            }

            var snapshots = _plan.SnapshotsBefore(s);
            for (int i = snapshots.Count - 1; i >= 0; i--)
            {
                var array = snapshots[i].Array;
                output.Add(OverArray(snapshots[i].Length, k => new PopStore(array, k), backward: true));
            }
        }

        return output;
    }

    /// <summary>
    /// A call's reverse step calls the callee's vector-Jacobian product with the output slice's adjoint as ȳ; a scalar
    /// argument's partial comes back in a local and flows to what the argument read. Then the slice's old values come back.
    /// </summary>
    private void ReverseInvoke(Invoke c, List<Statement> output)
    {
        var y = c.Output;
        if (!_plan.IsDead(c) && _adjoint.TryGetValue(y.Array!, out var ybar))
        {
            var adjoints = new List<string?>();
            var accumulations = new List<Statement>();
            foreach (var argument in c.Arguments)
            {
                if (!argument.Differentiable)
                {
                    adjoints.Add(null);
                }
                else if (argument.Kind == CallArgumentKind.Array)
                {
                    adjoints.Add(_adjoint.TryGetValue(argument.Array!, out var adjoint) ? adjoint : null);
                }
                else
                {
                    var terms = ProcedureDerivatives.Linearize(argument.Value!, _active);
                    if (terms.Count == 0)
                    {
                        adjoints.Add(null);
                        continue;
                    }

                    string partial = _names.Unique("_r");
                    _hoisted.Add(new Declare(partial, ValueKind.Real, _g.Zero));
                    adjoints.Add(partial);
                    foreach (var (input, derivative) in terms)
                    {
                        accumulations.Add(AccumulateInto(input, _g.Mul(_g.Var(partial), derivative)));
                    }
                }
            }

            output.Add(new InvokeVjp(c, ybar, new ValueList<string?>(adjoints)));
            output.AddRange(accumulations);
        }

        if (_plan.PushesAt(c))
        {
            output.Add(OverSlice(y, k => new PopStore(y.Array!, k), backward: true));
        }
    }

    /// <summary><c>for (k = 0; k &lt; length; k++) body(offset + k)</c> over a call's slice (counting down for <paramref name="backward"/>).</summary>
    private For OverSlice(CallArgument slice, Func<Node, Statement> body, bool backward)
    {
        var k = _g.Var(_names.Unique("k"));
        return new For(k.Name!, _g.Zero, slice.Length!, new Block(new[] { body(_g.Add(slice.Offset!, k)) }), Backward: backward);
    }

    /// <summary><c>for (k = 0; k &lt; length; k++) body(k)</c> (counting down for <paramref name="backward"/>).</summary>
    private For OverArray(Node length, Func<Node, Statement> body, bool backward)
    {
        var k = _g.Var(_names.Unique("k"));
        return new For(k.Name!, _g.Zero, length, new Block(new[] { body(k) }), Backward: backward);
    }

    private void ReverseScalar(Statement s, string target, List<Statement> output)
    {
        var linear = _plan.Terms(s);
        if (!_adjoint.TryGetValue(target, out var adjoint) || _plan.IsDead(s))
        {
            Restore(s, target, output);
            return;
        }

        // t = t + e: the adjoint of t passes through unchanged, e's inputs get _d_t·∂e/∂u.
        int self = -1;
        for (int k = 0; k < linear.Count; k++)
        {
            if (linear[k].Input.Op == Op.Var && linear[k].Input.Name == target)
            {
                self = k;
            }
        }

        if (self >= 0 && linear[self].Partial.IsConstantValue(1.0) && !_plan.PushesAt(s))
        {
            for (int k = 0; k < linear.Count; k++)
            {
                if (k != self)
                {
                    output.Add(AccumulateInto(linear[k].Input, Scale(adjoint, linear[k].Partial)));
                }
            }

            return;
        }

        if (linear.Count == 0)
        {
            // t = constant: nothing upstream, but the old value of t starts with no adjoint of its own.
            output.Add(new Assign(adjoint, _g.Zero));
            Restore(s, target, output);
            return;
        }

        // r = _d_t; _d_t = 0: the old value of t starts with no adjoint of its own.
        string seed = _names.Unique("_r");
        output.Add(new Declare(seed, ValueKind.Real, _g.Var(adjoint)));
        output.Add(new Assign(adjoint, _g.Zero));
        // partials that read the value defined run before the old one is restored
        bool before = _plan.ReadsStoredValue(s);
        if (!before)
        {
            Restore(s, target, output);
        }

        foreach (var (input, partial) in linear)
        {
            output.Add(AccumulateInto(input, Scale(seed, partial)));
        }

        if (before)
        {
            Restore(s, target, output);
        }
    }

    /// <summary>Gives a scalar back the value <paramref name="s"/> overwrote: popped, or an integer step undone.</summary>
    private void Restore(Statement s, string target, List<Statement> output)
    {
        if (_plan.PushesAt(s))
        {
            output.Add(new Pop(target));
        }
        else if (_plan.Inverts(s) && s is Assign { Value: var step })
        {
            var args = step.ArgArray;
            bool first = args[0].Op == Op.Var && args[0].Name == target;
            var amount = first ? args[1] : args[0];
            output.Add(new Assign(target, step.Op == Op.Add ? _g.Sub(_g.Var(target), amount) : _g.Add(_g.Var(target), amount)));
        }
    }

    private void ReverseStore(Store st, List<Statement> output)
    {
        string? seed = null;
        if (_adjoint.TryGetValue(st.Array, out var adjoint) && !_plan.IsDead(st))
        {
            seed = _names.Unique("_r");
            output.Add(new Declare(seed, ValueKind.Real, _g.Load(adjoint, st.Index)));
            output.Add(new Store(adjoint, st.Index, _g.Zero));
        }

        // partials that read the stored element run before it is restored; the others may read the old one
        bool before = _plan.ReadsStoredValue(st);
        if (seed is not null && before)
        {
            Accumulate(st, seed, output);
        }

        if (_plan.PushesAt(st))
        {
            output.Add(new PopStore(st.Array, st.Index));
        }

        if (seed is not null && !before)
        {
            Accumulate(st, seed, output);
        }
    }

    private void Accumulate(Store st, string seed, List<Statement> output)
    {
        foreach (var (input, partial) in _plan.Terms(st))
        {
            output.Add(AccumulateInto(input, Scale(seed, partial)));
        }
    }

    /// <summary>seed·partial, guarded against 0·∞ where the partial can be infinite, also through a local holding a kept eˣ.</summary>
    private Node Scale(string seed, Node partial) =>
        ZeroSeed.Scale(_g, _g.Var(seed), partial, infinite: ProcedureAnalysis.Reads(partial).Any(_plan.MayBeInfinite));

    private Statement AccumulateInto(Node input, Node amount) =>
        input.Op == Op.Load
            ? new AccumulateElement(_adjoint[input.Name!], input.ArgArray[0], amount)
            : new Accumulate(_adjoint[input.Name!], amount);
}
