using System;

namespace DiffGen.Data;

/// <summary>
/// Mini-batches over a <see cref="Dataset"/> without allocation per batch: each
/// <see cref="NextEpoch"/> reshuffles a preallocated index array (seeded Fisher–Yates), and each batch
/// copies its rows into preallocated feature and label buffers that the <see cref="Batch"/> spans
/// view. Every sample appears exactly once per epoch; the last batch may be smaller. A batch's spans
/// are valid until the enumerator moves on.
/// </summary>
public sealed class BatchIterator
{
    private readonly Dataset dataset;
    private readonly int[] order;
    private readonly double[] featureBuffer;
    private readonly double[] labelBuffer;
    private readonly Random random;
    private readonly bool shuffle;

    /// <summary>Batches of <paramref name="batchSize"/> samples, shuffled each epoch with <paramref name="seed"/> unless <paramref name="shuffle"/> is false.</summary>
    /// <exception cref="ArgumentNullException">dataset is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is not positive.</exception>
    public BatchIterator(Dataset dataset, int batchSize, int seed, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        this.dataset = dataset;
        this.shuffle = shuffle;
        BatchSize = batchSize;
        random = new Random(seed);
        order = new int[dataset.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        int bufferRows = Math.Min(batchSize, dataset.Count);
        featureBuffer = new double[bufferRows * dataset.FeatureCount];
        labelBuffer = new double[bufferRows];
    }

    /// <summary>The largest number of samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>⌈Count/BatchSize⌉ batches per epoch.</summary>
    public int BatchesPerEpoch => (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Starts an epoch (reshuffling the order) and returns its batches for <c>foreach</c>.</summary>
    public Epoch NextEpoch()
    {
        if (shuffle)
        {
            Shuffling.Shuffle(order, random);
        }

        return new Epoch(this);
    }

    /// <summary>The batches of one epoch.</summary>
    public readonly struct Epoch
    {
        private readonly BatchIterator owner;

        internal Epoch(BatchIterator owner) => this.owner = owner;

        /// <summary>The allocation-free enumerator.</summary>
        public Enumerator GetEnumerator() => new(owner);
    }

    /// <summary>Fills the buffers with the next batch on each <see cref="MoveNext"/>.</summary>
    public struct Enumerator
    {
        private readonly BatchIterator owner;
        private int next;
        private int currentStart;
        private int currentCount;

        internal Enumerator(BatchIterator owner)
        {
            this.owner = owner;
            next = 0;
            currentStart = 0;
            currentCount = 0;
        }

        /// <summary>Copies the next batch into the buffers; false at the end of the epoch.</summary>
        public bool MoveNext()
        {
            Dataset data = owner.dataset;
            if (next >= data.Count)
            {
                return false;
            }

            currentStart = next;
            currentCount = Math.Min(owner.BatchSize, data.Count - next);
            int width = data.FeatureCount;
            for (int i = 0; i < currentCount; i++)
            {
                int sample = owner.order[next + i];
                data.Row(sample).CopyTo(owner.featureBuffer.AsSpan(i * width, width));
                owner.labelBuffer[i] = data.Label(sample);
            }

            next += currentCount;
            return true;
        }

        /// <summary>The current batch (views into the iterator's buffers).</summary>
        public readonly Batch Current => new(
            owner.featureBuffer.AsSpan(0, currentCount * owner.dataset.FeatureCount),
            owner.labelBuffer.AsSpan(0, currentCount),
            owner.order.AsSpan(currentStart, currentCount),
            owner.dataset.FeatureCount);
    }
}

/// <summary>One mini-batch: row-major features, labels, and the dataset indices of its samples.</summary>
public readonly ref struct Batch
{
    internal Batch(ReadOnlySpan<double> features, ReadOnlySpan<double> labels, ReadOnlySpan<int> indices, int featureCount)
    {
        Features = features;
        Labels = labels;
        Indices = indices;
        FeatureCount = featureCount;
    }

    /// <summary>Count × FeatureCount features, row-major.</summary>
    public ReadOnlySpan<double> Features { get; }

    /// <summary>One label per sample.</summary>
    public ReadOnlySpan<double> Labels { get; }

    /// <summary>Which dataset samples these are.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Samples in this batch.</summary>
    public int Count => Labels.Length;

    /// <summary>The features of the batch's sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> Row(int index) => Features.Slice(index * FeatureCount, FeatureCount);
}
