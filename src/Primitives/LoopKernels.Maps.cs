#if NET
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET10_0_OR_GREATER
using System.Numerics.Tensors;
#endif

namespace DiffGen.Expr;

/// <summary>
/// What the vectorized element-wise loops of generated code call: lanes of a slice loaded and stored, and
/// the functions a map applies over a whole slice in place (<c>TensorPrimitives</c> on .NET 10; within 1e−12
/// relative of <see cref="Math"/>'s, as the tests check).
/// </summary>
public static partial class LoopKernels
{
    /// <summary>How many elements one vector of lanes holds.</summary>
    public static int Lanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector<double>.Count;
    }

    /// <summary>The lanes source[start …], bounds-checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Load(ReadOnlySpan<double> source, int start) => new(source.Slice(start, Vector<double>.Count));

    /// <summary>Writes the lanes to destination[start …], bounds-checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<double> lanes, Span<double> destination, int start) => lanes.CopyTo(destination.Slice(start, Vector<double>.Count));

    /// <summary>d[k] = eᵈ⁽ᵏ⁾ over destination[start … start + length).</summary>
    public static void ExpInPlace(Span<double> destination, int start, int length)
    {
        if (length <= 0)
        {
            return;
        }

        var d = destination.Slice(start, length);
#if NET10_0_OR_GREATER
        TensorPrimitives.Exp(d, d);
#else
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = Math.Exp(d[i]);
        }
#endif
    }

#if NET10_0_OR_GREATER
    private const int TanhChunk = 128;
    private const double SmallTanh = 1e-3;
#endif

    /// <summary>d[k] = tanh d[k] over destination[start … start + length).</summary>
    public static void TanhInPlace(Span<double> destination, int start, int length)
    {
        if (length <= 0)
        {
            return;
        }

        var d = destination.Slice(start, length);
#if NET10_0_OR_GREATER
        // TensorPrimitives.Tanh loses relative accuracy below |x| ≈ 3e−5 (it returns −0 for 1e−300): those take Math.Tanh
        Span<double> inputs = stackalloc double[TanhChunk];
        for (int at = 0; at < d.Length; at += TanhChunk)
        {
            var part = d.Slice(at, Math.Min(TanhChunk, d.Length - at));
            var copy = inputs.Slice(0, part.Length);
            part.CopyTo(copy);
            TensorPrimitives.Tanh(copy, part);
            for (int i = 0; i < copy.Length; i++)
            {
                if (Math.Abs(copy[i]) < SmallTanh)
                {
                    part[i] = Math.Tanh(copy[i]);
                }
            }
        }
#else
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = Math.Tanh(d[i]);
        }
#endif
    }

    /// <summary>d[k] = log d[k] over destination[start … start + length).</summary>
    public static void LogInPlace(Span<double> destination, int start, int length)
    {
        if (length <= 0)
        {
            return;
        }

        var d = destination.Slice(start, length);
#if NET10_0_OR_GREATER
        TensorPrimitives.Log(d, d);
#else
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = Math.Log(d[i]);
        }
#endif
    }
}
#endif
