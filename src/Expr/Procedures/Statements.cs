using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>What a name of a procedure holds.</summary>
internal enum ValueKind : byte
{
    /// <summary>A real scalar (double, or Complex in the complex-step version).</summary>
    Real,
    /// <summary>An integer scalar: a size, a counter, an index. Never differentiated.</summary>
    Integer,
    /// <summary>An array of reals (a span).</summary>
    Array,
}

/// <summary>A parameter of a procedure.</summary>
/// <param name="Name">The name expressions use (an array's length is the variable <c>name.Length</c>).</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Differentiable">False for constants (<c>[NoDiff]</c>, integers).</param>
/// <param name="IsOutput">True for an output the procedure writes (an out scalar, or a span it fills).</param>
internal sealed record Parameter(string Name, ValueKind Kind, bool Differentiable = true, bool IsOutput = false);

/// <summary>
/// A statement of the structured IR: assignments, array stores, counted loops and branches over
/// expression DAGs. The transformations in <see cref="ProcedureDerivatives"/> add the bookkeeping
/// statements of a reverse sweep (<see cref="Push"/>, <see cref="Pop"/>, <see cref="Accumulate"/>).
/// Statements are records: equal when their parts are structurally equal.
/// </summary>
internal abstract record Statement;

/// <summary>Declares a local: a scalar with an initial value, or an array of <paramref name="Length"/> zeros.</summary>
internal sealed record Declare(string Name, ValueKind Kind, Node? Initial = null, Node? Length = null) : Statement;

/// <summary><c>Target = Value;</c> for a scalar local (real or integer).</summary>
internal sealed record Assign(string Target, Node Value) : Statement;

/// <summary><c>Array[Index] = Value;</c></summary>
internal sealed record Store(string Array, Node Index, Node Value) : Statement;

/// <summary>
/// <c>for (int Counter = Start; Counter &lt; End; Counter++) Body</c>, or with <paramref name="Backward"/>
/// <c>for (int Counter = End − 1; Counter ≥ Start; Counter−−) Body</c>. Start and End are evaluated once.
/// </summary>
internal sealed record For(string Counter, Node Start, Node End, Block Body, bool Backward = false) : Statement;

/// <summary><c>if (Condition) Then else Else</c>.</summary>
internal sealed record If(Node Condition, Block Then, Block Else) : Statement;

/// <summary><c>return Value;</c> — only as the last statement of a procedure.</summary>
internal sealed record Return(Node Value) : Statement;

/// <summary>Saves a value on the procedure's value stack (reverse sweeps).</summary>
internal sealed record Push(Node Value) : Statement;

/// <summary>Restores the most recently saved value into a scalar (or drops it, for <see cref="Discard"/>).</summary>
internal sealed record Pop(string Target) : Statement
{
    /// <summary>The target that drops the value.</summary>
    public const string Discard = "";
}

/// <summary>Restores the most recently saved value into an array element.</summary>
internal sealed record PopStore(string Array, Node Index) : Statement;

/// <summary><c>Target += Value;</c> (adjoint accumulation into a scalar).</summary>
internal sealed record Accumulate(string Target, Node Value) : Statement;

/// <summary><c>Array[Index] += Value;</c> (adjoint accumulation into an array element).</summary>
internal sealed record AccumulateElement(string Array, Node Index, Node Value) : Statement;

/// <summary>Sets every element of an array to 0.</summary>
internal sealed record Clear(string Array) : Statement;

/// <summary>A sequence of statements, equal to another with equal statements in the same order.</summary>
internal sealed class Block : IEquatable<Block>
{
    private readonly Statement[] _statements;

    /// <summary>Creates a block.</summary>
    public Block(IEnumerable<Statement> statements)
    {
        _statements = new List<Statement>(statements ?? throw new ArgumentNullException(nameof(statements))).ToArray();
    }

    /// <summary>The empty block.</summary>
    public static Block Empty { get; } = new(Array.Empty<Statement>());

    /// <summary>The statements.</summary>
    public IReadOnlyList<Statement> Statements => _statements;

    /// <inheritdoc/>
    public bool Equals(Block? other)
    {
        if (other is null || other._statements.Length != _statements.Length)
        {
            return false;
        }

        for (int i = 0; i < _statements.Length; i++)
        {
            if (!_statements[i].Equals(other._statements[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Block);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        int h = 17;
        foreach (var s in _statements)
        {
            h = unchecked((h * 31) + s.GetHashCode());
        }

        return h;
    }
}

/// <summary>
/// A procedure: parameters, a body of statements over the nodes of one <see cref="Graph"/>, and the
/// kinds of its locals. Variables in expressions are <see cref="Graph.Var"/> nodes named like the
/// parameter or local; array elements are <see cref="Graph.Load"/> nodes; an array's length is the
/// variable <c>name.Length</c>. Local names are unique within a procedure.
/// </summary>
internal sealed class Procedure : IEquatable<Procedure>
{
    /// <summary>Creates a procedure and checks its structure.</summary>
    public Procedure(string name, IReadOnlyList<Parameter> parameters, Block body, Graph graph)
    {
        Name = string.IsNullOrEmpty(name) ? throw new ArgumentException("A procedure needs a name.", nameof(name)) : name;
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        Body = body ?? throw new ArgumentNullException(nameof(body));
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Kinds = ProcedureAnalysis.CollectKinds(this);
    }

    /// <summary>
    /// The same procedure over a new graph. Differentiation adds nodes to a procedure's graph; a procedure
    /// that is shared (cached by the incremental generator, read by several threads) is copied first.
    /// </summary>
    public Procedure CopyToNewGraph()
    {
        var g = new Graph(Graph.Simplifies) { FoldsInSingle = Graph.FoldsInSingle };
        Node Copy(Node n) => g.Import(n);
        Node? CopyOrNull(Node? n) => n is null ? null : g.Import(n);
        Block CopyBlock(Block block)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var statement in block.Statements)
            {
                statements.Add(statement switch
                {
                    Declare d => d with { Initial = CopyOrNull(d.Initial), Length = CopyOrNull(d.Length) },
                    Assign a => a with { Value = Copy(a.Value) },
                    Store st => st with { Index = Copy(st.Index), Value = Copy(st.Value) },
                    For f => f with { Start = Copy(f.Start), End = Copy(f.End), Body = CopyBlock(f.Body) },
                    If i => i with { Condition = Copy(i.Condition), Then = CopyBlock(i.Then), Else = CopyBlock(i.Else) },
                    While w => w with { Condition = Copy(w.Condition), Body = CopyBlock(w.Body) },
                    Return r => r with { Value = Copy(r.Value) },
                    Push pu => pu with { Value = Copy(pu.Value) },
                    PopStore ps => ps with { Index = Copy(ps.Index) },
                    Accumulate ac => ac with { Value = Copy(ac.Value) },
                    AccumulateElement ae => ae with { Index = Copy(ae.Index), Value = Copy(ae.Value) },
                    Invoke c => c.Import(g),
                    InvokeVjp v => v with { Call = v.Call.Import(g) },
                    InvokeJvp j => j with { Call = j.Call.Import(g) },
                    _ => statement,
                });
            }

            return new Block(statements);
        }

        return new Procedure(Name, Parameters, CopyBlock(Body), g);
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The body.</summary>
    public Block Body { get; }

    /// <summary>The graph all expressions of the body belong to.</summary>
    public Graph Graph { get; }

    /// <summary>The kind of every name: parameters, locals and loop counters.</summary>
    public IReadOnlyDictionary<string, ValueKind> Kinds { get; }

    /// <inheritdoc/>
    public bool Equals(Procedure? other)
    {
        if (other is null || other.Name != Name || !other.Body.Equals(Body) || other.Parameters.Count != Parameters.Count)
        {
            return false;
        }

        for (int i = 0; i < Parameters.Count; i++)
        {
            if (!Parameters[i].Equals(other.Parameters[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Procedure);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((Name.GetHashCode() * 31) + Body.GetHashCode());
}
