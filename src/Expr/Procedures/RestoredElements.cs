using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// The reverse step of an element updated in place, <c>a[k] += e</c>, reads the element's adjoint, resets it and adds
/// the read value back: <c>t = _d_a[k]; _d_a[k] = 0; _d_a[k] += t</c>. The reset and the add leave the element as it was,
/// so a person writes neither; both go when nothing between the copy and the add writes the array, t or what k reads,
/// and nothing between the reset and the add reads the array. Values are unchanged.
/// </summary>
internal static class RestoredElements
{
    /// <summary><paramref name="p"/> without such resets and adds; itself when it has none.</summary>
    public static Procedure Apply(Procedure p)
    {
        bool changed = false;
        var body = Rewrite(p.Body, ref changed);
        return changed ? new Procedure(p.Name, p.Parameters, body, p.Graph) : p;
    }

    private static Block Rewrite(Block block, ref bool changed)
    {
        var statements = new List<Statement>(block.Statements.Count);
        foreach (var s in block.Statements)
        {
            statements.Add(s switch
            {
                For f => f with { Body = Rewrite(f.Body, ref changed) },
                If i => i with { Then = Rewrite(i.Then, ref changed), Else = Rewrite(i.Else, ref changed) },
                While w => w with { Body = Rewrite(w.Body, ref changed) },
                _ => s,
            });
        }

        var dropped = new HashSet<int>();
        for (int z = 0; z < statements.Count; z++)
        {
            if (statements[z] is not Store reset || !reset.Value.IsConstantValue(0.0))
            {
                continue;
            }

            var index = ProcedureAnalysis.Reads(reset.Index);
            // the copy t = a[k] before the reset, with nothing between writing a, t or what k reads
            string? copy = null;
            var between = new HashSet<string>(StringComparer.Ordinal);
            for (int c = z - 1; c >= 0; c--)
            {
                if (CopyOf(statements[c], reset) is { } t)
                {
                    copy = between.Contains(t) ? null : t;
                    break;
                }

                if (Effects(statements[c]) is not ({ } writes, _) || writes.Contains(reset.Array) || writes.Overlaps(index))
                {
                    break;
                }

                between.UnionWith(writes);
            }

            if (copy is null)
            {
                continue;
            }

            for (int a = z + 1; a < statements.Count; a++)
            {
                if (statements[a] is AccumulateElement add && add.Array == reset.Array && ReferenceEquals(add.Index, reset.Index)
                    && add.Value.Op == Op.Var && add.Value.Name == copy)
                {
                    dropped.Add(z);
                    dropped.Add(a);
                    break;
                }

                if (Effects(statements[a]) is not ({ } writes, { } reads)
                    || reads.Contains(reset.Array) || writes.Contains(reset.Array) || writes.Contains(copy) || writes.Overlaps(index))
                {
                    break;
                }
            }
        }

        if (dropped.Count == 0)
        {
            return new Block(statements);
        }

        changed = true;
        return new Block(statements.Where((_, k) => !dropped.Contains(k)));
    }

    /// <summary>t of <c>t = a[k]</c> (a declaration or an assignment) with the reset's array and index; null for other statements.</summary>
    private static string? CopyOf(Statement s, Store reset)
    {
        var (target, value) = s switch
        {
            Declare { Kind: not ValueKind.Array, Initial: { } initial } d => (d.Name, initial),
            Assign a => (a.Target, a.Value),
            _ => (null, null),
        };
        return value is { Op: Op.Load } load && load.Name == reset.Array && ReferenceEquals(load.Args[0], reset.Index) ? target : null;
    }

    /// <summary>The names a statement (with those it holds) writes and reads; nulls when they are not listed (a layer call).</summary>
    private static (HashSet<string>? Writes, HashSet<string>? Reads) Effects(Statement s)
    {
        var writes = new HashSet<string>(StringComparer.Ordinal);
        var reads = new HashSet<string>(StringComparer.Ordinal);
        return ProcedureAnalysis.Collect(new Block(new[] { s }), writes, reads) ? (writes, reads) : (null, null);
    }
}
