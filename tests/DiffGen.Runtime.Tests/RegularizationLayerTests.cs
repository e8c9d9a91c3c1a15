using System;
using System.Linq;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

/// <summary>Dropout, batch normalization and max-norm: values, and gradients against MathNet's finite differences.</summary>
public sealed class RegularizationLayerTests
{
    private static double[] Random(int n, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    /// <summary>∂/∂vᵢ of a scalar function of a vector, by MathNet's central difference in one coordinate.</summary>
    private static double Partial(Func<double[], double> f, double[] at, int i) =>
        Oracles.MathNetDerivative(t => { var v = (double[])at.Clone(); v[i] = t; return f(v); }, at[i]);

    [Fact]
    public void Dropout_keeps_the_expectation_and_its_gradient_is_the_mask()
    {
        var x = Random(20000, 1);
        var mask = new double[x.Length];
        var y = new double[x.Length];
        Dropout.Forward(Enumerable.Repeat(1.0, x.Length).ToArray(), 0.3, new Random(2), mask, y);
        double kept = mask.Count(m => m != 0) / (double)mask.Length;
        Assert.InRange(kept, 0.69, 0.71);
        Assert.All(mask, m => Assert.True(m == 0 || m == 1 / 0.7));
        Assert.InRange(y.Average(), 0.98, 1.02); // E[y] = x = 1

        var small = Random(6, 3);
        var smallMask = new double[6];
        var smallY = new double[6];
        Dropout.Forward(small, 0.5, new Random(4), smallMask, smallY);
        var weights = Random(6, 5);
        var gradient = new double[6];
        Dropout.Backward(smallMask, weights, gradient);
        // L = Σ wᵢ (x ⊙ mask)ᵢ with the mask held fixed.
        for (int i = 0; i < 6; i++)
        {
            Oracles.AssertClose(Partial(v => v.Select((t, k) => weights[k] * t * smallMask[k]).Sum(), small, i), gradient[i], 1e-9, 1e-12, $"∂/∂x{i}");
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(small, 1.0, new Random(1), smallMask, smallY));
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Dropout.Forward(small, 0.1, new Random(1), smallMask, new double[5])).ParamName);
    }

    [Fact]
    public void Batch_norm_normalizes_each_feature_and_its_gradients_match_finite_differences()
    {
        const int rows = 5, features = 3;
        var x = Random(rows * features, 6, 3.0);
        var layer = new BatchNorm(features);
        layer.Gamma[0] = 1.5;
        layer.Gamma[1] = -0.7;
        layer.Beta[2] = 0.4;
        var y = new double[x.Length];
        layer.Forward(x, y, training: true);
        for (int f = 0; f < features; f++)
        {
            var column = Enumerable.Range(0, rows).Select(r => y[r * features + f]).ToArray();
            double mean = column.Average(), variance = column.Select(v => (v - mean) * (v - mean)).Average();
            Assert.Equal(layer.Beta[f], mean, 1e-14);
            // Var(γx̂) = γ²σ²/(σ² + ε), a hair below γ².
            Assert.InRange(variance, layer.Gamma[f] * layer.Gamma[f] * (1 - 1e-4), layer.Gamma[f] * layer.Gamma[f]);
        }

        var weights = Random(x.Length, 7);
        var dx = new double[x.Length];
        var dGamma = new double[features];
        var dBeta = new double[features];
        layer.Backward(weights, dx, dGamma, dBeta);

        double Loss(double[] input, double[] gamma, double[] beta)
        {
            var probe = new BatchNorm(features);
            gamma.CopyTo(probe.Gamma, 0);
            beta.CopyTo(probe.Beta, 0);
            var output = new double[input.Length];
            probe.Forward(input, output, training: true);
            return output.Select((v, k) => v * weights[k]).Sum();
        }

        for (int k = 0; k < x.Length; k++)
        {
            Oracles.AssertClose(Partial(v => Loss(v, layer.Gamma, layer.Beta), x, k), dx[k], 1e-7, 1e-9, $"∂L/∂x{k}");
        }

        for (int f = 0; f < features; f++)
        {
            Oracles.AssertClose(Partial(g => Loss(x, g, layer.Beta), layer.Gamma, f), dGamma[f], 1e-7, 1e-9, $"∂L/∂γ{f}");
            Oracles.AssertClose(Partial(b => Loss(x, layer.Gamma, b), layer.Beta, f), dBeta[f], 1e-7, 1e-9, $"∂L/∂β{f}");
        }
    }

    [Fact]
    public void Batch_norm_at_inference_uses_the_running_statistics()
    {
        var layer = new BatchNorm(1, epsilon: 1e-5, momentum: 1.0);
        var y = new double[4];
        layer.Forward(new[] { 1.0, 2.0, 3.0, 6.0 }, y, training: true);
        Assert.Equal(3.0, layer.RunningMean[0]);
        Assert.Equal(14.0 / 3.0, layer.RunningVariance[0], 1e-14); // unbiased: Σ(x − 3)² / 3
        var z = new double[1];
        layer.Forward(new[] { 5.0 }, z, training: false);
        Assert.Equal(2.0 / Math.Sqrt(14.0 / 3.0 + 1e-5), z[0], 1e-14);
        Assert.Throws<ArgumentException>(() => layer.Forward(new[] { 1.0 }, new double[1], training: true));
        Assert.Throws<InvalidOperationException>(() => new BatchNorm(2).Backward(new double[2], new double[2], new double[2], new double[2]));
    }

    [Fact]
    public void Max_norm_scales_long_rows_to_the_bound_and_its_backward_matches_finite_differences()
    {
        var weights = new[] { 3.0, 4.0, 0.0, 0.3, 0.4, 0.0 }; // norms 5 and 0.5
        var projected = (double[])weights.Clone();
        Assert.Equal(1, MaxNorm.Apply(projected, rowLength: 3, maxNorm: 2.0));
        Assert.Equal(new[] { 1.2, 1.6, 0.0, 0.3, 0.4, 0.0 }, projected.Select(v => Math.Round(v, 15)).ToArray());

        var w = Random(6, 8, 2.0);
        var upstream = Random(6, 9);
        var gradient = new double[6];
        MaxNorm.Backward(w, 3, 1.0, upstream, gradient);
        double Loss(double[] v)
        {
            var p = (double[])v.Clone();
            MaxNorm.Apply(p, 3, 1.0);
            return p.Select((t, k) => t * upstream[k]).Sum();
        }

        for (int k = 0; k < 6; k++)
        {
            Oracles.AssertClose(Partial(Loss, w, k), gradient[k], 1e-7, 1e-9, $"∂/∂w{k}");
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => MaxNorm.Apply(projected, 4, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxNorm.Apply(projected, 3, 0.0));
    }
}
