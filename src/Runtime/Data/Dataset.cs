using System;
using DiffGen.Numerics;

namespace DiffGen.Data;

/// <summary>
/// Samples with a fixed number of features: <see cref="Features"/> is row-major
/// (sample i occupies [i·FeatureCount, (i + 1)·FeatureCount)), one label per sample.
/// </summary>
public sealed class Dataset
{
    private readonly double[] features;
    private readonly double[] labels;

    /// <summary>Wraps the arrays (no copy): features.Length must be labels.Length × featureCount.</summary>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">featureCount is not positive.</exception>
    /// <exception cref="ArgumentException">The lengths do not match, or a value is NaN or infinite.</exception>
    public Dataset(double[] features, double[] labels, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.Length != labels.Length * featureCount)
        {
            throw new ArgumentException($"features has {features.Length} values; {labels.Length} samples × {featureCount} features need {labels.Length * featureCount}.", nameof(features));
        }

        Require.Finite(features, nameof(features));
        Require.Finite(labels, nameof(labels));
        this.features = features;
        this.labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>The number of samples.</summary>
    public int Count => labels.Length;

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>All features, row-major.</summary>
    public ReadOnlySpan<double> Features => features;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<double> Labels => labels;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> Row(int index) => features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    public double Label(int index) => labels[index];

    /// <summary>
    /// Shuffles the samples with a seeded Fisher–Yates permutation and puts the first
    /// round(Count·trainRatio) in <see cref="TrainTestSplit.Train"/>, the rest in
    /// <see cref="TrainTestSplit.Test"/>. The same seed gives the same split.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">trainRatio is outside [0, 1].</exception>
    public TrainTestSplit Split(double trainRatio, int seed)
    {
        if (!(trainRatio >= 0 && trainRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainRatio), trainRatio, "The train ratio must lie in [0, 1].");
        }

        int[] order = Shuffling.Permutation(Count, new Random(seed));
        int trainCount = (int)Math.Round(Count * trainRatio);
        return new TrainTestSplit(Subset(order.AsSpan(0, trainCount)), Subset(order.AsSpan(trainCount)));
    }

    private Dataset Subset(ReadOnlySpan<int> indices)
    {
        var subsetFeatures = new double[indices.Length * FeatureCount];
        var subsetLabels = new double[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Row(indices[i]).CopyTo(subsetFeatures.AsSpan(i * FeatureCount, FeatureCount));
            subsetLabels[i] = labels[indices[i]];
        }

        return new Dataset(subsetFeatures, subsetLabels, FeatureCount);
    }
}

/// <summary>A training set and a held-out test set.</summary>
/// <param name="Train">The samples to train on.</param>
/// <param name="Test">The samples to evaluate on.</param>
public sealed record TrainTestSplit(Dataset Train, Dataset Test);

internal static class Shuffling
{
    /// <summary>The identity permutation of 0 … n − 1, shuffled.</summary>
    public static int[] Permutation(int n, Random random)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Shuffle(order, random);
        return order;
    }

    /// <summary>Fisher–Yates: for i from n − 1 down to 1, swap item i with a uniform j ∈ [0, i].</summary>
    public static void Shuffle(Span<int> items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
