using System;
using System.Buffers;

namespace DiffGen.Numerics;

/// <summary>
/// A scratch span from <see cref="ArrayPool{T}.Shared"/> for the values a generated vector-Jacobian product
/// recomputes and the caller does not keep; <see cref="Dispose"/> returns it, so a backward pass does not allocate.
/// </summary>
internal readonly ref struct PooledScratch
{
    private readonly double[] _array;

    public PooledScratch(int length)
    {
        _array = ArrayPool<double>.Shared.Rent(length);
        Span = _array.AsSpan(0, length);
    }

    public Span<double> Span { get; }

    public void Dispose() => ArrayPool<double>.Shared.Return(_array);
}
