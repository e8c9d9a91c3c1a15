using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Finds the dot products of a batch loop that can be computed ahead for a block of iterations. Inside an outer
/// loop (over samples), a row loop (over a layer's units) holds a dot product <c>a += W[r(j) + k]·X[o(s) + k]</c>:
/// one row of W against the sample's slice, so every sample reads all of W. When nothing in the procedure writes
/// W or X, the sample's offset o(s) is a function of the outer counter and W's rows are r(j) = base + j·stride, the
/// printer computes the products of the next block of samples at the block's start (<c>LoopKernels.RowDots</c>, a
/// matrix–matrix product: each loaded chunk of a row serves several samples) and the row loop reads them back.
/// </summary>
internal static class BlockedRowDots
{
    /// <summary>A dot product of a kernel loop directly inside a row loop, directly inside the outer loop.</summary>
    /// <param name="Rows">The row loop.</param>
    /// <param name="Kernel">The kernel loop.</param>
    /// <param name="Product">The dot product (one of the kernel loop's statements).</param>
    /// <param name="RowX">Whether the product's X operand is the row (its offset moves with the row counter).</param>
    /// <param name="SampleOffset">The sample operand's offset terms, in terms of the outer counter and loop invariants.</param>
    /// <param name="Row">The row operand's offset: base + row·stride.</param>
    internal sealed record Site(For Rows, For Kernel, LoopIdioms.Dot Product, bool RowX, IReadOnlyList<Node> SampleOffset, RowOffset Row)
    {
        public LoopIdioms.Product Term => Product.Products[0];

        public int Trips => (int)(Rows.End.Value - Rows.Start.Value);
    }

    /// <summary>
    /// The sites of <paramref name="outer"/>, the block size they share and the definitions of the outer body's
    /// variables their sample offsets read (printed in place of those variables); no sites when none qualifies.
    /// </summary>
    public static (IReadOnlyList<Site> Sites, int Block, IReadOnlyDictionary<string, Node> Definitions) Find(For outer, Procedure procedure)
    {
        var none = (Array.Empty<Site>(), 0, new Dictionary<string, Node>());
        var procedureWrites = new HashSet<string>(StringComparer.Ordinal);
        if (!ProcedureAnalysis.Collect(procedure.Body, procedureWrites, new HashSet<string>(StringComparer.Ordinal)))
        {
            return none;
        }

        var outerWrites = new HashSet<string>(StringComparer.Ordinal) { outer.Counter };
        ProcedureAnalysis.Collect(outer.Body, outerWrites, new HashSet<string>(StringComparer.Ordinal));
        var bounds = ProcedureAnalysis.Reads(outer.Start);
        bounds.UnionWith(ProcedureAnalysis.Reads(outer.End));
        if (bounds.Overlaps(outerWrites))
        {
            return none;
        }

        var definitions = new Dictionary<string, Node>(StringComparer.Ordinal);
        var sites = new List<Site>();
        int block = DeferredRowUpdates.MaximumBlock;
        foreach (var statement in outer.Body.Statements)
        {
            // x = f(s) before the row loop, x written nowhere else in the loop: a sample offset may read x as f(s).
            var (defined, value) = statement switch
            {
                Assign a => (a.Target, a.Value),
                Declare { Initial: not null } d => (d.Name, d.Initial),
                _ => ("", null),
            };
            if (value is not null && CountWrites(outer.Body, defined) == 1 && ReadsOnlyCounterAndInvariants(value, outer.Counter, outerWrites))
            {
                definitions[defined] = value;
                continue;
            }

            if (statement is not For rows || !rows.Start.IsConstant || !rows.End.IsConstant || rows.End.Value <= rows.Start.Value)
            {
                continue;
            }

            var rowWrites = new HashSet<string>(StringComparer.Ordinal) { rows.Counter };
            ProcedureAnalysis.Collect(rows.Body, rowWrites, new HashSet<string>(StringComparer.Ordinal));
            foreach (var inner in rows.Body.Statements)
            {
                if (inner is not For kernel || LoopIdioms.Match(kernel) is not { } idioms)
                {
                    continue;
                }

                var kernelBounds = ProcedureAnalysis.Reads(kernel.Start);
                kernelBounds.UnionWith(ProcedureAnalysis.Reads(kernel.End));
                if (kernelBounds.Overlaps(outerWrites))
                {
                    continue;
                }

                foreach (var idiom in idioms)
                {
                    if (idiom is LoopIdioms.Dot { Products.Count: 1 } dot && Match(dot, rows, kernel, outer, outerWrites, rowWrites, procedureWrites, definitions) is { } site)
                    {
                        sites.Add(site);
                        block = Math.Min(block, DeferredRowUpdates.MaximumScales / site.Trips);
                    }
                }
            }
        }

        return block >= DeferredRowUpdates.MinimumBlock && sites.Count > 0 ? (sites, block, definitions) : none;
    }

    private static Site? Match(LoopIdioms.Dot dot, For rows, For kernel, For outer, HashSet<string> outerWrites, HashSet<string> rowWrites,
        HashSet<string> procedureWrites, Dictionary<string, Node> definitions)
    {
        var p = dot.Products[0];
        if (procedureWrites.Contains(p.X) || procedureWrites.Contains(p.Y))
        {
            return null;
        }

        // The row operand's offset: the row counter and loop invariants. The sample operand's: the outer counter,
        // loop invariants and variables defined from them before the row loop; nothing the row loop writes.
        bool IsRow(IReadOnlyList<Node> offset)
        {
            bool movesWithRow = false;
            foreach (var term in offset)
            {
                foreach (var name in ProcedureAnalysis.Reads(term))
                {
                    if (name == rows.Counter)
                    {
                        movesWithRow = true;
                    }
                    else if (outerWrites.Contains(name))
                    {
                        return false;
                    }
                }
            }

            return movesWithRow;
        }

        bool IsSample(IReadOnlyList<Node> offset)
        {
            foreach (var term in offset)
            {
                foreach (var name in ProcedureAnalysis.Reads(term))
                {
                    if (rowWrites.Contains(name) || (outerWrites.Contains(name) && name != outer.Counter && !definitions.ContainsKey(name)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        if (IsRow(p.XOffset) && IsSample(p.YOffset) && RowOffset.Of(p.XOffset, rows.Counter) is { } xRow)
        {
            return new Site(rows, kernel, dot, RowX: true, p.YOffset, xRow);
        }

        return IsRow(p.YOffset) && IsSample(p.XOffset) && RowOffset.Of(p.YOffset, rows.Counter) is { } yRow
            ? new Site(rows, kernel, dot, RowX: false, p.XOffset, yRow)
            : null;
    }

    private static bool ReadsOnlyCounterAndInvariants(Node value, string counter, HashSet<string> outerWrites)
    {
        foreach (var name in ProcedureAnalysis.Reads(value))
        {
            if (name != counter && outerWrites.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountWrites(Block block, string name)
    {
        int count = 0;
        ProcedureAnalysis.Visit(block, s => count += s switch
        {
            Declare d when d.Name == name => 1,
            Assign a when a.Target == name => 1,
            Pop p when p.Target == name => 1,
            Accumulate acc when acc.Target == name => 1,
            For f when f.Counter == name => 1,
            _ => 0,
        });
        return count;
    }
}
