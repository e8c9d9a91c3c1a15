using System;
using System.Linq;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 11/14: values cached by the reverse sweep (ElementCache, InvariantTables) — every generated member against
/// complex step, forward mode and finite differences, with empty loops among the cases (a table filled for no loop).
/// </summary>
public class CachedValueTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + phase)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void LogSumExp_gradient(int n)
    {
        double shift = 0.3;
        new SpanOracle
        {
            Primal = v => CachedValueModels.LogSumExp(v, shift),
            Gradient = (v, g) => CachedValueModels.LogSumExpGradient(v, shift, g),
            Tangent = (v, t) => (CachedValueModels.LogSumExpTangent(v, shift, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.LogSumExpHessianVector(v, shift, u, hv),
            Complex = z => CachedValueModels.LogSumExp(z, shift),
        }.Check(Wave(n, 0.2, 2.0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void MaxShiftedLogSumExp_gradient(int n)
    {
        new SpanOracle
        {
            Primal = v => CachedValueModels.MaxShiftedLogSumExp(v),
            Gradient = (v, g) => CachedValueModels.MaxShiftedLogSumExpGradient(v, g),
            Tangent = (v, t) => (CachedValueModels.MaxShiftedLogSumExpTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.MaxShiftedLogSumExpHessianVector(v, u, hv),
            Complex = z => CachedValueModels.MaxShiftedLogSumExp(z),
        }.Check(Wave(n, 0.9, 1.5));
    }

    [Fact]
    public void LogSumExpPlusSquares_gradient()
    {
        new SpanOracle
        {
            Primal = v => CachedValueModels.LogSumExpPlusSquares(v),
            Gradient = (v, g) => CachedValueModels.LogSumExpPlusSquaresGradient(v, g),
            Tangent = (v, t) => (CachedValueModels.LogSumExpPlusSquaresTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.LogSumExpPlusSquaresHessianVector(v, u, hv),
            Complex = z => CachedValueModels.LogSumExpPlusSquares(z),
        }.Check(Wave(5, 0.4, 1.1));
    }

    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(2, 3, 0)]
    [InlineData(2, 0, 3)]
    public void Mixture_gradient(int d, int k, int n)
    {
        var x = Wave(n * d, 1.1, 1.5);
        var p = Wave(2 * k * d, 0.3, 0.7);
        new SpanOracle
        {
            Primal = v => CachedValueModels.Mixture(v, x, d, k),
            Gradient = (v, g) => CachedValueModels.MixtureGradient(v, x, d, k, g),
            Tangent = (v, t) => (CachedValueModels.MixtureTangent(v, x, d, k, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.MixtureHessianVector(v, x, d, k, u, hv),
            Complex = z => CachedValueModels.Mixture(z, x, d, k),
        }.Check(p);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(2, 0)]
    public void GuardedMixture_gradient(int d, int n)
    {
        var x = Wave(n * d, 0.5, 1.0);
        new SpanOracle
        {
            Primal = v => CachedValueModels.GuardedMixture(v, x, d),
            Gradient = (v, g) => CachedValueModels.GuardedMixtureGradient(v, x, d, g),
            Tangent = (v, t) => (CachedValueModels.GuardedMixtureTangent(v, x, d, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.GuardedMixtureHessianVector(v, x, d, u, hv),
            Complex = z => CachedValueModels.GuardedMixture(z, x, d),
        }.Check(Wave(d, 0.1, 0.8));
    }

    [Fact]
    public void Gradients_with_tables_allocate_nothing_in_steady_state()
    {
        // d·k = 600 > 512: the table comes from the pool, and goes back to it.
        int d = 30, k = 20, n = 3;
        var x = Wave(n * d, 1.1, 0.2);
        var p = Wave(2 * k * d, 0.3, 0.1);
        var g = new double[p.Length];
        CachedValueModels.MixtureGradient(p, x, d, k, g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            CachedValueModels.MixtureGradient(p, x, d, k, g);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
