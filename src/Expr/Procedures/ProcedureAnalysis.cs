using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>Facts about procedures that the transformations need: kinds of names, reads, activity.</summary>
internal static class ProcedureAnalysis
{
    /// <summary>Every name's kind; checks that locals are declared once and arrays only at the top level.</summary>
    public static Dictionary<string, ValueKind> CollectKinds(Procedure p)
    {
        var kinds = new Dictionary<string, ValueKind>(StringComparer.Ordinal);
        foreach (var parameter in p.Parameters)
        {
            Add(kinds, parameter.Name, parameter.Kind);
            if (parameter.Kind == ValueKind.Array)
            {
                kinds[parameter.Name + ".Length"] = ValueKind.Integer;
            }
        }

        void Walk(Block block, int depth)
        {
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case Declare d:
                        if (d.Kind == ValueKind.Array && depth > 0)
                        {
                            throw new ArgumentException($"The array '{d.Name}' must be declared at the top level of the procedure, not inside a loop or branch.");
                        }

                        Add(kinds, d.Name, d.Kind);
                        if (d.Kind == ValueKind.Array)
                        {
                            kinds[d.Name + ".Length"] = ValueKind.Integer;
                        }

                        break;
                    case For f:
                        if (!kinds.TryGetValue(f.Counter, out var existing))
                        {
                            kinds[f.Counter] = ValueKind.Integer;
                        }
                        else if (existing != ValueKind.Integer)
                        {
                            throw new ArgumentException($"The loop counter '{f.Counter}' is also a non-integer name.");
                        }

                        Walk(f.Body, depth + 1);
                        break;
                    case If i:
                        Walk(i.Then, depth + 1);
                        Walk(i.Else, depth + 1);
                        break;
                    case While w:
                        Walk(w.Body, depth + 1);
                        break;
                }
            }
        }

        Walk(p.Body, 0);
        return kinds;
    }

    private static void Add(Dictionary<string, ValueKind> kinds, string name, ValueKind kind)
    {
        if (kinds.ContainsKey(name))
        {
            throw new ArgumentException($"The name '{name}' is declared twice; names in a procedure must be unique.");
        }

        kinds.Add(name, kind);
    }

    /// <summary>The variables and arrays an expression reads (array elements count as reads of the array).</summary>
    public static HashSet<string> Reads(Node? node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (node is null)
        {
            return names;
        }

        foreach (var n in Traversal.TopologicalOrder(node))
        {
            if (n.Op is Op.Var or Op.Load)
            {
                names.Add(n.Name!);
            }
        }

        return names;
    }

    /// <summary>The names a statement's own expressions read (values, indices, bounds, conditions, lengths; not nested statements).</summary>
    public static HashSet<string> ReadsForward(Statement s)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(Node? n) => names.UnionWith(Reads(n));
        switch (s)
        {
            case Declare d: Add(d.Initial); Add(d.Length); break;
            case Assign a: Add(a.Value); break;
            case Store st: Add(st.Index); Add(st.Value); break;
            case For f: Add(f.Start); Add(f.End); names.Add(f.Counter); break;
            case If i: Add(i.Condition); break;
            case While w: Add(w.Condition); break;
            case Return r: Add(r.Value); break;
            case Push pu: Add(pu.Value); break;
            case PopStore ps: Add(ps.Index); break;
            case Accumulate ac: Add(ac.Value); break;
            case AccumulateElement ae: Add(ae.Index); Add(ae.Value); break;
            case Invoke c: names.UnionWith(c.Reads()); break;
            case InvokeVjp v: names.UnionWith(v.Call.Reads()); names.Add(v.OutputAdjoint); break;
            case InvokeJvp j: names.UnionWith(j.Call.Reads()); AddNames(names, j.Tangents); break;
        }

        return names;
    }

    private static void AddNames(HashSet<string> names, IEnumerable<string?> more)
    {
        foreach (var name in more)
        {
            if (name is not null)
            {
                names.Add(name);
            }
        }
    }

    /// <summary>
    /// The names whose values depend on the differentiable parameters (a fixpoint over loops).
    /// Integers are never active.
    /// </summary>
    public static HashSet<string> Active(Procedure p, IEnumerable<string> seeds)
    {
        var active = new HashSet<string>(seeds, StringComparer.Ordinal);
        bool changed = true;
        while (changed)
        {
            changed = false;
            void Mark(string target, Node? value)
            {
                if (value is not null && p.Kinds.TryGetValue(target, out var kind) && kind != ValueKind.Integer
                    && !active.Contains(target) && Reads(value).Overlaps(active))
                {
                    active.Add(target);
                    changed = true;
                }
            }

            Visit(p.Body, s =>
            {
                switch (s)
                {
                    case Declare d: Mark(d.Name, d.Initial); break;
                    case Assign a: Mark(a.Target, a.Value); break;
                    case Store st: Mark(st.Array, st.Value); break;
                    case Accumulate acc: Mark(acc.Target, acc.Value); break;
                    case AccumulateElement acc: Mark(acc.Array, acc.Value); break;
                    case Invoke c when !active.Contains(c.Output.Array!) && c.DifferentiableReads().Any(active.Contains):
                        active.Add(c.Output.Array!);
                        changed = true;
                        break;
                }
            });
        }

        return active;
    }

    /// <summary>
    /// Adds the names a block writes and the names its expressions read; false when it holds a statement whose
    /// reads and writes are not listed here (a layer call's product; a call itself writes only its output): the
    /// transformations that ask then leave the code alone.
    /// </summary>
    public static bool Collect(Block block, HashSet<string> writes, HashSet<string> reads)
    {
        bool known = true;
        Visit(block, s =>
        {
            reads.UnionWith(ReadsForward(s));
            switch (s)
            {
                case Declare d: writes.Add(d.Name); break;
                case Assign a: writes.Add(a.Target); break;
                case Store st: writes.Add(st.Array); break;
                case For f: writes.Add(f.Counter); break;
                case Pop p: writes.Add(p.Target); break;
                case PopStore ps: writes.Add(ps.Array); break;
                case Accumulate acc: writes.Add(acc.Target); break;
                case AccumulateElement acc: writes.Add(acc.Array); break;
                case Clear c: writes.Add(c.Array); break;
                case If or While or Return or Push: break;
                case Invoke c: writes.Add(c.Output.Array!); break;
                default: known = false; break;
            }
        });
        return known;
    }

    /// <summary>Calls <paramref name="visit"/> on every statement, outer before inner.</summary>
    public static void Visit(Block block, Action<Statement> visit)
    {
        foreach (var s in block.Statements)
        {
            visit(s);
            switch (s)
            {
                case For f:
                    Visit(f.Body, visit);
                    break;
                case If i:
                    Visit(i.Then, visit);
                    Visit(i.Else, visit);
                    break;
                case While w:
                    Visit(w.Body, visit);
                    break;
            }
        }
    }
}
