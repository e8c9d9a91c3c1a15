using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Array accumulations of a counted loop kept in registers, as a person writes a stencil's gradient (scalar
/// replacement):
/// <list type="bullet">
/// <item><b>Carried</b>: when the only mentions of an array in a loop's body are accumulations <c>d[i + c] += p</c> and
/// <c>d[i + c + 1] += q</c> at its top level (amounts reading no element of d), the element the next trip accumulates
/// into again is summed in a local and added once, by that trip: <c>d[i + c] += carry + p; carry = q</c>, and after the
/// loop <c>d[end + c] += carry</c> (counting down, the roles of the two offsets swap). Nothing in the loop reads d, so
/// only the order of the additions changes (equal to rounding).</item>
/// <item><b>Fresh</b>: the first loop after <c>d.Clear()</c> (nothing between mentions d) whose only mention of d is one
/// accumulation <c>d[i + c] += p</c> finds each element still 0, since no earlier trip wrote it: <c>d[i + c] = p</c>.</item>
/// </list>
/// The counter must not be written in the body, nor what the bounds read (the loop's end is read again after it).
/// </summary>
internal static class CarriedAccumulations
{
    /// <summary>The body with the carried accumulations of every loop in registers; the same block when there are none.</summary>
    public static Block Carry(Procedure p, Block body)
    {
        var names = new NameBuilder(p.Kinds.Keys);
        return Carry(p.Graph, names, body);
    }

    private static Block Carry(Graph g, NameBuilder names, Block block)
    {
        var output = new List<Statement>(block.Statements.Count);
        bool changed = false;
        foreach (var s in block.Statements)
        {
            var inner = s switch
            {
                For f => f with { Body = Carry(g, names, f.Body) },
                While w => w with { Body = Carry(g, names, w.Body) },
                If i => i with { Then = Carry(g, names, i.Then), Else = Carry(g, names, i.Else) },
                _ => s,
            };
            changed |= !ReferenceEquals(inner, s) && !inner.Equals(s);
            if (inner is For loop && Carried(loop) is { } carried)
            {
                output.AddRange(Rewrite(g, names, loop, carried.Array, carried.Low));
                changed = true;
            }
            else
            {
                output.Add(inner);
            }
        }

        return changed ? new Block(output) : block;
    }

    /// <summary>An array the loop only accumulates into at counter + low and counter + low + 1; null if none.</summary>
    private static (string Array, double Low)? Carried(For loop)
    {
        if (!Steady(loop))
        {
            return null;
        }

        foreach (var array in AccumulatedArrays(loop.Body))
        {
            var offsets = new SortedSet<double>();
            if (!OnlyAccumulatedAtOffsets(loop, array, offsets) || offsets.Count != 2 || offsets.Max - offsets.Min != 1)
            {
                continue;
            }

            return (array, offsets.Min);
        }

        return null;
    }

    /// <summary>The loop in registers: a flush of the carried sum at the top of every trip, the sum of the trip at its end, the last sum after the loop.</summary>
    private static List<Statement> Rewrite(Graph g, NameBuilder names, For loop, string array, double low)
    {
        string carry = names.Unique("_carry_" + array);
        string pending = names.Unique("_pending_" + array);
        var counter = g.Var(loop.Counter);
        double flushed = loop.Backward ? low + 1 : low;
        double deferred = loop.Backward ? low : low + 1;
        var body = new List<Statement> { new AccumulateElement(array, Offset(g, counter, flushed), g.Var(carry)) };
        foreach (var s in loop.Body.Statements)
        {
            body.Add(s is AccumulateElement ae && ae.Array == array && OffsetOf(ae.Index, loop.Counter) == deferred
                ? new Accumulate(pending, ae.Value)
                : s);
        }

        body.Add(new Assign(carry, g.Var(pending)));
        body.Add(new Assign(pending, g.Zero));

        // the last trip's sum belongs to the element one past the trips' range: end + low counting up, start + low counting down
        var last = loop.Backward ? Offset(g, loop.Start, low) : Offset(g, loop.End, low);
        var flush = new AccumulateElement(array, last, g.Var(carry));
        var ran = g.Less(loop.Start, loop.End);
        var statements = new List<Statement>
        {
            new Declare(carry, ValueKind.Real, g.Zero),
            new Declare(pending, ValueKind.Real, g.Zero),
            loop with { Body = new Block(body) },
        };
        if (!ran.IsConstant)
        {
            statements.Add(new If(ran, new Block(new Statement[] { flush }), Block.Empty));
        }
        else if (ran.Value != 0)
        {
            statements.Add(flush);
        }

        return statements;
    }

    /// <summary>
    /// The body with <c>d[i + c] += p</c> as <c>d[i + c] = p</c> in the first loop after every <c>d.Clear()</c> that
    /// finds each element still 0.
    /// </summary>
    public static Block Fresh(Block block)
    {
        var output = new List<Statement>(block.Statements.Count);
        var cleared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in block.Statements)
        {
            bool known = Mentions(s, out var mentioned);
            if (!known)
            {
                cleared.Clear();
                output.Add(s);
                continue;
            }

            var rewritten = s switch
            {
                For f => f with { Body = Fresh(f.Body) },
                While w => w with { Body = Fresh(w.Body) },
                If i => i with { Then = Fresh(i.Then), Else = Fresh(i.Else) },
                _ => s,
            };
            // a loop the printer gives to a vector kernel (an axpy into d) stays one: a store would be a scalar loop
            if (s is For loop && Steady(loop) && LoopIdioms.Match(loop) is null)
            {
                foreach (var array in cleared)
                {
                    var offsets = new SortedSet<double>();
                    if (OnlyAccumulatedAtOffsets(loop, array, offsets) && Single(loop.Body, array))
                    {
                        var fresh = (For)rewritten;
                        rewritten = fresh with { Body = new Block(StoreFirst(fresh.Body, array)) };
                    }
                }
            }

            cleared.ExceptWith(mentioned);
            if (s is Clear c)
            {
                cleared.Add(c.Array);
            }

            output.Add(rewritten);
        }

        return new Block(output);
    }

    /// <summary>
    /// <c>d.Clear()</c> before a loop that stores <c>d[i + c]</c> on every trip and the carried last element after it:
    /// when the loop runs, only the elements outside [start + c, end + c] need the clearing (none when they are the
    /// whole array, as for a gradient's output); the last element is then stored. When the loop does not run, all of
    /// d is cleared as before.
    /// </summary>
    public static Block Covered(Procedure p, Block block)
    {
        var g = p.Graph;
        var names = new NameBuilder(p.Kinds.Keys);
        var statements = new List<Statement>(block.Statements);
        for (int m = 0; m < statements.Count; m++)
        {
            if (statements[m] is not Clear clear || Covering(statements, m, clear.Array) is not var (l, flush, offset))
            {
                continue;
            }

            var loop = (For)statements[l];
            var last = (AccumulateElement)((If)statements[flush]).Then.Statements[0];
            var before = Offset(g, loop.Start, offset);
            var after = Offset(g, loop.End, offset + 1);
            var clearing = new List<Statement>();
            if (!(before.IsConstant && before.Value <= 0))
            {
                var k = names.Unique("k");
                clearing.Add(new For(k, g.Zero, before, new Block(new Statement[] { new Store(clear.Array, g.Var(k), g.Zero) })));
            }

            var rest = names.Unique("k");
            clearing.Add(new For(rest, after, g.Var(clear.Array + ".Length"), new Block(new Statement[] { new Store(clear.Array, g.Var(rest), g.Zero) })));
            statements[m] = new If(((If)statements[flush]).Condition, new Block(clearing), new Block(new Statement[] { clear }));
            statements[flush] = ((If)statements[flush]) with { Then = new Block(new Statement[] { new Store(clear.Array, last.Index, last.Value) }) };
        }

        return new Block(statements);
    }

    /// <summary>
    /// The loop after the clear that stores d[i + c] and nothing else of d, and the statement after it that adds the
    /// carried sum to d[end + c] when the loop ran (nothing in between mentioning d); null if there are none.
    /// </summary>
    private static (int Loop, int Flush, double Offset)? Covering(List<Statement> statements, int clear, string array)
    {
        int l = NextMention(statements, clear, array);
        if (l < 0 || statements[l] is not For loop || !Steady(loop))
        {
            return null;
        }

        double? offset = null;
        foreach (var s in loop.Body.Statements)
        {
            if (s is Store st && st.Array == array && OffsetOf(st.Index, loop.Counter) is double c && !ProcedureAnalysis.Reads(st.Value).Contains(array))
            {
                if (offset is not null)
                {
                    return null;
                }

                offset = c;
            }
            else if (!Mentions(s, out var mentioned) || mentioned.Contains(array))
            {
                return null;
            }
        }

        int flush = NextMention(statements, l, array);
        var g = loop.Start.Graph;
        return offset is double o && flush >= 0
            && statements[flush] is If { Else.Statements.Count: 0, Then.Statements.Count: 1 } carried && carried.Then.Statements[0] is AccumulateElement ae
            && ReferenceEquals(carried.Condition, g.Less(loop.Start, loop.End))
            && ae.Array == array && ReferenceEquals(ae.Index, Offset(g, loop.End, o)) && !ProcedureAnalysis.Reads(ae.Value).Contains(array)
            ? (l, flush, o)
            : null;
    }

    /// <summary>The next statement after <paramref name="from"/> that mentions the array; −1 if none, or if one before it is unknown.</summary>
    private static int NextMention(List<Statement> statements, int from, string array)
    {
        for (int k = from + 1; k < statements.Count; k++)
        {
            if (!Mentions(statements[k], out var mentioned))
            {
                return -1;
            }

            if (mentioned.Contains(array))
            {
                return k;
            }
        }

        return -1;
    }

    private static List<Statement> StoreFirst(Block body, string array)
    {
        var statements = new List<Statement>(body.Statements.Count);
        foreach (var s in body.Statements)
        {
            statements.Add(s is AccumulateElement ae && ae.Array == array ? new Store(array, ae.Index, ae.Value) : s);
        }

        return statements;
    }

    private static bool Single(Block body, string array)
    {
        int count = 0;
        foreach (var s in body.Statements)
        {
            if (s is AccumulateElement ae && ae.Array == array)
            {
                count++;
            }
        }

        return count == 1;
    }

    /// <summary>A loop whose counter and bounds its body does not write, with no statement whose reads and writes are unknown.</summary>
    private static bool Steady(For loop)
    {
        var writes = new HashSet<string>(StringComparer.Ordinal);
        if (!ProcedureAnalysis.Collect(loop.Body, writes, new HashSet<string>(StringComparer.Ordinal)))
        {
            return false;
        }

        var bounds = ProcedureAnalysis.Reads(loop.Start);
        bounds.UnionWith(ProcedureAnalysis.Reads(loop.End));
        return !writes.Contains(loop.Counter) && !writes.Overlaps(bounds);
    }

    private static HashSet<string> AccumulatedArrays(Block body)
    {
        var arrays = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in body.Statements)
        {
            if (s is AccumulateElement ae)
            {
                arrays.Add(ae.Array);
            }
        }

        return arrays;
    }

    /// <summary>
    /// Whether every mention of the array in the body is a top-level accumulation at counter + a constant, whose
    /// amount reads no element of it; adds the constants.
    /// </summary>
    private static bool OnlyAccumulatedAtOffsets(For loop, string array, SortedSet<double> offsets)
    {
        foreach (var s in loop.Body.Statements)
        {
            if (s is AccumulateElement ae && ae.Array == array)
            {
                if (OffsetOf(ae.Index, loop.Counter) is not double offset || ProcedureAnalysis.Reads(ae.Value).Contains(array))
                {
                    return false;
                }

                offsets.Add(offset);
            }
            else if (!Mentions(s, out var mentioned) || mentioned.Contains(array))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>c when the index is counter + c (or counter − c, or the counter itself); else null.</summary>
    private static double? OffsetOf(Node index, string counter)
    {
        static bool IsCounter(Node n, string counter) => n.Op == Op.Var && n.Name == counter;
        if (IsCounter(index, counter))
        {
            return 0;
        }

        if (index.Op is Op.Add or Op.Sub && index.ArgArray.Length == 2)
        {
            var (a, b) = (index.ArgArray[0], index.ArgArray[1]);
            if (IsCounter(a, counter) && b.IsConstant)
            {
                return index.Op == Op.Add ? b.Value : -b.Value;
            }

            if (index.Op == Op.Add && IsCounter(b, counter) && a.IsConstant)
            {
                return a.Value;
            }
        }

        return null;
    }

    /// <summary>at + offset, with a constant already added to or subtracted from at folded in (n − 1 + 1 is n).</summary>
    private static Node Offset(Graph g, Node at, double offset)
    {
        if (at.Op is Op.Add or Op.Sub && at.ArgArray[1].IsConstant)
        {
            double folded = at.Op == Op.Add ? at.ArgArray[1].Value + offset : offset - at.ArgArray[1].Value;
            return Offset(g, at.ArgArray[0], folded);
        }

        return offset == 0 ? at : offset < 0 ? g.Sub(at, g.Const(-offset)) : g.Add(at, g.Const(offset));
    }

    /// <summary>The names a statement reads or writes, accumulations' targets included; false when they are not known.</summary>
    private static bool Mentions(Statement s, out HashSet<string> names)
    {
        names = new HashSet<string>(StringComparer.Ordinal);
        return ProcedureAnalysis.Collect(new Block(new[] { s }), names, names);
    }
}
