#if NET
using System;
using System.Buffers;

namespace DiffGen.Expr;

/// <summary>
/// The arrays generated code borrows (buffers too long for <c>stackalloc</c>, the value stack's storage): each
/// thread keeps the few largest it returned for its next call, and the rest go to <see cref="ArrayPool{T}.Shared"/>.
/// The shared pool alone drops its arrays under GC pressure, so a gradient in steady state would now and then
/// allocate; with the thread's own arrays it allocates nothing once warm.
/// </summary>
public static class ScratchPool
{
    /// <summary>Arrays kept per thread: enough for a sweep's buffers and its stack, and for nested sweeps.</summary>
    private const int KeptPerThread = 8;


    /// <summary>An array of at least <paramref name="minimumLength"/> elements: the smallest kept one that fits, else one from the shared pool.</summary>
    public static T[] Rent<T>(int minimumLength) => Take<T>(minimumLength, largest: false);

    /// <summary>
    /// The largest kept array if it has at least <paramref name="minimumLength"/> elements, else one from the shared
    /// pool: for a buffer that grows (the value stack), which then starts at the size it reached last time.
    /// </summary>
    public static T[] RentLargest<T>(int minimumLength) => Take<T>(minimumLength, largest: true);

    private static T[] Take<T>(int minimumLength, bool largest)
    {
        var kept = Slots<T>.Kept;
        int best = -1;
        if (kept is not null)
        {
            for (int i = 0; i < kept.Length; i++)
            {
                if (kept[i] is { } a && a.Length >= minimumLength
                    && (best < 0 || (largest ? a.Length > kept[best]!.Length : a.Length < kept[best]!.Length)))
                {
                    best = i;
                }
            }
        }

        if (best < 0)
        {
            return ArrayPool<T>.Shared.Rent(minimumLength);
        }

        var array = kept![best]!;
        kept[best] = null;
        return array;
    }

    /// <summary>Gives an array back: kept for this thread if a slot is free or it is larger than the smallest kept one.</summary>
    public static void Return<T>(T[] array)
    {
        if (array is null)
        {
            throw new ArgumentNullException(nameof(array));
        }

        var kept = Slots<T>.Kept ??= new T[]?[KeptPerThread];
        int smallest = 0;
        for (int i = 0; i < kept.Length; i++)
        {
            if (kept[i] is null)
            {
                kept[i] = array;
                return;
            }

            if (kept[i]!.Length < kept[smallest]!.Length)
            {
                smallest = i;
            }
        }

        var giveBack = array;
        if (array.Length > kept[smallest]!.Length)
        {
            giveBack = kept[smallest]!;
            kept[smallest] = array;
        }

        ArrayPool<T>.Shared.Return(giveBack);
    }

    /// <summary>One thread's kept arrays of one element type.</summary>
    private static class Slots<T>
    {
        [ThreadStatic]
        internal static T[]?[]? Kept;
    }
}
#endif
