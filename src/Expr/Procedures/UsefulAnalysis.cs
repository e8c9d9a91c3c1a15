using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Which names are useful after each statement: their current value can still reach the result (the
/// returned value or an output) along a path with a derivative (a name read only by a condition, an index
/// or a constant partial is not on such a path). A backward data-flow analysis, a fixpoint over loops, the
/// "useful" half of Clad's and Tapenade's activity analysis.
/// <para>The adjoint of a name that is not useful is exactly zero, and so is the tangent that can reach
/// the result: the sweeps drop those derivative terms instead of multiplying a zero by a partial that may be
/// infinite (dead code that overflows would otherwise make the whole gradient 0·∞ = NaN).</para>
/// </summary>
internal sealed class UsefulAnalysis
{
    private readonly Dictionary<Statement, HashSet<string>> _after = new(StatementIdentity.Instance);
    private readonly Func<Statement, IEnumerable<string>> _inputs;

    private UsefulAnalysis(Func<Statement, IEnumerable<string>> inputs) => _inputs = inputs;

    /// <summary>
    /// Runs the analysis. <paramref name="inputs"/> gives, for a statement that writes a value (declare,
    /// assign, store, accumulate, return, push), the names its value depends on with a derivative.
    /// Outputs of the procedure are useful at its end; a value pushed on the stack is useful where it is
    /// pushed (its pop may restore it into a useful name).
    /// </summary>
    public static UsefulAnalysis Run(Procedure p, Func<Statement, IEnumerable<string>> inputs)
    {
        var analysis = new UsefulAnalysis(inputs);
        var atEnd = new HashSet<string>(p.Parameters.Where(x => x.IsOutput).Select(x => x.Name), StringComparer.Ordinal);
        analysis.Block(p.Body, atEnd);
        return analysis;
    }

    /// <summary>True when the value <paramref name="name"/> holds right after <paramref name="s"/> can reach the result.</summary>
    public bool UsefulAfter(Statement s, string name) => _after.TryGetValue(s, out var useful) && useful.Contains(name);

    /// <summary>The names useful before <paramref name="block"/>, given those useful after it (a new set: callers extend it).</summary>
    private HashSet<string> Block(Block block, HashSet<string> after)
    {
        var useful = new HashSet<string>(after, StringComparer.Ordinal);
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            useful = Statement(block.Statements[k], useful);
        }

        return useful;
    }

    private HashSet<string> Statement(Statement s, HashSet<string> after)
    {
        Record(s, after);
        var before = new HashSet<string>(after, StringComparer.Ordinal);
        switch (s)
        {
            case Declare d when d.Kind == ValueKind.Array:
                before.Remove(d.Name);
                break;
            case Declare d:
                Define(s, d.Name, before, kills: true);
                break;
            case Assign a:
                Define(s, a.Target, before, kills: true);
                break;
            case Store st:
                Define(s, st.Array, before, kills: false);
                break;
            case Accumulate acc:
                Define(s, acc.Target, before, kills: false);
                break;
            case AccumulateElement acc:
                Define(s, acc.Array, before, kills: false);
                break;
            case Invoke c:
                // a call writes a slice of its output array: the rest of the array keeps its value
                Define(s, c.Output.Array!, before, kills: false);
                break;
            case Clear clear:
                before.Remove(clear.Array);
                break;
            case Pop pop:
                before.Remove(pop.Target);
                break;
            case Return or Push:
                before.UnionWith(_inputs(s));
                break;
            case If i:
                before = Block(i.Then, after);
                before.UnionWith(Block(i.Else, after));
                break;
            case For f:
                before = Loop(f.Body, after);
                break;
            case While w:
                before = Loop(w.Body, after);
                break;
        }

        return before;
    }

    /// <summary>The names useful before a loop that may run its body any number of times (a do loop's once or more is within that).</summary>
    private HashSet<string> Loop(Block body, HashSet<string> after)
    {
        // The body's end flows to the loop's exit and to the body's start (the next iteration).
        var atBodyEnd = new HashSet<string>(after, StringComparer.Ordinal);
        while (true)
        {
            var atBodyStart = Block(body, atBodyEnd);
            int count = atBodyEnd.Count;
            atBodyEnd.UnionWith(atBodyStart);
            if (atBodyEnd.Count == count)
            {
                return atBodyEnd;
            }
        }
    }

    private void Define(Statement s, string target, HashSet<string> before, bool kills)
    {
        if (!before.Contains(target))
        {
            return;
        }

        if (kills)
        {
            before.Remove(target);
        }

        before.UnionWith(_inputs(s));
    }

    /// <summary>Keeps the set after a statement; a loop body analysed again only grows it.</summary>
    private void Record(Statement s, HashSet<string> after)
    {
        if (_after.TryGetValue(s, out var existing))
        {
            existing.UnionWith(after);
        }
        else
        {
            _after[s] = new HashSet<string>(after, StringComparer.Ordinal);
        }
    }
}
