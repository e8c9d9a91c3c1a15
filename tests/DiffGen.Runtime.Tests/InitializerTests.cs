using System;
using System.Linq;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

public class InitializerTests
{
    private const int N = 40_000;

    private static (double Mean, double Variance) Moments(double[] w)
    {
        double mean = w.Average();
        return (mean, w.Sum(v => (v - mean) * (v - mean)) / (w.Length - 1));
    }

    [Theory]
    [InlineData(64, 32)]
    [InlineData(3, 500)]
    public void Xavier_uniform_has_the_stated_bound_and_variance(int fanIn, int fanOut)
    {
        double[] w = new double[N];
        Initializers.XavierUniform(w, fanIn, fanOut, seed: 1);
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
        (double mean, double variance) = Moments(w);
        double expected = 2.0 / (fanIn + fanOut);
        Assert.InRange(mean, -5 * Math.Sqrt(expected / N), 5 * Math.Sqrt(expected / N));
        Assert.InRange(variance / expected, 0.97, 1.03);
    }

    [Fact]
    public void Xavier_normal_and_He_normal_have_the_stated_standard_deviation_and_shape()
    {
        double[] xavier = new double[N], he = new double[N + 1]; // odd length: the last Box–Muller pair is half used
        Initializers.XavierNormal(xavier, 100, 50, seed: 2);
        Initializers.HeNormal(he, 100, seed: 3);
        (double _, double xavierVariance) = Moments(xavier);
        (double heMean, double heVariance) = Moments(he);
        Assert.InRange(xavierVariance / (2.0 / 150), 0.97, 1.03);
        Assert.InRange(heVariance / (2.0 / 100), 0.97, 1.03);
        Assert.InRange(heMean, -5 * Math.Sqrt(0.02 / N), 5 * Math.Sqrt(0.02 / N));
        // Normal shape: about 68.27 % within one σ and 95.45 % within two.
        double sigma = Math.Sqrt(2.0 / 100);
        Assert.InRange(he.Count(v => Math.Abs(v) < sigma) / (double)he.Length, 0.6827 - 0.012, 0.6827 + 0.012);
        Assert.InRange(he.Count(v => Math.Abs(v) < 2 * sigma) / (double)he.Length, 0.9545 - 0.006, 0.9545 + 0.006);
    }

    [Fact]
    public void He_uniform_bound()
    {
        double[] w = new double[N];
        Initializers.HeUniform(w, 50, seed: 4);
        double limit = Math.Sqrt(6.0 / 50);
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
        Assert.True(w.Max() > 0.99 * limit && w.Min() < -0.99 * limit);
        Assert.InRange(Moments(w).Variance / (2.0 / 50), 0.97, 1.03);
    }

    [Fact]
    public void Seeded_and_deterministic()
    {
        double[] a = new double[100], b = new double[100], c = new double[100];
        Initializers.XavierNormal(a, 10, 10, seed: 5);
        Initializers.XavierNormal(b, 10, 10, seed: 5);
        Initializers.XavierNormal(c, 10, 10, seed: 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.HeNormal(a, 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.XavierUniform(a, 10, 0, seed: 1));
    }
}
