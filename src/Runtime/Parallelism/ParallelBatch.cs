using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace DiffGen.Parallelism;

/// <summary>
/// Computes the loss and gradient of one contiguous part of a batch, samples
/// <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive): typically one call of a
/// generated <c>…Gradient</c> method on the slices of the batch.
/// </summary>
/// <param name="start">The first sample of the chunk.</param>
/// <param name="end">One past the last sample of the chunk.</param>
/// <param name="gradient">Where to write (overwrite) the chunk's gradient; it holds stale values on entry.</param>
/// <returns>The chunk's loss.</returns>
public delegate double ChunkGradient(int start, int end, Span<double> gradient);

/// <summary>How the chunk results combine into the batch result.</summary>
public enum BatchReduction
{
    /// <summary>The chunk losses and gradients are summed: for a loss that is a sum over samples.</summary>
    Sum,

    /// <summary>
    /// Each chunk returns the mean over its own samples; chunk c is weighted by (end − start)/batchSize,
    /// so the result is the mean over the batch: for a loss averaged over samples.
    /// </summary>
    Mean,
}

/// <summary>
/// Splits a batch gradient over cores, deterministically: the batch is cut into fixed chunks of
/// <see cref="ChunkSize"/> samples (the last one shorter) whatever the degree of parallelism, each chunk's
/// gradient goes to its own pooled buffer, and the buffers are reduced by a fixed pairwise tree
/// (chunk 0 + chunk 1, chunk 2 + chunk 3, …, then the pairs of pairs). Which thread runs which chunk
/// never changes the arithmetic, so the loss and gradient are bit-identical for 1, 2 or 64 threads.
/// </summary>
/// <remarks>
/// <para>
/// Buffers: ⌈batchSize/ChunkSize⌉ × <see cref="ParameterCount"/> doubles, allocated on the first call
/// that needs them and reused afterwards (they grow only when a larger batch arrives). Choose the
/// chunk size so that this fits in memory: a larger chunk means fewer buffers and less reduction work,
/// a smaller one means better load balance.
/// </para>
/// <para>
/// With one worker (or one chunk) everything runs on the calling thread and a call allocates nothing
/// in steady state. With more workers the chunks are handed out through
/// <see cref="System.Threading.Tasks.Parallel.For(int, int, ParallelOptions, Action{int})"/>, whose
/// bookkeeping allocates a few hundred bytes per call; the gradient buffers are not reallocated.
/// </para>
/// <para>An instance is not thread-safe: one <see cref="Compute"/> at a time.</para>
/// </remarks>
public sealed class ParallelBatch
{
    /// <summary>Below this many parameters the reduction runs on the calling thread.</summary>
    private const int ParallelReductionThreshold = 1 << 14;

    /// <summary>Parameters per block when the reduction itself is split over threads.</summary>
    private const int ReductionBlock = 1 << 12;

    private readonly ParallelOptions options;
    private readonly Action<int> runWorker;
    private readonly Action<int> reduceBlock;
    private double[] buffers = Array.Empty<double>();
    private double[] losses = Array.Empty<double>();

    // State of the call in progress, read by the cached worker delegates.
    private ChunkGradient? chunkGradient;
    private int batchSize;
    private int chunkCount;
    private int nextChunk;
    private BatchReduction reduction;

    /// <summary>Prepares a helper for gradients of <paramref name="parameterCount"/> numbers.</summary>
    /// <param name="parameterCount">The length of the gradient.</param>
    /// <param name="chunkSize">Samples per chunk; it fixes the arithmetic, not the thread count.</param>
    /// <param name="maxDegreeOfParallelism">
    /// How many workers run chunks at once: −1 (default) for <see cref="Environment.ProcessorCount"/>.
    /// It changes the speed, never the result.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// parameterCount or chunkSize is not positive, or maxDegreeOfParallelism is 0 or below −1.
    /// </exception>
    public ParallelBatch(int parameterCount, int chunkSize, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                "The degree of parallelism must be positive, or -1 for the processor count.");
        }

        ParameterCount = parameterCount;
        ChunkSize = chunkSize;
        DegreeOfParallelism = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        options = new ParallelOptions { MaxDegreeOfParallelism = DegreeOfParallelism };
        runWorker = RunWorker;
        reduceBlock = ReduceBlock;
    }

    /// <summary>The length of every gradient.</summary>
    public int ParameterCount { get; }

    /// <summary>Samples per chunk (the last chunk of a batch may be shorter).</summary>
    public int ChunkSize { get; }

    /// <summary>The most workers that run chunks at once.</summary>
    public int DegreeOfParallelism { get; }

    /// <summary>The number of chunks a batch of <paramref name="batchSize"/> samples is cut into.</summary>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is not positive.</exception>
    public int ChunkCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return (int)(((long)batchSize + ChunkSize - 1) / ChunkSize);
    }

    /// <summary>
    /// The loss of the batch, and its gradient in <paramref name="gradient"/> (overwritten): chunk
    /// c covers samples [c·ChunkSize, min((c + 1)·ChunkSize, batchSize)) and is computed by
    /// <paramref name="chunkGradient"/>; the chunk results are combined as <paramref name="reduction"/> says,
    /// in a fixed order.
    /// </summary>
    /// <param name="batchSize">The number of samples in the batch.</param>
    /// <param name="chunkGradient">Loss and gradient of one chunk; called once per chunk, possibly concurrently.</param>
    /// <param name="gradient">Receives the batch gradient; <see cref="ParameterCount"/> elements.</param>
    /// <param name="reduction">Sum the chunk results, or average them weighted by chunk length.</param>
    /// <returns>The batch loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is not positive.</exception>
    /// <exception cref="ArgumentNullException">chunkGradient is null.</exception>
    /// <exception cref="ArgumentException">gradient does not have <see cref="ParameterCount"/> elements.</exception>
    /// <remarks>An exception thrown by <paramref name="chunkGradient"/> is rethrown as is (the first one, if several chunks throw).</remarks>
    public double Compute(int batchSize, ChunkGradient chunkGradient, Span<double> gradient, BatchReduction reduction = BatchReduction.Sum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentNullException.ThrowIfNull(chunkGradient);
        if (gradient.Length != ParameterCount)
        {
            throw new ArgumentException($"gradient has {gradient.Length} elements; this helper was created for {ParameterCount}.", nameof(gradient));
        }

        if (reduction is not (BatchReduction.Sum or BatchReduction.Mean))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        }

        int chunks = ChunkCount(batchSize);
        if ((long)chunks * ParameterCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                $"{chunks} chunks × {ParameterCount} parameters exceed the largest array; use a larger chunk size.");
        }

        EnsureBuffers(chunks);
        this.chunkGradient = chunkGradient;
        this.batchSize = batchSize;
        this.reduction = reduction;
        chunkCount = chunks;
        nextChunk = 0;
        try
        {
            int workers = Math.Min(DegreeOfParallelism, chunks);
            if (workers == 1)
            {
                RunWorker(0);
            }
            else
            {
                try
                {
                    System.Threading.Tasks.Parallel.For(0, workers, options, runWorker);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
            }

            // Pairwise tree over the chunks, element by element: the same additions in the same order
            // whatever thread runs them.
            int blocks = (ParameterCount + ReductionBlock - 1) / ReductionBlock;
            if (chunks > 1 && ParameterCount >= ParallelReductionThreshold && DegreeOfParallelism > 1)
            {
                System.Threading.Tasks.Parallel.For(0, blocks, options, reduceBlock);
            }
            else
            {
                for (int b = 0; b < blocks; b++)
                {
                    ReduceBlock(b);
                }
            }

            buffers.AsSpan(0, ParameterCount).CopyTo(gradient);
            return TreeSum(losses.AsSpan(0, chunks));
        }
        finally
        {
            this.chunkGradient = null;
        }
    }

    private void EnsureBuffers(int chunks)
    {
        int needed = chunks * ParameterCount;
        if (buffers.Length < needed)
        {
            buffers = new double[needed];
        }

        if (losses.Length < chunks)
        {
            losses = new double[chunks];
        }
    }

    private void RunWorker(int worker)
    {
        ChunkGradient f = chunkGradient!;
        int chunk;
        while ((chunk = Interlocked.Increment(ref nextChunk) - 1) < chunkCount)
        {
            int start = chunk * ChunkSize;
            int end = (int)Math.Min((long)start + ChunkSize, batchSize);
            Span<double> slot = buffers.AsSpan(chunk * ParameterCount, ParameterCount);
            double loss = f(start, end, slot);
            if (reduction == BatchReduction.Mean)
            {
                double weight = (double)(end - start) / batchSize;
                loss *= weight;
                for (int i = 0; i < slot.Length; i++)
                {
                    slot[i] *= weight;
                }
            }

            losses[chunk] = loss;
        }
    }

    /// <summary>Tree-reduces parameters [b·block, (b + 1)·block) of all chunk buffers into chunk 0's buffer.</summary>
    private void ReduceBlock(int block)
    {
        int from = block * ReductionBlock;
        int length = Math.Min(ReductionBlock, ParameterCount - from);
        for (int stride = 1; stride < chunkCount; stride *= 2)
        {
            for (int left = 0; left + stride < chunkCount; left += 2 * stride)
            {
                Span<double> target = buffers.AsSpan(left * ParameterCount + from, length);
                ReadOnlySpan<double> source = buffers.AsSpan((left + stride) * ParameterCount + from, length);
                for (int i = 0; i < length; i++)
                {
                    target[i] += source[i];
                }
            }
        }
    }

    /// <summary>The same pairwise tree as the gradients, over the chunk losses (in place).</summary>
    private static double TreeSum(Span<double> values)
    {
        for (int stride = 1; stride < values.Length; stride *= 2)
        {
            for (int left = 0; left + stride < values.Length; left += 2 * stride)
            {
                values[left] += values[left + stride];
            }
        }

        return values[0];
    }
}
