using System;
using System.Threading;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// The arrays generated code borrows: each thread keeps the largest it gave back, so a gradient's buffers and value
/// stack come back to it in steady state whatever the shared pool does under GC pressure.
/// </summary>
public class ScratchPoolTests
{
    /// <summary>Runs <paramref name="test"/> on a new thread, whose kept arrays are only the ones the test gives back.</summary>
    private static void OnFreshThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                test();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException(failure.ToString());
        }
    }

    [Fact]
    public void A_rent_takes_the_smallest_kept_array_that_fits() => OnFreshThread(() =>
    {
        var large = new double[4096];
        var small = new double[1024];
        ScratchPool.Return(large);
        ScratchPool.Return(small);

        Assert.Same(small, ScratchPool.Rent<double>(1000));
        Assert.Same(large, ScratchPool.Rent<double>(1000));
        ScratchPool.Return(small);
        ScratchPool.Return(large);
    });

    [Fact]
    public void A_growing_buffer_starts_from_the_largest_kept_array() => OnFreshThread(() =>
    {
        var large = new double[1 << 15];
        var small = new double[512];
        ScratchPool.Return(small);
        ScratchPool.Return(large);

        Assert.Same(large, ScratchPool.RentLargest<double>(256));
        Assert.Same(small, ScratchPool.Rent<double>(256));
        ScratchPool.Return(small);
        ScratchPool.Return(large);
    });

    [Fact]
    public void Kept_arrays_survive_full_collections_and_stay_with_their_thread() => OnFreshThread(() =>
    {
        var mine = new float[3000];
        ScratchPool.Return(mine);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        float[]? elsewhere = null;
        var other = new Thread(() => elsewhere = ScratchPool.Rent<float>(3000));
        other.Start();
        other.Join();
        Assert.NotSame(mine, elsewhere);
        Assert.Same(mine, ScratchPool.Rent<float>(3000));
        ScratchPool.Return(mine);
    });

    [Fact]
    public void Returning_null_names_the_argument() =>
        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => ScratchPool.Return<double>(null!)).ParamName);
}
