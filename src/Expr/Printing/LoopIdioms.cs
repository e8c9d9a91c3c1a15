using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Recognizes counted loops whose every statement is a dot product (<c>s += x[a + k]·y[b + k]</c>) or an
/// axpy (<c>d[a + k] += c·y[b + k]</c>) over unit-stride slices, independent of each other, so that the
/// printer calls one vectorized kernel per statement (<c>DiffGen.Expr.LoopKernels</c>) instead of the loop.
/// Such loops are what matrix–vector products and their adjoints lower to.
/// </summary>
internal static class LoopIdioms
{
    /// <summary>Loops with fewer trips than this (when both bounds are constants) stay scalar: a call costs more.</summary>
    public const int MinimumConstantTrips = 16;

    /// <summary>A recognized statement; offsets are the index's terms other than the counter (empty for 0).</summary>
    internal abstract record Idiom;

    /// <summary><c>X[XOffset + k]·Y[YOffset + k]</c>.</summary>
    internal sealed record Product(string X, IReadOnlyList<Node> XOffset, string Y, IReadOnlyList<Node> YOffset);

    /// <summary><c>Scale·Source[SourceOffset + k]</c>.</summary>
    internal sealed record Scaled(Node Scale, string Source, IReadOnlyList<Node> SourceOffset);

    /// <summary><c>Accumulator += Σₖ Σ products</c>.</summary>
    internal sealed record Dot(string Accumulator, IReadOnlyList<Product> Products) : Idiom;

    /// <summary><c>Target[TargetOffset + k] += Σ terms</c> for every k.</summary>
    internal sealed record Axpy(string Target, IReadOnlyList<Node> TargetOffset, IReadOnlyList<Scaled> Terms) : Idiom;

    /// <summary>The loop's statements as idioms, or null when any statement is not one or they are not independent.</summary>
    public static IReadOnlyList<Idiom>? Match(For loop)
    {
        if (loop.Start.IsConstant && loop.End.IsConstant && loop.End.Value - loop.Start.Value < MinimumConstantTrips)
        {
            return null;
        }

        var idioms = new List<Idiom>(loop.Body.Statements.Count);
        foreach (var statement in loop.Body.Statements)
        {
            var idiom = MatchStatement(statement, loop.Counter);
            if (idiom is null)
            {
                return null;
            }

            idioms.Add(idiom);
        }

        return idioms.Count > 0 && AreIndependent(idioms, loop.Counter) ? idioms : null;
    }

    private static Idiom? MatchStatement(Statement statement, string counter)
    {
        switch (statement)
        {
            // s = s + x·y (+ …), as the forward sweep writes an accumulation
            case Assign a:
                var terms = Terms(a.Value);
                return terms.RemoveAll(t => IsVar(t, a.Target)) == 1 ? MatchDot(a.Target, terms, counter) : null;

            // s̄ += x·y (+ …), as the reverse sweep writes one
            case Accumulate acc:
                return MatchDot(acc.Target, Terms(acc.Value), counter);

            case AccumulateElement acc:
                return MatchAxpy(acc.Array, acc.Index, Terms(acc.Value), counter);

            // d[i] = d[i] + c·y[j] (+ …)
            case Store st:
                var sum = Terms(st.Value);
                return sum.RemoveAll(t => t.Op == Op.Load && t.Name == st.Array && t.Args[0].Equals(st.Index)) == 1
                    ? MatchAxpy(st.Array, st.Index, sum, counter)
                    : null;

            default:
                return null;
        }
    }

    private static Dot? MatchDot(string accumulator, List<Node> terms, string counter)
    {
        var products = new List<Product>(terms.Count);
        foreach (var term in terms)
        {
            if (term.Op != Op.Mul || term.Args[0].Op != Op.Load || term.Args[1].Op != Op.Load)
            {
                return null;
            }

            var x = term.Args[0];
            var y = term.Args[1];
            var xOffset = UnitStrideOffset(x.Args[0], counter);
            var yOffset = UnitStrideOffset(y.Args[0], counter);
            if (xOffset is null || yOffset is null)
            {
                return null;
            }

            products.Add(new Product(x.Name!, xOffset, y.Name!, yOffset));
        }

        return products.Count > 0 ? new Dot(accumulator, products) : null;
    }

    private static Axpy? MatchAxpy(string target, Node index, List<Node> terms, string counter)
    {
        var targetOffset = UnitStrideOffset(index, counter);
        if (targetOffset is null || terms.Count == 0)
        {
            return null;
        }

        var scaled = new List<Scaled>(terms.Count);
        foreach (var term in terms)
        {
            var match = term.Op == Op.Mul ? MatchScaled(term, 1, counter) ?? MatchScaled(term, 0, counter) : null;
            if (match is null)
            {
                return null;
            }

            scaled.Add(match);
        }

        return new Axpy(target, targetOffset, scaled);
    }

    /// <summary>c·y[j] with the load at <paramref name="loadAt"/>: the factor that moves with the counter.</summary>
    private static Scaled? MatchScaled(Node product, int loadAt, string counter)
    {
        var load = product.Args[loadAt];
        var scale = product.Args[1 - loadAt];
        if (load.Op != Op.Load || Mentions(scale, counter))
        {
            return null;
        }

        var offset = UnitStrideOffset(load.Args[0], counter);
        return offset is null ? null : new Scaled(scale, load.Name!, offset);
    }

    /// <summary>The terms of a sum (a single term when the node is not an addition).</summary>
    private static List<Node> Terms(Node sum)
    {
        var terms = new List<Node>();
        var pending = new Stack<Node>();
        pending.Push(sum);
        while (pending.Count > 0)
        {
            var n = pending.Pop();
            if (n.Op == Op.Add)
            {
                pending.Push(n.Args[1]);
                pending.Push(n.Args[0]);
            }
            else
            {
                terms.Add(n);
            }
        }

        return terms;
    }

    /// <summary>
    /// The terms of <c>counter + t₁ + t₂ …</c> other than the counter, when the index has that form and no
    /// other term mentions the counter; null otherwise.
    /// </summary>
    internal static List<Node>? UnitStrideOffset(Node index, string counter)
    {
        var terms = Terms(index);
        if (terms.RemoveAll(t => IsVar(t, counter)) != 1)
        {
            return null;
        }

        foreach (var term in terms)
        {
            if (Mentions(term, counter))
            {
                return null;
            }
        }

        return terms;
    }

    /// <summary>
    /// Each accumulator and each written array belongs to one statement and nothing else in the loop reads
    /// it; offsets and scales do not change inside the loop. Then the statements can run one after the other.
    /// </summary>
    private static bool AreIndependent(List<Idiom> idioms, string counter)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var idiom in idioms)
        {
            string target = idiom is Dot d ? d.Accumulator : ((Axpy)idiom).Target;
            if (!written.Add(target))
            {
                return false;
            }
        }

        foreach (var idiom in idioms)
        {
            var reads = new List<string>();
            var invariants = new List<Node>();
            switch (idiom)
            {
                case Dot d:
                    foreach (var p in d.Products)
                    {
                        reads.Add(p.X);
                        reads.Add(p.Y);
                        invariants.AddRange(p.XOffset);
                        invariants.AddRange(p.YOffset);
                    }

                    break;
                case Axpy a:
                    invariants.AddRange(a.TargetOffset);
                    foreach (var t in a.Terms)
                    {
                        reads.Add(t.Source);
                        invariants.AddRange(t.SourceOffset);
                        invariants.Add(t.Scale);
                    }

                    break;
            }

            foreach (var node in invariants)
            {
                reads.AddRange(ProcedureAnalysis.Reads(node));
            }

            foreach (var name in reads)
            {
                if (written.Contains(name) || name == counter)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsVar(Node n, string name) => n.Op == Op.Var && n.Name == name;

    private static bool Mentions(Node n, string name) => ProcedureAnalysis.Reads(n).Contains(name);
}
