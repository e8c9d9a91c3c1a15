using System;
using System.Linq;
using M = DiffGen.Consumer.Tests.TriangularMixtureModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 14: the GradBench-gmm shapes (packed triangles, tables of centred coordinates, constant log-sum-exp shifts)
/// and their look-alikes: every generated member against complex step, forward mode and finite differences, with
/// d = 1 (an empty triangle), ties in the max and points that make no loop trips among the cases.
/// </summary>
public class TriangularMixtureTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + phase)).ToArray();

    [Theory]
    [InlineData(1, 2, 3)]
    [InlineData(3, 2, 4)]
    [InlineData(4, 3, 2)]
    [InlineData(2, 1, 0)]
    public void Mixture_gradient(int d, int k, int n)
    {
        var x = Wave(n * d, 1.1, 1.5);
        var p = Wave(k + 2 * k * d + k * d * (d - 1) / 2, 0.3, 0.7);
        new SpanOracle
        {
            Primal = v => M.Mixture(v, x, d, k),
            Gradient = (v, g) => M.MixtureGradient(v, x, d, k, g),
            Tangent = (v, t) => (M.MixtureTangent(v, x, d, k, t, out double dt), dt),
            HessianVector = (v, u, hv) => M.MixtureHessianVector(v, x, d, k, u, hv),
            Complex = z => M.Mixture(z, x, d, k),
        }.Check(p);
    }

    [Fact]
    public void Mixture_gradient_with_tied_components()
    {
        // two components with the same weight, mean and factor: every point's max is a tie
        int d = 3, k = 2, n = 3;
        var x = Wave(n * d, 0.5, 1.2);
        var one = Wave(1 + 2 * d + d * (d - 1) / 2, 0.8, 0.6);
        var p = new double[k + 2 * k * d + k * d * (d - 1) / 2];
        p[0] = p[1] = one[0];
        for (int j = 0; j < d; j++)
        {
            p[k + j] = p[k + d + j] = one[1 + j];
            p[k + k * d + j] = p[k + k * d + d + j] = one[1 + d + j];
        }

        int lSize = d * (d - 1) / 2;
        for (int j = 0; j < lSize; j++)
        {
            p[k + 2 * k * d + j] = p[k + 2 * k * d + lSize + j] = one[1 + 2 * d + j];
        }

        new SpanOracle
        {
            Primal = v => M.Mixture(v, x, d, k),
            Gradient = (v, g) => M.MixtureGradient(v, x, d, k, g),
            Tangent = (v, t) => (M.MixtureTangent(v, x, d, k, t, out double dt), dt),
            HessianVector = (v, u, hv) => M.MixtureHessianVector(v, x, d, k, u, hv),
            Complex = z => M.Mixture(z, x, d, k),
        }.Check(p);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_shift_counted_twice_keeps_its_derivative(int n)
    {
        new SpanOracle
        {
            Primal = v => M.TwiceShifted(v),
            Gradient = (v, g) => M.TwiceShiftedGradient(v, g),
            Tangent = (v, t) => (M.TwiceShiftedTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => M.TwiceShiftedHessianVector(v, u, hv),
            Complex = z => M.TwiceShifted(z),
        }.Check(Wave(n, 0.9, 1.5));
    }

    [Fact]
    public void A_sum_read_outside_the_log_keeps_the_shift_derivative()
    {
        new SpanOracle
        {
            Primal = v => M.SumReadElsewhere(v),
            Gradient = (v, g) => M.SumReadElsewhereGradient(v, g),
            Tangent = (v, t) => (M.SumReadElsewhereTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => M.SumReadElsewhereHessianVector(v, u, hv),
            Complex = z => M.SumReadElsewhere(z),
        }.Check(Wave(6, 0.2, 1.3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void UpperTriangle_gradient(int d)
    {
        var x = Wave(d, 0.6, 0.9);
        new SpanOracle
        {
            Primal = v => M.UpperTriangle(v, x),
            Gradient = (v, g) => M.UpperTriangleGradient(v, x, g),
            Tangent = (v, t) => (M.UpperTriangleTangent(v, x, t, out double dt), dt),
            HessianVector = (v, u, hv) => M.UpperTriangleHessianVector(v, x, u, hv),
            Complex = z => M.UpperTriangle(z, x),
        }.Check(Wave(d * d, 0.1, 0.8));
    }

    [Fact]
    public void Mixture_gradient_allocates_nothing_in_steady_state()
    {
        // d = 24: the tables (d − 1 elements each) and scratch spans stay on the stack; the value stack is pooled
        int d = 24, k = 5, n = 40;
        var x = Wave(n * d, 1.1, 1.5);
        var p = Wave(k + 2 * k * d + k * d * (d - 1) / 2, 0.3, 0.7);
        var gradient = new double[p.Length];
        M.MixtureGradient(p, x, d, k, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            M.MixtureGradient(p, x, d, k, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
