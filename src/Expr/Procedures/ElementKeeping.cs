using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// The one choice of where a gradient keeps a costly value its partials need again (eˣ in log-sum-exp), cheapest first:
/// <list type="number">
/// <item>nowhere, recomputed, when it reads only names nothing writes (<see cref="PartialValues"/> leaves it);</item>
/// <item>in the element of the output span that the loop's reverse overwrites (<see cref="ElementCache"/>: a store and a
/// load, no push and pop): a value of a loop of the procedure's top block whose partial for x[i] (x an array input, i
/// the counter) holds it, where no statement after that loop reads x and one statement of its body does, at i alone
/// (so the reverse loop's write of the adjoint element is its first), every statement of the body is simple, and
/// neither the loop nor what follows it writes what the value or the loop's bounds read (but the counter), those
/// bounds reading only unchanging names (so the reverse loop runs over the same range);</item>
/// <item>in a local, saved per element (<see cref="PartialValues"/>).</item>
/// </list>
/// This class names the values of the second kind, so that <see cref="PartialValues"/> leaves them to the element cache.
/// </summary>
internal static class ElementKeeping
{
    /// <summary>
    /// The costly values the element cache will keep, by the statement whose partials hold them; none for a gradient
    /// whose outputs are scratch (<paramref name="cacheElements"/> false: a Hessian-vector product's).
    /// </summary>
    public static Dictionary<Statement, HashSet<Node>> InOutputElements(Procedure p, HashSet<string> active, bool cacheElements)
    {
        var kept = new Dictionary<Statement, HashSet<Node>>(StatementIdentity.Instance);
        if (!cacheElements)
        {
            return kept;
        }

        var inputs = new HashSet<string>(p.Parameters.Where(x => x.Kind == ValueKind.Array && x.Differentiable && !x.IsOutput && active.Contains(x.Name)).Select(x => x.Name));
        var unchanging = Unchanging.Names(p);
        var top = p.Body.Statements;
        for (int k = 0; k < top.Count; k++)
        {
            if (top[k] is not For { Backward: false } loop || !loop.Body.Statements.All(s => s is Assign or Store or Declare { Kind: not ValueKind.Array })
                || !ProcedureAnalysis.Reads(loop.Start).Concat(ProcedureAnalysis.Reads(loop.End)).All(unchanging.Contains))
            {
                continue;
            }

            var writes = new HashSet<string>(System.StringComparer.Ordinal);
            var after = new HashSet<string>(System.StringComparer.Ordinal);
            if (!ProcedureAnalysis.Collect(new Block(top.Skip(k)), writes, after))
            {
                continue;
            }

            var laterReads = new HashSet<string>(System.StringComparer.Ordinal);
            ProcedureAnalysis.Collect(new Block(top.Skip(k + 1)), new HashSet<string>(System.StringComparer.Ordinal), laterReads);
            var counter = p.Graph.Var(loop.Counter);
            foreach (var x in inputs.Where(x => !laterReads.Contains(x)))
            {
                var readers = loop.Body.Statements.Where(s => ProcedureAnalysis.ReadsForward(s).Contains(x)).ToList();
                if (readers.Count != 1 || Value(readers[0]) is not { } value
                    || Traversal.TopologicalOrder(value).Any(n => n.Op == Op.Load && n.Name == x && !n.ArgArray[0].Equals(counter)))
                {
                    continue;
                }

                foreach (var (input, partial) in ProcedureDerivatives.Linearize(value, active))
                {
                    if (input.Op != Op.Load || input.Name != x)
                    {
                        continue;
                    }

                    foreach (var n in Traversal.TopologicalOrder(partial))
                    {
                        var reads = ProcedureAnalysis.Reads(n);
                        if (PartialValues.IsWorthKeeping(n.Op) && reads.Remove(loop.Counter) && reads.Contains(x) && !reads.Overlaps(writes))
                        {
                            if (!kept.TryGetValue(readers[0], out var nodes))
                            {
                                kept[readers[0]] = nodes = new HashSet<Node>(NodeIdentity.Comparer);
                            }

                            nodes.Add(n);
                        }
                    }
                }
            }
        }

        return kept;
    }

    private static Node? Value(Statement s) => s switch
    {
        Assign a => a.Value,
        Declare d => d.Initial,
        Store st => st.Value,
        _ => null,
    };
}
