using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Expr;

/// <summary>
/// An immutable node of an expression DAG. Nodes are created only by a <see cref="Graph"/>, which
/// hash-conses them: within one graph, structurally equal nodes are the same object. Across graphs,
/// <see cref="Equals(Node?)"/> compares structure without recursion, so deep graphs never overflow
/// the stack.
/// </summary>
public sealed class Node : IEquatable<Node>
{
    private readonly Node[] _args;

    internal Node(Graph graph, int id, Op op, Node[] args, double value, string? name, int index, int hash, int depth)
    {
        Graph = graph;
        Id = id;
        Op = op;
        _args = args;
        Value = value;
        Name = name;
        Index = index;
        StructuralHash = hash;
        Depth = depth;
    }

    /// <summary>The graph that built this node.</summary>
    public Graph Graph { get; }

    /// <summary>Creation order within <see cref="Graph"/>: every argument has a smaller id, so ids are a topological order.</summary>
    public int Id { get; }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>The arguments, in order.</summary>
    public IReadOnlyList<Node> Args => _args;

    internal Node[] ArgArray => _args;

    /// <summary>The value of a <see cref="Op.Const"/>; for a <see cref="Op.CustomCall"/>/<see cref="Op.CustomPartial"/>, the mask of arguments without a partial; 0 otherwise.</summary>
    public double Value { get; }

    /// <summary>The name of a <see cref="Op.Var"/>, the function of a <see cref="Op.Call"/>/<see cref="Op.CallPartial"/>, or the gradient method of a <see cref="Op.CustomCall"/>/<see cref="Op.CustomPartial"/>.</summary>
    public string? Name { get; }

    /// <summary>The input position of a <see cref="Op.Var"/>, or the argument of a <see cref="Op.CallPartial"/>/<see cref="Op.CustomPartial"/>.</summary>
    public int Index { get; }

    /// <summary>Longest path from this node to a leaf (leaves have depth 0).</summary>
    public int Depth { get; }

    internal int StructuralHash { get; }

    /// <summary>True for a constant.</summary>
    public bool IsConstant => Op == Op.Const;

    /// <summary>True for a constant equal to <paramref name="value"/> (0 matches ±0).</summary>
    public bool IsConstantValue(double value) => Op == Op.Const && Value == value;

    /// <summary>True when the node's value is a condition (comparison or logic), printed as a C# <c>bool</c>.</summary>
    public bool IsCondition => OpTable.Get(Op).IsCondition;

    /// <inheritdoc/>
    public override int GetHashCode() => StructuralHash;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Node);

    /// <summary>
    /// Structural equality: same operation, payload and (structurally equal) arguments. Nodes of one
    /// graph compare by reference; nodes of different graphs are compared with an explicit work list.
    /// </summary>
    public bool Equals(Node? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.StructuralHash != StructuralHash)
        {
            return false;
        }

        if (ReferenceEquals(other.Graph, Graph))
        {
            return false;
        }

        var work = new Stack<(Node, Node)>();
        var proven = new HashSet<(int, int)>();
        work.Push((this, other));
        while (work.Count > 0)
        {
            var (a, b) = work.Pop();
            if (ReferenceEquals(a, b) || proven.Contains((a.Id, b.Id)))
            {
                continue;
            }

            if (!a.ShallowEquals(b))
            {
                return false;
            }

            proven.Add((a.Id, b.Id));
            for (int i = 0; i < a._args.Length; i++)
            {
                work.Push((a._args[i], b._args[i]));
            }
        }

        return true;
    }

    /// <summary>Same operation, payload, hash and arity; arguments not compared.</summary>
    internal bool ShallowEquals(Node other) =>
        Op == other.Op
        && StructuralHash == other.StructuralHash
        && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value)
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Index == other.Index
        && _args.Length == other._args.Length;

    /// <summary>A short description for debugging; use the printers for whole expressions.</summary>
    public override string ToString() => Op switch
    {
        Op.Const => Value.ToString("R", CultureInfo.InvariantCulture),
        Op.Var => Name!,
        _ => $"{Op}#{Id}",
    };

    /// <summary>a + b</summary>
    public static Node operator +(Node a, Node b) => a.Graph.Add(a, b);
    /// <summary>a + c</summary>
    public static Node operator +(Node a, double b) => a.Graph.Add(a, a.Graph.Const(b));
    /// <summary>c + b</summary>
    public static Node operator +(double a, Node b) => b.Graph.Add(b.Graph.Const(a), b);
    /// <summary>a − b</summary>
    public static Node operator -(Node a, Node b) => a.Graph.Sub(a, b);
    /// <summary>a − c</summary>
    public static Node operator -(Node a, double b) => a.Graph.Sub(a, a.Graph.Const(b));
    /// <summary>c − b</summary>
    public static Node operator -(double a, Node b) => b.Graph.Sub(b.Graph.Const(a), b);
    /// <summary>a · b</summary>
    public static Node operator *(Node a, Node b) => a.Graph.Mul(a, b);
    /// <summary>a · c</summary>
    public static Node operator *(Node a, double b) => a.Graph.Mul(a, a.Graph.Const(b));
    /// <summary>c · b</summary>
    public static Node operator *(double a, Node b) => b.Graph.Mul(b.Graph.Const(a), b);
    /// <summary>a / b</summary>
    public static Node operator /(Node a, Node b) => a.Graph.Div(a, b);
    /// <summary>a / c</summary>
    public static Node operator /(Node a, double b) => a.Graph.Div(a, a.Graph.Const(b));
    /// <summary>c / b</summary>
    public static Node operator /(double a, Node b) => b.Graph.Div(b.Graph.Const(a), b);
    /// <summary>−a</summary>
    public static Node operator -(Node a) => a.Graph.Neg(a);
}
