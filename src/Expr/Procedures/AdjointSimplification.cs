using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// The clean-ups a person makes to a reverse sweep, each by an analysis of the statement IR over the real scalar
/// locals (an adjoint, a temporary, a loop-local value; never a parameter or an array):
/// <list type="number">
/// <item><b>Constants</b> (forward, a fixpoint at every loop head): a local whose value is known where it is read
/// is replaced by that value (<c>_d_sum</c> is 1 through the loop of a <c>return sum</c>: <c>_d_sum·e</c> becomes
/// <c>e</c>), and <c>t += e</c> where t is known to be 0 (fresh, or reset after its last read) becomes
/// <c>t = e</c>.</item>
/// <item><b>Dead stores</b> (backward liveness, faint variables: a store only its own kind reads is dead too): a
/// write nothing reads before the next write goes, such as the reset <c>_d_a = 0</c> that the next iteration's
/// <c>_d_a = e</c> overwrites.</item>
/// <item><b>Forward substitution</b>: <c>t = e; … s(t)</c> where s is the next statement of the block that mentions
/// t, a simple one, after which t is dead, and nothing in between writes what e reads, becomes <c>… s(e)</c> (the
/// copy <c>_r = _d_a</c> of a single accumulation reads the accumulated value directly).</item>
/// <item><b>Merged accumulations</b>: <c>d[k] += p; … d[k] += q</c> with nothing in between mentioning d or writing
/// what k or p read becomes <c>d[k] += p + q</c>, so each element is read and written once (likewise scalars).</item>
/// </list>
/// Expressions are pure, so these preserve values, except that merging reassociates a sum (equal to rounding) and
/// <c>0 + e</c> is taken as e (a −0 result may come out as −0 rather than +0). Statements whose reads and writes are
/// not listed (calls of layers) are barriers: nothing is known across them.
/// </summary>
internal static class AdjointSimplification
{
    /// <summary>
    /// The simplified procedure (over the same graph). With <paramref name="cacheElements"/>, a value the reverse sweep
    /// would compute again is kept in its output span (<see cref="ElementCache"/>): not for a gradient whose outputs are
    /// scratch (a Hessian-vector product's), where the cache would keep an array nothing else reads.
    /// </summary>
    public static Procedure Apply(Procedure p, bool cacheElements = false)
    {
        if (p is null)
        {
            throw new ArgumentNullException(nameof(p));
        }

        var clean = Clean(RestoredElements.Apply(p));
        var carried = CarriedAccumulations.Carry(clean, clean.Body);
        if (!ReferenceEquals(carried, clean.Body))
        {
            clean = Clean(new Procedure(p.Name, p.Parameters, carried, p.Graph));
        }

        var fresh = new Procedure(p.Name, p.Parameters, CarriedAccumulations.Fresh(clean.Body), p.Graph);
        var covered = new Procedure(p.Name, p.Parameters, CarriedAccumulations.Covered(fresh, fresh.Body), p.Graph);
        return SharedValues.Apply(InnerLoopTables.Apply(cacheElements ? InvariantTables.Apply(ElementCache.Apply(covered)) : covered));
    }

    /// <summary>Constants, then dead stores, substitutions and merges until nothing changes.</summary>
    private static Procedure Clean(Procedure p)
    {
        var locals = RealLocals(p);
        var body = new Constants(p.Graph, locals).Rewrite(p.Body, new Dictionary<string, double>(StringComparer.Ordinal));
        for (int round = 0; round < 8; round++)
        {
            var before = body;
            body = Merges.Rewrite(p.Graph, new Substitutions(p.Graph, locals, body).Rewrite(body));
            if (body.Equals(before))
            {
                break;
            }
        }

        return new Procedure(p.Name, p.Parameters, body, p.Graph);
    }

    /// <summary>The real scalars the body declares (parameters are seen by the caller; arrays by index).</summary>
    private static HashSet<string> RealLocals(Procedure p)
    {
        var locals = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Visit(p.Body, s =>
        {
            if (s is Declare { Kind: ValueKind.Real } d)
            {
                locals.Add(d.Name);
            }
        });
        foreach (var parameter in p.Parameters)
        {
            locals.Remove(parameter.Name);
        }

        return locals;
    }

    /// <summary>A loop or branch with its blocks rewritten; any other statement as it is.</summary>
    internal static Statement Nested(Statement s, Func<Block, Block> rewrite) => s switch
    {
        For f => f with { Body = rewrite(f.Body) },
        While w => w with { Body = rewrite(w.Body) },
        If i => i with { Then = rewrite(i.Then), Else = rewrite(i.Else) },
        _ => s,
    };

    /// <summary>The statements left (null marks one removed).</summary>
    private static Block Compact(List<Statement?> statements)
    {
        var kept = new List<Statement>(statements.Count);
        foreach (var s in statements)
        {
            if (s is not null)
            {
                kept.Add(s);
            }
        }

        return new Block(kept);
    }

    /// <summary>The names a statement reads and writes (an accumulation reads its target); false for a barrier.</summary>
    private static bool Mentions(Statement s, out HashSet<string> reads, out HashSet<string> writes)
    {
        reads = new HashSet<string>(StringComparer.Ordinal);
        writes = new HashSet<string>(StringComparer.Ordinal);
        var block = new Block(new[] { s });
        bool known = ProcedureAnalysis.Collect(block, writes, reads);
        var accumulated = reads;
        ProcedureAnalysis.Visit(block, inner =>
        {
            switch (inner)
            {
                case Accumulate acc: accumulated.Add(acc.Target); break;
                case AccumulateElement acc: accumulated.Add(acc.Array); break;
            }
        });
        return known;
    }

    /// <summary><paramref name="root"/> with the variables of <paramref name="values"/> replaced (shared nodes rebuilt once).</summary>
    private static Node Replace(Graph g, Node root, IReadOnlyDictionary<string, Node> values)
    {
        var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
        foreach (var pair in values)
        {
            map[g.Var(pair.Key)] = pair.Value;
        }

        return Replace(g, root, map);
    }

    /// <summary><paramref name="root"/> with the nodes of <paramref name="map"/> replaced (shared nodes rebuilt once); fills the map.</summary>
    internal static Node Replace(Graph g, Node root, Dictionary<Node, Node> map)
    {
        foreach (var node in Traversal.TopologicalOrder(root))
        {
            if (map.ContainsKey(node))
            {
                continue;
            }

            var args = node.ArgArray;
            Node[]? copied = null;
            for (int i = 0; i < args.Length; i++)
            {
                var arg = map[args[i]];
                if (!ReferenceEquals(arg, args[i]))
                {
                    copied ??= (Node[])args.Clone();
                    copied[i] = arg;
                }
            }

            map[node] = copied is null ? node : g.Rebuild(node, copied);
        }

        return map[root];
    }

    /// <summary>Constant propagation over the real locals; <c>t += e</c> on a known 0 becomes <c>t = e</c>.</summary>
    private sealed class Constants
    {
        private readonly Graph _g;
        private readonly HashSet<string> _locals;

        public Constants(Graph g, HashSet<string> locals)
        {
            _g = g;
            _locals = locals;
        }

        /// <summary>The block rewritten under the facts in <paramref name="known"/>, which it leaves as they are after the block.</summary>
        public Block Rewrite(Block block, Dictionary<string, double> known)
        {
            var output = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                output.Add(Rewrite(s, known));
            }

            return new Block(output);
        }

        private Statement Rewrite(Statement s, Dictionary<string, double> known)
        {
            Node? Sub(Node? n) => n is null ? null : Substitute(n, known);
            switch (s)
            {
                case Declare d when d.Kind == ValueKind.Array:
                    return d;
                case Declare d:
                    var initial = Sub(d.Initial);
                    Learn(known, d.Name, initial ?? _g.Zero);
                    return d with { Initial = initial };
                case Assign a:
                    var value = Sub(a.Value)!;
                    Learn(known, a.Target, value);
                    return a with { Value = value };
                case Accumulate acc:
                    var amount = Sub(acc.Value)!;
                    if (known.TryGetValue(acc.Target, out double old) && old == 0.0)
                    {
                        // 0 + e is e: the accumulation is the adjoint's first definition
                        Learn(known, acc.Target, amount);
                        return new Assign(acc.Target, amount);
                    }

                    known.Remove(acc.Target);
                    return acc with { Value = amount };
                case Store st:
                    return st with { Index = Sub(st.Index)!, Value = Sub(st.Value)! };
                case AccumulateElement ae:
                    return ae with { Index = Sub(ae.Index)!, Value = Sub(ae.Value)! };
                case Push push:
                    return push with { Value = Sub(push.Value)! };
                case Return r:
                    return r with { Value = Sub(r.Value)! };
                case Pop pop:
                    known.Remove(pop.Target);
                    return pop;
                case PopStore or Clear:
                    return s;
                case For f:
                    var start = Sub(f.Start)!;
                    var end = Sub(f.End)!;
                    var head = LoopHead(f.Body, known);
                    var body = Rewrite(f.Body, Copy(head));
                    Reset(known, head);
                    return f with { Start = start, End = end, Body = body };
                case While w:
                    var whileHead = LoopHead(w.Body, known);
                    var condition = Condition(w.Condition, whileHead);
                    var whileBody = Rewrite(w.Body, Copy(whileHead));
                    Reset(known, whileHead);
                    return w with { Condition = condition, Body = whileBody };
                case If i:
                    var branch = Condition(i.Condition, known);
                    var afterThen = Copy(known);
                    var then = Rewrite(i.Then, afterThen);
                    var otherwise = Rewrite(i.Else, known);
                    Reset(known, Meet(afterThen, known));
                    return i with { Condition = branch, Then = then, Else = otherwise };
                default:
                    // a call: what it writes is not listed here
                    known.Clear();
                    return s;
            }
        }

        /// <summary>The facts that hold at the head of a loop on every trip: a fixpoint from those at entry.</summary>
        private Dictionary<string, double> LoopHead(Block body, Dictionary<string, double> entry)
        {
            var head = Copy(entry);
            while (true)
            {
                var after = Copy(head);
                Rewrite(body, after);
                var next = Meet(head, after);
                if (next.Count == head.Count)
                {
                    return head;
                }

                head = next;
            }
        }

        /// <summary>A condition with the known values in, unless that folds it to a constant (printed C# needs a bool there).</summary>
        private Node Condition(Node condition, Dictionary<string, double> known)
        {
            var substituted = Substitute(condition, known);
            return substituted.IsConstant ? condition : substituted;
        }

        private void Learn(Dictionary<string, double> known, string name, Node value)
        {
            if (_locals.Contains(name) && value.IsConstant)
            {
                known[name] = value.Value;
            }
            else
            {
                known.Remove(name);
            }
        }

        private Node Substitute(Node n, Dictionary<string, double> known)
        {
            if (known.Count == 0)
            {
                return n;
            }

            var values = new Dictionary<string, Node>(StringComparer.Ordinal);
            foreach (var name in ProcedureAnalysis.Reads(n))
            {
                if (known.TryGetValue(name, out double value))
                {
                    values[name] = _g.Const(value);
                }
            }

            return values.Count == 0 ? n : Replace(_g, n, values);
        }

        private static Dictionary<string, double> Copy(Dictionary<string, double> known) => new(known, StringComparer.Ordinal);

        /// <summary>The facts true in both: the same value, bit for bit (0 and −0 differ).</summary>
        private static Dictionary<string, double> Meet(Dictionary<string, double> a, Dictionary<string, double> b)
        {
            var both = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var pair in a)
            {
                if (b.TryGetValue(pair.Key, out double other) && BitConverter.DoubleToInt64Bits(other) == BitConverter.DoubleToInt64Bits(pair.Value))
                {
                    both.Add(pair.Key, pair.Value);
                }
            }

            return both;
        }

        private static void Reset(Dictionary<string, double> known, Dictionary<string, double> facts)
        {
            known.Clear();
            foreach (var pair in facts)
            {
                known.Add(pair.Key, pair.Value);
            }
        }
    }

    /// <summary>
    /// Liveness of the real locals, then dead stores removed and single uses substituted. A name read by a statement
    /// that is itself dead does not count as read (faint variables: the least fixpoint), so chains die together.
    /// </summary>
    private sealed class Substitutions
    {
        private readonly Graph _g;
        private readonly HashSet<string> _locals;
        private readonly Dictionary<Statement, HashSet<string>> _liveAfter = new(StatementIdentity.Instance);

        public Substitutions(Graph g, HashSet<string> locals, Block body)
        {
            _g = g;
            _locals = locals;
            LiveBefore(body, new HashSet<string>(StringComparer.Ordinal), record: true);
        }

        public Block Rewrite(Block block)
        {
            var statements = new List<Statement?>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(IsDeadStore(s) ? null : Nested(s, Rewrite));
            }

            // names a substitution moved a read of (or removed a write of) are left to the next round: their liveness changed
            var touched = new HashSet<string>(StringComparer.Ordinal);
            for (int j = 0; j < statements.Count; j++)
            {
                if (statements[j] is { } def && Definition(def) is var (name, value) && !touched.Contains(name)
                    && FindUse(statements, j, name, value, touched) is int k)
                {
                    var used = statements[k]!;
                    statements[k] = Substitute(used, name, value);
                    _liveAfter[statements[k]!] = LiveAfter(used);
                    statements[j] = def is Declare d ? d with { Initial = null } : null;
                    touched.Add(name);
                    touched.UnionWith(ProcedureAnalysis.Reads(value));
                }
            }

            return Compact(statements);
        }

        /// <summary><c>t = e</c> or a declaration with e, for a real local t that e does not read.</summary>
        private (string Name, Node Value)? Definition(Statement s)
        {
            var (name, value) = s switch
            {
                Assign a => (a.Target, a.Value),
                Declare { Kind: ValueKind.Real, Initial: { } initial } d => (d.Name, initial),
                _ => ("", null!),
            };
            return value is not null && _locals.Contains(name) && !value.IsConstant && !ProcedureAnalysis.Reads(value).Contains(name)
                ? (name, value)
                : null;
        }

        /// <summary>
        /// The next statement after <paramref name="j"/> that mentions the name, when it is a simple statement that
        /// reads it and does not write it, the name is dead after it, and nothing in between writes what the value reads.
        /// </summary>
        private int? FindUse(List<Statement?> statements, int j, string name, Node value, HashSet<string> touched)
        {
            var valueReads = ProcedureAnalysis.Reads(value);
            if (valueReads.Overlaps(touched))
            {
                return null;
            }

            for (int k = j + 1; k < statements.Count; k++)
            {
                if (statements[k] is not { } s)
                {
                    continue;
                }

                bool known = Mentions(s, out var reads, out var writes);
                if (!known)
                {
                    return null;
                }

                if (reads.Contains(name) || writes.Contains(name))
                {
                    bool simple = s is Assign or Declare { Kind: ValueKind.Real } or Store or AccumulateElement or Push
                        || (s is Accumulate acc && acc.Target != name);
                    return simple && !writes.Contains(name) && !LiveAfter(s).Contains(name) ? k : null;
                }

                if (writes.Overlaps(valueReads))
                {
                    return null;
                }
            }

            return null;
        }

        private Statement Substitute(Statement s, string name, Node value)
        {
            var values = new Dictionary<string, Node>(StringComparer.Ordinal) { [name] = value };
            Node Sub(Node n) => Replace(_g, n, values);
            return s switch
            {
                Assign a => a with { Value = Sub(a.Value) },
                Declare d => d with { Initial = Sub(d.Initial!) },
                Store st => st with { Index = Sub(st.Index), Value = Sub(st.Value) },
                AccumulateElement ae => ae with { Index = Sub(ae.Index), Value = Sub(ae.Value) },
                Accumulate acc => acc with { Value = Sub(acc.Value) },
                Push push => push with { Value = Sub(push.Value) },
                _ => throw new InvalidOperationException($"{s.GetType().Name} is not a simple statement."),
            };
        }

        private HashSet<string> LiveAfter(Statement s) => _liveAfter[s];

        private bool IsDeadStore(Statement s) => s switch
        {
            Assign a => _locals.Contains(a.Target) && !LiveAfter(s).Contains(a.Target),
            Accumulate acc => _locals.Contains(acc.Target) && !LiveAfter(s).Contains(acc.Target),
            _ => false,
        };

        /// <summary>The names live before the block given those live after it; records each statement's live-after set.</summary>
        private HashSet<string> LiveBefore(Block block, HashSet<string> after, bool record)
        {
            var live = new HashSet<string>(after, StringComparer.Ordinal);
            for (int k = block.Statements.Count - 1; k >= 0; k--)
            {
                var s = block.Statements[k];
                if (record)
                {
                    if (_liveAfter.TryGetValue(s, out var seen))
                    {
                        // the same statement object in two places: live after either
                        seen.UnionWith(live);
                    }
                    else
                    {
                        _liveAfter[s] = new HashSet<string>(live, StringComparer.Ordinal);
                    }
                }

                live = LiveBefore(s, live, record);
            }

            return live;
        }

        private HashSet<string> LiveBefore(Statement s, HashSet<string> live, bool record)
        {
            void Read(Node? n) => live.UnionWith(ProcedureAnalysis.Reads(n));
            bool Dead(string target) => _locals.Contains(target) && !live.Contains(target);
            switch (s)
            {
                case Assign a:
                    if (!Dead(a.Target))
                    {
                        live.Remove(a.Target);
                        Read(a.Value);
                    }

                    return live;
                case Declare d:
                    live.Remove(d.Name);
                    Read(d.Initial);
                    Read(d.Length);
                    return live;
                case Accumulate acc:
                    if (!Dead(acc.Target))
                    {
                        live.Add(acc.Target);
                        Read(acc.Value);
                    }

                    return live;
                case Pop pop:
                    live.Remove(pop.Target);
                    return live;
                case For f:
                    var bodyBefore = new HashSet<string>(StringComparer.Ordinal);
                    while (true)
                    {
                        var trip = new HashSet<string>(live, StringComparer.Ordinal);
                        trip.UnionWith(bodyBefore);
                        var next = LiveBefore(f.Body, trip, record: false);
                        if (next.SetEquals(bodyBefore))
                        {
                            if (record)
                            {
                                LiveBefore(f.Body, trip, record: true);
                            }

                            break;
                        }

                        bodyBefore = next;
                    }

                    live.UnionWith(bodyBefore);
                    live.Remove(f.Counter);
                    Read(f.Start);
                    Read(f.End);
                    return live;
                case While w:
                    var head = new HashSet<string>(live, StringComparer.Ordinal);
                    head.UnionWith(ProcedureAnalysis.Reads(w.Condition));
                    while (true)
                    {
                        var next = LiveBefore(w.Body, head, record: false);
                        next.UnionWith(live);
                        next.UnionWith(ProcedureAnalysis.Reads(w.Condition));
                        if (next.SetEquals(head))
                        {
                            if (record)
                            {
                                LiveBefore(w.Body, head, record: true);
                            }

                            break;
                        }

                        head = next;
                    }

                    return head;
                case If i:
                    var then = LiveBefore(i.Then, live, record);
                    var otherwise = LiveBefore(i.Else, live, record);
                    then.UnionWith(otherwise);
                    then.UnionWith(ProcedureAnalysis.Reads(i.Condition));
                    return then;
                default:
                    // stores, pushes, returns, calls: read what they read, and kill nothing
                    live.UnionWith(ProcedureAnalysis.ReadsForward(s));
                    return live;
            }
        }
    }

    /// <summary>Consecutive accumulations into the same scalar or element merged into one.</summary>
    private static class Merges
    {
        public static Block Rewrite(Graph g, Block block)
        {
            var statements = new List<Statement?>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(Nested(s, inner => Rewrite(g, inner)));
            }

            for (int j = 0; j < statements.Count; j++)
            {
                if (statements[j] is { } first && Target(first) is { } target && Next(statements, j, first, target.Name, target.Reads) is int k)
                {
                    statements[k] = Merge(g, first, statements[k]!);
                    statements[j] = null;
                }
            }

            return Compact(statements);
        }

        /// <summary>What an accumulation writes, and what its index and value read.</summary>
        private static (string Name, HashSet<string> Reads)? Target(Statement s)
        {
            switch (s)
            {
                case Accumulate acc:
                    return (acc.Target, ProcedureAnalysis.Reads(acc.Value));
                case Assign a:
                    return (a.Target, ProcedureAnalysis.Reads(a.Value));
                case AccumulateElement ae:
                    var reads = ProcedureAnalysis.Reads(ae.Value);
                    reads.UnionWith(ProcedureAnalysis.Reads(ae.Index));
                    return (ae.Array, reads);
                default:
                    return null;
            }
        }

        /// <summary>
        /// The next statement mentioning the target, when it accumulates into what the first statement wrote, and nothing
        /// before it writes what the first reads; an accumulation into another element that reads no element is passed.
        /// </summary>
        private static int? Next(List<Statement?> statements, int j, Statement first, string name, HashSet<string> firstReads)
        {
            for (int k = j + 1; k < statements.Count; k++)
            {
                if (statements[k] is not { } s)
                {
                    continue;
                }

                if (!Mentions(s, out var reads, out var writes) || writes.Overlaps(firstReads))
                {
                    return null;
                }

                if (!reads.Contains(name) && !writes.Contains(name))
                {
                    continue;
                }

                if (Mergeable(first, s))
                {
                    return k;
                }

                // accumulations commute (to rounding)
                if (s is not AccumulateElement other || other.Array != name || ProcedureAnalysis.ReadsForward(s).Contains(name))
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>Whether the second accumulates into what the first wrote (the same scalar, or the same element) and its amount does not read it.</summary>
        private static bool Mergeable(Statement first, Statement second) => (first, second) switch
        {
            (Accumulate a, Accumulate b) => a.Target == b.Target && !Reads(b.Value, b.Target),
            (Assign a, Accumulate b) => a.Target == b.Target && !Reads(b.Value, b.Target),
            (AccumulateElement a, AccumulateElement b) => a.Array == b.Array && a.Index.Equals(b.Index) && !Reads(b.Value, b.Array),
            _ => false,
        };

        /// <summary>The two statements as one (see <see cref="Mergeable"/>).</summary>
        private static Statement Merge(Graph g, Statement first, Statement second) => (first, second) switch
        {
            (Accumulate a, Accumulate b) => b with { Value = g.Add(a.Value, b.Value) },
            (Assign a, Accumulate b) => a with { Value = g.Add(a.Value, b.Value) },
            (AccumulateElement a, AccumulateElement b) => b with { Value = g.Add(a.Value, b.Value) },
            _ => throw new InvalidOperationException("Only mergeable statements merge."),
        };

        private static bool Reads(Node value, string name) => ProcedureAnalysis.Reads(value).Contains(name);
    }
}
