using System;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>The value stack of generated reverse sweeps: last in, first out across growth, a clear error when misused, no allocation in steady state.</summary>
public class ValueStackTests
{
    [Fact]
    public void Values_come_back_in_reverse_order_across_growth()
    {
        // 10,000 values: the buffer starts at 256 and doubles six times on the way
        var stack = new ValueStack();
        for (int i = 0; i < 10_000; i++)
        {
            stack.Push(i * 0.5);
        }

        Assert.Equal(10_000, stack.Count);
        for (int i = 9_999; i >= 0; i--)
        {
            Assert.Equal(i * 0.5, stack.Pop());
        }

        Assert.Equal(0, stack.Count);
        stack.Dispose();
    }

    [Fact]
    public void Popping_more_than_was_pushed_is_an_error_that_says_so()
    {
        var stack = new ValueStack();
        Assert.Contains("empty", Assert.Throws<InvalidOperationException>(() => stack.Pop()).Message, StringComparison.Ordinal);
        stack.Push(1.0);
        Assert.Equal(1.0, stack.Pop());
        Assert.Throws<InvalidOperationException>(() => stack.Pop());
        stack.Dispose();
    }

    [Fact]
    public void A_sweep_after_the_first_allocates_nothing()
    {
        static double Sweep()
        {
            var stack = new ValueStack();
            for (int i = 0; i < 5_000; i++)
            {
                stack.Push(i);
            }

            double sum = 0;
            while (stack.Count > 0)
            {
                sum += stack.Pop();
            }

            stack.Dispose();
            return sum;
        }

        Assert.Equal(4999.0 * 5000 / 2, Sweep());
        long before = GC.GetAllocatedBytesForCurrentThread();
        double again = Sweep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4999.0 * 5000 / 2, again);
    }
}
