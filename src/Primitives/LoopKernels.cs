using System;
#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif
#if NET10_0_OR_GREATER
using System.Numerics.Tensors;
#endif

namespace DiffGen.Expr;

/// <summary>
/// The loops generated code calls in place of the scalar loops it recognizes (a dot product, an
/// axpy), over slices given as start and length. On .NET 10 each is one vectorized
/// <c>TensorPrimitives</c> call; older targets run the loop.
/// </summary>
public static class LoopKernels
{
    /// <summary>Σₖ x[xStart + k]·y[yStart + k] for k below <paramref name="length"/>. Sums in vector lanes, so the result may differ from a sequential sum by rounding.</summary>
    public static double Dot(ReadOnlySpan<double> x, int xStart, ReadOnlySpan<double> y, int yStart, int length)
    {
        if (length <= 0)
        {
            return 0.0;
        }

        var a = x.Slice(xStart, length);
        var b = y.Slice(yStart, length);
#if NET10_0_OR_GREATER
        return TensorPrimitives.Dot(a, b);
#else
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
#endif
    }

    /// <summary>
    /// destination[destinationStart + k] += scale·source[sourceStart + k] for k below <paramref name="length"/>:
    /// the same products and sums as the scalar loop, bit for bit. Nothing to do when scale is 0 (an adjoint
    /// that is exactly zero, as behind a dead ReLU, adds nothing).
    /// </summary>
    public static void AddScaled(Span<double> destination, int destinationStart, double scale, ReadOnlySpan<double> source, int sourceStart, int length)
    {
        if (length <= 0 || scale == 0.0)
        {
            return;
        }

        var d = destination.Slice(destinationStart, length);
        var s = source.Slice(sourceStart, length);
#if NET10_0_OR_GREATER
        TensorPrimitives.MultiplyAdd(s, scale, d, d);
#else
        for (int i = 0; i < s.Length; i++)
        {
            d[i] += scale * s[i];
        }
#endif
    }

    /// <summary>
    /// destination[destinationStart + k] += Σ_b scales[b]·source[sourceStarts[b] + k] for k below
    /// <paramref name="length"/>, the terms added in the order b = 0, 1, …: the same sums, bit for bit, as one
    /// <see cref="AddScaled"/> per term, but each element of the destination is loaded and stored once. Generated
    /// code calls it to apply a batch's deferred row updates (a weight gradient's rank-b update) while the row
    /// is hot. Zero scales are skipped, as <see cref="AddScaled"/> skips them.
    /// </summary>
    public static void AddScaledSum(Span<double> destination, int destinationStart, ReadOnlySpan<double> scales, ReadOnlySpan<double> source, ReadOnlySpan<int> sourceStarts, int length)
    {
        if (sourceStarts.Length < scales.Length)
        {
            throw new ArgumentException("Every scale needs a source start.", nameof(sourceStarts));
        }

        if (length <= 0)
        {
            return;
        }

        var d = destination.Slice(destinationStart, length);
#if NET8_0_OR_GREATER
        // The non-zero terms, a few at a time: one pass over the destination row per group.
        const int Group = 16;
        Span<double> groupScales = stackalloc double[Group];
        Span<int> groupStarts = stackalloc int[Group];
        int b = 0;
        while (b < scales.Length)
        {
            int terms = 0;
            for (; b < scales.Length && terms < Group; b++)
            {
                if (scales[b] != 0.0)
                {
                    _ = source.Slice(sourceStarts[b], length);
                    groupScales[terms] = scales[b];
                    groupStarts[terms++] = sourceStarts[b];
                }
            }

            AddTerms(d, groupScales.Slice(0, terms), source, groupStarts.Slice(0, terms));
        }
#else
        for (int b = 0; b < scales.Length; b++)
        {
            double scale = scales[b];
            if (scale == 0.0)
            {
                continue;
            }

            var s = source.Slice(sourceStarts[b], length);
            for (int k = 0; k < length; k++)
            {
                d[k] += scale * s[k];
            }
        }
#endif
    }

    /// <summary>
    /// results[b] = Σₖ row[rowStart + k]·source[sourceStarts[b] + k] for k below <paramref name="length"/>: one row
    /// against a block of slices, the row loaded once for several of them (a matrix–matrix product's inner loop).
    /// Generated code calls it to compute a layer's pre-activations for a block of samples. Sums in vector lanes,
    /// as <see cref="Dot"/> does, so each result may differ from a sequential sum by rounding.
    /// </summary>
    public static void Dots(ReadOnlySpan<double> row, int rowStart, ReadOnlySpan<double> source, ReadOnlySpan<int> sourceStarts, Span<double> results, int length)
    {
        if (results.Length < sourceStarts.Length)
        {
            throw new ArgumentException("Every source start needs a result.", nameof(results));
        }

        int b = 0;
#if NET8_0_OR_GREATER
        if (length > 0 && Vector256.IsHardwareAccelerated)
        {
            var r = row.Slice(rowStart, length);
            for (; b + 4 <= sourceStarts.Length; b += 4)
            {
                Dots4(r, source.Slice(sourceStarts[b], length), source.Slice(sourceStarts[b + 1], length),
                    source.Slice(sourceStarts[b + 2], length), source.Slice(sourceStarts[b + 3], length), results.Slice(b, 4));
            }
        }
#endif
        for (; b < sourceStarts.Length; b++)
        {
            results[b] = Dot(row, rowStart, source, sourceStarts[b], length);
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>d[k] += Σ_t scales[t]·source[starts[t] + k], every slice already checked to lie inside source.</summary>
    private static void AddTerms(Span<double> d, ReadOnlySpan<double> scales, ReadOnlySpan<double> source, ReadOnlySpan<int> starts)
    {
        if (scales.Length == 0)
        {
            return;
        }

        ref double destination = ref MemoryMarshal.GetReference(d);
        ref double sourceStart = ref MemoryMarshal.GetReference(source);
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k <= d.Length - Vector512<double>.Count; k += Vector512<double>.Count)
            {
                var sum = Vector512.LoadUnsafe(ref destination, (nuint)k);
                for (int t = 0; t < scales.Length; t++)
                {
                    // multiply then add, not fused: the same roundings as the scalar loop
                    sum += Vector512.Create(scales[t]) * Vector512.LoadUnsafe(ref sourceStart, (nuint)(starts[t] + k));
                }

                sum.StoreUnsafe(ref destination, (nuint)k);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= d.Length - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref destination, (nuint)k);
                for (int t = 0; t < scales.Length; t++)
                {
                    sum += Vector256.Create(scales[t]) * Vector256.LoadUnsafe(ref sourceStart, (nuint)(starts[t] + k));
                }

                sum.StoreUnsafe(ref destination, (nuint)k);
            }
        }

        for (; k < d.Length; k++)
        {
            double sum = Unsafe.Add(ref destination, k);
            for (int t = 0; t < scales.Length; t++)
            {
                sum += scales[t] * Unsafe.Add(ref sourceStart, starts[t] + k);
            }

            Unsafe.Add(ref destination, k) = sum;
        }
    }

    /// <summary>Four dot products of one row, the row's chunk loaded once for all four.</summary>
    private static void Dots4(ReadOnlySpan<double> row, ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> x3, Span<double> results)
    {
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double a = ref MemoryMarshal.GetReference(x0);
        ref double b = ref MemoryMarshal.GetReference(x1);
        ref double c = ref MemoryMarshal.GetReference(x2);
        ref double d = ref MemoryMarshal.GetReference(x3);
        int k = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> v0 = default, v1 = default, v2 = default, v3 = default;
            for (; k <= row.Length - Vector512<double>.Count; k += Vector512<double>.Count)
            {
                var w = Vector512.LoadUnsafe(ref r, (nuint)k);
                v0 = MultiplyAdd(w, Vector512.LoadUnsafe(ref a, (nuint)k), v0);
                v1 = MultiplyAdd(w, Vector512.LoadUnsafe(ref b, (nuint)k), v1);
                v2 = MultiplyAdd(w, Vector512.LoadUnsafe(ref c, (nuint)k), v2);
                v3 = MultiplyAdd(w, Vector512.LoadUnsafe(ref d, (nuint)k), v3);
            }

            (s0, s1, s2, s3) = (Vector512.Sum(v0), Vector512.Sum(v1), Vector512.Sum(v2), Vector512.Sum(v3));
        }
        else
        {
            Vector256<double> v0 = default, v1 = default, v2 = default, v3 = default;
            for (; k <= row.Length - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                var w = Vector256.LoadUnsafe(ref r, (nuint)k);
                v0 = MultiplyAdd(w, Vector256.LoadUnsafe(ref a, (nuint)k), v0);
                v1 = MultiplyAdd(w, Vector256.LoadUnsafe(ref b, (nuint)k), v1);
                v2 = MultiplyAdd(w, Vector256.LoadUnsafe(ref c, (nuint)k), v2);
                v3 = MultiplyAdd(w, Vector256.LoadUnsafe(ref d, (nuint)k), v3);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(v0), Vector256.Sum(v1), Vector256.Sum(v2), Vector256.Sum(v3));
        }

        for (; k < row.Length; k++)
        {
            double w = Unsafe.Add(ref r, k);
            s0 += w * Unsafe.Add(ref a, k);
            s1 += w * Unsafe.Add(ref b, k);
            s2 += w * Unsafe.Add(ref c, k);
            s3 += w * Unsafe.Add(ref d, k);
        }

        results[0] = s0;
        results[1] = s1;
        results[2] = s2;
        results[3] = s3;
    }

#if NET9_0_OR_GREATER
    private static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> sum) => Vector512.FusedMultiplyAdd(x, y, sum);

    private static Vector256<double> MultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> sum) => Vector256.FusedMultiplyAdd(x, y, sum);
#else
    private static Vector512<double> MultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> sum) => sum + x * y;

    private static Vector256<double> MultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> sum) => sum + x * y;
#endif
#endif
}
