using System;
using DiffGen.Expr;

namespace DiffGen.Numerics;

/// <summary>
/// A scratch span from <see cref="ScratchPool"/> for the values a generated vector-Jacobian product
/// recomputes and the caller does not keep; <see cref="Dispose"/> returns it, so a backward pass does not allocate.
/// </summary>
internal readonly ref struct PooledScratch
{
    private readonly double[] _array;

    public PooledScratch(int length)
    {
        _array = ScratchPool.Rent<double>(length);
        Span = _array.AsSpan(0, length);
    }

    public Span<double> Span { get; }

    public void Dispose() => ScratchPool.Return(_array);
}
