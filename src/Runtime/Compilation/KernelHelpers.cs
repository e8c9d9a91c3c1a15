using System;

namespace DiffGen.Compilation;

/// <summary>Small methods that compiled expression trees call (the JIT inlines them).</summary>
internal static class KernelHelpers
{
    [ThreadStatic]
    private static double[]?[]? t_scratch;

    internal static double Read(ReadOnlySpan<double> inputs, int index) => inputs[index];

    internal static void Write(Span<double> rest, int index, double value) => rest[index] = value;

    /// <summary>A per-thread array of exactly <paramref name="length"/> elements, reused across calls.</summary>
    internal static double[] Scratch(int length)
    {
        var byLength = t_scratch;
        if (byLength is null || byLength.Length <= length)
        {
            var grown = new double[]?[Math.Max(length + 1, 16)];
            byLength?.CopyTo(grown, 0);
            t_scratch = byLength = grown;
        }

        return byLength[length] ??= new double[length];
    }
}
