using System;
using System.Linq;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 11: scratch arrays filled again or saved once per iteration in the reverse sweep, and the look-alikes
/// that must keep their saves — every generated member against complex step, forward mode and finite differences.
/// </summary>
public class ScratchArrayTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + phase)).ToArray();

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(2, 3, 5)]
    [InlineData(4, 3, 7)]
    public void MiniGmm_gradient(int d, int k, int n)
    {
        int size = 2 * k * d + k * d * (d - 1) / 2;
        var p = Wave(size, 0.4, 0.6);
        var x = Wave(n * d, 1.1, 1.5);
        new SpanOracle
        {
            Primal = v => ScratchArrayModels.MiniGmm(v, x, d, k),
            Gradient = (v, g) => ScratchArrayModels.MiniGmmGradient(v, x, d, k, g),
            Tangent = (v, t) => (ScratchArrayModels.MiniGmmTangent(v, x, d, k, t, out double dt), dt),
            HessianVector = (v, u, hv) => ScratchArrayModels.MiniGmmHessianVector(v, x, d, k, u, hv),
            Complex = z => ScratchArrayModels.MiniGmm(z, x, d, k),
        }.Check(p);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Reading_before_the_refill_sees_the_previous_values(int d)
    {
        var p = Wave(3 * d, 0.2, 0.9);
        var x = Wave(d, 2.0, 1.0);
        new SpanOracle
        {
            Primal = v => ScratchArrayModels.ReadBeforeRefill(v, x, d),
            Gradient = (v, g) => ScratchArrayModels.ReadBeforeRefillGradient(v, x, d, g),
            Tangent = (v, t) => (ScratchArrayModels.ReadBeforeRefillTangent(v, x, d, t, out double dt), dt),
            HessianVector = (v, u, hv) => ScratchArrayModels.ReadBeforeRefillHessianVector(v, x, d, u, hv),
            Complex = z => ScratchArrayModels.ReadBeforeRefill(z, x, d),
        }.Check(p);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Reading_ahead_while_refilling_sees_the_previous_values(int d)
    {
        var p = Wave(3 * d, 0.7, 0.8);
        var x = Wave(d, 0.5, 1.2);
        new SpanOracle
        {
            Primal = v => ScratchArrayModels.ReadAheadWhileRefilling(v, x, d),
            Gradient = (v, g) => ScratchArrayModels.ReadAheadWhileRefillingGradient(v, x, d, g),
            Tangent = (v, t) => (ScratchArrayModels.ReadAheadWhileRefillingTangent(v, x, d, t, out double dt), dt),
            HessianVector = (v, u, hv) => ScratchArrayModels.ReadAheadWhileRefillingHessianVector(v, x, d, u, hv),
            Complex = z => ScratchArrayModels.ReadAheadWhileRefilling(z, x, d),
        }.Check(p);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Updates_by_products_are_saved_at_every_store(int d)
    {
        var p = Wave(3 * d, 1.4, 0.7);
        var x = Wave(d, 0.3, 1.1);
        new SpanOracle
        {
            Primal = v => ScratchArrayModels.ProductUpdates(v, x, d),
            Gradient = (v, g) => ScratchArrayModels.ProductUpdatesGradient(v, x, d, g),
            Tangent = (v, t) => (ScratchArrayModels.ProductUpdatesTangent(v, x, d, t, out double dt), dt),
            HessianVector = (v, u, hv) => ScratchArrayModels.ProductUpdatesHessianVector(v, x, d, u, hv),
            Complex = z => ScratchArrayModels.ProductUpdates(z, x, d),
        }.Check(p);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 6)]
    public void SharedScaleGmm_gradient(int k, int n)
    {
        // p and the scalar s as one input vector: s last
        var input = Wave(2 * k + 1, 0.9, 0.7);
        var x = Wave(n, 0.1, 1.6);
        new SpanOracle
        {
            Primal = v => ScratchArrayModels.SharedScaleGmm(v.AsSpan(0, 2 * k), v[2 * k], x, k),
            Gradient = (v, g) =>
            {
                double value = ScratchArrayModels.SharedScaleGmmGradient(v.AsSpan(0, 2 * k), v[2 * k], x, k, g.AsSpan(0, 2 * k), out double ds);
                g[2 * k] = ds;
                return value;
            },
            Tangent = (v, t) => (ScratchArrayModels.SharedScaleGmmTangent(v.AsSpan(0, 2 * k), v[2 * k], x, k, t.AsSpan(0, 2 * k), t[2 * k], out double dt), dt),
            HessianVector = (v, u, hv) =>
            {
                double value = ScratchArrayModels.SharedScaleGmmHessianVector(v.AsSpan(0, 2 * k), v[2 * k], x, k, u.AsSpan(0, 2 * k), u[2 * k], hv.AsSpan(0, 2 * k), out double hs);
                hv[2 * k] = hs;
                return value;
            },
            Complex = z => ScratchArrayModels.SharedScaleGmm(z.AsSpan(0, 2 * k), z[2 * k], x, k),
        }.Check(input);
    }
}
