namespace DiffGen.Expr;

/// <summary>
/// How generated code borrows and gives back an array (a buffer too long for <c>stackalloc</c>, a layer call's
/// scratch): through <c>DiffGen.Expr.ScratchPool</c>, which keeps each thread's arrays, so that a gradient in
/// steady state allocates nothing even when the shared pool trims under GC pressure.
/// </summary>
internal static class ScratchArrays
{
    private const string Pool = "global::DiffGen.Expr.ScratchPool";

    /// <summary>An expression borrowing an array of at least <paramref name="length"/> elements of <paramref name="type"/>.</summary>
    public static string Rent(string type, string length) => $"{Pool}.Rent<{type}>({length})";

    /// <summary>A statement giving <paramref name="array"/> back.</summary>
    public static string Return(string array) => $"{Pool}.Return({array});";
}
