using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Runs a reverse loop forward, inside the forward loop it mirrors, when its iterations are independent: a loss
/// <c>sum += f(x[i])</c> whose adjoint (that of <c>return sum</c>) is known before the loop needs one pass, as a
/// person writes it, not a forward pass and a backward one. Legal when every iteration of the reverse loop
/// <list type="bullet">
/// <item>only accumulates into arrays nothing else reads (an input's adjoint, whose sum does not depend on order),</item>
/// <item>defines its own scalars before reading them (values it recomputes, temporaries), or starts from 0 and
/// resets to 0 a scalar nothing else writes (a loop-local value's adjoint), or only accumulates into a scalar,</item>
/// <item>reads nothing the forward loop leaves behind, and what the statements between the loops compute for it
/// (the seed <c>_d_sum += 1</c>) can be computed before the forward loop;</item>
/// </list>
/// and the forward loop reads nothing the reverse loop writes before defining it. Sums are reassociated (the
/// accumulations run in forward order): equal to the two-pass gradient to rounding.
/// </summary>
internal static class ReverseFusion
{
    /// <summary>The procedure with its last forward loop and first reverse loop fused where that is legal; else itself.</summary>
    public static Procedure Apply(Procedure p)
    {
        var statements = p.Body.Statements;
        for (int r = 0; r < statements.Count; r++)
        {
            if (statements[r] is not For { Backward: true } reverse)
            {
                continue;
            }

            // the forward loop it mirrors: the nearest loop before it, with only straight-line statements between
            int f = r - 1;
            while (f >= 0 && statements[f] is Assign or Accumulate or Declare { Kind: not ValueKind.Array })
            {
                f--;
            }

            if (f >= 0 && statements[f] is For { Backward: false } forward && TryFuse(p, f, r, forward, reverse) is { } fused)
            {
                return fused;
            }

            // only the first reverse loop can mirror the last forward one
            return p;
        }

        return p;
    }

    private static Procedure? TryFuse(Procedure p, int f, int r, For forward, For reverse)
    {
        var statements = p.Body.Statements;
        if (forward.Counter != reverse.Counter || !forward.Start.Equals(reverse.Start) || !forward.End.Equals(reverse.End)
            || !Straight(forward.Body) || !Straight(reverse.Body))
        {
            return null;
        }

        var between = new List<Statement>();
        for (int i = f + 1; i < r; i++)
        {
            between.Add(statements[i]);
        }

        var after = new List<Statement>();
        for (int i = r + 1; i < statements.Count; i++)
        {
            after.Add(statements[i]);
        }

        var forwardWrites = Writes(forward.Body);
        var reverseWrites = Writes(reverse.Body);
        var betweenWrites = Writes(new Block(between));
        var bounds = ProcedureAnalysis.Reads(forward.Start);
        bounds.UnionWith(ProcedureAnalysis.Reads(forward.End));
        if (bounds.Overlaps(forwardWrites) || bounds.Overlaps(reverseWrites) || bounds.Overlaps(betweenWrites)
            || forwardWrites.Contains(forward.Counter) || reverseWrites.Contains(forward.Counter))
        {
            return null;
        }

        var outsideReverse = new List<Statement>();
        for (int i = 0; i < statements.Count; i++)
        {
            if (i != r)
            {
                outsideReverse.Add(statements[i]);
            }
        }

        var readsOutsideReverse = Reads(new Block(outsideReverse));
        var readsAfter = Reads(new Block(after));
        var readsBetween = Reads(new Block(between));
        var reverseReads = Reads(reverse.Body);
        var forwardReads = Reads(forward.Body);
        var iterationDefined = new HashSet<string>(StringComparer.Ordinal);

        // Every name the reverse loop writes is one of the independent kinds.
        foreach (var name in reverseWrites)
        {
            var kind = p.Kinds.TryGetValue(name, out var k) ? k : ValueKind.Real;
            bool ok = kind == ValueKind.Array
                ? OnlyAccumulated(reverse.Body, name) && !reverseReads.Contains(name) && !readsOutsideReverse.Contains(name)
                    && !forwardWrites.Contains(name) && !betweenWrites.Contains(name)
                : DefinedFirst(reverse.Body, name) ? iterationDefined.Add(name) && !readsBetween.Contains(name) && !readsAfter.Contains(name)
                : ZeroedAdjoint(p, reverse, name, readsOutsideReverse)
                    || (OnlyAccumulatesScalar(reverse.Body, name) && !forwardWrites.Contains(name) && !forwardReads.Contains(name) && !readsBetween.Contains(name));
            if (!ok)
            {
                return null;
            }
        }

        // The forward loop reads what the reverse loop writes only after defining it in the same iteration.
        var forwardDefined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in forward.Body.Statements)
        {
            var reads = Reads(new Block(new[] { s }));
            if (s is Accumulate acc)
            {
                reads.Add(acc.Target);
            }

            foreach (var name in reads)
            {
                if (reverseWrites.Contains(name) && !forwardDefined.Contains(name))
                {
                    return null;
                }
            }

            if (s is Assign a)
            {
                forwardDefined.Add(a.Target);
            }
            else if (s is Declare d)
            {
                forwardDefined.Add(d.Name);
            }
        }

        // What the reverse loop reads of the forward loop's writes, it defines first itself.
        foreach (var name in reverseReads)
        {
            if (forwardWrites.Contains(name) && !iterationDefined.Contains(name))
            {
                return null;
            }
        }

        // The statements between the loops that compute what the reverse loop reads move before the forward loop.
        var hoisted = new HashSet<int>();
        var needed = new HashSet<string>(reverseReads, StringComparer.Ordinal);
        bool grew = true;
        while (grew)
        {
            grew = false;
            for (int i = 0; i < between.Count; i++)
            {
                if (!hoisted.Contains(i) && Writes(new Block(new[] { between[i] })).Overlaps(needed))
                {
                    hoisted.Add(i);
                    needed.UnionWith(Reads(new Block(new[] { between[i] })));
                    if (between[i] is Accumulate acc)
                    {
                        needed.Add(acc.Target);
                    }

                    grew = true;
                }
            }
        }

        var before = new List<Statement>();
        var stay = new List<Statement>();
        for (int i = 0; i < between.Count; i++)
        {
            (hoisted.Contains(i) ? before : stay).Add(between[i]);
        }

        var beforeWrites = Writes(new Block(before));
        var beforeReads = Reads(new Block(before));
        foreach (var s in before.OfType<Accumulate>())
        {
            beforeReads.Add(s.Target);
        }

        var stayWrites = Writes(new Block(stay));
        var stayReads = Reads(new Block(stay));
        if (beforeReads.Overlaps(forwardWrites) || beforeReads.Overlaps(stayWrites) || beforeWrites.Overlaps(forwardWrites)
            || beforeWrites.Overlaps(forwardReads) || stayReads.Overlaps(beforeWrites) || stayReads.Overlaps(reverseWrites)
            || stayWrites.Overlaps(reverseWrites) || stayWrites.Overlaps(reverseReads))
        {
            return null;
        }

        var body = new List<Statement>();
        for (int i = 0; i < f; i++)
        {
            body.Add(statements[i]);
        }

        body.AddRange(before);
        body.Add(forward with { Body = new Block(WithoutRecomputation(forward.Body.Statements.Concat(reverse.Body.Statements).ToList())) });
        body.AddRange(stay);
        body.AddRange(after);
        return new Procedure(p.Name, p.Parameters, new Block(body), p.Graph);
    }

    /// <summary>
    /// The fused body without the reverse part's recomputations of values the forward part has just computed:
    /// <c>a = e</c> again, with nothing in between writing a or what e reads.
    /// </summary>
    private static List<Statement> WithoutRecomputation(List<Statement> body)
    {
        var kept = new List<Statement>(body.Count);
        foreach (var s in body)
        {
            if (s is Assign again && IsRepeat(kept, again))
            {
                continue;
            }

            kept.Add(s);
        }

        return kept;
    }

    private static bool IsRepeat(List<Statement> earlier, Assign again)
    {
        var reads = ProcedureAnalysis.Reads(again.Value);
        for (int i = earlier.Count - 1; i >= 0; i--)
        {
            if (earlier[i] is Assign first && first.Target == again.Target)
            {
                return ReferenceEquals(first.Value, again.Value) && !reads.Contains(again.Target);
            }

            var writes = Writes(new Block(new[] { earlier[i] }));
            if (writes.Contains(again.Target) || writes.Overlaps(reads))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Statements whose reads and writes this analysis sees: no value stack, no while loop.</summary>
    private static bool Straight(Block block)
    {
        bool straight = ProcedureAnalysis.Collect(block, new HashSet<string>(), new HashSet<string>());
        ProcedureAnalysis.Visit(block, s => straight &= s is not (Push or Pop or PopStore or While or Return));
        return straight;
    }

    private static HashSet<string> Writes(Block block)
    {
        var writes = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Collect(block, writes, new HashSet<string>(StringComparer.Ordinal));
        return writes;
    }

    private static HashSet<string> Reads(Block block)
    {
        var reads = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Collect(block, new HashSet<string>(StringComparer.Ordinal), reads);
        return reads;
    }

    /// <summary>Whether the array is only ever accumulated into (no store, clear or declaration) in the block.</summary>
    private static bool OnlyAccumulated(Block block, string array)
    {
        bool only = true;
        ProcedureAnalysis.Visit(block, s => only &= s switch
        {
            Store st => st.Array != array,
            Clear c => c.Array != array,
            Declare d => d.Name != array,
            _ => true,
        });
        return only;
    }

    /// <summary>Whether every write of the scalar in the block is <c>v += e</c> with e not reading v, and nothing else reads v.</summary>
    private static bool OnlyAccumulatesScalar(Block block, string name)
    {
        bool only = true;
        ProcedureAnalysis.Visit(block, s =>
        {
            only &= s switch
            {
                Accumulate acc when acc.Target == name => true,
                Assign a when a.Target == name => false,
                Declare d when d.Name == name => false,
                Pop pop when pop.Target == name => false,
                For loop when loop.Counter == name => false,
                _ => true,
            };
            only &= !ProcedureAnalysis.ReadsForward(s).Contains(name);
        });
        return only;
    }

    /// <summary>
    /// Whether the scalar's first mention in an iteration is a definition that does not read it (an Assign at the
    /// top level of the body, or a Declare): then its value coming into the iteration does not matter.
    /// </summary>
    private static bool DefinedFirst(Block body, string name)
    {
        foreach (var s in body.Statements)
        {
            switch (s)
            {
                case Assign a when a.Target == name:
                    return !ProcedureAnalysis.Reads(a.Value).Contains(name);
                case Declare d when d.Name == name:
                    return true;
            }

            var block = new Block(new[] { s });
            if (Reads(block).Contains(name) || Writes(block).Contains(name))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the scalar is a loop-local value's adjoint: 0 when the loop starts (nothing outside the loop writes it
    /// but a declaration or an assignment of 0, nothing outside reads it) and set back to 0 by the last top-level
    /// statement of the body that mentions it, so every iteration starts from 0 in any order.
    /// </summary>
    private static bool ZeroedAdjoint(Procedure p, For reverse, string name, HashSet<string> readsOutside)
    {
        if (readsOutside.Contains(name))
        {
            return false;
        }

        bool zeroOutside = true;
        var outside = p.Body.Statements.Where(s => !ReferenceEquals(s, reverse)).ToList();
        ProcedureAnalysis.Visit(new Block(outside), s => zeroOutside &= s switch
        {
            Declare d when d.Name == name => d.Initial is null || d.Initial.IsConstantValue(0.0),
            Assign a when a.Target == name => a.Value.IsConstantValue(0.0),
            Accumulate acc when acc.Target == name => false,
            Pop pop when pop.Target == name => false,
            _ => true,
        });
        if (!zeroOutside)
        {
            return false;
        }

        Statement? last = null;
        foreach (var s in reverse.Body.Statements)
        {
            var block = new Block(new[] { s });
            if (Reads(block).Contains(name) || Writes(block).Contains(name) || (s is Accumulate acc && acc.Target == name))
            {
                last = s;
            }
        }

        return last is Assign reset && reset.Target == name && reset.Value.IsConstantValue(0.0);
    }
}
