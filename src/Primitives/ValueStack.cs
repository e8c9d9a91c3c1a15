#if NET
using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace DiffGen.Expr;

/// <summary>
/// The value stack of generated reverse sweeps: the forward sweep pushes what it overwrites, the reverse
/// sweep pops it back. Storage is rented from <see cref="ArrayPool{T}.Shared"/> and returned by
/// <see cref="Dispose"/>, so a gradient call allocates nothing once the pool is warm. A mutable struct:
/// keep it in a local and call it directly.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a stack: Push and Pop, last in first out.")]
public struct ValueStack : IDisposable
{
    private double[]? _buffer;
    private int _count;

    /// <summary>Number of values on the stack.</summary>
    public readonly int Count => _count;

    /// <summary>Saves a value.</summary>
    public void Push(double value)
    {
        if (_buffer is null || _count == _buffer.Length)
        {
            Grow();
        }

        _buffer![_count++] = value;
    }

    /// <summary>Takes back the most recently saved value.</summary>
    public double Pop()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The value stack is empty: a reverse sweep popped more than its forward sweep pushed.");
        }

        return _buffer![--_count];
    }

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<double>.Shared.Return(_buffer);
            _buffer = null;
        }

        _count = 0;
    }

    private void Grow()
    {
        var bigger = ArrayPool<double>.Shared.Rent(_buffer is null ? 256 : _buffer.Length * 2);
        if (_buffer is not null)
        {
            Array.Copy(_buffer, bigger, _count);
            ArrayPool<double>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
#endif
