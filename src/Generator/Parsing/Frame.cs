using System.Collections.Generic;
using DiffGen.Expr;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// The symbolic state of one method body during lowering: the current value of every local and
/// parameter, whether the method has returned (a condition: <see cref="Graph.Zero"/> for "not yet",
/// <see cref="Graph.One"/> for "on every path") and the value returned on the paths that have.
/// Control flow merges states with selects, so the result is one expression per method.
/// </summary>
internal sealed class Frame
{
    public Frame(Graph graph)
    {
        Values = new Dictionary<ISymbol, Node>(SymbolEqualityComparer.Default);
        Done = graph.Zero;
    }

    private Frame(Frame other)
    {
        Values = new Dictionary<ISymbol, Node>(other.Values, SymbolEqualityComparer.Default);
        Returned = other.Returned;
        Done = other.Done;
    }

    /// <summary>Current values of locals and parameters.</summary>
    public Dictionary<ISymbol, Node> Values { get; }

    /// <summary>The value returned on the paths where <see cref="Done"/> holds; null before any return.</summary>
    public Node? Returned { get; set; }

    /// <summary>The condition under which the method has already returned.</summary>
    public Node Done { get; set; }

    /// <summary>True when every path has returned (the rest of the block is unreachable).</summary>
    public bool HasReturned => Done.IsConstantValue(1.0);

    public Frame Clone() => new(this);
}
