using System;
using System.Linq;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Vectorized loop kernels: the kernels against scalar loops, and the generated members of loops printed
/// as kernels (or kept scalar because their statements depend on each other) against complex step,
/// forward mode and finite differences. Lengths are odd so the kernels' scalar tails run.
/// </summary>
public class LoopKernelTests
{
    private static double[] Random(int n, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(1001)]
    public void Dot_equals_the_sequential_sum_to_rounding(int length)
    {
        var x = Random(length + 5, 1);
        var y = Random(length + 3, 2);
        double sequential = 0, magnitude = 0;
        for (int k = 0; k < length; k++)
        {
            sequential += x[5 + k] * y[3 + k];
            magnitude += Math.Abs(x[5 + k] * y[3 + k]);
        }

        double dot = LoopKernels.Dot(x, 5, y, 3, length);
        Assert.True(Math.Abs(dot - sequential) <= 1e-15 * length * magnitude, $"{dot:R} vs {sequential:R}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(37)]
    [InlineData(1001)]
    public void AddScaled_gives_the_scalar_loops_bits(int length)
    {
        var source = Random(length + 2, 3);
        var destination = Random(length + 4, 4);
        var expected = (double[])destination.Clone();
        for (int k = 0; k < length; k++)
        {
            expected[4 + k] += -0.7 * source[2 + k];
        }

        LoopKernels.AddScaled(destination, 4, -0.7, source, 2, length);
        Assert.Equal(expected, destination);
    }

    [Fact]
    public void AddScaled_with_a_zero_scale_adds_nothing()
    {
        var destination = new[] { 1.0, -2.0, 3.0 };
        LoopKernels.AddScaled(destination, 0, 0.0, new[] { double.NaN, double.PositiveInfinity, 5.0 }, 0, 3);
        Assert.Equal(new[] { 1.0, -2.0, 3.0 }, destination);
    }

    [Fact]
    public void Kernels_check_their_slices()
    {
        var a = new double[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.Dot(a, 2, a, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.AddScaled(a, 0, 1.0, a, 3, 2));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 5)]
    [InlineData(37, 16)]
    [InlineData(1001, 21)]
    public void AddScaledSum_gives_the_bits_of_one_AddScaled_per_term(int length, int terms)
    {
        var source = Random(length + 3 * terms, 9);
        var scales = Random(terms, 10);
        var starts = Enumerable.Range(0, terms).Select(t => (3 * t) % (source.Length - length + 1)).ToArray();
        for (int t = 1; t < terms; t += 3)
        {
            scales[t] = 0.0; // a dead unit's adjoint: skipped, as AddScaled skips it
        }

        var destination = Random(length + 4, 11);
        var expected = (double[])destination.Clone();
        for (int t = 0; t < terms; t++)
        {
            LoopKernels.AddScaled(expected, 4, scales[t], source, starts[t], length);
        }

        LoopKernels.AddScaledSum(destination, 4, scales, source, starts, length);
        Assert.Equal(expected, destination);
    }

    [Fact]
    public void AddScaledSum_skips_zero_scales_of_non_finite_sources()
    {
        var destination = new[] { 1.0, -2.0, 3.0 };
        var source = new[] { double.NaN, double.PositiveInfinity, 5.0, 1.0, 1.0, 1.0 };
        LoopKernels.AddScaledSum(destination, 0, new[] { 0.0, 2.0 }, source, new[] { 0, 3 }, 3);
        Assert.Equal(new[] { 3.0, 0.0, 5.0 }, destination);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(7, 4)]
    [InlineData(37, 7)]
    [InlineData(1001, 16)]
    public void Dots_equal_each_sequential_dot_to_rounding(int length, int block)
    {
        var row = Random(length + 2, 12);
        var source = Random(length + 5 * block, 13);
        var starts = Enumerable.Range(0, block).Select(b => 5 * b).ToArray();
        var results = new double[block + 1];
        results[block] = 42.0;
        LoopKernels.Dots(row, 2, source, starts, results, length);
        for (int b = 0; b < block; b++)
        {
            double sequential = 0, magnitude = 0;
            for (int k = 0; k < length; k++)
            {
                sequential += row[2 + k] * source[starts[b] + k];
                magnitude += Math.Abs(row[2 + k] * source[starts[b] + k]);
            }

            Assert.True(Math.Abs(results[b] - sequential) <= 1e-15 * length * magnitude, $"block {b}: {results[b]:R} vs {sequential:R}");
        }

        Assert.Equal(42.0, results[block]);
    }

    [Fact]
    public void Blocked_kernels_check_their_arguments()
    {
        var a = new double[8];
        Assert.Throws<ArgumentException>(() => LoopKernels.AddScaledSum(a, 0, new[] { 1.0, 2.0 }, a, new[] { 0 }, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.AddScaledSum(a, 0, new[] { 1.0 }, a, new[] { 6 }, 4));
        Assert.Throws<ArgumentException>(() => LoopKernels.Dots(a, 0, a, new[] { 0, 1 }, new double[1], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.Dots(a, 0, a, new[] { 0, 1, 2, 6 }, new double[4], 4));
    }

    private static SpanOracle Oracle(Func<double[], double> primal, Func<double[], double[], double> gradient,
        Func<double[], double[], (double, double)> tangent, Func<double[], double[], double[], double> hessianVector,
        Func<Complex[], Complex> complex) => new()
        {
            Primal = primal,
            Gradient = gradient,
            Tangent = tangent,
            HessianVector = hessianVector,
            Complex = complex,
        };

    [Theory]
    [InlineData(3)]
    [InlineData(41)]
    public void TailEnergy_dot_and_axpy_from_index_two(int n)
    {
        var w = Random(n, 5);
        var x = Random(n, 6);
        var oracle = Oracle(
            v => LoopKernelModels.TailEnergy(v, w),
            (v, g) => LoopKernelModels.TailEnergyGradient(v, w, g),
            (v, t) => (LoopKernelModels.TailEnergyTangent(v, w, t, out double d), d),
            (v, u, hv) => LoopKernelModels.TailEnergyHessianVector(v, w, u, hv),
            z => LoopKernelModels.TailEnergy(z, w));
        var gradient = oracle.Check(x);

        // Closed form: ∂/∂xₖ = 2 s wₖ for k ≥ 2, 0 below.
        double s = 0;
        for (int k = 2; k < n; k++)
        {
            s += w[k] * x[k];
        }

        for (int k = 0; k < n; k++)
        {
            SpanOracle.Close(k < 2 ? 0.0 : 2 * s * w[k], gradient[k], 1e-13, $"closed-form ∂/∂x{k}");
        }
    }

    [Fact]
    public void ReluLayer_with_dead_rows()
    {
        const int n = 29, rows = 6;
        var x = Random(n, 7);
        var p = Random(rows * (n + 1), 8, 0.5);
        for (int j = 0; j < rows; j++)
        {
            // Rows 0, 2, 4 are dead and 1, 3, 5 alive: |Σₖ W[j, k]·xₖ| < 15 cannot move a bias of ∓50.
            p[rows * n + j] = j % 2 == 0 ? -50.0 : 50.0;
        }

        var oracle = Oracle(
            v => LoopKernelModels.ReluLayer(v, x),
            (v, g) => LoopKernelModels.ReluLayerGradient(v, x, g),
            (v, t) => (LoopKernelModels.ReluLayerTangent(v, x, t, out double d), d),
            (v, u, hv) => LoopKernelModels.ReluLayerHessianVector(v, x, u, hv),
            z => LoopKernelModels.ReluLayer(z, x));
        var gradient = oracle.Check(p);

        // Closed form: ∂/∂W[j, k] = 2 hⱼ xₖ, ∂/∂bⱼ = 2 hⱼ, with hⱼ = relu(aⱼ): zero on dead rows.
        for (int j = 0; j < rows; j++)
        {
            double a = p[rows * n + j];
            for (int k = 0; k < n; k++)
            {
                a += p[j * n + k] * x[k];
            }

            double h = Math.Max(a, 0.0);
            Assert.Equal(j % 2 == 0, h == 0.0);
            SpanOracle.Close(2 * h, gradient[rows * n + j], 1e-13, $"∂/∂b{j}");
            for (int k = 0; k < n; k++)
            {
                SpanOracle.Close(2 * h * x[k], gradient[j * n + k], 1e-13, $"∂/∂W[{j}, {k}]");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(33)]
    public void Recurrence_stays_sequential(int n)
    {
        var x = Random(n, 9);
        const double c = 0.9;
        var oracle = Oracle(
            v => LoopKernelModels.Recurrence(v.AsSpan(0, n), v[n]),
            (v, g) => LoopKernelModels.RecurrenceGradient(v.AsSpan(0, n), v[n], g.AsSpan(0, n), out g[n]),
            (v, t) => (LoopKernelModels.RecurrenceTangent(v.AsSpan(0, n), v[n], t.AsSpan(0, n), t[n], out double d), d),
            (v, u, hv) => LoopKernelModels.RecurrenceHessianVector(v.AsSpan(0, n), v[n], u.AsSpan(0, n), u[n], hv.AsSpan(0, n), out hv[n]),
            z => LoopKernelModels.Recurrence(z.AsSpan(0, n), z[n]));
        oracle.Check([.. x, c]);

        // The value by hand: yₖ₊₁ = xₖ₊₁ + c·yₖ uses the step before it.
        double y = x[0], s = y * y;
        for (int k = 1; k < n; k++)
        {
            y = x[k] + c * y;
            s += y * y;
        }

        SpanOracle.Close(s, LoopKernelModels.Recurrence(x, c), 1e-13, "value of the recurrence");
    }

    [Fact]
    public void RunningScale_stays_sequential()
    {
        const int n = 35;
        var b = Random(n, 10);
        var a = Random(n, 11);
        var oracle = Oracle(
            v => LoopKernelModels.RunningScale(v, b),
            (v, g) => LoopKernelModels.RunningScaleGradient(v, b, g),
            (v, t) => (LoopKernelModels.RunningScaleTangent(v, b, t, out double d), d),
            (v, u, hv) => LoopKernelModels.RunningScaleHessianVector(v, b, u, hv),
            z => LoopKernelModels.RunningScale(z, b));
        oracle.Check(a);

        // The value by hand: dₖ = sₖ·bₖ with sₖ the running sum up to k.
        double s = 0, t = 0;
        for (int k = 0; k < n; k++)
        {
            s += a[k] * b[k];
            t += s * b[k] * a[k];
        }

        SpanOracle.Close(t, LoopKernelModels.RunningScale(a, b), 1e-12, "value");
    }

    /// <summary>
    /// Batches of 0, 3 (less than a block), 16 (one block) and 37 samples (two blocks and a partial one): the
    /// blocked products and deferred weight updates against complex step, forward mode and finite differences,
    /// and the weights' gradient against its closed form, Σₛ 2yₛ·hₛⱼ·xₛₖ over the live units.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(37)]
    public void BatchLayer_blocks_of_samples(int count)
    {
        const int n = LoopKernelModels.BatchInputs, units = LoopKernelModels.BatchUnits;
        var x = Random(n * count, 14);
        var y = Random(count, 15).Select(v => v + 1.5).ToArray();
        var p = Random(units * (n + 1), 16, 0.5);
        var oracle = Oracle(
            v => LoopKernelModels.BatchLayer(v, x, y, count),
            (v, g) => LoopKernelModels.BatchLayerGradient(v, x, y, count, g),
            (v, t) => (LoopKernelModels.BatchLayerTangent(v, x, y, count, t, out double d), d),
            (v, u, hv) => LoopKernelModels.BatchLayerHessianVector(v, x, y, count, u, hv),
            z => LoopKernelModels.BatchLayer(z, x, y, count));
        var gradient = oracle.Check(p);

        var expected = new double[p.Length];
        for (int s = 0; s < count; s++)
        {
            for (int j = 0; j < units; j++)
            {
                double a = p[units * n + j];
                for (int k = 0; k < n; k++)
                {
                    a += p[j * n + k] * x[s * n + k];
                }

                double h = Math.Max(a, 0.0);
                for (int k = 0; k < n; k++)
                {
                    expected[j * n + k] += 2 * y[s] * h * x[s * n + k];
                }

                expected[units * n + j] += 2 * y[s] * h;
            }
        }

        for (int i = 0; i < p.Length; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-12, $"closed-form ∂/∂p{i}");
        }
    }
}
