using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Names that hold one value all through a procedure: what no statement writes (inputs, sizes), and a scalar local
/// declared once, never assigned, from such names only (<c>int d = 2;</c>, <c>int n = x.Length - 1;</c>; not a loop
/// counter nor what reads one). The reverse sweep reads them again where it needs them: a loop bound reading only
/// these is not saved at every entry of its loop (<see cref="SavePlan.Unchanging"/>).
/// </summary>
internal static class Unchanging
{
    /// <summary>The names of <paramref name="p"/> that hold one value all through it.</summary>
    public static HashSet<string> Names(Procedure p)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var declarations = new Dictionary<string, List<Declare>>(StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        ProcedureAnalysis.Visit(p.Body, s =>
        {
            switch (s)
            {
                case Declare { Kind: not ValueKind.Array } d:
                    written.Add(d.Name);
                    if (!declarations.TryGetValue(d.Name, out var list))
                    {
                        declarations[d.Name] = list = new List<Declare>();
                    }

                    list.Add(d);
                    break;
                case Assign a:
                    written.Add(a.Target);
                    assigned.Add(a.Target);
                    break;
                case Store st:
                    written.Add(st.Array);
                    break;
                case Invoke c:
                    written.Add(c.Output.Array!);
                    break;
                case For f:
                    written.Add(f.Counter);
                    assigned.Add(f.Counter);
                    break;
            }
        });

        var unchanging = new HashSet<string>(p.Kinds.Keys.Where(name => !written.Contains(name)), StringComparer.Ordinal);
        var once = declarations.Values
            .Where(list => list.Count == 1 && list[0].Initial is not null && !assigned.Contains(list[0].Name))
            .Select(list => list[0]).ToList();
        // a declaration may read one declared before it: repeat until nothing joins
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var d in once)
            {
                if (!unchanging.Contains(d.Name) && ProcedureAnalysis.Reads(d.Initial).All(unchanging.Contains))
                {
                    unchanging.Add(d.Name);
                    grew = true;
                }
            }
        }

        return unchanging;
    }
}
