using System;
#if NET10_0_OR_GREATER
using System.Numerics.Tensors;
#endif

namespace DiffGen.Expr;

/// <summary>
/// The loops generated code calls in place of the scalar loops it recognizes (a dot product, an
/// axpy), over slices given as start and length. On .NET 10 each is one vectorized
/// <c>TensorPrimitives</c> call; older targets run the loop.
/// </summary>
public static partial class LoopKernels
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
}
