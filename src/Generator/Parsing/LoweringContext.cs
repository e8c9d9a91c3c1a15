using System.Collections.Generic;
using System.Threading;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// What the parts of lowering one [Differentiable] method share: the graph being built, the method
/// (the root) and its semantic model, the methods being inlined, and where diagnostics go.
/// </summary>
internal sealed class LoweringContext
{
    public LoweringContext(Graph graph, IMethodSymbol root, SemanticModel rootModel, HashSet<SyntaxTree> readTrees, List<DiagnosticInfo> diagnostics,
        CancellationToken ct)
    {
        _readTrees = readTrees;
        Graph = graph;
        Root = root;
        RootModel = rootModel;
        Diagnostics = diagnostics;
        Cancellation = ct;
    }

    private readonly HashSet<SyntaxTree> _readTrees;

    public Graph Graph { get; }

    /// <summary>The [Differentiable] method being lowered.</summary>
    public IMethodSymbol Root { get; }

    public SemanticModel RootModel { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Where diagnostics go; a callee being inlined gets a list of its own (see <see cref="CallLowerer"/>).</summary>
    public List<DiagnosticInfo> Diagnostics { get; set; }

    /// <summary>The calls of methods with hand-written rules, and the methods' names: they have first derivatives only.</summary>
    public List<(SyntaxNode Call, string Function)> CustomRuleCalls { get; } = new();

    /// <summary>The calls of vector-output methods (layers), and the methods' names: their products give first derivatives only.</summary>
    public List<(SyntaxNode Call, string Function)> LayerCalls { get; } = new();

    /// <summary>The root and the callees being inlined into it, innermost on top.</summary>
    public Stack<IMethodSymbol> Inlining { get; } = new();

    /// <summary>True while lowering the root's own body, not a callee's.</summary>
    public bool InRoot => Inlining.Count == 1;

    /// <summary>
    /// The declaration of another method (a callee), read from its syntax tree; the tree is remembered,
    /// because the result then depends on its text (see <see cref="ParseCache"/>).
    /// </summary>
    public SyntaxNode Read(SyntaxReference declaration)
    {
        _readTrees.Add(declaration.SyntaxTree);
        return declaration.GetSyntax(Cancellation);
    }

    /// <summary>The semantic model of a syntax tree of the compilation.</summary>
    public SemanticModel ModelOf(SyntaxTree tree) => tree == RootModel.SyntaxTree ? RootModel : RootModel.Compilation.GetSemanticModel(tree);

    public void Report(DiagnosticDescriptor descriptor, SyntaxNodeOrToken at, params string[] args)
    {
        var location = at.IsNode ? LocationInfo.From(at.AsNode()!) : LocationInfo.From(at.AsToken());
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
    }

    /// <summary>Reports a DG0005 at <paramref name="op"/> and returns zero, so that lowering goes on.</summary>
    public Node Unsupported(IOperation op, string why)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, op.Syntax, Shorten(op.Syntax.ToString()), why);
        return Graph.Zero;
    }

    /// <summary>Source text for a message: one line, at most 60 characters.</summary>
    public static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }
}
