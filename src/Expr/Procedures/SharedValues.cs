using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// A value that several statements of a block compute, a person computes once: an element loaded, a tanh, a
/// product. The printer shares subexpressions within a statement; across statements the JIT cannot, when a
/// store in between might alias the loaded array. A real-valued subexpression (not a variable or constant, not an
/// integer, not a condition, not a custom call) that two or more simple statements of a block read, with nothing in
/// between writing what it reads, is computed into a local before the first. The first must evaluate it whatever
/// its branches do (not only under a <c>?:</c> or after <c>&amp;&amp;</c>), so the local never evaluates what the
/// code would not have (an element out of range). Values are unchanged: expressions are pure.
/// </summary>
internal static class SharedValues
{
    private const int MaxPerBlock = 64;

    public static Procedure Apply(Procedure p)
    {
        var names = new NameBuilder(p.Kinds.Keys);
        var integers = new IntegerInference(n => p.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer);
        var sharing = new Sharing(p.Graph, names, integers);
        return new Procedure(p.Name, p.Parameters, sharing.Rewrite(p.Body), p.Graph);
    }

    private sealed class Sharing
    {
        private readonly Graph _g;
        private readonly NameBuilder _names;
        private readonly IntegerInference _integers;

        public Sharing(Graph g, NameBuilder names, IntegerInference integers)
        {
            _g = g;
            _names = names;
            _integers = integers;
        }

        public Block Rewrite(Block block)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(AdjointSimplification.Nested(s, Rewrite));
            }

            for (int shared = 0; shared < MaxPerBlock && ShareOne(statements); shared++)
            {
            }

            return new Block(statements);
        }

        /// <summary>Shares the deepest value two statements compute; false when there is none.</summary>
        private bool ShareOne(List<Statement> statements)
        {
            var nodes = new List<HashSet<Node>?>(statements.Count);
            foreach (var s in statements)
            {
                nodes.Add(Values(s) is { } values ? new HashSet<Node>(Traversal.TopologicalOrder(values), NodeIdentity.Comparer) : null);
            }

            for (int first = 0; first < statements.Count; first++)
            {
                if (Values(statements[first]) is not { } roots)
                {
                    continue;
                }

                var candidates = Unconditional(roots);
                candidates.Sort((a, b) => b.Depth.CompareTo(a.Depth));
                foreach (var value in candidates)
                {
                    var users = Users(statements, nodes, first, value);
                    if (users.Count < 2)
                    {
                        continue;
                    }

                    string name = _names.Unique(value.Op == Op.Load ? "_" + Stem(value.Name!) : "_v");
                    var local = _g.Var(name);
                    foreach (int k in users)
                    {
                        statements[k] = Replace(statements[k], value, local);
                    }

                    statements.Insert(first, new Declare(name, ValueKind.Real, value));
                    return true;
                }
            }

            return false;
        }

        /// <summary>The last identifier of an array's name (a constant table's is qualified: global::N.T.Scales).</summary>
        private static string Stem(string array) => array.Substring(Math.Max(array.LastIndexOf('.'), array.LastIndexOf(':')) + 1);

        /// <summary>The statements from <paramref name="first"/> on that read the value, until one writes what it reads.</summary>
        private static List<int> Users(List<Statement> statements, List<HashSet<Node>?> nodes, int first, Node value)
        {
            var reads = ProcedureAnalysis.Reads(value);
            var users = new List<int>();
            for (int k = first; k < statements.Count; k++)
            {
                var s = statements[k];
                if (nodes[k] is { } computed && computed.Contains(value))
                {
                    users.Add(k);
                }

                var writes = new HashSet<string>(StringComparer.Ordinal);
                if (!ProcedureAnalysis.Collect(new Block(new[] { s }), writes, new HashSet<string>(StringComparer.Ordinal)) || writes.Overlaps(reads))
                {
                    break;
                }
            }

            return users;
        }

        /// <summary>The expressions of a simple statement; null for loops, branches, calls and the value stack.</summary>
        private static Node[]? Values(Statement s) => s switch
        {
            Declare { Kind: not ValueKind.Array, Initial: { } initial } => new[] { initial },
            Assign a => new[] { a.Value },
            Store st => new[] { st.Index, st.Value },
            Accumulate acc => new[] { acc.Value },
            AccumulateElement ae => new[] { ae.Index, ae.Value },
            Push push => new[] { push.Value },
            Return r => new[] { r.Value },
            _ => null,
        };

        /// <summary>The shareable nodes every evaluation of the roots computes (not only under a ?: branch or after &amp;&amp;, ||).</summary>
        private List<Node> Unconditional(Node[] roots)
        {
            var seen = new HashSet<Node>(NodeIdentity.Comparer);
            var found = new List<Node>();
            var pending = new Stack<Node>(roots);
            while (pending.Count > 0)
            {
                var n = pending.Pop();
                if (!seen.Add(n))
                {
                    continue;
                }

                if (Shareable(n))
                {
                    found.Add(n);
                }

                var args = n.ArgArray;
                int evaluated = n.Op switch
                {
                    Op.Select => 1,
                    Op.And or Op.Or => 1,
                    _ => args.Length,
                };
                for (int i = 0; i < evaluated; i++)
                {
                    pending.Push(args[i]);
                }
            }

            return found;
        }

        private bool Shareable(Node n)
        {
            if (n.Op is Op.Var or Op.Const or Op.CustomCall or Op.CustomPartial or Op.Less or Op.LessEqual or Op.Greater
                or Op.GreaterEqual or Op.Equal or Op.NotEqual or Op.And or Op.Or or Op.Not)
            {
                return false;
            }

            foreach (var node in Traversal.TopologicalOrder(n))
            {
                if (node.Op is Op.CustomCall or Op.CustomPartial)
                {
                    return false;
                }

                _integers.Classify(node);
            }

            return !_integers.IsInteger(n);
        }

        private Statement Replace(Statement s, Node value, Node local)
        {
            Node Sub(Node n) => AdjointSimplification.Replace(_g, n, new Dictionary<Node, Node>(NodeIdentity.Comparer) { [value] = local });
            return s switch
            {
                Declare d => d with { Initial = Sub(d.Initial!) },
                Assign a => a with { Value = Sub(a.Value) },
                Store st => st with { Index = Sub(st.Index), Value = Sub(st.Value) },
                Accumulate acc => acc with { Value = Sub(acc.Value) },
                AccumulateElement ae => ae with { Index = Sub(ae.Index), Value = Sub(ae.Value) },
                Push push => push with { Value = Sub(push.Value) },
                Return r => r with { Value = Sub(r.Value) },
                _ => throw new InvalidOperationException($"{s.GetType().Name} reads no shared value."),
            };
        }

    }
}
