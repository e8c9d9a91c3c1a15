using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Data;

namespace DiffGen.Runtime.Tests;

public class DataTests
{
    public static IEnumerable<object[]> Kinds => Enum.GetValues<PlaygroundDataset>().Select(k => new object[] { k });

    private static Dataset Make(PlaygroundDataset kind, int count, double noise, int seed) => kind switch
    {
        PlaygroundDataset.Circle => Playground.Circle(count, noise, seed),
        PlaygroundDataset.Xor => Playground.Xor(count, noise, seed),
        PlaygroundDataset.TwoGaussians => Playground.TwoGaussians(count, noise, seed),
        _ => Playground.Spiral(count, noise, seed),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Same_seed_same_data_other_seed_other_data(PlaygroundDataset kind)
    {
        Dataset a = Make(kind, 300, 0.2, 7), b = Make(kind, 300, 0.2, 7), c = Make(kind, 300, 0.2, 8);
        Assert.True(a.Features.SequenceEqual(b.Features));
        Assert.True(a.Labels.SequenceEqual(b.Labels));
        Assert.False(a.Features.SequenceEqual(c.Features));

        TrainTestSplit first = Playground.Generate(kind, 300, 0.2, 0.7, 7), second = Playground.Generate(kind, 300, 0.2, 0.7, 7);
        Assert.True(first.Train.Features.SequenceEqual(second.Train.Features));
        Assert.True(first.Test.Labels.SequenceEqual(second.Test.Labels));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Shapes_labels_and_class_balance(PlaygroundDataset kind)
    {
        Dataset data = Make(kind, 1000, 0.1, 3);
        Assert.Equal(1000, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2000, data.Features.Length);
        Assert.All(data.Labels.ToArray(), label => Assert.True(label is 0.0 or 1.0));
        double positives = data.Labels.ToArray().Sum();
        // Circle, Gaussians and spirals are exactly balanced by construction; xor by probability (±5σ).
        if (kind == PlaygroundDataset.Xor)
        {
            Assert.InRange(positives, 500 - 80, 500 + 80);
        }
        else
        {
            Assert.Equal(500.0, positives);
        }

        foreach (double v in data.Features)
        {
            Assert.True(double.IsFinite(v) && Math.Abs(v) < 12.0, $"feature {v}");
        }

        TrainTestSplit split = data.Split(0.8, 1);
        Assert.Equal(800, split.Train.Count);
        Assert.Equal(200, split.Test.Count);
    }

    [Fact]
    public void Split_is_a_partition_of_the_samples()
    {
        Dataset data = Playground.Circle(101, 0.0, 5);
        TrainTestSplit split = data.Split(0.5, 9);
        Assert.Equal(101, split.Train.Count + split.Test.Count);
        var original = Enumerable.Range(0, data.Count).Select(i => (data.Row(i)[0], data.Row(i)[1], data.Label(i))).OrderBy(t => t).ToArray();
        var parts = Enumerable.Range(0, split.Train.Count).Select(i => (split.Train.Row(i)[0], split.Train.Row(i)[1], split.Train.Label(i)))
            .Concat(Enumerable.Range(0, split.Test.Count).Select(i => (split.Test.Row(i)[0], split.Test.Row(i)[1], split.Test.Label(i))))
            .OrderBy(t => t).ToArray();
        Assert.Equal(original, parts);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1.5, 0));
    }

    [Fact]
    public void Noise_free_sets_follow_their_definitions()
    {
        Dataset circle = Playground.Circle(400, 0.0, 1);
        for (int i = 0; i < circle.Count; i++)
        {
            double r = Math.Sqrt(circle.Row(i)[0] * circle.Row(i)[0] + circle.Row(i)[1] * circle.Row(i)[1]);
            Assert.True(circle.Label(i) == 1 ? r <= 2.5 : r >= 3.5 && r <= 5.0, $"r = {r}, label {circle.Label(i)}");
        }

        Dataset xor = Playground.Xor(400, 0.0, 1);
        for (int i = 0; i < xor.Count; i++)
        {
            double x = xor.Row(i)[0], y = xor.Row(i)[1];
            Assert.True(Math.Abs(x) >= 0.3 && Math.Abs(y) >= 0.3);
            Assert.Equal(x * y >= 0 ? 1.0 : 0.0, xor.Label(i));
        }

        // Two spirals: arm two is arm one rotated by π, so its points are the negated points.
        Dataset spirals = Playground.TwoSpirals(200, 0.0, 1, turns: 2.0);
        for (int k = 0; k < 100; k++)
        {
            Assert.Equal(1.0, spirals.Label(k));
            Assert.Equal(0.0, spirals.Label(100 + k));
            Assert.Equal(-spirals.Row(k)[0], spirals.Row(100 + k)[0], 12);
            Assert.Equal(-spirals.Row(k)[1], spirals.Row(100 + k)[1], 12);
        }

        Dataset gaussians = Playground.TwoGaussians(20_000, 0.0, 4);
        double meanX = 0;
        for (int i = 0; i < 10_000; i++)
        {
            meanX += gaussians.Row(i)[0] / 10_000;
        }

        Assert.InRange(meanX, 2.0 - 0.04, 2.0 + 0.04); // σ = √0.5: 5 standard errors is 0.035
    }

    [Fact]
    public void Batches_cover_every_sample_once_per_epoch()
    {
        Dataset data = Playground.Xor(103, 0.1, 2);
        var iterator = new BatchIterator(data, 10, seed: 4);
        Assert.Equal(11, iterator.BatchesPerEpoch);
        int[]? previousOrder = null;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            int batches = 0;
            foreach (Batch batch in iterator.NextEpoch())
            {
                batches++;
                Assert.Equal(batch.Count * 2, batch.Features.Length);
                for (int i = 0; i < batch.Count; i++)
                {
                    int sample = batch.Indices[i];
                    seen.Add(sample);
                    Assert.True(batch.Row(i).SequenceEqual(data.Row(sample)));
                    Assert.Equal(data.Label(sample), batch.Labels[i]);
                }
            }

            Assert.Equal(11, batches);
            Assert.Equal(Enumerable.Range(0, 103), seen.OrderBy(i => i));
            Assert.NotEqual(Enumerable.Range(0, 103), seen); // shuffled
            if (previousOrder is not null)
            {
                Assert.NotEqual(previousOrder, seen.ToArray()); // reshuffled each epoch
            }

            previousOrder = seen.ToArray();
        }
    }

    [Fact]
    public void Batch_order_is_deterministic_for_a_seed()
    {
        Dataset data = Playground.Spiral(50, 0.1, 2);
        int[] Order(int seed)
        {
            var result = new List<int>();
            foreach (Batch batch in new BatchIterator(data, 7, seed).NextEpoch())
            {
                result.AddRange(batch.Indices.ToArray());
            }

            return result.ToArray();
        }

        Assert.Equal(Order(11), Order(11));
        Assert.NotEqual(Order(11), Order(12));
    }

    [Fact]
    public void Batches_allocate_nothing_after_warm_up()
    {
        Dataset data = Playground.Circle(1000, 0.1, 2);
        var iterator = new BatchIterator(data, 32, seed: 1);
        double checksum = 0;
        foreach (Batch batch in iterator.NextEpoch())
        {
            checksum += batch.Labels[0];
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int batches = 0;
        for (int epoch = 0; epoch < 5; epoch++)
        {
            foreach (Batch batch in iterator.NextEpoch())
            {
                checksum += batch.Features[0] + batch.Labels[batch.Count - 1];
                batches++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5 * 32, batches);
        Assert.True(double.IsFinite(checksum));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>("count", () => Playground.Circle(0, 0.1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("noise", () => Playground.Xor(10, 1.5, 1));
        Assert.Throws<ArgumentException>("features", () => new Dataset(new double[5], new double[2], 2));
        Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => new BatchIterator(Playground.Circle(10, 0, 1), 0, 1));
    }
}
