#if NET
using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace DiffGen.Expr;

/// <summary>
/// The value stack of generated reverse sweeps: the forward sweep pushes what it overwrites, the reverse
/// sweep pops it back. <see cref="Dispose"/> keeps the thread's largest buffer for the next sweep and returns
/// the rest to <see cref="ArrayPool{T}.Shared"/>, so a gradient call allocates nothing in steady state. A mutable struct:
/// keep it in a local and call it directly.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a stack: Push and Pop, last in first out.")]
public struct ValueStack : IDisposable
{
    // The largest buffer this thread's last sweep used, kept for the next one: steady-state calls allocate
    // nothing even when the shared pool trims its arrays under GC pressure (seen as a flaky 5 KB in CI).
    [ThreadStatic]
    private static double[]? t_spare;

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

    /// <summary>Keeps the storage for this thread's next sweep, or returns it to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            if (t_spare is null || t_spare.Length < _buffer.Length)
            {
                if (t_spare is not null)
                {
                    ArrayPool<double>.Shared.Return(t_spare);
                }

                t_spare = _buffer;
            }
            else
            {
                ArrayPool<double>.Shared.Return(_buffer);
            }

            _buffer = null;
        }

        _count = 0;
    }

    private void Grow()
    {
        int needed = _buffer is null ? 256 : _buffer.Length * 2;
        double[] bigger;
        if (t_spare is { } spare && spare.Length >= needed)
        {
            bigger = spare;
            t_spare = null;
        }
        else
        {
            bigger = ArrayPool<double>.Shared.Rent(needed);
        }

        if (_buffer is not null)
        {
            Array.Copy(_buffer, bigger, _count);
            ArrayPool<double>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
#endif
