using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Recognizes counted loops that apply an element-wise map over unit-stride slices — <c>y[i] = tanh(x[i])</c>,
/// <c>y[i] = a[i]·b[i] + c</c>, the adjoints <c>x̄[i] += ȳ[i]·(1 − y[i]²)</c> — possibly with sums of their
/// elements (<c>s += y[i]</c>), so that the printer runs each written slice as a vector loop (arithmetic lane
/// by lane: the same bits as the scalar loop) with a scalar tail, and a function from <see cref="Rules"/>
/// over the whole slice (<c>TensorPrimitives</c>). Locals of the body are substituted into their readers;
/// an array written in the loop is read only at the element it writes, so no trip depends on another.
/// </summary>
internal static class LoopMaps
{
    /// <summary>How the lanes of a map compute an operation ({0}, {1}, {2}: the operands' lanes), or which slice function applies it.</summary>
    internal sealed record Rule(string? Lanes, string? SliceFunction);

    /// <summary>The operations a map may apply: one table. Slice functions apply only to the whole value a store writes.</summary>
    internal static readonly IReadOnlyDictionary<Op, Rule> Rules = new Dictionary<Op, Rule>
    {
        [Op.Add] = new("({0} + {1})", null),
        [Op.Sub] = new("({0} - {1})", null),
        [Op.Mul] = new("({0} * {1})", null),
        [Op.Div] = new("({0} / {1})", null),
        [Op.Neg] = new("(-{0})", null),
        [Op.Select] = new("global::System.Numerics.Vector.ConditionalSelect({0}, {1}, {2})", null),
        [Op.Equal] = new("global::System.Numerics.Vector.Equals({0}, {1})", null),
        [Op.Less] = new("global::System.Numerics.Vector.LessThan({0}, {1})", null),
        [Op.LessEqual] = new("global::System.Numerics.Vector.LessThanOrEqual({0}, {1})", null),
        [Op.Greater] = new("global::System.Numerics.Vector.GreaterThan({0}, {1})", null),
        [Op.GreaterEqual] = new("global::System.Numerics.Vector.GreaterThanOrEqual({0}, {1})", null),
        [Op.Relu] = new("global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.GreaterThan({0}, global::System.Numerics.Vector<double>.Zero), {0}, global::System.Numerics.Vector<double>.Zero)", null),
        [Op.Exp] = new(null, "ExpInPlace"),
        [Op.Tanh] = new(null, "TanhInPlace"),
        [Op.Log] = new(null, "LogInPlace"),
    };

    /// <summary>Maps bigger than this many nodes stay loops (and the printer's recursion stays shallow).</summary>
    private const int MaxNodes = 64;

    /// <summary>What a recognized loop does, in an order that keeps every read before or after the write it saw.</summary>
    internal sealed record Map(IReadOnlyList<Effect> Effects);

    /// <summary>One slice written or one sum taken.</summary>
    internal abstract record Effect(Node Value);

    /// <summary><c>Array[Index] = Value</c> for every trip; <see cref="SliceFunction"/> (from <see cref="Rules"/>) applies to <see cref="Effect.Value"/>'s argument when not null.</summary>
    internal sealed record Element(string Array, Node Index, IReadOnlyList<Node> Offset, Node Value, string? SliceFunction) : Effect(Value);

    /// <summary><c>Accumulator += Value</c> for every trip.</summary>
    internal sealed record Sum(string Accumulator, Node Value) : Effect(Value);

    /// <summary>A value and the written arrays it reads as they were before the loop's write (Before) or after it (After).</summary>
    private sealed record Resolved(Node Node, HashSet<string> Before, HashSet<string> After);

    /// <summary>The loop as a map, or null when it is not one.</summary>
    public static Map? Match(For loop, Graph g)
    {
        if (loop.Start.IsConstant && loop.End.IsConstant && loop.End.Value - loop.Start.Value < LoopIdioms.MinimumConstantTrips)
        {
            return null;
        }

        var matcher = new Matcher(loop, g);
        return matcher.Run();
    }

    private sealed class Matcher
    {
        private readonly For _loop;
        private readonly Graph _g;
        private readonly Dictionary<string, Resolved> _locals = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (Node Index, Resolved Value, bool Final)> _arrays = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Resolved> _sums = new(StringComparer.Ordinal);
        private readonly List<string> _order = new();
        private readonly Dictionary<string, Node> _written = new(StringComparer.Ordinal);

        public Matcher(For loop, Graph g)
        {
            _loop = loop;
            _g = g;
            foreach (var s in loop.Body.Statements)
            {
                switch (s)
                {
                    case Store st when !_written.ContainsKey(st.Array):
                        _written[st.Array] = st.Index;
                        break;
                    case AccumulateElement acc when !_written.ContainsKey(acc.Array):
                        _written[acc.Array] = acc.Index;
                        break;
                }
            }
        }

        public Map? Run()
        {
            foreach (var s in _loop.Body.Statements)
            {
                if (!Step(s))
                {
                    return null;
                }
            }

            var effects = new List<(Effect Effect, Resolved Value)>();
            foreach (var name in _order)
            {
                if (_arrays.TryGetValue(name, out var a))
                {
                    var element = AsElement(name, a.Index, a.Value.Node);
                    if (element is null)
                    {
                        return null;
                    }

                    effects.Add((element, a.Value));
                }
                else
                {
                    var sum = _sums[name];
                    if (!IsLanes(sum.Node))
                    {
                        return null;
                    }

                    effects.Add((new Sum(name, sum.Node), sum));
                }
            }

            // a loop that only fills slices with a constant (an adjoint's clearing) reads better as it is
            return effects.Exists(e => e.Effect is Sum || !IsInvariant(e.Effect.Value)) ? Order(effects) : null;
        }

        private bool Step(Statement s)
        {
            switch (s)
            {
                case Declare d when d.Kind == ValueKind.Real && d.Initial is not null && !_locals.ContainsKey(d.Name):
                    return Bind(d.Name, d.Initial);
                case Assign a when _locals.ContainsKey(a.Target):
                    return Bind(a.Target, a.Value);
                case Assign a when a.Value.Op == Op.Add && IsVar(a.Value.Args[0], a.Target):
                    // s = s + e, as the forward sweep writes an accumulation
                    return Accumulate(a.Target, a.Value.Args[1]);
                case Accumulate acc:
                    return Accumulate(acc.Target, acc.Value);
                case Store st:
                    return Write(st.Array, st.Index, st.Value, accumulate: false);
                case AccumulateElement acc:
                    return Write(acc.Array, acc.Index, acc.Value, accumulate: true);
                default:
                    return false;
            }
        }

        private bool Bind(string local, Node value)
        {
            if (_sums.ContainsKey(local) || _written.ContainsKey(local) || Resolve(value) is not { } resolved)
            {
                return false;
            }

            _locals[local] = resolved;
            return true;
        }

        private bool Accumulate(string accumulator, Node value)
        {
            if (_locals.ContainsKey(accumulator) || _written.ContainsKey(accumulator) || accumulator == _loop.Counter || Resolve(value) is not { } resolved)
            {
                return false;
            }

            if (_sums.TryGetValue(accumulator, out var previous))
            {
                resolved = new Resolved(_g.Add(previous.Node, resolved.Node), Union(previous.Before, resolved.Before), Union(previous.After, resolved.After));
            }
            else
            {
                _order.Add(accumulator);
            }

            _sums[accumulator] = resolved;
            return true;
        }

        private bool Write(string array, Node index, Node value, bool accumulate)
        {
            if (LoopIdioms.UnitStrideOffset(index, _loop.Counter) is null || Resolve(value) is not { } resolved)
            {
                return false;
            }

            if (_arrays.TryGetValue(array, out var previous))
            {
                // one element per trip; a value computed by a slice function is final (others read it back)
                if (!previous.Index.Equals(index) || previous.Final)
                {
                    return false;
                }
            }
            else
            {
                _order.Add(array);
            }

            if (accumulate)
            {
                var old = previous.Value ?? new Resolved(_g.Load(array, index), new HashSet<string>(StringComparer.Ordinal) { array }, new HashSet<string>(StringComparer.Ordinal));
                resolved = new Resolved(_g.Add(old.Node, resolved.Node), Union(old.Before, resolved.Before), Union(old.After, resolved.After));
            }

            _arrays[array] = (index, resolved, false);
            return true;
        }

        /// <summary>The value with locals and forwarded elements substituted; null when it reads what a map cannot.</summary>
        private Resolved? Resolve(Node value)
        {
            var order = ValueNodes(value);
            if (order.Count > MaxNodes)
            {
                return null;
            }

            var before = new HashSet<string>(StringComparer.Ordinal);
            var after = new HashSet<string>(StringComparer.Ordinal);
            var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            foreach (var n in order)
            {
                Node result;
                switch (n.Op)
                {
                    case Op.Var when n.Name == _loop.Counter || _sums.ContainsKey(n.Name!):
                        return null;
                    case Op.Var when _locals.TryGetValue(n.Name!, out var local):
                        before.UnionWith(local.Before);
                        after.UnionWith(local.After);
                        result = local.Node;
                        break;
                    case Op.Load:
                        if (LoopIdioms.UnitStrideOffset(n.Args[0], _loop.Counter) is null)
                        {
                            return null;
                        }

                        if (_arrays.TryGetValue(n.Name!, out var written))
                        {
                            if (!written.Index.Equals(n.Args[0]))
                            {
                                return null;
                            }

                            if (IsLanes(written.Value.Node))
                            {
                                // cheap: read the value written, not the element
                                before.UnionWith(written.Value.Before);
                                after.UnionWith(written.Value.After);
                                result = written.Value.Node;
                            }
                            else
                            {
                                _arrays[n.Name!] = (written.Index, written.Value, true);
                                after.Add(n.Name!);
                                result = n;
                            }
                        }
                        else
                        {
                            if (_written.TryGetValue(n.Name!, out var writtenAt))
                            {
                                // an element another trip writes would make the trips depend on each other
                                if (!writtenAt.Equals(n.Args[0]))
                                {
                                    return null;
                                }

                                before.Add(n.Name!);
                            }

                            result = n;
                        }

                        break;
                    default:
                        var args = n.ArgArray;
                        var copied = new Node[args.Length];
                        bool changed = false;
                        for (int k = 0; k < args.Length; k++)
                        {
                            copied[k] = map[args[k]];
                            changed |= !ReferenceEquals(copied[k], args[k]);
                        }

                        result = changed ? _g.Rebuild(n, copied) : n;
                        break;
                }

                map[n] = result;
            }

            return new Resolved(map[value], before, after);
        }

        private Element? AsElement(string array, Node index, Node value)
        {
            var offset = LoopIdioms.UnitStrideOffset(index, _loop.Counter)!;
            if (Rules.TryGetValue(value.Op, out var rule) && rule.SliceFunction is not null)
            {
                return IsLanes(value.Args[0]) ? new Element(array, index, offset, value.Args[0], rule.SliceFunction) : null;
            }

            return IsLanes(value) ? new Element(array, index, offset, value, null) : null;
        }

        /// <summary>
        /// The effects in an order where each reads the arrays it saw before their write before that write runs,
        /// and those it saw after it after; null when no order does.
        /// </summary>
        private static Map? Order(List<(Effect Effect, Resolved Value)> effects)
        {
            string Target(Effect e) => e is Element el ? el.Array : ((Sum)e).Accumulator;
            var ordered = new List<Effect>(effects.Count);
            var done = new HashSet<int>();
            while (ordered.Count < effects.Count)
            {
                int next = -1;
                for (int k = 0; k < effects.Count && next < 0; k++)
                {
                    if (done.Contains(k))
                    {
                        continue;
                    }

                    bool ready = true;
                    for (int j = 0; j < effects.Count && ready; j++)
                    {
                        if (j == k)
                        {
                            continue;
                        }

                        string other = Target(effects[j].Effect);
                        // j must run first when k reads j's slice after the write; j must wait when it reads k's before
                        if (!done.Contains(j) && effects[k].Value.After.Contains(other))
                        {
                            ready = false;
                        }

                        if (done.Contains(j) && effects[k].Value.Before.Contains(other))
                        {
                            return null;
                        }
                    }

                    if (ready && !WaitsForReader(k))
                    {
                        next = k;
                    }
                }

                if (next < 0)
                {
                    return null;
                }

                done.Add(next);
                ordered.Add(effects[next].Effect);
            }

            return new Map(ordered);

            // k writes a slice another effect still to run reads as it was before the loop
            bool WaitsForReader(int k)
            {
                string target = Target(effects[k].Effect);
                for (int j = 0; j < effects.Count; j++)
                {
                    if (j != k && !done.Contains(j) && effects[j].Value.Before.Contains(target))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>True when every node computes lane by lane: arithmetic from <see cref="Rules"/>, invariants and unit-stride loads.</summary>
        private bool IsLanes(Node value)
        {
            foreach (var n in ValueNodes(value))
            {
                // a condition of and/or/not has no lanes to compare: the loop stays a loop
                if (n.Op == Op.Var && n.Name == _loop.Counter || n.Op is Op.And or Op.Or or Op.Not)
                {
                    return false;
                }

                if (n.Op is Op.Const or Op.Var or Op.Load || IsInvariant(n))
                {
                    continue;
                }

                if (!Rules.TryGetValue(n.Op, out var rule) || rule.Lanes is null)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when the value reads no element and no counter: the same in every trip.</summary>
        public bool IsInvariant(Node n)
        {
            foreach (var sub in Traversal.TopologicalOrder(n))
            {
                if (sub.Op == Op.Load || sub.Op == Op.Var && sub.Name == _loop.Counter)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The nodes of a value, operands first, without the insides of element indices.</summary>
        private static List<Node> ValueNodes(Node value)
        {
            var reached = new HashSet<Node>(NodeIdentity.Comparer);
            var pending = new Stack<Node>();
            pending.Push(value);
            while (pending.Count > 0)
            {
                var n = pending.Pop();
                if (reached.Add(n) && n.Op != Op.Load)
                {
                    foreach (var arg in n.ArgArray)
                    {
                        pending.Push(arg);
                    }
                }
            }

            return Traversal.TopologicalOrder(value).FindAll(reached.Contains);
        }

        private static HashSet<string> Union(HashSet<string> a, HashSet<string> b)
        {
            var union = new HashSet<string>(a, StringComparer.Ordinal);
            union.UnionWith(b);
            return union;
        }
    }

    /// <summary>True when the node reads no element and no counter of <paramref name="loop"/>: computed once, before the lanes.</summary>
    internal static bool IsInvariant(Node n, For loop) => new Matcher(loop, null!).IsInvariant(n);

    /// <summary>True for a comparison: its lanes are a mask (a vector of integers), not values to broadcast.</summary>
    internal static bool IsCondition(Node n) => n.Op is Op.Equal or Op.Less or Op.LessEqual or Op.Greater or Op.GreaterEqual;

    private static bool IsVar(Node n, string name) => n.Op == Op.Var && n.Name == name;
}
