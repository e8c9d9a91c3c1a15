#if NET
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace DiffGen.Expr;

/// <summary>
/// The value stack of generated reverse sweeps: the forward sweep pushes what it overwrites, the reverse
/// sweep pops it back. Its storage comes from and goes back to <see cref="ScratchPool"/>, which keeps the
/// thread's largest arrays, so a gradient call allocates nothing in steady state. A mutable struct:
/// keep it in a local and call it directly.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a stack: Push and Pop, last in first out.")]
public struct ValueStack : IDisposable
{
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
            ScratchPool.Return(_buffer);
            _buffer = null;
        }

        _count = 0;
    }

    [DoesNotReturn]
    private static void ThrowEmpty() =>
        throw new InvalidOperationException("The value stack is empty: a reverse sweep popped more than its forward sweep pushed.");

    private static double[] Grow(double[]? buffer, int count)
    {
        var bigger = buffer is null ? ScratchPool.RentLargest<double>(256) : ScratchPool.Rent<double>(buffer.Length * 2);
        if (buffer is not null)
        {
            Array.Copy(buffer, bigger, count);
            ScratchPool.Return(buffer);
        }

        return bigger;
    }
}
#endif
