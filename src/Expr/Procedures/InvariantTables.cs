using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// A costly value inside a loop nest that does not change with the outer loop, only with inner counters — the
/// e^q[c·d + j] of a mixture model, computed for every point i though it depends on the component c and the
/// coordinate j alone — is computed once per inner index into a table before the outer loop and read from it
/// inside, as a person precomputes it. Applies to a loop of the procedure's top level whose body reaches the
/// statement through loops only (each one a statement of its parent's body, whose bounds the outer loop does not
/// change); the value, with the locals its statement's block assigned before it (once in the outer loop) written
/// out, must read only names the outer loop never writes and the counters of those inner loops. The table is indexed
/// by the counters the value reads and filled only when the outer loop and every inner loop on the way run at least
/// once, so it evaluates nothing the loops would not. Values are unchanged: expressions are pure.
/// </summary>
internal static class InvariantTables
{
    /// <summary><paramref name="p"/> with such values in tables; itself when there are none.</summary>
    public static Procedure Apply(Procedure p)
    {
        var g = p.Graph;
        var names = new NameBuilder(p.Kinds.Keys);
        var statements = p.Body.Statements.ToList();
        bool changed = false;
        for (int s = 0; s < statements.Count; s++)
        {
            if (statements[s] is not For outer)
            {
                continue;
            }

            var writes = new HashSet<string>(StringComparer.Ordinal);
            if (!ProcedureAnalysis.Collect(outer.Body, writes, new HashSet<string>(StringComparer.Ordinal)))
            {
                continue;
            }

            writes.Add(outer.Counter);
            var assignments = new Dictionary<string, int>(StringComparer.Ordinal);
            ProcedureAnalysis.Visit(outer.Body, x =>
            {
                string? target = x switch { Assign a => a.Target, Declare d => d.Name, Pop pop => pop.Target, Accumulate acc => acc.Target, _ => null };
                if (target is not null)
                {
                    assignments[target] = assignments.TryGetValue(target, out int count) ? count + 1 : 1;
                }
            });

            var hoisting = new Hoisting(g, names, writes, assignments);
            var body = hoisting.Rewrite(outer.Body, new List<For>());
            if (hoisting.Tables.Count == 0)
            {
                continue;
            }

            var before = new List<Statement>();
            foreach (var table in hoisting.Tables)
            {
                before.Add(table.Declaration);
                before.Add(new If(table.Guard(g, outer), new Block(new[] { table.Fill }), Block.Empty));
            }

            statements[s] = outer with { Body = body };
            statements.InsertRange(s, before);
            s += before.Count;
            changed = true;
        }

        return changed ? new Procedure(p.Name, p.Parameters, new Block(statements), p.Graph) : p;
    }

    /// <summary>A table: its declaration, the loops that fill it, and the inner loops whose ranges must not be empty.</summary>
    private sealed record Table(Declare Declaration, Statement Fill, IReadOnlyList<For> Chain)
    {
        public Node Guard(Graph g, For outer)
        {
            var guard = g.Less(outer.Start, outer.End);
            foreach (var loop in Chain)
            {
                guard = g.And(guard, g.Less(loop.Start, loop.End));
            }

            return guard;
        }
    }

    private sealed class Hoisting
    {
        private readonly Graph _g;
        private readonly NameBuilder _names;
        private readonly HashSet<string> _writes;
        private readonly Dictionary<string, int> _assignments;
        private readonly List<(Node Value, List<For> Used, string Name)> _tabled = new();

        public Hoisting(Graph g, NameBuilder names, HashSet<string> writes, Dictionary<string, int> assignments)
        {
            _g = g;
            _names = names;
            _writes = writes;
            _assignments = assignments;
        }

        public List<Table> Tables { get; } = new();

        public Block Rewrite(Block block, List<For> chain)
        {
            var statements = new List<Statement>(block.Statements.Count);
            // locals this block assigned (once in the outer loop) from values that read only invariant names and counters
            var definitions = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case For loop when Invariant(loop.Start, chain) && Invariant(loop.End, chain) && !Reads(loop.Start, loop.End).Overlaps(chain.Select(c => c.Counter)):
                        var inner = new List<For>(chain) { loop };
                        statements.Add(loop with { Body = Rewrite(loop.Body, inner) });
                        continue;
                    case For or If or While:
                        statements.Add(s);
                        definitions.Clear();
                        continue;
                }

                var rewritten = chain.Count == 0 ? s : Tabulate(s, chain, definitions);
                statements.Add(rewritten);
                string? target = s switch { Assign a => a.Target, Declare d => d.Name, _ => null };
                if (target is not null && _assignments.TryGetValue(target, out int count) && count == 1
                    && Value(s) is { } value && Invariant(Expand(value, definitions), chain))
                {
                    definitions[_g.Var(target)] = Expand(value, definitions);
                }
            }

            return new Block(statements);
        }

        private Node Expand(Node value, Dictionary<Node, Node> definitions) =>
            definitions.Count == 0 ? value : AdjointSimplification.Replace(_g, value, new Dictionary<Node, Node>(definitions, NodeIdentity.Comparer));

        private static HashSet<string> Reads(params Node[] nodes)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var n in nodes)
            {
                names.UnionWith(ProcedureAnalysis.Reads(n));
            }

            return names;
        }

        /// <summary>True when <paramref name="n"/> reads only what the outer loop never writes and the counters of <paramref name="chain"/>.</summary>
        private bool Invariant(Node n, List<For> chain) =>
            ProcedureAnalysis.Reads(n).All(name => !_writes.Contains(name) || chain.Exists(c => c.Counter == name));

        private static Node? Value(Statement s) => s switch
        {
            Assign a => a.Value,
            Accumulate a => a.Value,
            Store st => st.Value,
            AccumulateElement ae => ae.Value,
            Declare { Kind: ValueKind.Real } d => d.Initial,
            _ => null,
        };

        /// <summary>The statement with its invariant costly values (those it evaluates on every path) read from tables.</summary>
        private Statement Tabulate(Statement s, List<For> chain, Dictionary<Node, Node> definitions)
        {
            if (Value(s) is not { } value)
            {
                return s;
            }

            // Only an element load can fail (out of range): a value is safe to compute for every index when each load it
            // makes is one the block makes anyway (the partial under a zero-seed guard reads the element its statement reads).
            var evaluated = SharedValues.Unconditional(Expand(value, definitions));
            foreach (var definition in definitions.Values)
            {
                evaluated.UnionWith(SharedValues.Unconditional(definition));
            }

            var candidates = new List<Node>();
            foreach (var n in Traversal.TopologicalOrder(value))
            {
                if (SharedValues.IsCostly(n.Op) && n.Op != Op.Div && Invariant(Expand(n, definitions), chain)
                    && Traversal.TopologicalOrder(Expand(n, definitions)).TrueForAll(x => x.Op != Op.Load || evaluated.Contains(x))
                    && chain.Exists(c => ProcedureAnalysis.Reads(Expand(n, definitions)).Contains(c.Counter)))
                {
                    candidates.Add(n);
                }
            }

            // the largest ones: a value inside another one is computed with it
            candidates.RemoveAll(n => candidates.Exists(o => !ReferenceEquals(o, n) && Traversal.TopologicalOrder(o).Contains(n)));
            if (candidates.Count == 0)
            {
                return s;
            }

            var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            foreach (var n in candidates)
            {
                map[n] = Table(Expand(n, definitions), chain);
            }

            Node Swap(Node e) => AdjointSimplification.Replace(_g, e, new Dictionary<Node, Node>(map, NodeIdentity.Comparer));
            return s switch
            {
                Assign a => a with { Value = Swap(a.Value) },
                Accumulate a => a with { Value = Swap(a.Value) },
                Store st => st with { Value = Swap(st.Value) },
                AccumulateElement ae => ae with { Value = Swap(ae.Value) },
                Declare d => d with { Initial = Swap(d.Initial!) },
                _ => s,
            };
        }

        /// <summary>The element of the table of <paramref name="value"/> at the current counters (the table made on first use).</summary>
        private Node Table(Node value, List<For> chain)
        {
            var reads = ProcedureAnalysis.Reads(value);
            var used = chain.Where(c => reads.Contains(c.Counter)).ToList();
            Node Index(Func<For, Node> counter)
            {
                Node index = _g.Sub(counter(used[0]), used[0].Start);
                for (int t = 1; t < used.Count; t++)
                {
                    index = _g.Add(_g.Mul(index, _g.Sub(used[t].End, used[t].Start)), _g.Sub(counter(used[t]), used[t].Start));
                }

                return index;
            }

            var here = Index(c => _g.Var(c.Counter));
            foreach (var (tabled, loops, existing) in _tabled)
            {
                if (ReferenceEquals(tabled, value) && loops.Count == used.Count
                    && loops.Zip(used, (a, b) => ReferenceEquals(a.Start, b.Start) && ReferenceEquals(a.End, b.End)).All(same => same))
                {
                    return _g.Load(existing, here);
                }
            }

            string name = _names.Unique("_table");
            _tabled.Add((value, used, name));
            Node length = Extent(used[0]);
            for (int t = 1; t < used.Count; t++)
            {
                length = _g.Mul(length, Extent(used[t]));
            }

            // filled in loops of their own counters (fresh names: the sweep's loops keep theirs)
            var counters = used.ToDictionary(c => c.Counter, c => _g.Var(_names.Unique(c.Counter)), StringComparer.Ordinal);
            var renamed = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            foreach (var pair in counters)
            {
                renamed[_g.Var(pair.Key)] = pair.Value;
            }

            Statement fill = new Store(name, Index(c => counters[c.Counter]), AdjointSimplification.Replace(_g, value, renamed));
            for (int t = used.Count - 1; t >= 0; t--)
            {
                fill = new For(counters[used[t].Counter].Name!, used[t].Start, used[t].End, new Block(new[] { fill }));
            }

            Tables.Add(new Table(new Declare(name, ValueKind.Array, Length: length), fill, chain.ToList()));
            return _g.Load(name, here);
        }

        private Node Extent(For loop) => _g.Max(_g.Zero, _g.Sub(loop.End, loop.Start));
    }
}
