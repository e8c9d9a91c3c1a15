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

    /// <summary>
    /// Rows 9 = one tile of eight and one left over, 13 = one tile and five; samples 33 = two packs of 16 and one
    /// more (fewer than 8 go through dot products: 1, 7, and 24 = 16 + 8 packed); lengths 300 and 1001 span several packed panels of 256, 7 and 37 end mid-vector.
    /// </summary>
    [Theory]
    [InlineData(0, 9, 7)]
    [InlineData(7, 9, 7)]
    [InlineData(37, 4, 4)]
    [InlineData(37, 9, 7)]
    [InlineData(1001, 5, 16)]
    [InlineData(300, 8, 16)]
    [InlineData(1001, 13, 33)]
    [InlineData(784, 16, 1)]
    [InlineData(50, 9, 24)]
    public void RowDots_equal_each_sequential_dot_to_rounding(int length, int rows, int samples)
    {
        int stride = length + 3;
        var matrix = Random(2 + rows * stride, 12);
        var source = Random(length + 5 * samples, 13);
        var starts = Enumerable.Range(0, samples).Select(b => 5 * b).ToArray();
        int resultStride = samples + 2;
        var results = Enumerable.Repeat(42.0, rows * resultStride).ToArray();
        LoopKernels.RowDots(matrix, 2, stride, rows, source, starts, results, resultStride, length);
        for (int r = 0; r < rows; r++)
        {
            for (int b = 0; b < samples; b++)
            {
                double sequential = 0, magnitude = 0;
                for (int k = 0; k < length; k++)
                {
                    sequential += matrix[2 + r * stride + k] * source[starts[b] + k];
                    magnitude += Math.Abs(matrix[2 + r * stride + k] * source[starts[b] + k]);
                }

                double actual = results[r * resultStride + b];
                Assert.True(Math.Abs(actual - sequential) <= 1e-15 * length * magnitude, $"row {r}, sample {b}: {actual:R} vs {sequential:R}");
            }

            Assert.Equal(42.0, results[r * resultStride + samples]);
        }
    }

    /// <summary>Rows 13 = a tile of eight, a group of four and one; lengths 24, 37 and 1001 end on, past and far past three-vector chunks.</summary>
    [Theory]
    [InlineData(1, 9, 1)]
    [InlineData(9, 4, 5)]
    [InlineData(37, 9, 16)]
    [InlineData(1001, 6, 7)]
    [InlineData(24, 8, 2)]
    [InlineData(50, 13, 33)]
    [InlineData(1001, 17, 16)]
    public void AddOuterProducts_equal_one_axpy_per_sample_to_rounding(int length, int rows, int samples)
    {
        int stride = length + 2;
        var source = Random(length + 3 * samples, 9);
        var starts = Enumerable.Range(0, samples).Select(b => 3 * b).ToArray();
        int scaleStride = samples + 1;
        var scales = Random(rows * scaleStride, 10);
        for (int i = 1; i < scales.Length; i += 3)
        {
            scales[i] = 0.0; // a dead unit's adjoint
        }

        var destination = Random(4 + rows * stride, 11);
        var expected = (double[])destination.Clone();
        var magnitude = new double[destination.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int b = 0; b < samples; b++)
            {
                for (int k = 0; k < length; k++)
                {
                    double term = scales[r * scaleStride + b] * source[starts[b] + k];
                    expected[4 + r * stride + k] += term;
                    magnitude[4 + r * stride + k] += Math.Abs(term);
                }
            }
        }

        LoopKernels.AddOuterProducts(destination, 4, stride, rows, scales, scaleStride, source, starts, length);
        for (int i = 0; i < destination.Length; i++)
        {
            // elements outside the rows (the gaps between them) are left alone: their magnitude is 0
            Assert.True(Math.Abs(destination[i] - expected[i]) <= 1e-15 * samples * (magnitude[i] + Math.Abs(expected[i])), $"element {i}: {destination[i]:R} vs {expected[i]:R}");
        }
    }

    [Fact]
    public void Block_kernels_name_the_argument_that_does_not_fit()
    {
        var a = new double[8];
        var results = new double[8];
        Assert.Equal("matrix", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.RowDots(a, 0, 4, 3, a, new[] { 0 }, results, 1, 4)).ParamName);
        Assert.Equal("sourceStarts", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.RowDots(a, 0, 4, 2, a, new[] { 0, 5 }, results, 2, 4)).ParamName);
        Assert.Equal("results", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.RowDots(a, 0, 4, 2, a, new[] { 0, 1 }, new double[3], 2, 4)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.AddOuterProducts(a, 1, 4, 2, a, 1, a, new[] { 0 }, 4)).ParamName);
        Assert.Equal("scales", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.AddOuterProducts(a, 0, 4, 2, new double[3], 2, a, new[] { 0, 1 }, 4)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => LoopKernels.AddOuterProducts(a, 0, -4, 2, a, 1, a, new[] { 0 }, 4)).ParamName);
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
