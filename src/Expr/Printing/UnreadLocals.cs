using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Removes the locals a procedure declares but never reads, with every write to them, before it is
/// printed. Derivative procedures declare locals whose every use the sweeps dropped (a folded constant,
/// an adjoint of a value that does not reach the result); printed, they are CS0219 warnings, which fail
/// a consumer built with warnings as errors. Expressions are pure, so dropping a write changes nothing
/// else; a dropped pop still pops (the value stack stays balanced); a branch or loop left empty goes too.
/// A local read only by its own writes (<c>v = v + x</c>) counts as unread. Repeats until no unread local
/// is left (a removed write may have been the last read of another).
/// </summary>
internal static class UnreadLocals
{
    public static Procedure Remove(Procedure procedure)
    {
        var p = procedure;
        while (true)
        {
            var unread = Unread(p);
            if (unread.Count == 0)
            {
                return p;
            }

            p = new Procedure(p.Name, p.Parameters, Without(p.Body, unread), p.Graph);
        }
    }

    /// <summary>Declared locals that no expression reads (an array's length counts as a read of the array).</summary>
    private static HashSet<string> Unread(Procedure p)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        // A write's own target in its value (v = v + 1, a[i] = a[i] * 2) is no read: the value goes nowhere else.
        void Read(Node? node, string? writtenTo = null)
        {
            foreach (var name in ProcedureAnalysis.Reads(node))
            {
                string array = name.EndsWith(".Length", StringComparison.Ordinal) ? name.Substring(0, name.Length - ".Length".Length) : name;
                if (array != writtenTo)
                {
                    read.Add(array);
                }
            }
        }

        ProcedureAnalysis.Visit(p.Body, s =>
        {
            switch (s)
            {
                case Declare d:
                    declared.Add(d.Name);
                    Read(d.Initial);
                    Read(d.Length);
                    break;
                case Assign a: Read(a.Value, a.Target); break;
                case Store st: Read(st.Index, st.Array); Read(st.Value, st.Array); break;
                case For f: Read(f.Start); Read(f.End); break;
                case If i: Read(i.Condition); break;
                case While w: Read(w.Condition); break;
                case Return r: Read(r.Value); break;
                case Push push: Read(push.Value); break;
                case PopStore pop: Read(pop.Index); break;
                case Accumulate acc: Read(acc.Value, acc.Target); break;
                case AccumulateElement acc: Read(acc.Index, acc.Array); Read(acc.Value, acc.Array); break;
                case Invoke c: read.UnionWith(c.Reads()); break;
                case InvokeVjp v: read.UnionWith(v.Call.Reads()); read.Add(v.OutputAdjoint); break;
                case InvokeJvp j: read.UnionWith(j.Call.Reads()); read.UnionWith(j.Tangents.Where(t => t is not null)!); break;
            }
        });
        declared.ExceptWith(read);
        return declared;
    }

    private static Block Without(Block block, HashSet<string> unread)
    {
        var kept = new List<Statement>(block.Statements.Count);
        foreach (var s in block.Statements)
        {
            Statement? rewritten = s switch
            {
                Declare d when unread.Contains(d.Name) => null,
                Assign a when unread.Contains(a.Target) => null,
                Store st when unread.Contains(st.Array) => null,
                Accumulate acc when unread.Contains(acc.Target) => null,
                AccumulateElement acc when unread.Contains(acc.Array) => null,
                Clear c when unread.Contains(c.Array) => null,
                Pop pop when unread.Contains(pop.Target) => new Pop(Pop.Discard),
                PopStore pop when unread.Contains(pop.Array) => new Pop(Pop.Discard),
                Invoke c when unread.Contains(c.Output.Array!) => null,
                InvokeJvp j when unread.Contains(j.OutputTangent) => unread.Contains(j.Call.Output.Array!) ? null : j.Call,
                InvokeVjp v => v with { Adjoints = new ValueList<string?>(v.Adjoints.Select(a => a is not null && unread.Contains(a) ? null : a)) },
                For f => Loop(f, Without(f.Body, unread)),
                If i => Branch(i, Without(i.Then, unread), Without(i.Else, unread)),
                While w => Loop(w, Without(w.Body, unread)),
                _ => s,
            };
            if (rewritten is not null)
            {
                kept.Add(rewritten);
            }
        }

        return new Block(kept);
    }

    private static For? Loop(For f, Block body) => body.Statements.Count == 0 ? null : f with { Body = body };

    /// <summary>A while loop left empty goes too: its condition is pure, and what it reads the empty body cannot change.</summary>
    private static While? Loop(While w, Block body) => body.Statements.Count == 0 ? null : w with { Body = body };

    private static If? Branch(If i, Block then, Block otherwise) =>
        then.Statements.Count == 0 && otherwise.Statements.Count == 0 ? null : i with { Then = then, Else = otherwise };
}
