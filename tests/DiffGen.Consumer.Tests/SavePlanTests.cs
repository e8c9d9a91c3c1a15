using System;
using System.Linq;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 10 leftovers: every generated member of <see cref="SavePlanModels"/>, and of the running-max log-sum-exp whose eˣ
/// is now kept in dx (at lengths that take the vector loops' lanes and their scalar tails), against complex step,
/// forward mode and finite differences.
/// </summary>
public class SavePlanTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + phase)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(19)]
    public void Running_max_log_sum_exp_kept_in_dx_gradient(int n)
    {
        new SpanOracle
        {
            Primal = v => CachedValueModels.MaxShiftedLogSumExp(v),
            Gradient = (v, g) => CachedValueModels.MaxShiftedLogSumExpGradient(v, g),
            Tangent = (v, t) => (CachedValueModels.MaxShiftedLogSumExpTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => CachedValueModels.MaxShiftedLogSumExpHessianVector(v, u, hv),
            Complex = z => CachedValueModels.MaxShiftedLogSumExp(z),
        }.Check(Wave(n, 0.7, 3.0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void RowsOfFixedWidth_gradient(int rows)
    {
        double[] x = Wave(3 * rows, 0.1, 0.8);
        new SpanOracle
        {
            Primal = v => SavePlanModels.RowsOfFixedWidth(v, x),
            Gradient = (v, g) => SavePlanModels.RowsOfFixedWidthGradient(v, x, g),
            Tangent = (v, t) => (SavePlanModels.RowsOfFixedWidthTangent(v, x, t, out double dt), dt),
            HessianVector = (v, u, hv) => SavePlanModels.RowsOfFixedWidthHessianVector(v, x, u, hv),
            Complex = z => SavePlanModels.RowsOfFixedWidth(z, x),
        }.Check(Wave(3, 0.5, 0.9));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Triangle_gradient(int n)
    {
        new SpanOracle
        {
            Primal = v => SavePlanModels.Triangle(v),
            Gradient = (v, g) => SavePlanModels.TriangleGradient(v, g),
            Tangent = (v, t) => (SavePlanModels.TriangleTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => SavePlanModels.TriangleHessianVector(v, u, hv),
            Complex = z => SavePlanModels.Triangle(z),
        }.Check(Wave(n, 0.3, 0.7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void GrowingBound_gradient(int n)
    {
        new SpanOracle
        {
            Primal = v => SavePlanModels.GrowingBound(v),
            Gradient = (v, g) => SavePlanModels.GrowingBoundGradient(v, g),
            Tangent = (v, t) => (SavePlanModels.GrowingBoundTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => SavePlanModels.GrowingBoundHessianVector(v, u, hv),
            Complex = z => SavePlanModels.GrowingBound(z),
        }.Check(Wave(n, 1.1, 0.6));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void NormalizedSquares_gradient(int n)
    {
        double[] x = Wave(n, 0.4, 2.0);
        double[] w = Wave(n, 1.9, 1.5);
        var both = x.Concat(w).ToArray();
        new SpanOracle
        {
            Primal = v => SavePlanModels.NormalizedSquares(v.AsSpan(0, n), v.AsSpan(n)),
            Gradient = (v, g) => SavePlanModels.NormalizedSquaresGradient(v.AsSpan(0, n), v.AsSpan(n), g.AsSpan(0, n), g.AsSpan(n)),
            Tangent = (v, t) => (SavePlanModels.NormalizedSquaresTangent(v.AsSpan(0, n), v.AsSpan(n), t.AsSpan(0, n), t.AsSpan(n), out double dt), dt),
            HessianVector = (v, u, hv) => SavePlanModels.NormalizedSquaresHessianVector(v.AsSpan(0, n), v.AsSpan(n), u.AsSpan(0, n), u.AsSpan(n), hv.AsSpan(0, n), hv.AsSpan(n)),
            Complex = z => SavePlanModels.NormalizedSquares(z.AsSpan(0, n), z.AsSpan(n)),
        }.Check(both);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void NormalizedThenRescaled_gradient(int n)
    {
        var both = Wave(n, 0.8, 1.2).Append(0.7).ToArray();
        new SpanOracle
        {
            Primal = v => SavePlanModels.NormalizedThenRescaled(v.AsSpan(0, n), v[n]),
            Gradient = (v, g) => SavePlanModels.NormalizedThenRescaledGradient(v.AsSpan(0, n), v[n], g.AsSpan(0, n), out g[n]),
            Tangent = (v, t) => (SavePlanModels.NormalizedThenRescaledTangent(v.AsSpan(0, n), v[n], t.AsSpan(0, n), t[n], out double dt), dt),
            HessianVector = (v, u, hv) => SavePlanModels.NormalizedThenRescaledHessianVector(v.AsSpan(0, n), v[n], u.AsSpan(0, n), u[n], hv.AsSpan(0, n), out hv[n]),
            Complex = z => SavePlanModels.NormalizedThenRescaled(z.AsSpan(0, n), z[n]),
        }.Check(both);
    }
}
