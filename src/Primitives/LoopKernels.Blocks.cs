using System;
#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace DiffGen.Expr;

/// <summary>
/// The kernels of a batch loop run a block of samples at a time: a layer's rows against a block of samples
/// (a matrix–matrix product) and a block of outer products added to a weight gradient. Rows are
/// <c>firstRowStart + r·rowStride</c>; samples are slices of one source at <c>sourceStarts[b]</c>. On hardware
/// with 512-bit vectors they work on register tiles of 8 rows (4 for the rows left over) so that each load feeds
/// several fused multiply-adds, the way a matrix-multiply kernel does; elsewhere they run row by row. Sums are reassociated (vector lanes, fused multiply-adds): equal to the
/// scalar loops to rounding, not to the bit.
/// </summary>
public static partial class LoopKernels
{
    private const int RowGroup = 4;

    /// <summary>Rows of a register tile: 8 rows × 16 samples (two vectors) = 16 accumulators, or 8 rows × 3 chunks.</summary>
    private const int TileRows = 8;

    /// <summary>Samples packed side by side: two 512-bit vectors of them per element of a row.</summary>
    private const int PackWidth = 16;

    /// <summary>Fewer samples than this go through one dot product each: a tile would be mostly padding.</summary>
    private const int MinimumPacked = 8;

    /// <summary>Elements of each row per packed panel: 256 × 16 samples = 32 KiB, which stays in the L1 cache.</summary>
    private const int PanelLength = 256;

    /// <summary>
    /// results[r·resultStride + b] = Σₖ matrix[firstRowStart + r·rowStride + k]·source[sourceStarts[b] + k] for
    /// r below <paramref name="rows"/>, b below sourceStarts.Length and k below <paramref name="length"/>.
    /// </summary>
    public static void RowDots(ReadOnlySpan<double> matrix, int firstRowStart, int rowStride, int rows, ReadOnlySpan<double> source,
        ReadOnlySpan<int> sourceStarts, Span<double> results, int resultStride, int length)
    {
        int count = sourceStarts.Length;
        CheckRows(matrix.Length, firstRowStart, rowStride, rows, length, nameof(matrix));
        CheckSources(source.Length, sourceStarts, length);
        CheckRows(results.Length, 0, resultStride, rows, count, nameof(results));
        int r = 0;
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated && rows >= TileRows && count >= MinimumPacked && length > 0)
        {
            r = rows - rows % TileRows;
            PackedRowDots(matrix, firstRowStart, rowStride, r, source, sourceStarts, results, resultStride, length);
        }
#endif
        DotEach(matrix, firstRowStart, rowStride, r, rows, source, sourceStarts, results, resultStride, length);
    }

    /// <summary>The row dots of rows <paramref name="firstRow"/> to <paramref name="rows"/> one dot product each.</summary>
    private static void DotEach(ReadOnlySpan<double> matrix, int firstRowStart, int rowStride, int firstRow, int rows, ReadOnlySpan<double> source,
        ReadOnlySpan<int> sourceStarts, Span<double> results, int resultStride, int length)
    {
        for (int r = firstRow; r < rows; r++)
        {
            for (int b = 0; b < sourceStarts.Length; b++)
            {
                results[r * resultStride + b] = Dot(matrix, firstRowStart + r * rowStride, source, sourceStarts[b], length);
            }
        }
    }

    /// <summary>
    /// destination[firstRowStart + r·rowStride + k] += Σ_b scales[r·scaleStride + b]·source[sourceStarts[b] + k] for
    /// r below <paramref name="rows"/>, b below sourceStarts.Length and k below <paramref name="length"/>: a block
    /// of outer products (a weight gradient's update for a block of samples), each row loaded and stored once.
    /// </summary>
    public static void AddOuterProducts(Span<double> destination, int firstRowStart, int rowStride, int rows, ReadOnlySpan<double> scales,
        int scaleStride, ReadOnlySpan<double> source, ReadOnlySpan<int> sourceStarts, int length)
    {
        int count = sourceStarts.Length;
        CheckRows(destination.Length, firstRowStart, rowStride, rows, length, nameof(destination));
        CheckSources(source.Length, sourceStarts, length);
        CheckRows(scales.Length, 0, scaleStride, rows, count, nameof(scales));
        int r = 0;
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated)
        {
            for (; r + TileRows <= rows; r += TileRows)
            {
                AddToEightRows(destination, firstRowStart + r * rowStride, rowStride, scales.Slice(r * scaleStride), scaleStride, source, sourceStarts, length);
            }

            for (; r + RowGroup <= rows; r += RowGroup)
            {
                AddToFourRows(destination, firstRowStart + r * rowStride, rowStride, scales.Slice(r * scaleStride), scaleStride, source, sourceStarts, length);
            }
        }
#endif
        for (; r < rows; r++)
        {
            var d = destination.Slice(firstRowStart + r * rowStride, length);
            for (int b = 0; b < count; b++)
            {
                double scale = scales[r * scaleStride + b];
                var x = source.Slice(sourceStarts[b], length);
#if NET10_0_OR_GREATER
                // vectorized without AVX-512 too; every product is taken, as the tiles take it (0·∞ stays NaN)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, scale, d, d);
#else
                for (int k = 0; k < length; k++)
                {
                    d[k] += scale * x[k];
                }
#endif
            }
        }
    }

    private static void CheckRows(int spanLength, int firstRowStart, int rowStride, int rows, int length, string name)
    {
        if (rows < 0 || length < 0 || firstRowStart < 0 || rowStride < 0)
        {
            throw new ArgumentOutOfRangeException(name, "Row starts, strides, counts and lengths cannot be negative.");
        }

        if (rows > 0 && length > 0 && (long)firstRowStart + (long)(rows - 1) * rowStride + length > spanLength)
        {
            throw new ArgumentOutOfRangeException(name, $"{rows} rows of {length} from {firstRowStart}, {rowStride} apart, do not fit in {spanLength} elements.");
        }
    }

    private static void CheckSources(int sourceLength, ReadOnlySpan<int> sourceStarts, int length)
    {
        foreach (int start in sourceStarts)
        {
            if (start < 0 || (long)start + length > sourceLength)
            {
                throw new ArgumentOutOfRangeException(nameof(sourceStarts), $"A slice of {length} from {start} does not fit in the source's {sourceLength} elements.");
            }
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The row dots of <paramref name="rows"/> (a multiple of <see cref="TileRows"/>) rows against every sample, as a
    /// matrix product: a panel of up to 16 samples is packed element-major (sample b of element k at k·16 + b), so
    /// that one element of a row, broadcast, meets 16 samples in two vectors; a tile of 8 rows keeps 16 accumulators
    /// in registers and loads 2 vectors and 8 scalars per 16 fused multiply-adds. Panels of
    /// <see cref="PanelLength"/> elements keep the packed samples in the L1 cache while every row passes over them.
    /// </summary>
    private static void PackedRowDots(ReadOnlySpan<double> matrix, int firstRowStart, int rowStride, int rows, ReadOnlySpan<double> source,
        ReadOnlySpan<int> sourceStarts, Span<double> results, int resultStride, int length)
    {
        Span<double> packed = stackalloc double[PanelLength * PackWidth];
        Span<double> sums = stackalloc double[TileRows * PackWidth];
        for (int first = 0; first < sourceStarts.Length; first += PackWidth)
        {
            var starts = sourceStarts.Slice(first, Math.Min(PackWidth, sourceStarts.Length - first));
            if (starts.Length < MinimumPacked)
            {
                // the last few samples would leave most of a 16-wide tile zeros: a dot product each
                DotEach(matrix, firstRowStart, rowStride, 0, rows, source, starts, results.Slice(first), resultStride, length);
                continue;
            }

            for (int k = 0; k < length; k += PanelLength)
            {
                int panel = Math.Min(PanelLength, length - k);
                Pack(source, starts, k, panel, packed);
                for (int r = 0; r < rows; r += TileRows)
                {
                    EightRowsPackedSamples(matrix, firstRowStart + r * rowStride + k, rowStride, packed, panel, results.Slice(r * resultStride + first), resultStride, starts.Length, k == 0, sums);
                }
            }
        }
    }

    /// <summary>packed[e·16 + b] = source[starts[b] + first + e] for e below <paramref name="panel"/>; samples past the last are 0.</summary>
    private static void Pack(ReadOnlySpan<double> source, ReadOnlySpan<int> starts, int first, int panel, Span<double> packed)
    {
        ref double x = ref MemoryMarshal.GetReference(source);
        ref double p = ref MemoryMarshal.GetReference(packed);
        Span<int> at = stackalloc int[PackWidth];
        for (int b = 0; b < starts.Length; b++)
        {
            at[b] = starts[b] + first; // checked by the caller: every slice fits in the source
        }

        int count = starts.Length;
        int e = 0;
        if (Avx512F.IsSupported)
        {
            // 8 elements of 8 samples at a time, transposed in registers
            for (; e <= panel - 8; e += 8)
            {
                for (int group = 0; group < PackWidth; group += 8)
                {
                    TransposeEight(ref x, at.Slice(group), count - group, e, ref Unsafe.Add(ref p, e * PackWidth + group));
                }
            }
        }

        for (; e < panel; e++)
        {
            ref double element = ref Unsafe.Add(ref p, e * PackWidth);
            int b = 0;
            for (; b < count; b++)
            {
                Unsafe.Add(ref element, b) = Unsafe.Add(ref x, at[b] + e);
            }

            for (; b < PackWidth; b++)
            {
                Unsafe.Add(ref element, b) = 0.0;
            }
        }
    }

    /// <summary>
    /// Element e + j of sample i (i below 8, j below 8) to packed[j·16 + i]: three rounds of shuffles (pairs within
    /// 128-bit lanes, then lanes) turn 8 rows of 8 into 8 columns. Samples from <paramref name="samples"/> on are 0.
    /// </summary>
    private static void TransposeEight(ref double source, ReadOnlySpan<int> at, int samples, int e, ref double packed)
    {
        var r0 = Row(ref source, at, samples, 0, e);
        var r1 = Row(ref source, at, samples, 1, e);
        var r2 = Row(ref source, at, samples, 2, e);
        var r3 = Row(ref source, at, samples, 3, e);
        var r4 = Row(ref source, at, samples, 4, e);
        var r5 = Row(ref source, at, samples, 5, e);
        var r6 = Row(ref source, at, samples, 6, e);
        var r7 = Row(ref source, at, samples, 7, e);
        // t: (r0[0], r1[0], r0[2], r1[2], …) and (r0[1], r1[1], r0[3], r1[3], …), likewise for each pair of rows
        var t0 = Avx512F.UnpackLow(r0, r1);
        var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3);
        var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5);
        var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7);
        var t7 = Avx512F.UnpackHigh(r6, r7);
        // u: even 128-bit lanes (0x88) or odd ones (0xDD) of two t's: four rows' elements j and j + 4
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88);
        var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88);
        var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);
        // columns: element j of the 8 rows
        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref packed);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref packed, PackWidth);
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref packed, 2 * PackWidth);
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref packed, 3 * PackWidth);
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref packed, 4 * PackWidth);
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref packed, 5 * PackWidth);
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref packed, 6 * PackWidth);
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref packed, 7 * PackWidth);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Row(ref double source, ReadOnlySpan<int> at, int samples, int i, int e) =>
        i < samples ? Vector512.LoadUnsafe(ref source, (nuint)(at[i] + e)) : Vector512<double>.Zero;

    /// <summary>8 rows × up to 16 packed samples: results[q·resultStride + b] (+)= Σₑ row q[e]·packed[e·16 + b].</summary>
    private static void EightRowsPackedSamples(ReadOnlySpan<double> matrix, int firstRowStart, int rowStride, ReadOnlySpan<double> packed, int panel,
        Span<double> results, int resultStride, int count, bool first, Span<double> sums)
    {
        ref double w = ref Unsafe.Add(ref MemoryMarshal.GetReference(matrix), firstRowStart);
        ref double p = ref MemoryMarshal.GetReference(packed);
        nint s = rowStride;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<double> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int e = 0; e < panel; e++)
        {
            var x = Vector512.LoadUnsafe(ref p, (nuint)(e * PackWidth));
            var y = Vector512.LoadUnsafe(ref p, (nuint)(e * PackWidth + 8));
            ref double we = ref Unsafe.Add(ref w, e);
            var c = Vector512.Create(we);
            a0 = MultiplyAdd(c, x, a0);
            b0 = MultiplyAdd(c, y, b0);
            c = Vector512.Create(Unsafe.Add(ref we, s));
            a1 = MultiplyAdd(c, x, a1);
            b1 = MultiplyAdd(c, y, b1);
            c = Vector512.Create(Unsafe.Add(ref we, 2 * s));
            a2 = MultiplyAdd(c, x, a2);
            b2 = MultiplyAdd(c, y, b2);
            c = Vector512.Create(Unsafe.Add(ref we, 3 * s));
            a3 = MultiplyAdd(c, x, a3);
            b3 = MultiplyAdd(c, y, b3);
            c = Vector512.Create(Unsafe.Add(ref we, 4 * s));
            a4 = MultiplyAdd(c, x, a4);
            b4 = MultiplyAdd(c, y, b4);
            c = Vector512.Create(Unsafe.Add(ref we, 5 * s));
            a5 = MultiplyAdd(c, x, a5);
            b5 = MultiplyAdd(c, y, b5);
            c = Vector512.Create(Unsafe.Add(ref we, 6 * s));
            a6 = MultiplyAdd(c, x, a6);
            b6 = MultiplyAdd(c, y, b6);
            c = Vector512.Create(Unsafe.Add(ref we, 7 * s));
            a7 = MultiplyAdd(c, x, a7);
            b7 = MultiplyAdd(c, y, b7);
        }

        // the sums leave the registers through the caller's buffer before any call: a call made while they are
        // live (even the zeroing of a stackalloc) would make the JIT keep them on the stack inside the loop
        ref double t = ref MemoryMarshal.GetReference(sums);
        a0.StoreUnsafe(ref t);
        b0.StoreUnsafe(ref t, 8);
        a1.StoreUnsafe(ref t, 16);
        b1.StoreUnsafe(ref t, 24);
        a2.StoreUnsafe(ref t, 32);
        b2.StoreUnsafe(ref t, 40);
        a3.StoreUnsafe(ref t, 48);
        b3.StoreUnsafe(ref t, 56);
        a4.StoreUnsafe(ref t, 64);
        b4.StoreUnsafe(ref t, 72);
        a5.StoreUnsafe(ref t, 80);
        b5.StoreUnsafe(ref t, 88);
        a6.StoreUnsafe(ref t, 96);
        b6.StoreUnsafe(ref t, 104);
        a7.StoreUnsafe(ref t, 112);
        b7.StoreUnsafe(ref t, 120);
        for (int q = 0; q < TileRows; q++)
        {
            // written by the first panel, added to by the later ones
            var row = results.Slice(q * resultStride, count);
            var sum = sums.Slice(q * PackWidth, count);
            if (first)
            {
                sum.CopyTo(row);
            }
            else
            {
                for (int b = 0; b < count; b++)
                {
                    row[b] += sum[b];
                }
            }
        }
    }

    /// <summary>
    /// Eight destination rows += their scales times each sample, three chunks of each row at a time: per sample,
    /// 3 source loads and 8 scale broadcasts feed 24 fused multiply-adds into accumulators that stay in registers
    /// for the whole block. The columns left over (fewer than 24) go to <see cref="AddToFourRows"/>.
    /// </summary>
    private static void AddToEightRows(Span<double> destination, int firstRowStart, int rowStride, ReadOnlySpan<double> scales, int scaleStride,
        ReadOnlySpan<double> source, ReadOnlySpan<int> starts, int length)
    {
        const int Width = 8; // Vector512<double>.Count
        ref double d = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), firstRowStart);
        ref double c = ref MemoryMarshal.GetReference(scales);
        ref double x = ref MemoryMarshal.GetReference(source);
        ref int start = ref MemoryMarshal.GetReference(starts);
        // every index below was checked by the caller: no bounds checks in the inner loop
        nint s = rowStride;
        nint cs = scaleStride;
        int count = starts.Length;
        int k = 0;
        for (; k <= length - 3 * Width; k += 3 * Width)
        {
            ref double dk = ref Unsafe.Add(ref d, k);
            Load3(ref dk, out var a00, out var a01, out var a02);
            Load3(ref Unsafe.Add(ref dk, s), out var a10, out var a11, out var a12);
            Load3(ref Unsafe.Add(ref dk, 2 * s), out var a20, out var a21, out var a22);
            Load3(ref Unsafe.Add(ref dk, 3 * s), out var a30, out var a31, out var a32);
            Load3(ref Unsafe.Add(ref dk, 4 * s), out var a40, out var a41, out var a42);
            Load3(ref Unsafe.Add(ref dk, 5 * s), out var a50, out var a51, out var a52);
            Load3(ref Unsafe.Add(ref dk, 6 * s), out var a60, out var a61, out var a62);
            Load3(ref Unsafe.Add(ref dk, 7 * s), out var a70, out var a71, out var a72);
            for (int b = 0; b < count; b++)
            {
                ref double xb = ref Unsafe.Add(ref x, Unsafe.Add(ref start, b) + k);
                Load3(ref xb, out var v0, out var v1, out var v2);
                ref double cb = ref Unsafe.Add(ref c, b);
                var q = Vector512.Create(cb);
                a00 = MultiplyAdd(q, v0, a00);
                a01 = MultiplyAdd(q, v1, a01);
                a02 = MultiplyAdd(q, v2, a02);
                q = Vector512.Create(Unsafe.Add(ref cb, cs));
                a10 = MultiplyAdd(q, v0, a10);
                a11 = MultiplyAdd(q, v1, a11);
                a12 = MultiplyAdd(q, v2, a12);
                q = Vector512.Create(Unsafe.Add(ref cb, 2 * cs));
                a20 = MultiplyAdd(q, v0, a20);
                a21 = MultiplyAdd(q, v1, a21);
                a22 = MultiplyAdd(q, v2, a22);
                q = Vector512.Create(Unsafe.Add(ref cb, 3 * cs));
                a30 = MultiplyAdd(q, v0, a30);
                a31 = MultiplyAdd(q, v1, a31);
                a32 = MultiplyAdd(q, v2, a32);
                q = Vector512.Create(Unsafe.Add(ref cb, 4 * cs));
                a40 = MultiplyAdd(q, v0, a40);
                a41 = MultiplyAdd(q, v1, a41);
                a42 = MultiplyAdd(q, v2, a42);
                q = Vector512.Create(Unsafe.Add(ref cb, 5 * cs));
                a50 = MultiplyAdd(q, v0, a50);
                a51 = MultiplyAdd(q, v1, a51);
                a52 = MultiplyAdd(q, v2, a52);
                q = Vector512.Create(Unsafe.Add(ref cb, 6 * cs));
                a60 = MultiplyAdd(q, v0, a60);
                a61 = MultiplyAdd(q, v1, a61);
                a62 = MultiplyAdd(q, v2, a62);
                q = Vector512.Create(Unsafe.Add(ref cb, 7 * cs));
                a70 = MultiplyAdd(q, v0, a70);
                a71 = MultiplyAdd(q, v1, a71);
                a72 = MultiplyAdd(q, v2, a72);
            }

            Store3(ref dk, a00, a01, a02);
            Store3(ref Unsafe.Add(ref dk, s), a10, a11, a12);
            Store3(ref Unsafe.Add(ref dk, 2 * s), a20, a21, a22);
            Store3(ref Unsafe.Add(ref dk, 3 * s), a30, a31, a32);
            Store3(ref Unsafe.Add(ref dk, 4 * s), a40, a41, a42);
            Store3(ref Unsafe.Add(ref dk, 5 * s), a50, a51, a52);
            Store3(ref Unsafe.Add(ref dk, 6 * s), a60, a61, a62);
            Store3(ref Unsafe.Add(ref dk, 7 * s), a70, a71, a72);
        }

        if (k < length)
        {
            // the last columns of the eight rows, as two groups of four rows over the source from column k on
            var rest = source.Slice(k);
            AddToFourRows(destination, firstRowStart + k, rowStride, scales, scaleStride, rest, starts, length - k);
            AddToFourRows(destination, firstRowStart + 4 * rowStride + k, rowStride, scales.Slice(4 * scaleStride), scaleStride, rest, starts, length - k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load3(ref double at, out Vector512<double> first, out Vector512<double> second, out Vector512<double> third)
    {
        first = Vector512.LoadUnsafe(ref at);
        second = Vector512.LoadUnsafe(ref at, 8);
        third = Vector512.LoadUnsafe(ref at, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3(ref double at, Vector512<double> first, Vector512<double> second, Vector512<double> third)
    {
        first.StoreUnsafe(ref at);
        second.StoreUnsafe(ref at, 8);
        third.StoreUnsafe(ref at, 16);
    }

    /// <summary>Four destination rows += their scales times each sample: every source chunk loaded once for four rows.</summary>
    private static void AddToFourRows(Span<double> destination, int firstRowStart, int rowStride, ReadOnlySpan<double> scales, int scaleStride,
        ReadOnlySpan<double> source, ReadOnlySpan<int> starts, int length)
    {
        ref double d0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), firstRowStart);
        ref double d1 = ref Unsafe.Add(ref d0, rowStride);
        ref double d2 = ref Unsafe.Add(ref d1, rowStride);
        ref double d3 = ref Unsafe.Add(ref d2, rowStride);
        ref double x = ref MemoryMarshal.GetReference(source);
        // every index below was checked by the caller: no bounds checks in the inner loop
        ref double c0 = ref MemoryMarshal.GetReference(scales);
        ref double c1 = ref Unsafe.Add(ref c0, scaleStride);
        ref double c2 = ref Unsafe.Add(ref c1, scaleStride);
        ref double c3 = ref Unsafe.Add(ref c2, scaleStride);
        ref int start = ref MemoryMarshal.GetReference(starts);
        int count = starts.Length;
        int k = 0;
        const int Width = 8; // Vector512<double>.Count
        // two chunks of each row at a time: per sample, 2 source loads and 4 scale broadcasts feed 8 fused multiply-adds
        for (; k <= length - 2 * Width; k += 2 * Width)
        {
            var s0 = Vector512.LoadUnsafe(ref d0, (nuint)k);
            var s1 = Vector512.LoadUnsafe(ref d1, (nuint)k);
            var s2 = Vector512.LoadUnsafe(ref d2, (nuint)k);
            var s3 = Vector512.LoadUnsafe(ref d3, (nuint)k);
            var t0 = Vector512.LoadUnsafe(ref d0, (nuint)(k + Width));
            var t1 = Vector512.LoadUnsafe(ref d1, (nuint)(k + Width));
            var t2 = Vector512.LoadUnsafe(ref d2, (nuint)(k + Width));
            var t3 = Vector512.LoadUnsafe(ref d3, (nuint)(k + Width));
            for (int b = 0; b < count; b++)
            {
                nuint at = (nuint)(Unsafe.Add(ref start, b) + k);
                var v = Vector512.LoadUnsafe(ref x, at);
                var w = Vector512.LoadUnsafe(ref x, at + Width);
                var a0 = Vector512.Create(Unsafe.Add(ref c0, b));
                var a1 = Vector512.Create(Unsafe.Add(ref c1, b));
                var a2 = Vector512.Create(Unsafe.Add(ref c2, b));
                var a3 = Vector512.Create(Unsafe.Add(ref c3, b));
                (s0, s1, s2, s3) = (MultiplyAdd(a0, v, s0), MultiplyAdd(a1, v, s1), MultiplyAdd(a2, v, s2), MultiplyAdd(a3, v, s3));
                (t0, t1, t2, t3) = (MultiplyAdd(a0, w, t0), MultiplyAdd(a1, w, t1), MultiplyAdd(a2, w, t2), MultiplyAdd(a3, w, t3));
            }

            s0.StoreUnsafe(ref d0, (nuint)k);
            s1.StoreUnsafe(ref d1, (nuint)k);
            s2.StoreUnsafe(ref d2, (nuint)k);
            s3.StoreUnsafe(ref d3, (nuint)k);
            t0.StoreUnsafe(ref d0, (nuint)(k + Width));
            t1.StoreUnsafe(ref d1, (nuint)(k + Width));
            t2.StoreUnsafe(ref d2, (nuint)(k + Width));
            t3.StoreUnsafe(ref d3, (nuint)(k + Width));
        }

        for (; k <= length - Width; k += Width)
        {
            var s0 = Vector512.LoadUnsafe(ref d0, (nuint)k);
            var s1 = Vector512.LoadUnsafe(ref d1, (nuint)k);
            var s2 = Vector512.LoadUnsafe(ref d2, (nuint)k);
            var s3 = Vector512.LoadUnsafe(ref d3, (nuint)k);
            for (int b = 0; b < count; b++)
            {
                var v = Vector512.LoadUnsafe(ref x, (nuint)(Unsafe.Add(ref start, b) + k));
                s0 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref c0, b)), v, s0);
                s1 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref c1, b)), v, s1);
                s2 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref c2, b)), v, s2);
                s3 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref c3, b)), v, s3);
            }

            s0.StoreUnsafe(ref d0, (nuint)k);
            s1.StoreUnsafe(ref d1, (nuint)k);
            s2.StoreUnsafe(ref d2, (nuint)k);
            s3.StoreUnsafe(ref d3, (nuint)k);
        }

        for (; k < length; k++)
        {
            for (int r = 0; r < RowGroup; r++)
            {
                double sum = Unsafe.Add(ref d0, r * rowStride + k);
                for (int b = 0; b < count; b++)
                {
                    sum += scales[r * scaleStride + b] * Unsafe.Add(ref x, starts[b] + k);
                }

                Unsafe.Add(ref d0, r * rowStride + k) = sum;
            }
        }
    }

#if NET9_0_OR_GREATER
    private static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> sum) => Vector512.FusedMultiplyAdd(x, y, sum);
#else
    private static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> sum) => sum + x * y;
#endif
#endif
}
