#if NET
using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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

    // Push, Pop and Dispose touch the fields only and call static helpers on their cold paths: inlined into a
    // generated sweep, the stack never has its address taken, so the JIT keeps the buffer and the count in registers.

    /// <summary>Saves a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        double[]? buffer = _buffer;
        int count = _count;
        if (buffer is null || (uint)count >= (uint)buffer.Length)
        {
            buffer = _buffer = Grow(buffer, count);
        }

        buffer[count] = value;
        _count = count + 1;
    }

    /// <summary>Takes back the most recently saved value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Pop()
    {
        double[]? buffer = _buffer;
        int count = _count - 1;
        if (buffer is null || (uint)count >= (uint)buffer.Length)
        {
            ThrowEmpty();
        }

        _count = count;
        return buffer![count];
    }

    /// <summary>Keeps the storage for this thread's next sweep, or returns it to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            Keep(_buffer);
            _buffer = null;
        }

        _count = 0;
    }

    private static void Keep(double[] buffer)
    {
        if (t_spare is null || t_spare.Length < buffer.Length)
        {
            if (t_spare is not null)
            {
                ArrayPool<double>.Shared.Return(t_spare);
            }

            t_spare = buffer;
        }
        else
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    [DoesNotReturn]
    private static void ThrowEmpty() =>
        throw new InvalidOperationException("The value stack is empty: a reverse sweep popped more than its forward sweep pushed.");

    private static double[] Grow(double[]? buffer, int count)
    {
        int needed = buffer is null ? 256 : buffer.Length * 2;
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

        if (buffer is not null)
        {
            Array.Copy(buffer, bigger, count);
            ArrayPool<double>.Shared.Return(buffer);
        }

        return bigger;
    }
}
#endif
