using System;
#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif

namespace DiffGen.Expr;

/// <summary>
/// The kernels of a batch loop run a block of samples at a time: a layer's rows against a block of samples
/// (a matrix–matrix product) and a block of outer products added to a weight gradient. Rows are
/// <c>firstRowStart + r·rowStride</c>; samples are slices of one source at <c>sourceStarts[b]</c>. On hardware
/// with 512-bit vectors they work on 4 rows at a time so that each load feeds several fused multiply-adds;
/// elsewhere they run row by row. Sums are reassociated (vector lanes, fused multiply-adds): equal to the
/// scalar loops to rounding, not to the bit.
/// </summary>
public static partial class LoopKernels
{
    private const int RowGroup = 4;

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
        if (Vector512.IsHardwareAccelerated)
        {
            for (; r + RowGroup <= rows; r += RowGroup)
            {
                int b = 0;
                for (; b + 4 <= count; b += 4)
                {
                    FourRowsFourSamples(matrix, firstRowStart + r * rowStride, rowStride, source, sourceStarts.Slice(b, 4), results.Slice(r * resultStride + b), resultStride, length);
                }

                for (; b < count; b++)
                {
                    for (int q = 0; q < RowGroup; q++)
                    {
                        results[(r + q) * resultStride + b] = Dot(matrix, firstRowStart + (r + q) * rowStride, source, sourceStarts[b], length);
                    }
                }
            }
        }
#endif
        for (; r < rows; r++)
        {
            for (int b = 0; b < count; b++)
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
                for (int k = 0; k < length; k++)
                {
                    d[k] += scale * x[k];
                }
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
    /// <summary>16 dot products: four rows against four samples, each loaded chunk feeding four fused multiply-adds.</summary>
    private static void FourRowsFourSamples(ReadOnlySpan<double> matrix, int firstRowStart, int rowStride, ReadOnlySpan<double> source,
        ReadOnlySpan<int> starts, Span<double> results, int resultStride, int length)
    {
        ref double w0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(matrix), firstRowStart);
        ref double w1 = ref Unsafe.Add(ref w0, rowStride);
        ref double w2 = ref Unsafe.Add(ref w1, rowStride);
        ref double w3 = ref Unsafe.Add(ref w2, rowStride);
        ref double x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), starts[0]);
        ref double x1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), starts[1]);
        ref double x2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), starts[2]);
        ref double x3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), starts[3]);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<double> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int k = 0;
        for (; k <= length - Vector512<double>.Count; k += Vector512<double>.Count)
        {
            var a = Vector512.LoadUnsafe(ref x0, (nuint)k);
            var b = Vector512.LoadUnsafe(ref x1, (nuint)k);
            var c = Vector512.LoadUnsafe(ref x2, (nuint)k);
            var d = Vector512.LoadUnsafe(ref x3, (nuint)k);
            var w = Vector512.LoadUnsafe(ref w0, (nuint)k);
            (s00, s01, s02, s03) = (MultiplyAdd(w, a, s00), MultiplyAdd(w, b, s01), MultiplyAdd(w, c, s02), MultiplyAdd(w, d, s03));
            w = Vector512.LoadUnsafe(ref w1, (nuint)k);
            (s10, s11, s12, s13) = (MultiplyAdd(w, a, s10), MultiplyAdd(w, b, s11), MultiplyAdd(w, c, s12), MultiplyAdd(w, d, s13));
            w = Vector512.LoadUnsafe(ref w2, (nuint)k);
            (s20, s21, s22, s23) = (MultiplyAdd(w, a, s20), MultiplyAdd(w, b, s21), MultiplyAdd(w, c, s22), MultiplyAdd(w, d, s23));
            w = Vector512.LoadUnsafe(ref w3, (nuint)k);
            (s30, s31, s32, s33) = (MultiplyAdd(w, a, s30), MultiplyAdd(w, b, s31), MultiplyAdd(w, c, s32), MultiplyAdd(w, d, s33));
        }

        Span<double> sums = stackalloc double[16]
        {
            Vector512.Sum(s00), Vector512.Sum(s01), Vector512.Sum(s02), Vector512.Sum(s03),
            Vector512.Sum(s10), Vector512.Sum(s11), Vector512.Sum(s12), Vector512.Sum(s13),
            Vector512.Sum(s20), Vector512.Sum(s21), Vector512.Sum(s22), Vector512.Sum(s23),
            Vector512.Sum(s30), Vector512.Sum(s31), Vector512.Sum(s32), Vector512.Sum(s33),
        };
        for (; k < length; k++)
        {
            for (int r = 0; r < RowGroup; r++)
            {
                double w = Unsafe.Add(ref w0, r * rowStride + k);
                sums[4 * r] += w * Unsafe.Add(ref x0, k);
                sums[4 * r + 1] += w * Unsafe.Add(ref x1, k);
                sums[4 * r + 2] += w * Unsafe.Add(ref x2, k);
                sums[4 * r + 3] += w * Unsafe.Add(ref x3, k);
            }
        }

        for (int r = 0; r < RowGroup; r++)
        {
            sums.Slice(4 * r, 4).CopyTo(results.Slice(r * resultStride, 4));
        }
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
