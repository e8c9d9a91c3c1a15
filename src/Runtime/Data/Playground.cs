using System;

namespace DiffGen.Data;

/// <summary>The four classification data sets of the TensorFlow playground.</summary>
public enum PlaygroundDataset
{
    /// <summary>A disc (label 1) inside a ring (label 0).</summary>
    Circle,

    /// <summary>Four quadrants: label 1 where x·y ≥ 0.</summary>
    Xor,

    /// <summary>Two Gaussian blobs at (2, 2) (label 1) and (−2, −2) (label 0).</summary>
    TwoGaussians,

    /// <summary>Two interleaved spirals.</summary>
    Spiral,
}

/// <summary>
/// The TensorFlow-playground data sets: two features (x, y) in roughly [−6, 6]², labels 0 or 1,
/// generated from a seed (the same seed gives the same samples). <c>noise</c> ∈ [0, 1] adds
/// U(−1, 1)·noise·5 to each coordinate (the playground's 0–50 % slider is 0–0.5); for the Gaussians
/// it widens the blobs instead. Samples come grouped by how they were drawn: use
/// <see cref="Dataset.Split"/> or <see cref="BatchIterator"/>, which shuffle.
/// </summary>
public static class Playground
{
    private const double Radius = 5.0;

    /// <summary>Generates <paramref name="kind"/> and splits it with <see cref="Dataset.Split"/> (same seed).</summary>
    public static TrainTestSplit Generate(PlaygroundDataset kind, int count, double noise, double trainRatio, int seed)
    {
        Dataset all = kind switch
        {
            PlaygroundDataset.Circle => Circle(count, noise, seed),
            PlaygroundDataset.Xor => Xor(count, noise, seed),
            PlaygroundDataset.TwoGaussians => TwoGaussians(count, noise, seed),
            PlaygroundDataset.Spiral => Spiral(count, noise, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data set."),
        };
        return all.Split(trainRatio, seed);
    }

    /// <summary>
    /// count/2 points with radius U(0, 2.5) (label 1) and the rest with radius U(3.5, 5) (label 0), at
    /// uniform angles.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not positive or noise is outside [0, 1].</exception>
    public static Dataset Circle(int count, double noise, int seed)
    {
        var builder = new Builder(count, noise, seed);
        for (int i = 0; i < count; i++)
        {
            bool inner = i < count / 2;
            double r = inner ? builder.Uniform(0, 0.5 * Radius) : builder.Uniform(0.7 * Radius, Radius);
            double angle = builder.Uniform(0, 2 * Math.PI);
            builder.Add(r * Math.Sin(angle) + builder.Noise(), r * Math.Cos(angle) + builder.Noise(), inner ? 1 : 0);
        }

        return builder.Build();
    }

    /// <summary>
    /// Points uniform in [−5, 5]², pushed 0.3 away from the axes; label 1 where x·y ≥ 0 (decided before noise).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not positive or noise is outside [0, 1].</exception>
    public static Dataset Xor(int count, double noise, int seed)
    {
        const double padding = 0.3;
        var builder = new Builder(count, noise, seed);
        for (int i = 0; i < count; i++)
        {
            double x = builder.Uniform(-Radius, Radius);
            double y = builder.Uniform(-Radius, Radius);
            x += x > 0 ? padding : -padding;
            y += y > 0 ? padding : -padding;
            builder.Add(x + builder.Noise(), y + builder.Noise(), x * y >= 0 ? 1 : 0);
        }

        return builder.Build();
    }

    /// <summary>
    /// count/2 points from N((2, 2), σ²I) (label 1) and the rest from N((−2, −2), σ²I) (label 0), with
    /// variance σ² = 0.5 + 7·noise (0.5 to 4 over the playground's range 0–0.5).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not positive or noise is outside [0, 1].</exception>
    public static Dataset TwoGaussians(int count, double noise, int seed)
    {
        var builder = new Builder(count, noise, seed);
        double sigma = Math.Sqrt(0.5 + 7.0 * noise);
        for (int i = 0; i < count; i++)
        {
            bool positive = i < count / 2;
            double center = positive ? 2.0 : -2.0;
            builder.Add(center + sigma * builder.Gaussian(), center + sigma * builder.Gaussian(), positive ? 1 : 0);
        }

        return builder.Build();
    }

    /// <summary>The playground's spiral: <see cref="TwoSpirals"/> with 1.75 turns and radius 5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not positive or noise is outside [0, 1].</exception>
    public static Dataset Spiral(int count, double noise, int seed) => TwoSpirals(count, noise, seed, turns: 1.75);

    /// <summary>
    /// Two interleaved spirals for classification: for k = 0 … m − 1 in each arm (m = count/2, the
    /// second arm gets the remainder), radius r = 5k/m and angle t = 2π·turns·k/m (+π for the second
    /// arm); the point is (r·sin t, r·cos t) plus noise. Arm one has label 1, arm two label 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not positive, noise is outside [0, 1] or turns is not positive.</exception>
    public static Dataset TwoSpirals(int count, double noise, int seed, double turns = 1.75)
    {
        if (!(turns > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(turns), turns, "The number of turns must be positive.");
        }

        var builder = new Builder(count, noise, seed);
        int firstArm = count / 2;
        AddArm(builder, firstArm, turns, phase: 0.0, label: 1);
        AddArm(builder, count - firstArm, turns, phase: Math.PI, label: 0);
        return builder.Build();
    }

    private static void AddArm(Builder builder, int points, double turns, double phase, int label)
    {
        for (int k = 0; k < points; k++)
        {
            double fraction = (double)k / points;
            double r = Radius * fraction;
            double t = 2 * Math.PI * turns * fraction + phase;
            builder.Add(r * Math.Sin(t) + builder.Noise(), r * Math.Cos(t) + builder.Noise(), label);
        }
    }

    private sealed class Builder
    {
        private readonly double[] features;
        private readonly double[] labels;
        private readonly double noise;
        private readonly Random random;
        private int count;
        private double spareGaussian = double.NaN;

        public Builder(int capacity, double noise, int seed)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity, "count");
            if (!(noise >= 0 && noise <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(noise), noise, "Noise must lie in [0, 1].");
            }

            features = new double[2 * capacity];
            labels = new double[capacity];
            this.noise = noise;
            random = new Random(seed);
        }

        public double Uniform(double low, double high) => low + (high - low) * random.NextDouble();

        public double Noise() => noise == 0 ? 0.0 : Uniform(-1, 1) * noise * Radius;

        /// <summary>A standard normal deviate by Box–Muller (the second of each pair is kept for the next call).</summary>
        public double Gaussian()
        {
            if (!double.IsNaN(spareGaussian))
            {
                double spare = spareGaussian;
                spareGaussian = double.NaN;
                return spare;
            }

            BoxMuller.Pair(random, out double first, out spareGaussian);
            return first;
        }

        public void Add(double x, double y, int label)
        {
            features[2 * count] = x;
            features[2 * count + 1] = y;
            labels[count] = label;
            count++;
        }

        public Dataset Build() => new(features, labels, 2);
    }
}

/// <summary>Box–Muller: from u₁ ∈ (0, 1], u₂ ∈ [0, 1), r = √(−2 ln u₁) gives r·cos 2πu₂ and r·sin 2πu₂, two independent N(0, 1).</summary>
internal static class BoxMuller
{
    public static void Pair(Random random, out double first, out double second)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: ln u₁ is finite
        double u2 = random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        first = r * Math.Cos(2.0 * Math.PI * u2);
        second = r * Math.Sin(2.0 * Math.PI * u2);
    }
}
