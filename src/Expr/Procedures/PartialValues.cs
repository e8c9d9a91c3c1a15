using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Before a reverse sweep: a costly value inside a statement whose partials need it again (tanh′ = 1 − tanh²,
/// (eˣ)′ = eˣ) and that reads a real value the procedure writes is computed into a local of its own just before the
/// statement (<c>z += w·tanh(a)</c> becomes <c>double _tanh = tanh(a); z += w·_tanh</c>), as a person keeps the
/// activation. The reverse step then reads the value the forward sweep computed (<see cref="SaveAnalysis"/>: a
/// definition's partials read the value defined) instead of computing it again from inputs that would have to be
/// saved and restored (issue 11, the MLP's second layer). A value that reads only names nothing writes, and integers
/// (which the reverse sweep steps back or recomputes), stays where it is (recomputing it needs no saving), so does one evaluated only in a branch of a <c>?:</c>, and a statement's whole
/// value (the reverse step reads it from the target). Values are unchanged: expressions are pure.
/// </summary>
internal static class PartialValues
{
    /// <summary>The costly operations (transcendental ones; not a division) dearer than a saved value's push and pop.</summary>
    internal static bool IsWorthKeeping(Op op) => op != Op.Div && SharedValues.IsCostly(op);

    /// <summary>
    /// <paramref name="p"/> with those values in locals (named apart from <paramref name="reserved"/>); itself when there are none.
    /// With <paramref name="cacheElements"/>, values the element cache keeps more cheaply are left to it (<see cref="ElementKeeping"/>).
    /// </summary>
    public static Procedure Split(Procedure p, HashSet<string> active, IEnumerable<string> reserved, bool cacheElements = false)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        var initials = new Dictionary<string, Node?>(StringComparer.Ordinal); // null: declared more than once
        ProcedureAnalysis.Visit(p.Body, s =>
        {
            switch (s)
            {
                case Declare d:
                    initials[d.Name] = initials.ContainsKey(d.Name) ? null : d.Initial;
                    if (d.Kind != ValueKind.Integer)
                    {
                        written.Add(d.Name);
                    }

                    break;
                case Assign a:
                    assigned.Add(a.Target);
                    if (p.Kinds[a.Target] != ValueKind.Integer)
                    {
                        written.Add(a.Target);
                    }

                    break;
                case Store st:
                    written.Add(st.Array);
                    break;
                case Invoke c:
                    written.Add(c.Output.Array!);
                    break;
            }
        });

        // A real local declared once, never assigned, from names nothing writes (double w = q[c * d + j];) is
        // recomputed by the reverse sweep, not saved: a value reading it can be recomputed too, so it does not count
        // as written (and the invariant-table pass can take the value out of the loop instead).
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var entry in initials)
            {
                if (entry.Value is { } initial && written.Contains(entry.Key) && !assigned.Contains(entry.Key)
                    && !ProcedureAnalysis.Reads(initial).Overlaps(written))
                {
                    written.Remove(entry.Key);
                    changed = true;
                }
            }
        }

        var splitter = new Splitter(p, active, written, reserved, ElementKeeping.InOutputElements(p, active, cacheElements));
        var body = splitter.Rewrite(p.Body);
        return splitter.Changed ? new Procedure(p.Name, p.Parameters, body, p.Graph) : p;
    }

    private sealed class Splitter
    {
        private readonly Procedure _p;
        private readonly Graph _g;
        private readonly HashSet<string> _active;
        private readonly HashSet<string> _written;
        private readonly NameBuilder _names;
        private readonly Dictionary<Statement, HashSet<Node>> _inOutputElements;

        public Splitter(Procedure p, HashSet<string> active, HashSet<string> written, IEnumerable<string> reserved, Dictionary<Statement, HashSet<Node>> inOutputElements)
        {
            _inOutputElements = inOutputElements;
            _p = p;
            _g = p.Graph;
            _active = active;
            _written = written;
            _names = new NameBuilder(p.Kinds.Keys.Concat(reserved));
        }

        public bool Changed { get; private set; }

        public Block Rewrite(Block block)
        {
            var output = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case Assign a when IsReal(a.Target):
                        output.Add(a with { Value = Split(s, a.Value, output) });
                        break;
                    case Declare { Initial: { } initial } d when IsReal(d.Name):
                        output.Add(d with { Initial = Split(s, initial, output) });
                        break;
                    case Store st when _active.Contains(st.Array):
                        output.Add(st with { Value = Split(s, st.Value, output) });
                        break;
                    default:
                        output.Add(AdjointSimplification.Nested(s, Rewrite));
                        break;
                }
            }

            return new Block(output);
        }

        private bool IsReal(string name) => _active.Contains(name) && _p.Kinds.TryGetValue(name, out var kind) && kind == ValueKind.Real;

        /// <summary><paramref name="value"/> reading the locals declared (into <paramref name="output"/>) for its values the partials need.</summary>
        private Node Split(Statement s, Node value, List<Statement> output)
        {
            _inOutputElements.TryGetValue(s, out var leftToCache);
            var terms = ProcedureDerivatives.Linearize(value, _active);
            if (terms.Count == 0)
            {
                return value;
            }

            var needed = new HashSet<Node>(Traversal.TopologicalOrder(terms.Select(t => t.Partial)), NodeIdentity.Comparer);
            var always = AlwaysEvaluated(value);
            var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            bool split = false;
            // arguments first: a larger value's local reads the locals of the smaller ones it holds
            foreach (var n in Traversal.TopologicalOrder(value))
            {
                if (ReferenceEquals(n, value) || !IsWorthKeeping(n.Op) || !needed.Contains(n) || !always.Contains(n)
                    || !ProcedureAnalysis.Reads(n).Overlaps(_written) || leftToCache is not null && leftToCache.Contains(n))
                {
                    continue;
                }

                string name = _names.Unique("_" + n.Op.ToString().ToLowerInvariant());
                output.Add(new Declare(name, ValueKind.Real, AdjointSimplification.Replace(_g, n, map)));
                map[n] = _g.Var(name);
                split = true;
            }

            if (!split)
            {
                return value;
            }

            Changed = true;
            return AdjointSimplification.Replace(_g, value, map);
        }

        /// <summary>The nodes evaluating <paramref name="value"/> evaluates whatever its conditions are: not a <c>?:</c>'s branches.</summary>
        private static HashSet<Node> AlwaysEvaluated(Node value)
        {
            var always = new HashSet<Node>(NodeIdentity.Comparer) { value };
            var work = new Stack<Node>();
            work.Push(value);
            while (work.Count > 0)
            {
                var n = work.Pop();
                var args = n.ArgArray;
                int count = n.Op is Op.Select or Op.And or Op.Or ? 1 : args.Length;
                for (int i = 0; i < count; i++)
                {
                    if (always.Add(args[i]))
                    {
                        work.Push(args[i]);
                    }
                }
            }

            return always;
        }
    }
}
