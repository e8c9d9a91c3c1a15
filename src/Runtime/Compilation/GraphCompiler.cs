using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DiffGen.Expr;

namespace DiffGen.Compilation;

/// <summary>
/// Runtime compilation of expression graphs, with a cache. Build a graph in code (a network whose
/// shape is known only at run time), then
/// <code>
/// var g = new Graph();
/// var (x, y) = (g.Var("x"), g.Var("y"));
/// var f = g.Sin(x) * y;
/// var compiled = GraphCompiler.CompileGradient(f, new[] { x, y });
/// double value = compiled.Evaluate(point, gradient);   // f and ∇f, no allocation
/// </code>
/// Compiled delegates are cached by graph: the key is the outputs' structure (<see cref="Node.Equals(Node)"/>,
/// so a structurally equal graph built in another <see cref="Graph"/> hits the cache too), the variable
/// list (structurally: name and index), the kind (gradient or plain function) and the backend. The
/// cache is thread-safe and bounded: when it holds <see cref="CacheCapacity"/> entries it is cleared
/// before the next one is added. An entry keeps its graph alive; <see cref="ClearCache"/> releases them.
/// </summary>
public static class GraphCompiler
{
    /// <summary>The most compiled delegates kept; the cache is emptied when a new entry would exceed it.</summary>
    public const int CacheCapacity = 256;

    private static readonly ConcurrentDictionary<CacheKey, Lazy<object>> Cache = new();
    private static GraphBackend _defaultBackend = GraphBackend.ExpressionTrees;

    /// <summary>
    /// The backend used when none is given: <see cref="GraphBackend.ExpressionTrees"/>, which compiles
    /// about 25 times faster than Roslyn and evaluates as fast, about 6 times faster than the interpreter (benchmarks/README.md).
    /// </summary>
    public static GraphBackend DefaultBackend
    {
        get => Volatile.Read(ref _defaultBackend);
        set => Volatile.Write(ref _defaultBackend, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The number of compiled delegates in the cache.</summary>
    public static int CacheCount => Cache.Count;

    /// <summary>Empties the cache (and releases the graphs its keys hold).</summary>
    public static void ClearCache() => Cache.Clear();

    /// <summary>
    /// Differentiates <paramref name="f"/> by reverse mode (<see cref="Derivatives.Gradient"/>) and compiles
    /// f and ∇f with respect to <paramref name="variables"/> into one delegate, or returns the cached one.
    /// </summary>
    /// <param name="f">The scalar function.</param>
    /// <param name="variables">The variables, in the order of the input vector and of the gradient; every variable f uses must be listed.</param>
    /// <param name="backend">The backend; null for <see cref="DefaultBackend"/>.</param>
    /// <exception cref="ArgumentException">A variable f uses is not listed, a listed node is not a variable of f's graph, or one is listed twice.</exception>
    /// <exception cref="NotSupportedException">f calls an external function.</exception>
    public static CompiledGradient CompileGradient(Node f, IReadOnlyList<Node> variables, GraphBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(f);

        var b = backend ?? DefaultBackend;
        return (CompiledGradient)GetOrCompile(new CacheKey(true, b, new[] { f }, variables), () => b.CompileGradient(f, variables));
    }

    /// <summary>
    /// Compiles several outputs over <paramref name="variables"/> into one function (shared
    /// subexpressions computed once), or returns the cached one.
    /// </summary>
    /// <param name="outputs">The outputs, all of one graph, in the order they are written.</param>
    /// <param name="variables">The variables, in the order of the input vector; every variable the outputs use must be listed.</param>
    /// <param name="backend">The backend; null for <see cref="DefaultBackend"/>.</param>
    /// <exception cref="ArgumentException">As <see cref="CompileGradient"/>, or no outputs.</exception>
    /// <exception cref="NotSupportedException">An output calls an external function.</exception>
    public static CompiledFunction Compile(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables, GraphBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);

        var b = backend ?? DefaultBackend;
        var copy = new Node[outputs.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = outputs[i];
        }

        return (CompiledFunction)GetOrCompile(new CacheKey(false, b, copy, variables), () => b.Compile(copy, variables));
    }

    private static object GetOrCompile(CacheKey key, Func<object> compile)
    {
        if (Cache.TryGetValue(key, out var hit))
        {
            return Force(key, hit);
        }

        if (Cache.Count >= CacheCapacity)
        {
            Cache.Clear();
        }

        // Lazy makes concurrent misses on one key compile once.
        var entry = Cache.GetOrAdd(key, _ => new Lazy<object>(compile, LazyThreadSafetyMode.ExecutionAndPublication));
        return Force(key, entry);
    }

    private static object Force(CacheKey key, Lazy<object> entry)
    {
        try
        {
            return entry.Value;
        }
        catch
        {
            // A graph that failed to compile (a missing variable, …) is not remembered.
            Cache.TryRemove(new KeyValuePair<CacheKey, Lazy<object>>(key, entry));
            throw;
        }
    }

    /// <summary>Structural key: kind, backend, outputs and variables compared with <see cref="Node.Equals(Node)"/>.</summary>
    private sealed class CacheKey : IEquatable<CacheKey>
    {
        private readonly bool _gradient;
        private readonly GraphBackend _backend;
        private readonly Node[] _outputs;
        private readonly Node[] _variables;
        private readonly int _hash;

        public CacheKey(bool gradient, GraphBackend backend, Node[] outputs, IReadOnlyList<Node> variables)
        {
            ArgumentNullException.ThrowIfNull(variables);

            _gradient = gradient;
            _backend = backend;
            _outputs = outputs;
            _variables = new Node[variables.Count];
            var hash = new HashCode();
            hash.Add(gradient);
            hash.Add(backend);
            foreach (var o in outputs)
            {
                hash.Add(o?.GetHashCode() ?? 0);
            }

            for (int i = 0; i < _variables.Length; i++)
            {
                _variables[i] = variables[i];
                hash.Add(variables[i]?.GetHashCode() ?? 0);
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(CacheKey? other) =>
            other is not null
            && _hash == other._hash
            && _gradient == other._gradient
            && ReferenceEquals(_backend, other._backend)
            && SameNodes(_outputs, other._outputs)
            && SameNodes(_variables, other._variables);

        private static bool SameNodes(Node[] a, Node[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (!Equals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as CacheKey);

        public override int GetHashCode() => _hash;
    }
}
