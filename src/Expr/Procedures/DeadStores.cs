using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Removes the locals of a derivative procedure that nothing reads: their declarations, assignments and
/// the pops that restore them (which still pop, into nothing). The sweeps leave such locals behind where
/// a value or an adjoint turns out to be dead; in generated code a local only ever assigned constants is
/// warning CS0219, an error under TreatWarningsAsErrors. Expressions have no side effects, so dropping an
/// assignment nobody reads changes nothing else.
/// </summary>
internal static class DeadStores
{
    public static Procedure Remove(Procedure p)
    {
        var parameters = new HashSet<string>(p.Parameters.Select(x => x.Name), StringComparer.Ordinal);
        var body = p.Body;
        while (true)
        {
            var read = Reads(body);
            bool IsDead(string name) => !parameters.Contains(name) && !read.Contains(name)
                && p.Kinds.TryGetValue(name, out var kind) && kind != ValueKind.Array;
            bool removed = false;
            Block Clean(Block block)
            {
                var statements = new List<Statement>(block.Statements.Count);
                foreach (var s in block.Statements)
                {
                    switch (s)
                    {
                        case Declare d when IsDead(d.Name):
                        case Assign a when IsDead(a.Target):
                        case Accumulate acc when IsDead(acc.Target):
                            removed = true;
                            break;
                        case Pop pop when pop.Target != Pop.Discard && IsDead(pop.Target):
                            removed = true;
                            statements.Add(new Pop(Pop.Discard));
                            break;
                        case For f:
                            statements.Add(f with { Body = Clean(f.Body) });
                            break;
                        case If i:
                            statements.Add(i with { Then = Clean(i.Then), Else = Clean(i.Else) });
                            break;
                        default:
                            statements.Add(s);
                            break;
                    }
                }

                return new Block(statements);
            }

            var cleaned = Clean(body);
            if (!removed)
            {
                return ReferenceEquals(body, p.Body) ? p : new Procedure(p.Name, p.Parameters, body, p.Graph);
            }

            body = cleaned;
        }
    }

    /// <summary>Every name an expression of the block reads (values, indices, bounds, conditions, lengths).</summary>
    private static HashSet<string> Reads(Block block)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Visit(block, s => read.UnionWith(ProcedureAnalysis.ReadsForward(s)));
        return read;
    }
}
