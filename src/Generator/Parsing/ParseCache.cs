using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Keeps each method's <see cref="MethodResult"/> across runs of the generator. ForAttributeWithMetadataName
/// runs its transform for every [Differentiable] method whenever the compilation changes (one keystroke
/// anywhere), so without this every edit lowers every method again.
/// <para>
/// A result depends only on (1) the method's own text and where it stands (file, position, line), (2) the
/// declarations it can bind to — every file's text with the bodies of methods, constructors and
/// operators left out (a body edit elsewhere changes no binding), the references and the options — and
/// (3) the files whose bodies the lowering read (inlined callees, the call graph searched for recursion).
/// A result is reused when (1) is the same text, (2) compares equal and every file of (3) is still the same
/// syntax tree.
/// </para>
/// </summary>
internal static class ParseCache
{
    /// <summary>Most results kept; past it the cache starts again empty (old projects' results would never be read).</summary>
    private const int Capacity = 8192;

    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<Compilation, Declarations> DeclarationsOf = new();
    private static readonly ConditionalWeakTable<SyntaxTree, string> SkeletonOf = new();

    /// <summary>How many methods this thread lowered (cache misses), for the incremental tests.</summary>
    [ThreadStatic]
    private static int _lowered;

    internal static int LoweredOnThisThread => _lowered;

    /// <summary>The cached result for <paramref name="syntax"/> in <paramref name="compilation"/>, or a new one from <paramref name="parse"/>.</summary>
    /// <param name="syntax">The method.</param>
    /// <param name="compilation">The compilation it belongs to.</param>
    /// <param name="parse">Lowers the method, adding to its argument each syntax tree outside the method whose text it read.</param>
    public static MethodResult GetOrParse(MethodDeclarationSyntax syntax, Compilation compilation, Func<HashSet<SyntaxTree>, MethodResult> parse)
    {
        var tree = syntax.SyntaxTree;
        var start = tree.GetLineSpan(syntax.Span).StartLinePosition;
        string key = tree.FilePath + "\n" + syntax.SpanStart + ":" + start.Line + ":" + start.Character + "\n" + syntax;
        var declarations = DeclarationsOf.GetValue(compilation, static c => new Declarations(c));
        if (Entries.TryGetValue(key, out var entry) && entry.Declarations.Equals(declarations) && entry.ReadTrees.All(compilation.ContainsSyntaxTree))
        {
            return entry.Result;
        }

        var read = new HashSet<SyntaxTree>();
        var result = parse(read);
        _lowered++;
        if (Entries.Count >= Capacity)
        {
            Entries.Clear();
        }

        Entries[key] = new Entry(declarations, read.ToImmutableArray(), result);
        return result;
    }

    private sealed record Entry(Declarations Declarations, ImmutableArray<SyntaxTree> ReadTrees, MethodResult Result);

    /// <summary>What a method body can bind to: every file without its method bodies, the references and the options.</summary>
    private sealed class Declarations : IEquatable<Declarations>
    {
        private readonly ImmutableArray<string> _skeletons;
        private readonly ImmutableArray<MetadataReference> _references;
        private readonly CompilationOptions _options;
        private readonly ParseOptions? _parseOptions;

        public Declarations(Compilation compilation)
        {
            _skeletons = compilation.SyntaxTrees.Select(t => SkeletonOf.GetValue(t, Skeleton)).ToImmutableArray();
            _references = compilation.References.ToImmutableArray();
            _options = compilation.Options;
            _parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options;
        }

        public bool Equals(Declarations? other) =>
            other is not null
            && _skeletons.SequenceEqual(other._skeletons, StringComparer.Ordinal)
            && _references.SequenceEqual(other._references) // the same reference objects: an unchanged project keeps them
            && _options.Equals(other._options)
            && Equals(_parseOptions, other._parseOptions);

        public override bool Equals(object? obj) => Equals(obj as Declarations);

        public override int GetHashCode() => _skeletons.Length;
    }

    /// <summary>A digest of the file's path and text, without the bodies of its methods, constructors and operators.</summary>
    private static string Skeleton(SyntaxTree tree)
    {
        var text = tree.GetText().ToString();
        var kept = new StringBuilder(tree.FilePath).Append('\n');
        int from = 0;
        var bodies = tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<BaseMethodDeclarationSyntax>()
            .Select(m => (SyntaxNode?)m.Body ?? m.ExpressionBody)
            .Where(b => b is not null);
        foreach (var body in bodies)
        {
            kept.Append(text, from, body!.SpanStart - from).Append("{}");
            from = body.Span.End;
        }

        kept.Append(text, from, text.Length - from);
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(kept.ToString())));
    }
}
