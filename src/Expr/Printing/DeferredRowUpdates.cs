using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Finds the row updates of a batch loop that can wait. Inside an outer loop (over samples), a row loop (over a
/// layer's units) holds an axpy <c>D[r(j) + k] += c·S[o + k]</c>: a weight gradient's outer-product update, which
/// reads and writes a whole row of D per sample. When nothing in the procedure reads D (an input's adjoint, only
/// ever accumulated into), nothing writes S (an input) and D's rows are r(j) = base + j·stride, these updates commute
/// with everything else: the printer records c and o for a block of outer iterations and adds the block's outer
/// products at its end (<c>LoopKernels.AddOuterProducts</c>), each row of D loaded once per block, not per sample.
/// The sums are reassociated: equal to the per-sample updates to rounding.
/// </summary>
internal static class DeferredRowUpdates
{
    /// <summary>Outer iterations whose updates are applied together.</summary>
    public const int MaximumBlock = 32;

    /// <summary>Smaller blocks gain too little to be worth the bookkeeping.</summary>
    public const int MinimumBlock = 4;

    /// <summary>Recorded scales per site, block × rows: 32 KiB of stack at most.</summary>
    public const int MaximumScales = 4096;

    /// <summary>An axpy <paramref name="Kernel"/> directly inside <paramref name="Rows"/>, directly inside the outer loop.</summary>
    internal sealed record Site(For Rows, For Kernel, LoopIdioms.Axpy Update, RowOffset Row)
    {
        public LoopIdioms.Scaled Term => Update.Terms[0];

        public int Trips => (int)(Rows.End.Value - Rows.Start.Value);
    }

    /// <summary>The sites of <paramref name="outer"/> and the block size they share; no sites when none qualifies.</summary>
    public static (IReadOnlyList<Site> Sites, int Block) Find(For outer, Procedure procedure)
    {
        var sites = new List<Site>();
        var procedureWrites = new HashSet<string>(StringComparer.Ordinal);
        var procedureReads = new HashSet<string>(StringComparer.Ordinal);
        if (!ProcedureAnalysis.Collect(procedure.Body, procedureWrites, procedureReads))
        {
            return (sites, 0);
        }

        var outerWrites = new HashSet<string>(StringComparer.Ordinal) { outer.Counter };
        ProcedureAnalysis.Collect(outer.Body, outerWrites, new HashSet<string>(StringComparer.Ordinal));
        int block = MaximumBlock;
        foreach (var statement in outer.Body.Statements)
        {
            if (statement is not For rows || !rows.Start.IsConstant || !rows.End.IsConstant || rows.End.Value <= rows.Start.Value)
            {
                continue;
            }

            var rowWrites = new HashSet<string>(StringComparer.Ordinal) { rows.Counter };
            ProcedureAnalysis.Collect(rows.Body, rowWrites, new HashSet<string>(StringComparer.Ordinal));
            foreach (var inner in rows.Body.Statements)
            {
                if (inner is For kernel && LoopIdioms.Match(kernel) is { Count: 1 } idioms && idioms[0] is LoopIdioms.Axpy { Terms.Count: 1 } update
                    && Qualifies(outer, rows, kernel, update, outerWrites, rowWrites, procedureWrites, procedureReads))
                {
                    var site = new Site(rows, kernel, update, RowOffset.Of(update.TargetOffset, rows.Counter)!);
                    block = Math.Min(block, MaximumScales / site.Trips);
                    sites.Add(site);
                }
            }
        }

        return block >= MinimumBlock ? (sites, block) : (Array.Empty<Site>(), 0);
    }

    private static bool Qualifies(For outer, For rows, For kernel, LoopIdioms.Axpy update, HashSet<string> outerWrites,
        HashSet<string> rowWrites, HashSet<string> procedureWrites, HashSet<string> procedureReads)
    {
        var term = update.Terms[0];
        string destination = update.Target;

        // D only accumulated into: never read, stored, cleared or declared inside the loop; S never written.
        if (procedureReads.Contains(destination) || procedureWrites.Contains(term.Source) || destination == term.Source
            || WritesOtherThanAccumulation(outer.Body, destination))
        {
            return false;
        }

        // The kernel's bounds and D's row offset must be the same whenever the block is applied: nothing the outer
        // loop writes may change them, except the row counter, which the printed update loop runs again.
        var bounds = ProcedureAnalysis.Reads(kernel.Start);
        bounds.UnionWith(ProcedureAnalysis.Reads(kernel.End));
        if (bounds.Overlaps(outerWrites))
        {
            return false;
        }

        if (RowOffset.Of(update.TargetOffset, rows.Counter) is null)
        {
            return false;
        }

        foreach (var offset in update.TargetOffset)
        {
            foreach (var name in ProcedureAnalysis.Reads(offset))
            {
                if (outerWrites.Contains(name) && name != rows.Counter)
                {
                    return false;
                }
            }
        }

        // S's offset is recorded once per outer iteration, before the row loop: the row loop must not change it.
        foreach (var offset in term.SourceOffset)
        {
            if (ProcedureAnalysis.Reads(offset).Overlaps(rowWrites))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WritesOtherThanAccumulation(Block block, string array)
    {
        bool writes = false;
        ProcedureAnalysis.Visit(block, s => writes |= s switch
        {
            Declare d => d.Name == array,
            Store st => st.Array == array,
            PopStore ps => ps.Array == array,
            Clear c => c.Array == array,
            _ => false,
        });
        return writes;
    }

}

/// <summary>
/// A row's offset <c>base + row·stride</c> with a constant positive stride (1 when the row counter is a term of
/// its own): the rows of a row-major matrix, which the block kernels walk with one start and one stride.
/// </summary>
internal sealed record RowOffset(IReadOnlyList<Node> Base, int Stride)
{
    /// <summary>The offset's form, or null when it is not base + counter·constant.</summary>
    public static RowOffset? Of(IReadOnlyList<Node> terms, string counter)
    {
        var bases = new List<Node>(terms.Count);
        int stride = 0;
        foreach (var term in terms)
        {
            if (!ProcedureAnalysis.Reads(term).Contains(counter))
            {
                bases.Add(term);
                continue;
            }

            int found = term switch
            {
                { Op: Op.Var } when term.Name == counter => 1,
                { Op: Op.Mul } when IsCounter(term.Args[0], counter) && IsStride(term.Args[1]) => (int)term.Args[1].Value,
                { Op: Op.Mul } when IsCounter(term.Args[1], counter) && IsStride(term.Args[0]) => (int)term.Args[0].Value,
                _ => 0,
            };
            if (found == 0 || stride != 0)
            {
                return null;
            }

            stride = found;
        }

        return stride > 0 ? new RowOffset(bases, stride) : null;
    }

    private static bool IsCounter(Node n, string counter) => n.Op == Op.Var && n.Name == counter;

    private static bool IsStride(Node n) => n.IsConstant && n.Value >= 1 && n.Value <= int.MaxValue && n.Value == Math.Floor(n.Value);
}
