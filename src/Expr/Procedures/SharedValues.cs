using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// A value that several statements of a run compute, a person computes once: an element loaded, a product, a tanh,
/// the eˣ a reverse step's partials share (the derivative of <c>sum += exp(b - m)</c> with respect to b and to m is
/// one exponential, not two). The printer shares subexpressions within a statement; across statements the JIT cannot,
/// when a store in between might alias a loaded array. A real value or a packed index (a product of variables and a
/// quotient; not a variable or constant, not a condition, not a custom call) that two or more straight-line statements
/// read is kept in a local declared before its first reader, for as long as nothing it reads is written; loops,
/// branches and calls end a run. The first reader must evaluate it whatever its <c>?:</c> branches do, so the local never evaluates what the code would not (an
/// element out of range) — except a costly value that reads no element, which cannot throw, and the partial of a
/// zero-seed guard (<c>seed == 0 ? 0 : seed·eˣ</c>), which reads only what its statement reads. Costly values that read only names the procedure never writes
/// are computed once before everything (loop invariants). Values are unchanged: expressions are pure.
/// </summary>
internal static class SharedValues
{
    /// <summary><paramref name="p"/> with its costly values shared within runs of statements; itself when none repeats.</summary>
    public static Procedure Apply(Procedure p)
    {
        var integers = new IntegerInference(n => p.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer);
        var sharing = new Sharing(p.Graph, new NameBuilder(p.Kinds.Keys), integers);
        var body = sharing.Rewrite(sharing.HoistInvariants(p, p.Body));
        return sharing.Changed ? new Procedure(p.Name, p.Parameters, body, p.Graph) : p;
    }

    /// <summary>
    /// True for a costly value a loop may compute once before it: no element loads, and only names the
    /// procedure never writes (scalar parameters; not loop counters), <paramref name="written"/> being those it writes.
    /// </summary>
    internal static bool IsInvariant(Node n, Func<string, bool> written) =>
        IsCostly(n.Op) && Traversal.TopologicalOrder(n).TrueForAll(x => x.Op != Op.Load && (x.Op != Op.Var || !written(x.Name!)));

    /// <summary>The nodes every evaluation of <paramref name="root"/> computes (see <see cref="Sharing"/>).</summary>
    internal static HashSet<Node> Unconditional(Node root) => Sharing.Unconditional(new[] { root });

    /// <summary>True for the operations worth a local of their own when two statements need them.</summary>
    internal static bool IsCostly(Op op) => op is Op.Div or Op.Pow or Op.Exp or Op.Log or Op.Log10 or Op.Log2 or Op.Log1p
        or Op.Expm1 or Op.Sqrt or Op.Cbrt or Op.Sin or Op.Cos or Op.Tan or Op.Asin or Op.Acos or Op.Atan or Op.Atan2
        or Op.Sinh or Op.Cosh or Op.Tanh or Op.Asinh or Op.Acosh or Op.Atanh or Op.Sigmoid or Op.Softplus or Op.Elu
        or Op.LogSumExp or Op.Hypot or Op.Erf or Op.Erfc;

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

        public bool Changed { get; private set; }

        /// <summary>The loop-invariant costly values inside loops (e^(−s) of a scalar parameter s), computed once at the start instead.</summary>
        public Block HoistInvariants(Procedure p, Block body)
        {
            var writes = new HashSet<string>(StringComparer.Ordinal);
            if (!ProcedureAnalysis.Collect(body, writes, new HashSet<string>(StringComparer.Ordinal)))
            {
                return body;
            }

            var found = new List<Node>();
            var seen = new HashSet<Node>(NodeIdentity.Comparer);
            // per node: reads no element and no name the procedure writes (its arguments are classified first)
            var pure = new Dictionary<Node, bool>(NodeIdentity.Comparer);
            void Scan(Block block, int depth)
            {
                foreach (var s in block.Statements)
                {
                    if (depth > 0)
                    {
                        foreach (var e in Expressions(s))
                        {
                            foreach (var n in Traversal.TopologicalOrder(e))
                            {
                                if (!pure.TryGetValue(n, out bool isPure))
                                {
                                    pure[n] = isPure = n.Op != Op.Load && (n.Op != Op.Var || !writes.Contains(n.Name!)) && n.ArgArray.All(a => pure[a]);
                                }

                                if (isPure && IsCostly(n.Op) && seen.Add(n))
                                {
                                    found.Add(n);
                                }
                            }
                        }
                    }

                    switch (s)
                    {
                        case For f:
                            Scan(f.Body, depth + 1);
                            break;
                        case If i:
                            Scan(i.Then, depth);
                            Scan(i.Else, depth);
                            break;
                        case While w:
                            Scan(w.Body, depth + 1);
                            break;
                    }
                }
            }

            Scan(body, 0);
            if (found.Count == 0)
            {
                return body;
            }

            Changed = true;
            // topological order: a larger value's definition reads the locals of the smaller ones it holds
            var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            var statements = new List<Statement>();
            foreach (var n in Traversal.TopologicalOrder(found).Where(seen.Contains))
            {
                var local = _g.Var(_names.Unique("_shared"));
                statements.Add(new Declare(local.Name!, ValueKind.Real, Substitute(n, map)));
                map[n] = local;
            }

            statements.AddRange(ReplaceAll(body, map).Statements);
            return new Block(statements);
        }

        private Block ReplaceAll(Block block, Dictionary<Node, Node> map)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(s switch
                {
                    For f => f with { Start = Substitute(f.Start, map), End = Substitute(f.End, map), Body = ReplaceAll(f.Body, map) },
                    If i => i with { Condition = Substitute(i.Condition, map), Then = ReplaceAll(i.Then, map), Else = ReplaceAll(i.Else, map) },
                    While w => w with { Condition = Substitute(w.Condition, map), Body = ReplaceAll(w.Body, map) },
                    _ => Replace(_g, s, map),
                });
            }

            return new Block(statements);
        }

        public Block Rewrite(Block block)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(s switch
                {
                    // a loop the printer gives to vector kernels (dot products, axpys) keeps its statements as they are
                    For f when LoopIdioms.Match(f) is not null => f,
                    For f => f with { Body = Rewrite(f.Body) },
                    If i => i with { Then = Rewrite(i.Then), Else = Rewrite(i.Else) },
                    While w => w with { Body = Rewrite(w.Body) },
                    _ => s,
                });
            }

            var windows = FindRepeats(statements);
            return windows.Count == 0 ? new Block(statements) : new Block(Share(statements, windows));
        }

        /// <summary>The values two or more statements of one run read, with the statements that read them.</summary>
        private List<Window> FindRepeats(List<Statement> statements)
        {
            var repeated = new List<Window>();
            var open = new Dictionary<Node, Window>(NodeIdentity.Comparer);
            var byName = new Dictionary<string, List<Window>>(StringComparer.Ordinal);
            void Close(Window w)
            {
                // a window of the same value opened after this one closed is not this one
                if (!open.TryGetValue(w.Value, out var current) || !ReferenceEquals(current, w))
                {
                    return;
                }

                open.Remove(w.Value);
                if (w.Readers.Count > 1)
                {
                    repeated.Add(w);
                }
            }

            for (int k = 0; k < statements.Count; k++)
            {
                var s = statements[k];
                if (!IsStraight(s))
                {
                    foreach (var w in new List<Window>(open.Values))
                    {
                        Close(w);
                    }

                    byName.Clear();
                    continue;
                }

                var unconditional = Unconditional(Expressions(s));
                foreach (var e in Expressions(s))
                {
                    foreach (var n in Traversal.TopologicalOrder(e))
                    {
                        // a window opens where the value is sure to be computed, or cannot throw
                        if (!open.TryGetValue(n, out var window) && !(Shareable(n) && (unconditional.Contains(n) || IsCostly(n.Op) && ReadsNoElement(n))))
                        {
                            continue;
                        }

                        if (window is null)
                        {
                            open[n] = window = new Window(n);
                            foreach (var name in ProcedureAnalysis.Reads(n))
                            {
                                if (!byName.TryGetValue(name, out var readers))
                                {
                                    byName[name] = readers = new List<Window>();
                                }

                                readers.Add(window);
                            }
                        }

                        if (window.Readers.Count == 0 || window.Readers[window.Readers.Count - 1] != k)
                        {
                            window.Readers.Add(k);
                        }
                    }
                }

                if (Written(s) is { } written && byName.TryGetValue(written, out var stale))
                {
                    foreach (var w in stale)
                    {
                        Close(w);
                    }

                    byName.Remove(written);
                }
            }

            foreach (var w in new List<Window>(open.Values))
            {
                Close(w);
            }

            // a value read by the same statements as a larger shared one that holds it needs no local of its own
            var inner = new HashSet<Window>();
            foreach (var group in repeated.GroupBy(w => string.Join(",", w.Readers)).Where(g => g.Count() > 1))
            {
                foreach (var outer in group)
                {
                    var held = new HashSet<Node>(Traversal.TopologicalOrder(outer.Value), NodeIdentity.Comparer);
                    held.Remove(outer.Value);
                    inner.UnionWith(group.Where(w => held.Contains(w.Value)));
                }
            }

            repeated.RemoveAll(inner.Contains);
            return repeated;
        }

        /// <summary>The statements with each repeated value declared before its first reader and read from its local.</summary>
        private List<Statement> Share(List<Statement> statements, List<Window> windows)
        {
            Changed = true;
            // smaller values first: a larger one's definition reads the locals of the smaller ones it holds
            var sizes = windows.ToDictionary(w => w, w => Traversal.TopologicalOrder(w.Value).Count);
            windows.Sort((a, b) => sizes[a].CompareTo(sizes[b]));
            var declarations = new Dictionary<int, List<Statement>>();
            var replacements = new Dictionary<int, Dictionary<Node, Node>>();
            foreach (var w in windows)
            {
                int first = w.Readers[0];
                bool integer = _integers.IsInteger(w.Value);
                var local = _g.Var(_names.Unique(w.Value.Op == Op.Load ? "_" + Stem(w.Value.Name!) : integer ? "_index" : "_shared"));
                var inner = replacements.TryGetValue(first, out var atFirst) ? atFirst : null;
                if (!declarations.TryGetValue(first, out var list))
                {
                    declarations[first] = list = new List<Statement>();
                }

                list.Add(new Declare(local.Name!, integer ? ValueKind.Integer : ValueKind.Real, inner is null ? w.Value : Substitute(w.Value, inner)));
                foreach (int k in w.Readers)
                {
                    if (!replacements.TryGetValue(k, out var map))
                    {
                        replacements[k] = map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
                    }

                    map[w.Value] = local;
                }
            }

            var result = new List<Statement>(statements.Count + windows.Count);
            for (int k = 0; k < statements.Count; k++)
            {
                if (declarations.TryGetValue(k, out var declared))
                {
                    result.AddRange(declared);
                }

                result.Add(replacements.TryGetValue(k, out var map) ? Replace(_g, statements[k], map) : statements[k]);
            }

            return result;
        }

        /// <summary>The last identifier of an array's name (a constant table's is qualified: global::N.T.Scales).</summary>
        private static string Stem(string array) => array.Substring(Math.Max(array.LastIndexOf('.'), array.LastIndexOf(':')) + 1);

        private static bool ReadsNoElement(Node n) => Traversal.TopologicalOrder(n).TrueForAll(x => x.Op != Op.Load);

        /// <summary>The nodes every evaluation of the expressions computes: not only under a ?: branch or after &amp;&amp;, ||.</summary>
        internal static HashSet<Node> Unconditional(IEnumerable<Node> roots)
        {
            var seen = new HashSet<Node>(NodeIdentity.Comparer);
            var pending = new Stack<Node>(roots);
            while (pending.Count > 0)
            {
                var n = pending.Pop();
                if (!seen.Add(n))
                {
                    continue;
                }

                var args = n.ArgArray;
                // both sides of a zero-seed guard count: the guard is against 0·∞, and its partial reads what the statement reads
                int evaluated = n.Op is Op.Select && !ZeroSeed.IsGuard(n) || n.Op is Op.And or Op.Or ? 1 : args.Length;
                for (int i = 0; i < evaluated; i++)
                {
                    pending.Push(args[i]);
                }
            }

            return seen;
        }

        /// <summary>
        /// A value worth a local: not a leaf, a condition or a custom call; a real, or an index computed with a product of
        /// variables and a quotient (a packed triangle's <c>c·n + col·(2d − col − 1)/2 + r</c>, read by an adjoint's store
        /// and a partial's load: in a large method the JIT runs out of common subexpressions to share, and computes it
        /// twice per inner iteration). Affine indices (<c>c·d + j</c>, <c>j / 2</c>) stay inline: they are cheap, and the
        /// printer's vector kernels match them.
        /// </summary>
        private bool Shareable(Node n)
        {
            if (n.Op is Op.Var or Op.Const or Op.CustomCall or Op.CustomPartial || n.IsCondition)
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

            return !_integers.IsInteger(n) || IsIndexArithmetic(n);
        }

        private static bool IsIndexArithmetic(Node n)
        {
            var nodes = Traversal.TopologicalOrder(n);
            return nodes.Exists(x => x.Op is Op.IntDiv or Op.Mod) && nodes.Exists(x => x.Op == Op.Mul && !x.Args[0].IsConstant && !x.Args[1].IsConstant);
        }

        /// <summary><paramref name="root"/> with the nodes of <paramref name="map"/> replaced (shared nodes rebuilt once).</summary>
        private Node Substitute(Node root, Dictionary<Node, Node> map) =>
            AdjointSimplification.Replace(_g, root, new Dictionary<Node, Node>(map, NodeIdentity.Comparer));

        /// <summary>Statements whose expressions are evaluated in order, once, and which write at most one name.</summary>
        private static bool IsStraight(Statement s) =>
            s is Declare { Kind: not ValueKind.Array } or Assign or Store or Accumulate or AccumulateElement or Push or Pop or PopStore;
    }

    /// <summary>The expressions a statement evaluates itself (values, indices, bounds, conditions; not those of the statements it holds).</summary>
    internal static IEnumerable<Node> Expressions(Statement s)
    {
        switch (s)
        {
            case Declare { Initial: { } initial }:
                yield return initial;
                break;
            case Assign a:
                yield return a.Value;
                break;
            case Store st:
                yield return st.Index;
                yield return st.Value;
                break;
            case Accumulate ac:
                yield return ac.Value;
                break;
            case AccumulateElement ae:
                yield return ae.Index;
                yield return ae.Value;
                break;
            case Push pu:
                yield return pu.Value;
                break;
            case PopStore ps:
                yield return ps.Index;
                break;
            case Return r:
                yield return r.Value;
                break;
            case For f:
                yield return f.Start;
                yield return f.End;
                break;
            case If i:
                yield return i.Condition;
                break;
            case While w:
                yield return w.Condition;
                break;
        }
    }

    /// <summary>The one name a straight-line statement writes; null for others.</summary>
    internal static string? Written(Statement s) => s switch
    {
        Declare d => d.Name,
        Assign a => a.Target,
        Store st => st.Array,
        Accumulate ac => ac.Target,
        AccumulateElement ae => ae.Array,
        Pop p => p.Target,
        PopStore ps => ps.Array,
        _ => null,
    };

    /// <summary>The statement with the nodes of <paramref name="map"/> replaced in its own expressions (those <see cref="Expressions"/> lists for straight-line statements).</summary>
    internal static Statement Replace(Graph g, Statement s, Dictionary<Node, Node> map)
    {
        Node R(Node e) => AdjointSimplification.Replace(g, e, new Dictionary<Node, Node>(map, NodeIdentity.Comparer));
        return s switch
        {
            Declare d => d with { Initial = d.Initial is null ? null : R(d.Initial) },
            Assign a => a with { Value = R(a.Value) },
            Store st => st with { Index = R(st.Index), Value = R(st.Value) },
            Accumulate ac => ac with { Value = R(ac.Value) },
            AccumulateElement ae => ae with { Index = R(ae.Index), Value = R(ae.Value) },
            Push pu => pu with { Value = R(pu.Value) },
            PopStore ps => ps with { Index = R(ps.Index) },
            Return r => r with { Value = R(r.Value) },
            _ => s,
        };
    }

    /// <summary>A costly value and the statements of one run that read it.</summary>
    private sealed class Window
    {
        public Window(Node value) => Value = value;

        public Node Value { get; }

        public List<int> Readers { get; } = new();
    }
}
