using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// The shift of a stable log-sum-exp is a constant, as a person differentiating it by hand takes it: in
/// <c>s = 0; … s += exp(xᵢ − m) …; … m + log(s) …</c> the value m + log Σ exp(xᵢ − m) does not depend on m, so its
/// derivative with respect to m is exactly 0 (1 − Σ eᵢ/s), and the gradient computed through m — the running max's
/// tie replay, its saved values, an adjoint summing to rounding noise — is work that yields nothing. The reads of m
/// in that pattern become stop_gradient(m) (the values are unchanged); other reads of m keep their derivative.
/// Recognised in one block: the sum s is reset to 0 there, and afterwards, in that block, every write of s is
/// <c>s += exp(x − m)</c> (x not reading m or s), every read of s is <c>log(s)</c> added to m, m is not written, and s
/// is neither written nor read anywhere else (its declaration before everything aside).
/// </summary>
internal static class LogSumExpShift
{
    /// <summary><paramref name="p"/> with the shifts of its log-sum-exps held constant; itself when it has none.</summary>
    public static Procedure Apply(Procedure p)
    {
        var rewriting = new Rewriting(p);
        var body = rewriting.Rewrite(p.Body);
        return rewriting.Changed ? new Procedure(p.Name, p.Parameters, body, p.Graph) : p;
    }

    private sealed class Rewriting
    {
        private readonly Procedure _p;
        private readonly Graph _g;

        public Rewriting(Procedure p)
        {
            _p = p;
            _g = p.Graph;
        }

        public bool Changed { get; private set; }

        public Block Rewrite(Block block)
        {
            var statements = new List<Statement>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                statements.Add(s switch
                {
                    For f => f with { Body = Rewrite(f.Body) },
                    If i => i with { Then = Rewrite(i.Then), Else = Rewrite(i.Else) },
                    While w => w with { Body = Rewrite(w.Body) },
                    _ => s,
                });
            }

            for (int a = 0; a < statements.Count; a++)
            {
                if (Reset(statements[a]) is { } sum && TryShift(statements, a, sum) is { } shifted)
                {
                    statements = shifted;
                    Changed = true;
                }
            }

            return new Block(statements);
        }

        /// <summary>The real local a statement sets to 0 (a declaration or an assignment); null for other statements.</summary>
        private string? Reset(Statement s) => s switch
        {
            Declare { Kind: ValueKind.Real } d when d.Initial is null || d.Initial.IsConstantValue(0.0) => d.Name,
            Assign a when a.Value.IsConstantValue(0.0) && _p.Kinds.TryGetValue(a.Target, out var kind) && kind == ValueKind.Real => a.Target,
            _ => null,
        };

        private List<Statement>? TryShift(List<Statement> statements, int reset, string sum)
        {
            var sumVar = _g.Var(sum);
            var log = _g.Log(sumVar);
            // the shift: the m of the first accumulation
            string? shift = null;
            int accumulations = 0;
            int last = -1;
            for (int k = reset + 1; k < statements.Count; k++)
            {
                bool ok = true;
                ProcedureAnalysis.Visit(new Block(new[] { statements[k] }), s =>
                {
                    if (SharedValues.Written(s) == sum)
                    {
                        if (Term(s, sumVar) is { } term && Shift(term) is { } m && (shift is null || shift == m))
                        {
                            shift = m;
                            accumulations++;
                        }
                        else
                        {
                            ok = false;
                        }
                    }
                });
                if (!ok)
                {
                    return null;
                }

                ProcedureAnalysis.Visit(new Block(new[] { statements[k] }), s =>
                {
                    if (ProcedureAnalysis.ReadsForward(s).Contains(sum))
                    {
                        last = k;
                    }
                });
            }

            if (shift is null || last < 0)
            {
                return null;
            }

            var shiftVar = _g.Var(shift);
            // reads of s are its accumulations' own and log(s) + m; m is not written while s is in use
            for (int k = reset + 1; k <= last; k++)
            {
                bool ok = true;
                ProcedureAnalysis.Visit(new Block(new[] { statements[k] }), s =>
                {
                    ok &= SharedValues.Written(s) != shift;
                    foreach (var root in SharedValues.Expressions(s))
                    {
                        ok &= ReadsOnlyAsShiftedLog(root, sumVar, log, shiftVar, SharedValues.Written(s) == sum ? Term(s, sumVar) : null);
                    }
                });
                if (!ok)
                {
                    return null;
                }
            }

            // nothing else in the procedure writes or reads s (a declaration before everything aside)
            bool Declaration(Statement s) => s is Declare && _p.Body.Statements.Any(top => ReferenceEquals(top, s));
            int writes = Declaration(statements[reset]) ? 1 : 0, reads = 0;
            ProcedureAnalysis.Visit(_p.Body, s =>
            {
                if (SharedValues.Written(s) == sum && !Declaration(s))
                {
                    writes++;
                }

                if (ProcedureAnalysis.ReadsForward(s).Contains(sum))
                {
                    reads++;
                }
            });
            int readsHere = 0;
            for (int k = reset + 1; k <= last; k++)
            {
                ProcedureAnalysis.Visit(new Block(new[] { statements[k] }), s => readsHere += ProcedureAnalysis.ReadsForward(s).Contains(sum) ? 1 : 0);
            }

            if (writes != 1 + accumulations || reads != readsHere)
            {
                return null;
            }

            var result = new List<Statement>(statements);
            for (int k = reset + 1; k <= last; k++)
            {
                result[k] = Shifted(statements[k], sumVar, log, shiftVar);
            }

            return result;
        }

        /// <summary>The statement with m read as stop_gradient(m) in its exp(x − m) terms of s and its m + log(s).</summary>
        private Statement Shifted(Statement s, Node sumVar, Node log, Node shiftVar)
        {
            Block Each(Block block) => new(block.Statements.Select(x => Shifted(x, sumVar, log, shiftVar)));
            switch (s)
            {
                case For f:
                    return f with { Body = Each(f.Body) };
                case If i:
                    return i with { Then = Each(i.Then), Else = Each(i.Else) };
                case While w:
                    return w with { Body = Each(w.Body) };
            }

            var stopped = _g.StopGradient(shiftVar);
            var map = new Dictionary<Node, Node>(NodeIdentity.Comparer);
            if (SharedValues.Written(s) == sumVar.Name)
            {
                // s += exp(x − m), x not reading m
                map[shiftVar] = stopped;
            }
            else
            {
                foreach (var n in Traversal.TopologicalOrder(SharedValues.Expressions(s).ToList()))
                {
                    if (n.Op == Op.Add && (ReferenceEquals(n.Args[0], log) && ReferenceEquals(n.Args[1], shiftVar)
                        || ReferenceEquals(n.Args[1], log) && ReferenceEquals(n.Args[0], shiftVar)))
                    {
                        map[n] = _g.Add(stopped, log);
                    }
                }
            }

            return map.Count == 0 ? s : SharedValues.Replace(_g, s, map);
        }

        /// <summary>The term exp(x − m) an accumulation of s adds: <c>s = s + t</c> or <c>s += t</c>; null for other writes.</summary>
        private static Node? Term(Statement s, Node sumVar) => s switch
        {
            Accumulate ac => ac.Value,
            Assign a when a.Value.Op == Op.Add && ReferenceEquals(a.Value.Args[0], sumVar) => a.Value.Args[1],
            _ => null,
        };

        /// <summary>m of a term exp(x − m) whose x reads neither m nor anything but what it reads; null for other terms.</summary>
        private string? Shift(Node term)
        {
            if (term.Op != Op.Exp || term.Args[0].Op != Op.Sub || term.Args[0].Args[1].Op != Op.Var)
            {
                return null;
            }

            string m = term.Args[0].Args[1].Name!;
            bool real = _p.Kinds.TryGetValue(m, out var kind) && kind == ValueKind.Real;
            return real && !ProcedureAnalysis.Reads(term.Args[0].Args[0]).Contains(m) ? m : null;
        }

        /// <summary>
        /// True when s occurs in <paramref name="root"/> only as log(s) added to m, or (in its own accumulation
        /// <paramref name="term"/>) as the sum the term is added to; the term itself must not read s.
        /// </summary>
        private static bool ReadsOnlyAsShiftedLog(Node root, Node sumVar, Node log, Node shiftVar, Node? term)
        {
            if (term is not null && ProcedureAnalysis.Reads(term).Contains(sumVar.Name!))
            {
                return false;
            }

            foreach (var n in Traversal.TopologicalOrder(root))
            {
                var args = n.ArgArray;
                for (int i = 0; i < args.Length; i++)
                {
                    if (ReferenceEquals(args[i], sumVar))
                    {
                        bool accumulation = term is not null && n.Op == Op.Add && ReferenceEquals(n, root) && i == 0;
                        if (!ReferenceEquals(n, log) && !accumulation)
                        {
                            return false;
                        }
                    }
                    else if (ReferenceEquals(args[i], log) && !(n.Op == Op.Add && ReferenceEquals(args[1 - i], shiftVar)))
                    {
                        return false;
                    }
                }
            }

            // a root that is s or log(s) itself is not added to m
            return !ReferenceEquals(root, sumVar) && !ReferenceEquals(root, log);
        }
    }
}
