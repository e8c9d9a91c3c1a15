using System;
using DiffGen.Parallelism;

namespace DiffGen.Models.Tests;

/// <summary>
/// The multi-core batch helper: the same bits whatever the thread count, the same gradient as one call
/// over the whole batch, argument errors naming the parameter.
/// </summary>
public class ParallelBatchTests
{
    /// <summary>Least squares Σ_i (w·x_i − y_i)², with its hand-written gradient, over samples [start, end).</summary>
    private sealed class LeastSquares
    {
        public readonly int Dimension;
        public readonly int Count;
        public readonly double[] X;
        public readonly double[] Y;
        public readonly double[] W;

        public LeastSquares(int dimension, int count, int seed)
        {
            var random = new Random(seed);
            Dimension = dimension;
            Count = count;
            X = new double[dimension * count];
            Y = new double[count];
            W = new double[dimension];
            for (int i = 0; i < X.Length; i++) X[i] = random.NextDouble() * 2 - 1;
            for (int i = 0; i < Y.Length; i++) Y[i] = random.NextDouble() * 2 - 1;
            for (int i = 0; i < W.Length; i++) W[i] = random.NextDouble() - 0.5;
        }

        public double Gradient(int start, int end, Span<double> gradient)
        {
            gradient.Clear();
            double loss = 0;
            for (int i = start; i < end; i++)
            {
                double r = -Y[i];
                for (int j = 0; j < Dimension; j++) r += W[j] * X[i * Dimension + j];
                loss += r * r;
                for (int j = 0; j < Dimension; j++) gradient[j] += 2 * r * X[i * Dimension + j];
            }

            return loss;
        }

        public double Mean(int start, int end, Span<double> gradient)
        {
            double loss = Gradient(start, end, gradient);
            int n = end - start;
            for (int j = 0; j < gradient.Length; j++) gradient[j] /= n;
            return loss / n;
        }
    }

    private static (double Loss, double[] Gradient) Run(int threads, LeastSquares problem, int chunkSize, BatchReduction reduction)
    {
        var helper = new ParallelBatch(problem.Dimension, chunkSize, threads);
        var gradient = new double[problem.Dimension];
        ChunkGradient chunk = reduction == BatchReduction.Sum ? problem.Gradient : problem.Mean;
        double loss = helper.Compute(problem.Count, chunk, gradient, reduction);
        return (loss, gradient);
    }

    [Theory]
    [InlineData(BatchReduction.Sum)]
    [InlineData(BatchReduction.Mean)]
    public void Results_are_bit_identical_for_1_2_3_and_8_threads(BatchReduction reduction)
    {
        var problem = new LeastSquares(dimension: 40, count: 1003, seed: 7);
        var (loss1, gradient1) = Run(1, problem, chunkSize: 37, reduction);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                var (loss, gradient) = Run(threads, problem, chunkSize: 37, reduction);
                Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss));
                for (int j = 0; j < gradient.Length; j++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(gradient1[j]), BitConverter.DoubleToInt64Bits(gradient[j]));
                }
            }
        }
    }

    [Theory]
    [InlineData(BatchReduction.Sum, 1)]
    [InlineData(BatchReduction.Sum, 64)]
    [InlineData(BatchReduction.Mean, 37)]
    [InlineData(BatchReduction.Mean, 5000)]
    public void Result_equals_one_call_over_the_whole_batch(BatchReduction reduction, int chunkSize)
    {
        var problem = new LeastSquares(dimension: 12, count: 1003, seed: 3);
        var whole = new double[problem.Dimension];
        double wholeLoss = reduction == BatchReduction.Sum
            ? problem.Gradient(0, problem.Count, whole)
            : problem.Mean(0, problem.Count, whole);
        var (loss, gradient) = Run(3, problem, chunkSize, reduction);
        Oracles.AssertRelative(wholeLoss, loss, 1e-12, "loss");
        double scale = 0;
        foreach (double g in whole) scale = Math.Max(scale, Math.Abs(g));
        for (int j = 0; j < whole.Length; j++)
        {
            Assert.True(Math.Abs(whole[j] - gradient[j]) <= 1e-12 * scale, $"gradient[{j}]: {gradient[j]:R} vs {whole[j]:R}");
        }
    }

    [Fact]
    public void Large_gradients_reduce_in_parallel_to_the_same_bits()
    {
        // 40 000 parameters: the reduction itself is split over threads by parameter blocks.
        const int parameters = 40_000;
        double Chunk(int start, int end, Span<double> gradient)
        {
            for (int j = 0; j < gradient.Length; j++)
            {
                double s = 0;
                for (int i = start; i < end; i++) s += Math.Sin(0.001 * j * (i + 1)) / (i + 1);
                gradient[j] = s;
            }

            return end - start;
        }

        double[] Run(int threads)
        {
            var gradient = new double[parameters];
            double loss = new ParallelBatch(parameters, chunkSize: 3, threads).Compute(23, Chunk, gradient);
            Assert.Equal(23.0, loss);
            return gradient;
        }

        double[] one = Run(1);
        double[] many = Run(4);
        for (int j = 0; j < parameters; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(one[j]), BitConverter.DoubleToInt64Bits(many[j]));
        }
    }

    [Fact]
    public void Chunks_cover_the_batch_once_with_fixed_bounds()
    {
        var seen = new int[100];
        var bounds = new System.Collections.Concurrent.ConcurrentBag<(int, int)>();
        var helper = new ParallelBatch(parameterCount: 1, chunkSize: 16, maxDegreeOfParallelism: 3);
        Assert.Equal(7, helper.ChunkCount(100));
        helper.Compute(100, (start, end, g) =>
        {
            bounds.Add((start, end));
            for (int i = start; i < end; i++) System.Threading.Interlocked.Increment(ref seen[i]);
            g[0] = 0;
            return 0;
        }, new double[1]);
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(new[] { (0, 16), (16, 32), (32, 48), (48, 64), (64, 80), (80, 96), (96, 100) },
            System.Linq.Enumerable.OrderBy(bounds, b => b.Item1));
    }

    [Fact]
    public void One_thread_allocates_nothing_in_steady_state()
    {
        var problem = new LeastSquares(dimension: 8, count: 200, seed: 1);
        var helper = new ParallelBatch(problem.Dimension, chunkSize: 16, maxDegreeOfParallelism: 1);
        var gradient = new double[problem.Dimension];
        ChunkGradient chunk = problem.Gradient;
        helper.Compute(problem.Count, chunk, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) helper.Compute(problem.Count, chunk, gradient);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Exceptions_from_a_chunk_come_out_unwrapped()
    {
        var helper = new ParallelBatch(2, chunkSize: 4, maxDegreeOfParallelism: 2);
        var e = Assert.Throws<InvalidOperationException>(() => helper.Compute(20, (start, end, g) =>
            start == 8 ? throw new InvalidOperationException("chunk 2") : 0.0, new double[2]));
        Assert.Equal("chunk 2", e.Message);
    }

    [Fact]
    public void Argument_errors_name_the_parameter()
    {
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelBatch(0, 4)).ParamName);
        Assert.Equal("chunkSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelBatch(3, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelBatch(3, 4, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelBatch(3, 4, -2)).ParamName);
        var helper = new ParallelBatch(3, 4);
        ChunkGradient ok = (s, e, g) => 0.0;
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => helper.Compute(0, ok, new double[3])).ParamName);
        Assert.Equal("chunkGradient", Assert.Throws<ArgumentNullException>(() => helper.Compute(5, null!, new double[3])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => helper.Compute(5, ok, new double[2])).ParamName);
        Assert.Equal("reduction", Assert.Throws<ArgumentOutOfRangeException>(() => helper.Compute(5, ok, new double[3], (BatchReduction)7)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => helper.ChunkCount(-1)).ParamName);
    }
}
