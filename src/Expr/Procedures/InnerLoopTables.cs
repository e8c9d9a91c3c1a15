using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// A value an inner loop computes from its own counter, the same on every trip of the loop around it — the centred
/// coordinate <c>x[i·d + col] − μ[c·d + col]</c> that each row r of a triangular product <c>Σ_{col&lt;r} L[r, col]·(x − μ)[col]</c>
/// reads again, and the reverse sweep's adjoint of L with it — is computed once per index into a table just before the
/// loop around, as a person hoists it. The inner loop is a statement of the outer loop's body whose bounds are each
/// either unchanged by the outer loop or its counter plus such an offset (a triangle, <c>col &lt; r</c> or
/// <c>col &gt; r</c>): its ranges are then nested, so the table covers the largest one, exactly the indices some trip
/// visits, and is filled only when the outer loop runs. The value is real, reads an element, is evaluated whole by its
/// statement on every path (no part under a <c>?:</c> branch) and reads only names the outer loop never writes and the
/// inner counter. Values are
/// unchanged: expressions are pure.
/// </summary>
internal static class InnerLoopTables
{
    /// <summary><paramref name="p"/> with such values in tables; itself when there are none.</summary>
    public static Procedure Apply(Procedure p)
    {
        var integers = new IntegerInference(n => p.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer);
        var names = new NameBuilder(p.Kinds.Keys);
        var statements = p.Body.Statements.ToList();
        bool changed = false;
        for (int s = 0; s < statements.Count; s++)
        {
            if (statements[s] is not For top)
            {
                continue;
            }

            // the tables are declared before the top-level loop: their lengths read only what it never writes
            var writes = new HashSet<string>(StringComparer.Ordinal);
            if (!ProcedureAnalysis.Collect(new Block(new[] { top }), writes, new HashSet<string>(StringComparer.Ordinal)))
            {
                continue;
            }

            var hoisting = new Hoisting(p.Graph, names, integers, writes);
            var rewritten = hoisting.Rewrite(new Block(new[] { top }));
            if (hoisting.Declarations.Count == 0)
            {
                continue;
            }

            // the declarations, then the fills the top-level loop needs itself, then the loop
            var replacement = hoisting.Declarations.Concat(rewritten.Statements).ToList();
            statements.RemoveAt(s);
            statements.InsertRange(s, replacement);
            s += replacement.Count - 1;
            changed = true;
        }

        return changed ? new Procedure(p.Name, p.Parameters, new Block(statements), p.Graph) : p;
    }

    private sealed class Hoisting
    {
        private readonly Graph _g;
        private readonly NameBuilder _names;
        private readonly IntegerInference _integers;
        private readonly HashSet<string> _topWrites;
        private readonly List<(Node Value, Node Low, Node High, string Name)> _tables = new();

        public Hoisting(Graph g, NameBuilder names, IntegerInference integers, HashSet<string> topWrites)
        {
            _g = g;
            _names = names;
            _integers = integers;
            _topWrites = topWrites;
        }

        public List<Statement> Declarations { get; } = new();

        public Block Rewrite(Block block)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case For outer:
                        var fills = new List<Statement>();
                        var body = Rewrite(outer.Body);
                        body = Tabulate(outer, body, fills);
                        statements.AddRange(fills);
                        statements.Add(outer with { Body = body });
                        break;
                    case If i:
                        statements.Add(i with { Then = Rewrite(i.Then), Else = Rewrite(i.Else) });
                        break;
                    case While w:
                        statements.Add(w with { Body = Rewrite(w.Body) });
                        break;
                    default:
                        statements.Add(s);
                        break;
                }
            }

            return new Block(statements);
        }

        /// <summary>The outer loop's body with its inner loops' repeated values read from tables; the fills go to <paramref name="fills"/>.</summary>
        private Block Tabulate(For outer, Block body, List<Statement> fills)
        {
            var writes = new HashSet<string>(StringComparer.Ordinal) { outer.Counter };
            if (!ProcedureAnalysis.Collect(body, writes, new HashSet<string>(StringComparer.Ordinal)))
            {
                return body;
            }

            var statements = body.Statements.ToList();
            for (int k = 0; k < statements.Count; k++)
            {
                // the table's length is computed before the top-level loop
                if (statements[k] is not For inner || Range(outer, inner, writes) is not { } range
                    || ProcedureAnalysis.Reads(range.Low).Overlaps(_topWrites) || ProcedureAnalysis.Reads(range.High).Overlaps(_topWrites))
                {
                    continue;
                }

                var (low, high) = range;

                var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
                foreach (var value in Candidates(inner, writes))
                {
                    map[value] = _g.Load(Table(value, inner.Counter, low, high, outer, fills), _g.Sub(_g.Var(inner.Counter), low));
                }

                if (map.Count > 0)
                {
                    statements[k] = inner with { Body = new Block(inner.Body.Statements.Select(x => x is For or If or While ? x : SharedValues.Replace(_g, x, map))) };
                }
            }

            return new Block(statements);
        }

        /// <summary>
        /// The indices the inner loop visits over all trips of the outer one, when its ranges are nested: each bound is
        /// unchanged by the outer loop or is its counter plus an unchanged offset, and at most one bound moves.
        /// </summary>
        private (Node Low, Node High)? Range(For outer, For inner, HashSet<string> writes)
        {
            bool Fixed(Node n) => !ProcedureAnalysis.Reads(n).Overlaps(writes);
            var last = _g.Sub(outer.End, _g.One);
            if (Fixed(inner.Start) && Fixed(inner.End))
            {
                return (inner.Start, inner.End);
            }

            if (Fixed(inner.Start) && MovesWith(inner.End, outer.Counter, Fixed))
            {
                return (inner.Start, At(inner.End, outer.Counter, last));
            }

            if (Fixed(inner.End) && MovesWith(inner.Start, outer.Counter, Fixed))
            {
                return (At(inner.Start, outer.Counter, outer.Start), inner.End);
            }

            return null;
        }

        /// <summary>True for <c>counter</c>, <c>counter + e</c>, <c>e + counter</c> or <c>counter − e</c> with e fixed.</summary>
        private static bool MovesWith(Node bound, string counter, Func<Node, bool> isFixed)
        {
            bool IsCounter(Node n) => n.Op == Op.Var && n.Name == counter;
            if (IsCounter(bound))
            {
                return true;
            }

            var args = bound.ArgArray;
            return bound.Op switch
            {
                Op.Add => IsCounter(args[0]) && isFixed(args[1]) || IsCounter(args[1]) && isFixed(args[0]),
                Op.Sub => IsCounter(args[0]) && isFixed(args[1]),
                _ => false,
            };
        }

        private Node At(Node bound, string counter, Node value) =>
            AdjointSimplification.Replace(_g, bound, new Dictionary<Node, Node>(NodeIdentity.Comparer) { [_g.Var(counter)] = value });

        /// <summary>The largest real values of the inner loop's statements that are worth a table and safe to compute for every index.</summary>
        private List<Node> Candidates(For inner, HashSet<string> writes)
        {
            var candidates = new List<Node>();
            foreach (var s in inner.Body.Statements)
            {
                if (s is For or If or While)
                {
                    continue;
                }

                // an element load (out of range) or an integer quotient (by 0) can fail: the whole value is one its statement
                // computes on every path
                var roots = SharedValues.Expressions(s).ToList();
                var evaluated = new HashSet<Node>(NodeIdentity.Comparer);
                roots.ForEach(root => evaluated.UnionWith(SharedValues.Unconditional(root)));
                foreach (var n in Traversal.TopologicalOrder(roots))
                {
                    _integers.Classify(n);
                    if (n.Op is Op.Var or Op.Const or Op.Load || n.IsCondition || _integers.IsInteger(n) || candidates.Contains(n))
                    {
                        continue;
                    }

                    var nodes = Traversal.TopologicalOrder(n);
                    var reads = ProcedureAnalysis.Reads(n);
                    if (reads.Contains(inner.Counter) && reads.All(name => name == inner.Counter || !writes.Contains(name))
                        && nodes.Exists(x => x.Op == Op.Load) && nodes.TrueForAll(x => x.Op is not (Op.CustomCall or Op.CustomPartial or Op.Call or Op.CallPartial))
                        && nodes.TrueForAll(evaluated.Contains))
                    {
                        candidates.Add(n);
                    }
                }
            }

            // the largest ones: a value inside another one is computed with it
            candidates.RemoveAll(n => candidates.Exists(o => !ReferenceEquals(o, n) && Traversal.TopologicalOrder(o).Contains(n)));
            return candidates;
        }

        /// <summary>The table of <paramref name="value"/> over [low, high) (declared on first use), filled before the outer loop.</summary>
        private string Table(Node value, string counter, Node low, Node high, For outer, List<Statement> fills)
        {
            string? name = null;
            foreach (var (tabled, tabledLow, tabledHigh, existing) in _tables)
            {
                if (ReferenceEquals(tabled, value) && ReferenceEquals(tabledLow, low) && ReferenceEquals(tabledHigh, high))
                {
                    name = existing;
                }
            }

            if (name is null)
            {
                name = _names.Unique("_table");
                _tables.Add((value, low, high, name));
                Declarations.Add(new Declare(name, ValueKind.Array, Length: _g.Max(_g.Zero, _g.Sub(high, low))));
            }

            var fresh = _g.Var(_names.Unique(counter));
            var renamed = new Dictionary<Node, Node>(NodeIdentity.Comparer) { [_g.Var(counter)] = fresh };
            var fill = new For(fresh.Name!, low, high, new Block(new[]
            {
                new Store(name, _g.Sub(fresh, low), AdjointSimplification.Replace(_g, value, renamed)),
            }));
            fills.Add(new If(_g.Less(outer.Start, outer.End), new Block(new[] { fill }), Block.Empty));
            return name;
        }
    }
}
