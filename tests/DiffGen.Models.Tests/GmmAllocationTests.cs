using System;
using DiffGen.Models.Tests.Data;

namespace DiffGen.Models.Tests;

/// <summary>
/// Issue 11: BenchmarkDotNet once showed 44 B per call for the d=10, K=25 gradient (a process-wide count over few
/// calls per iteration); counted here on this thread over several calls of the benchmark's instance.
/// </summary>
public class GmmAllocationTests
{
    [Fact]
    public void D10K25_gradient_allocates_nothing_in_steady_state()
    {
        var g = GmmInstance.Random(d: 10, k: 25, n: 1000, seed: 2024);
        double[] p = g.Parameters();
        var gradient = new double[p.Length];
        GmmTests.Gradient(g, p, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            GmmTests.Gradient(g, p, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
