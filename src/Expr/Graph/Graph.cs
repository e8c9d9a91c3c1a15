using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Builds expression DAGs. Every node is made here and hash-consed: asking for the same operation on
/// the same arguments returns the existing node, which is common-subexpression elimination by
/// construction. With <see cref="Simplifies"/> on, each new node first passes the value-preserving
/// rewrites of <see cref="Simplifier"/>. A graph is not thread-safe; nodes are immutable.
/// </summary>
public sealed partial class Graph
{
    private readonly Dictionary<NodeKey, Node> _interned = new();
    private readonly Dictionary<string, Node> _variablesByName = new(StringComparer.Ordinal);
    private readonly List<Node> _variables = new();
    private int _nextId;

    /// <summary>Creates an empty graph.</summary>
    /// <param name="simplify">Apply the value-preserving rewrites of <see cref="Simplifier"/> while building.</param>
    public Graph(bool simplify = true)
    {
        Simplifies = simplify;
        Zero = Const(0.0);
        One = Const(1.0);
        MinusOne = Const(-1.0);
    }

    /// <summary>True when nodes are simplified as they are built.</summary>
    public bool Simplifies { get; }

    /// <summary>
    /// The graph of a float method (see <see cref="Simplifier"/>): constants fold only where float arithmetic
    /// would give the same value, rounded to float, so that printed in float they are C#'s values.
    /// </summary>
    internal bool FoldsInSingle { get; set; }

    /// <summary>The number of distinct nodes built so far.</summary>
    public int NodeCount => _nextId;

    /// <summary>The constant 0.</summary>
    public Node Zero { get; }

    /// <summary>The constant 1.</summary>
    public Node One { get; }

    /// <summary>The constant −1.</summary>
    public Node MinusOne { get; }

    /// <summary>The variables, in the order they were created (their <see cref="Node.Index"/>).</summary>
    public IReadOnlyList<Node> Variables => _variables;

    /// <summary>A constant.</summary>
    public Node Const(double value) => Intern(Op.Const, Array.Empty<Node>(), value, null, 0);

    /// <summary>The variable named <paramref name="name"/>, created on first use with the next index.</summary>
    public Node Var(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A variable needs a name.", nameof(name));
        }

        if (_variablesByName.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var node = Intern(Op.Var, Array.Empty<Node>(), 0.0, name, _variables.Count);
        _variablesByName.Add(name, node);
        _variables.Add(node);
        return node;
    }

    /// <summary>Creates several variables at once.</summary>
    public Node[] Vars(params string[] names)
    {
        if (names is null)
        {
            throw new ArgumentNullException(nameof(names));
        }

        var result = new Node[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            result[i] = Var(names[i]);
        }

        return result;
    }

    /// <summary>Applies <paramref name="op"/> to <paramref name="args"/> (simplified, then hash-consed).</summary>
    public Node Apply(Op op, params Node[] args)
    {
        if (args is null)
        {
            throw new ArgumentNullException(nameof(args));
        }

        var info = OpTable.Get(op);
        if (op is Op.Const or Op.Var or Op.Call or Op.CallPartial or Op.Load or Op.CustomCall or Op.CustomPartial)
        {
            throw new ArgumentException($"Use {nameof(Const)}, {nameof(Var)}, {nameof(Load)}, {nameof(Call)}, {nameof(CallPartial)}, {nameof(CustomCall)} or {nameof(CustomPartial)} to build a {op} node.", nameof(op));
        }

        CheckArgs(info, args);
        var own = (Node[])args.Clone();
        if (Simplifies)
        {
            // b∘a is a∘b for a commutative operation: reuse the node if it was built the other way
            // round, and otherwise keep the order the user wrote (it is how printed code reads). Not for
            // && and ||: their order is the order of evaluation (i < n && x[i] > 0 must not read x[n]).
            if (info.IsCommutative && op is not (Op.And or Op.Or) && _interned.TryGetValue(new NodeKey(op, 0.0, null, 0, new[] { own[1], own[0] }), out var swapped))
            {
                return swapped;
            }

            var simpler = Simplifier.TrySimplify(this, op, own);
            if (simpler is not null)
            {
                return simpler;
            }
        }

        return Intern(op, own, 0.0, null, 0);
    }

    /// <summary>Element <paramref name="index"/> of the array <paramref name="array"/> (an integer-valued index).</summary>
    internal Node Load(string array, Node index)
    {
        if (string.IsNullOrEmpty(array))
        {
            throw new ArgumentException("An array needs a name.", nameof(array));
        }

        CheckArgs(OpTable.Get(Op.Load), new[] { index ?? throw new ArgumentNullException(nameof(index)) });
        return Intern(Op.Load, new[] { index }, 0.0, array, 0);
    }

    /// <summary>A call of an external differentiable function, e.g. another [Differentiable] method.</summary>
    public Node Call(string function, params Node[] args)
    {
        CheckCall(function, args);
        return Intern(Op.Call, (Node[])args.Clone(), 0.0, function, 0);
    }

    /// <summary>The partial derivative of an external function with respect to argument <paramref name="argument"/>.</summary>
    public Node CallPartial(string function, int argument, params Node[] args)
    {
        CheckCall(function, args);
        if (argument < 0 || argument >= args.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(argument), argument, "The argument index is outside the call's arguments.");
        }

        return Intern(Op.CallPartial, (Node[])args.Clone(), 0.0, function, argument);
    }

    /// <summary>Most arguments of a <see cref="CustomCall"/>: its two argument masks share one double (<see cref="Node.Value"/>) exactly.</summary>
    public const int MaxCustomArguments = 26;

    /// <summary>
    /// A call of a function with a hand-written derivative rule: <paramref name="gradient"/> names the rule's method,
    /// <c>double gradient(args…, out double d…)</c>, which returns the value and writes one partial per argument
    /// except those flagged in <paramref name="constantArguments"/> (bit i: argument i is an int or [NoDiff] parameter);
    /// <paramref name="intArguments"/> flags the C# <c>int</c> parameters among them (printed as ints).
    /// </summary>
    public Node CustomCall(string gradient, long constantArguments, long intArguments, params Node[] args) =>
        Intern(Op.CustomCall, (Node[])args.Clone(), CustomMasks(gradient, constantArguments, intArguments, args), gradient, 0);

    /// <summary>The partial of <see cref="CustomCall"/> with respect to argument <paramref name="argument"/>.</summary>
    public Node CustomPartial(string gradient, long constantArguments, long intArguments, int argument, params Node[] args)
    {
        double masks = CustomMasks(gradient, constantArguments, intArguments, args);
        if (argument < 0 || argument >= args.Length || ((constantArguments >> argument) & 1) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(argument), argument, "The argument index is outside the call's arguments, or the argument gets no partial.");
        }

        return Intern(Op.CustomPartial, (Node[])args.Clone(), masks, gradient, argument);
    }

    /// <summary>The partial of the custom call <paramref name="call"/> with respect to argument <paramref name="argument"/>.</summary>
    internal Node CustomPartial(Node call, int argument) =>
        CustomPartial(call.Name!, ConstantArguments(call), IntArguments(call), argument, call.ArgArray);

    /// <summary>For a <see cref="Op.CustomCall"/> or <see cref="Op.CustomPartial"/>: true when argument <paramref name="argument"/> gets no partial.</summary>
    public static bool HasNoPartial(Node custom, int argument) => ((ConstantArguments(custom) >> argument) & 1) != 0;

    /// <summary>For a <see cref="Op.CustomCall"/> or <see cref="Op.CustomPartial"/>: true when argument <paramref name="argument"/> is a C# int.</summary>
    public static bool IsIntArgument(Node custom, int argument) => ((IntArguments(custom) >> argument) & 1) != 0;

    private static long ConstantArguments(Node custom) => (long)custom.Value & ((1L << MaxCustomArguments) - 1);

    private static long IntArguments(Node custom) => (long)custom.Value >> MaxCustomArguments;

    private double CustomMasks(string gradient, long constantArguments, long intArguments, Node[] args)
    {
        CheckCall(gradient, args);
        if (args.Length > MaxCustomArguments || constantArguments < 0 || constantArguments >> args.Length != 0
            || intArguments < 0 || (intArguments & ~constantArguments) != 0)
        {
            throw new ArgumentException($"A custom call takes at most {MaxCustomArguments} arguments; its masks flag only arguments it has, and int arguments get no partial.", nameof(args));
        }

        return constantArguments | (intArguments << MaxCustomArguments);
    }

    /// <summary>The node <paramref name="node"/> over new arguments <paramref name="args"/> of this graph (simplified, then hash-consed).</summary>
    internal Node Rebuild(Node node, Node[] args) => node.Op switch
    {
        Op.Load => Load(node.Name!, args[0]),
        Op.Call => Call(node.Name!, args),
        Op.CallPartial => CallPartial(node.Name!, node.Index, args),
        Op.CustomCall => CustomCall(node.Name!, ConstantArguments(node), IntArguments(node), args),
        Op.CustomPartial => CustomPartial(node.Name!, ConstantArguments(node), IntArguments(node), node.Index, args),
        _ => Apply(node.Op, args),
    };

    private void CheckCall(string function, Node[] args)
    {
        if (string.IsNullOrEmpty(function))
        {
            throw new ArgumentException("A call needs a function name.", nameof(function));
        }

        if (args is null)
        {
            throw new ArgumentNullException(nameof(args));
        }

        CheckArgs(OpTable.Get(Op.Call), args);
    }

    private void CheckArgs(OpInfo info, Node[] args)
    {
        if (info.Arity >= 0 ? args.Length != info.Arity : args.Length == 0)
        {
            throw new ArgumentException($"{info.Name} takes {(info.Arity >= 0 ? info.Arity.ToString(System.Globalization.CultureInfo.InvariantCulture) : "at least one")} argument(s), not {args.Length}.", nameof(args));
        }

        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is null)
            {
                throw new ArgumentNullException(nameof(args), $"Argument {i} of {info.Name} is null.");
            }

            if (!ReferenceEquals(args[i].Graph, this))
            {
                throw new ArgumentException($"Argument {i} of {info.Name} belongs to another graph; use {nameof(Import)} to copy it here.", nameof(args));
            }
        }
    }

    private Node Intern(Op op, Node[] args, double value, string? name, int index)
    {
        var key = new NodeKey(op, value, name, index, args);
        if (_interned.TryGetValue(key, out var existing))
        {
            return existing;
        }

        int depth = 0;
        foreach (var a in args)
        {
            depth = Math.Max(depth, a.Depth + 1);
        }

        var node = new Node(this, _nextId++, op, args, value, name, index, key.StructuralHash(), depth);
        _interned.Add(key, node);
        return node;
    }

    /// <summary>
    /// Copies the DAG below <paramref name="roots"/> (from any graph) into this one, through this graph's
    /// simplification and hash-consing: the way to simplify and CSE a graph that was built raw.
    /// Variables are matched by name. Iterative, so any depth is fine.
    /// </summary>
    public Node[] Import(IReadOnlyList<Node> roots)
    {
        if (roots is null)
        {
            throw new ArgumentNullException(nameof(roots));
        }

        var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
        var order = Traversal.TopologicalOrder(roots);

        // Variables first, in their original index order, so inputs keep their positions.
        var variables = order.FindAll(n => n.Op == Op.Var);
        variables.Sort((x, y) => x.Index.CompareTo(y.Index));
        foreach (var v in variables)
        {
            map[v] = Var(v.Name!);
        }

        foreach (var node in order)
        {
            if (map.ContainsKey(node))
            {
                continue;
            }

            Node copy;
            switch (node.Op)
            {
                case Op.Const:
                    copy = Const(node.Value);
                    break;
                case Op.Var:
                    copy = Var(node.Name!);
                    break;
                default:
                    var args = new Node[node.ArgArray.Length];
                    for (int i = 0; i < args.Length; i++)
                    {
                        args[i] = map[node.ArgArray[i]];
                    }

                    copy = Rebuild(node, args);
                    break;
            }

            map[node] = copy;
        }

        var result = new Node[roots.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = map[roots[i]];
        }

        return result;
    }

    /// <summary>Copies one expression into this graph (see <see cref="Import(IReadOnlyList{Node})"/>).</summary>
    public Node Import(Node root) => Import(new[] { root })[0];

    /// <summary>The hash-consing key: operation, payload and the identities of the arguments.</summary>
    private readonly struct NodeKey : IEquatable<NodeKey>
    {
        private readonly Op _op;
        private readonly long _valueBits;
        private readonly string? _name;
        private readonly int _index;
        private readonly Node[] _args;

        public NodeKey(Op op, double value, string? name, int index, Node[] args)
        {
            _op = op;
            _valueBits = BitConverter.DoubleToInt64Bits(value);
            _name = name;
            _index = index;
            _args = args;
        }

        /// <summary>Hash of the structure (not of node identities), equal for equal structures in any graph.</summary>
        public int StructuralHash()
        {
            unchecked
            {
                int h = (int)2166136261;
                h = (h ^ (int)_op) * 16777619;
                h = (h ^ _valueBits.GetHashCode()) * 16777619;
                h = (h ^ (_name is null ? 0 : StringHash(_name))) * 16777619;
                h = (h ^ _index) * 16777619;
                foreach (var a in _args)
                {
                    h = (h ^ a.StructuralHash) * 16777619;
                }

                return h;
            }
        }

        // string.GetHashCode is randomised per process; structural hashes must be stable.
        private static int StringHash(string s)
        {
            unchecked
            {
                int h = 5381;
                foreach (char c in s)
                {
                    h = (h * 33) ^ c;
                }

                return h;
            }
        }

        private static uint Mix(uint h, uint value)
        {
            unchecked
            {
                h ^= value * 0x9E3779B1u;
                h = (h << 13) | (h >> 19);
                return h * 0x85EBCA77u;
            }
        }

        public bool Equals(NodeKey other)
        {
            if (_op != other._op || _valueBits != other._valueBits || _index != other._index
                || !string.Equals(_name, other._name, StringComparison.Ordinal) || _args.Length != other._args.Length)
            {
                return false;
            }

            for (int i = 0; i < _args.Length; i++)
            {
                if (!ReferenceEquals(_args[i], other._args[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is NodeKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                // Mix every field well: sequential ids with a weak multiplier collide in long runs.
                uint h = 2166136261u;
                h = Mix(h, (uint)_op);
                h = Mix(h, (uint)_valueBits ^ (uint)(_valueBits >> 32));
                h = Mix(h, (uint)_index);
                foreach (var a in _args)
                {
                    h = Mix(h, (uint)a.Id);
                }

                return (int)h;
            }
        }
    }
}
