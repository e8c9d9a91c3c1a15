using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// A costly element value (an eˣ of x[i]) that a forward loop computes and the matching reverse loop computes
/// again is kept, as a person keeps it, in the element of the output span that the reverse loop overwrites:
/// <c>for i: sum += exp(x[i] − s)</c> … <c>for i (backward): dx[i] = d·exp(x[i] − s)</c> becomes
/// <c>for i: dx[i] = exp(x[i] − s); sum += dx[i]</c> … <c>dx[i] = d·dx[i]</c>, one exponential per element instead
/// of two, with no buffer of its own. Applies when the two loops are sibling statements of one block over the same
/// range, the reverse loop's body overwrites <c>dx[i]</c> (its counter as the index) in a statement of its own,
/// nothing else in either loop or between them mentions dx, the forward loop evaluates the value whatever its
/// <c>?:</c> branches do, and nothing the value reads (but the counter) is written in either loop or between them.
/// Values are unchanged: the element holds the value until the reverse loop reads it, in the same statement that
/// overwrites it.
/// </summary>
internal static class ElementCache
{
    /// <summary><paramref name="p"/> with such values cached; itself when there are none.</summary>
    public static Procedure Apply(Procedure p)
    {
        var outputs = new HashSet<string>(p.Parameters.Where(x => x.Kind == ValueKind.Array && x.IsOutput).Select(x => x.Name));
        if (outputs.Count == 0)
        {
            return p;
        }

        bool changed = false;
        var body = Rewrite(p.Graph, p.Body, outputs, new NameBuilder(p.Kinds.Keys), ref changed);
        return changed ? new Procedure(p.Name, p.Parameters, body, p.Graph) : p;
    }

    private static Block Rewrite(Graph g, Block block, HashSet<string> outputs, NameBuilder names, ref bool changed)
    {
        var statements = block.Statements.ToList();
        for (int r = 0; r < statements.Count; r++)
        {
            if (statements[r] is not For { Backward: true } reverse)
            {
                continue;
            }

            for (int f = r - 1; f >= 0; f--)
            {
                if (statements[f] is For { Backward: false } forward && Cache(g, statements, f, r, outputs, names) is { } pair)
                {
                    statements[f] = pair.Forward;
                    statements[r] = pair.Reverse;
                    changed = true;
                    break;
                }
            }
        }

        for (int i = 0; i < statements.Count; i++)
        {
            bool inner = false;
            var nested = AdjointSimplification.Nested(statements[i], b => Rewrite(g, b, outputs, names, ref inner));
            if (inner)
            {
                statements[i] = nested;
                changed = true;
            }
        }

        return changed ? new Block(statements) : block;
    }

    /// <summary>The forward and reverse loops with one value cached, or null.</summary>
    private static (For Forward, For Reverse)? Cache(Graph g, List<Statement> statements, int f, int r, HashSet<string> outputs, NameBuilder names)
    {
        var forward = (For)statements[f];
        var reverse = (For)statements[r];
        if (!ReferenceEquals(forward.Start, reverse.Start) || !ReferenceEquals(forward.End, reverse.End))
        {
            return null;
        }

        // What the forward loop, the statements between and the reverse loop write: the value and the range must not read it.
        var writes = new HashSet<string>(System.StringComparer.Ordinal);
        var reads = new HashSet<string>(System.StringComparer.Ordinal);
        if (!ProcedureAnalysis.Collect(new Block(statements.Skip(f + 1).Take(r - f - 1)), writes, reads)
            || !ProcedureAnalysis.Collect(forward.Body, writes, reads) || !ProcedureAnalysis.Collect(reverse.Body, writes, reads)
            || ProcedureAnalysis.Reads(forward.Start).Overlaps(writes) || ProcedureAnalysis.Reads(forward.End).Overlaps(writes))
        {
            return null;
        }

        var reverseCounter = g.Var(reverse.Counter);
        var forwardCounter = g.Var(forward.Counter);
        for (int s = 0; s < reverse.Body.Statements.Count; s++)
        {
            if (reverse.Body.Statements[s] is not Store store || !outputs.Contains(store.Array) || !ReferenceEquals(store.Index, reverseCounter)
                || !MentionedOnlyBy(new Block(statements.Skip(f).Take(r - f)), reverse.Body, store))
            {
                continue;
            }

            foreach (var value in Traversal.TopologicalOrder(store.Value).Where(n => SharedValues.IsCostly(n.Op)))
            {
                var readNames = ProcedureAnalysis.Reads(value);
                if (!readNames.Remove(reverse.Counter) || readNames.Overlaps(writes))
                {
                    continue;
                }

                var forwardValue = AdjointSimplification.Replace(g, value, new Dictionary<Node, Node>(NodeIdentity.Comparer) { [reverseCounter] = forwardCounter });
                int first = forward.Body.Statements.ToList().FindIndex(x => Evaluates(x, forwardValue));
                if (first < 0)
                {
                    continue;
                }

                var element = g.Load(store.Array, forwardCounter);
                var forwardBody = forward.Body.Statements.Select((x, i) => i < first ? x : Substitute(g, x, forwardValue, element)).ToList();
                forwardBody.Insert(first, new Store(store.Array, forwardCounter, forwardValue));
                // Read before the store overwrites it; a statement after the store that needs the value reads a local.
                var reloaded = g.Load(store.Array, reverseCounter);
                var reverseBody = reverse.Body.Statements.ToList();
                if (reverseBody.Skip(s + 1).Any(x => Expression(x) is { } e && Traversal.TopologicalOrder(e).Contains(value)))
                {
                    var local = g.Var(names.Unique("_cached"));
                    reverseBody = reverseBody.Select(x => Substitute(g, x, value, local)).ToList();
                    reverseBody.Insert(0, new Declare(local.Name!, ValueKind.Real, reloaded));
                }
                else
                {
                    reverseBody = reverseBody.Select((x, i) => i > s ? x : Substitute(g, x, value, reloaded)).ToList();
                }

                return (forward with { Body = new Block(forwardBody) }, reverse with { Body = new Block(reverseBody) });
            }
        }

        return null;
    }

    /// <summary>True when nothing in <paramref name="between"/> (the forward loop and what follows it) and nothing in the reverse body but <paramref name="store"/> mentions its array.</summary>
    private static bool MentionedOnlyBy(Block between, Block reverseBody, Store store)
    {
        bool Mentions(Statement s)
        {
            var writes = new HashSet<string>(System.StringComparer.Ordinal);
            var reads = new HashSet<string>(System.StringComparer.Ordinal);
            ProcedureAnalysis.Collect(new Block(new[] { s }), writes, reads);
            return writes.Contains(store.Array) || reads.Contains(store.Array);
        }

        return !between.Statements.Any(Mentions) && reverseBody.Statements.All(s => ReferenceEquals(s, store) || !Mentions(s));
    }

    /// <summary>True when a simple statement of the loop body evaluates <paramref name="value"/> on every path of its <c>?:</c>s.</summary>
    private static bool Evaluates(Statement s, Node value) => Expression(s) is { } e && SharedValues.Unconditional(e).Contains(value);

    private static Node? Expression(Statement s) => s switch
    {
        Assign a => a.Value,
        Accumulate a => a.Value,
        Store st => st.Value,
        AccumulateElement ae => ae.Value,
        Push pu => pu.Value,
        _ => null,
    };

    /// <summary>The statement with <paramref name="value"/> read from <paramref name="element"/> instead.</summary>
    private static Statement Substitute(Graph g, Statement s, Node value, Node element) =>
        SharedValues.Replace(g, s, new Dictionary<Node, Node>(NodeIdentity.Comparer) { [value] = element });
}
