namespace DiffGen.Expr;

/// <summary>
/// A derivative term seed·partial, where the seed is a tangent or an adjoint held in a variable: when the
/// seed is exactly 0 at run time the term is exactly 0, even where the partial is ±∞ (acosh′ at 1, 1/x at 0).
/// A zero known at compile time is a symbolic zero and builds no term at all (as JAX's symbolic zero tangents);
/// a zero known only at run time (a clamped input, a masked branch, a factor n = 0) must give the same
/// answer, not 0·∞ = NaN, so that the result does not depend on what the simplifier could prove. The guard
/// is printed only where the partial can be infinite (<see cref="OpInfo.CanBeInfinite"/>); both sweeps use it.
/// </summary>
internal static class ZeroSeed
{
    /// <summary>
    /// seed·partial (partial·seed when <paramref name="partialFirst"/>, as forward mode prints it), or
    /// <c>seed == 0 ? 0 : seed·partial</c> where the partial can be infinite (or, by <paramref name="infinite"/>, reads a
    /// local holding a value that can).
    /// </summary>
    public static Node Scale(Graph g, Node seed, Node partial, bool partialFirst = false, bool infinite = false)
    {
        var product = partialFirst ? g.Mul(partial, seed) : g.Mul(seed, partial);
        return infinite || CanBeInfinite(partial) ? g.Select(g.Equal(seed, g.Zero), g.Zero, product) : product;
    }

    /// <summary>
    /// True for a guard <see cref="Scale"/> builds (<c>seed == 0 ? 0 : seed·partial</c>). It stands against 0·∞, not
    /// against a read: a partial reads only elements its statement reads, so evaluating it early throws nothing new.
    /// </summary>
    public static bool IsGuard(Node node) =>
        node.Op == Op.Select && node.ArgArray[0] is { Op: Op.Equal } test && test.ArgArray[1].IsConstant && test.ArgArray[1].Value == 0.0
        && node.ArgArray[1].IsConstant && node.ArgArray[1].Value == 0.0 && node.ArgArray[2].Op == Op.Mul;

    /// <summary>True when some operation of <paramref name="node"/> can be ±∞ at finite arguments.</summary>
    internal static bool CanBeInfinite(Node node)
    {
        if (node.IsConstant)
        {
            return double.IsInfinity(node.Value);
        }

        foreach (var n in Traversal.TopologicalOrder(node))
        {
            if (OpTable.Get(n.Op).CanBeInfinite && !(n.Op == Op.Div && n.ArgArray[1].IsConstant && n.ArgArray[1].Value != 0.0))
            {
                return true;
            }
        }

        return false;
    }
}
