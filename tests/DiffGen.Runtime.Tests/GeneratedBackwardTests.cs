using System;
using System.Linq;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

/// <summary>
/// The Nn backward passes, which are the generator's vector-Jacobian products of the forward functions, against
/// closed forms and MathNet's finite differences of the public forward functions; the tie rule of maxout in both orders.
/// </summary>
public sealed class GeneratedBackwardTests
{
    private static double[] Wave(int n, double scale, double shift = 0.0) =>
        Enumerable.Range(0, n).Select(i => shift + scale * Math.Sin(1.7 * i + 0.3)).ToArray();

    /// <summary>∂/∂xₖ of Σᵢ uᵢ·fᵢ(x) by MathNet's central difference of the forward function f.</summary>
    private static double FiniteDifferenceVjp(Action<double[], double[]> forward, int outputs, double[] x, double[] upstream, int k) =>
        Oracles.MathNetDerivative(t =>
        {
            var probe = (double[])x.Clone();
            probe[k] = t;
            var y = new double[outputs];
            forward(probe, y);
            return y.Select((v, i) => upstream[i] * v).Sum();
        }, x[k]);

    private static double[] Forward(Action<double[], double[]> forward, double[] x)
    {
        var y = new double[x.Length];
        forward(x, y);
        return y;
    }

    /// <summary>
    /// These functions' Jacobians do not change when every input moves by the same amount: the gradient at a large
    /// shift (where a finite difference's step is too coarse) equals the gradient at the unshifted inputs.
    /// </summary>
    private static void AssertShiftInvariant(int n, double shift, double[] shifted, Action<double[], double[]> backward)
    {
        var unshifted = new double[n];
        backward(Wave(n, 3.0), unshifted);
        for (int i = 0; i < n; i++)
        {
            Oracles.AssertClose(unshifted[i], shifted[i], 1e-10, 1e-13, $"x̄[{i}] at shift {shift}");
        }
    }

    /// <summary>
    /// A backward pass that takes the forward output (softmax, log softmax) against its closed form at inputs of
    /// magnitude 3 around <paramref name="shift"/>, and against MathNet's finite differences of the forward function
    /// (unshifted) or the unshifted gradient (shifted).
    /// </summary>
    private static void AssertBackward(int n, double shift, Action<double[], double[]> forward, Action<double[], double[], double[]> backward,
        Func<double[], double[], int, double> closedForm, double relative)
    {
        double[] x = Wave(n, 3.0, shift), u = Wave(n, 1.0, 0.2);
        var dx = new double[n];
        var y = Forward(forward, x);
        backward(y, u, dx);
        for (int i = 0; i < n; i++)
        {
            Oracles.AssertClose(closedForm(y, u, i), dx[i], relative, 1e-17, $"x̄[{i}]");
        }

        if (shift != 0.0)
        {
            AssertShiftInvariant(n, shift, dx, (input, gradient) => backward(Forward(forward, input), u, gradient));
            return;
        }

        for (int k = 0; k < Math.Min(n, 7); k++)
        {
            Oracles.AssertClose(FiniteDifferenceVjp(forward, n, x, u, k), dx[k], 1e-7, 1e-9, $"x̄[{k}] vs MathNet");
        }
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(7, 0.0)]
    [InlineData(7, 700.0)]
    [InlineData(7, -700.0)]
    [InlineData(600, 0.0)]
    public void Softmax_backward_is_diag_y_minus_y_yT_applied_to_the_upstream(int n, double shift) =>
        AssertBackward(n, shift, (x, y) => Activations.Softmax(x, y), (y, u, dx) => Activations.SoftmaxBackward(y, u, dx),
            (y, u, i) => y[i] * u[i] - y[i] * y.Select((v, j) => v * u[j]).Sum(), 1e-13);

    [Fact]
    public void Softmax_backward_gives_0_to_an_output_that_underflowed_to_0()
    {
        double[] x = { 1000.0, 1000.0, -1000.0 }, u = { 0.3, -0.9, 2.0 };
        var y = new double[3];
        Activations.Softmax(x, y);
        Assert.Equal(0.0, y[2]);
        var dx = new double[3];
        Activations.SoftmaxBackward(y, u, dx);
        // diag(y) − y yᵀ with y = (½, ½, 0): x̄ = (½(u₀ − ū), ½(u₁ − ū), 0), ū = (u₀ + u₁)/2.
        Oracles.AssertClose(0.3, dx[0], 1e-15, 0, "x̄[0]");
        Oracles.AssertClose(-0.3, dx[1], 1e-15, 0, "x̄[1]");
        Assert.Equal(0.0, dx[2]);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(7, 0.0)]
    [InlineData(7, 900.0)]
    [InlineData(600, 0.0)]
    public void Log_softmax_backward_is_u_minus_softmax_times_the_upstream_sum(int n, double shift) =>
        AssertBackward(n, shift, (x, l) => Activations.LogSoftmax(x, l), (l, u, dx) => Activations.LogSoftmaxBackward(l, u, dx),
            (l, u, i) => u[i] - Math.Exp(l[i]) * u.Sum(), 1e-12);

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(7, 0.0)]
    [InlineData(7, -900.0)]
    public void Log_sum_exp_backward_is_the_upstream_times_softmax(int n, double shift)
    {
        double[] x = Wave(n, 3.0, shift);
        var dx = new double[n];
        Activations.LogSumExpBackward(x, -1.5, dx);
        var y = new double[n];
        Activations.Softmax(x, y);
        for (int k = 0; k < n; k++)
        {
            Oracles.AssertClose(-1.5 * y[k], dx[k], 1e-13, 1e-300, $"x̄[{k}]");
        }

        if (shift != 0.0)
        {
            AssertShiftInvariant(n, shift, dx, (input, gradient) => Activations.LogSumExpBackward(input, -1.5, gradient));
            return;
        }

        for (int k = 0; k < n; k++)
        {
            Oracles.AssertClose(FiniteDifferenceVjp((a, b) => b[0] = Activations.LogSumExp(a), 1, x, new[] { -1.5 }, k), dx[k], 1e-7, 1e-9, $"x̄[{k}] vs MathNet");
        }
    }

    [Fact]
    public void Log_sum_exp_of_infinities_is_the_infinite_maximum()
    {
        Assert.Equal(double.PositiveInfinity, Activations.LogSumExp(new[] { 1.0, double.PositiveInfinity }));
        Assert.Equal(double.NegativeInfinity, Activations.LogSumExp(new[] { double.NegativeInfinity, double.NegativeInfinity }));
        Assert.Equal(0.0, Activations.LogSumExp(new[] { double.NegativeInfinity, 0.0 }));
        Assert.True(double.IsNaN(Activations.LogSumExp(new[] { double.NaN, 1.0 })));
    }

    [Fact]
    public void Maxout_backward_matches_finite_differences_away_from_ties()
    {
        double[] x = Wave(12, 2.0), u = Wave(4, 1.0, 0.5);
        var dx = new double[12];
        Activations.MaxoutBackward(x, 3, u, dx);
        for (int k = 0; k < 12; k++)
        {
            Oracles.AssertClose(FiniteDifferenceVjp((a, b) => Activations.Maxout(a, 3, b), 4, x, u, k), dx[k], 1e-7, 1e-9, $"x̄[{k}]");
        }
    }

    [Theory]
    // Two tied maxima get half each, whichever comes first (Math.Max's rule in generated code); the rest 0.
    [InlineData(new[] { 2.0, 2.0, 1.0 }, new[] { 0.5, 0.5, 0.0 })]
    [InlineData(new[] { 1.0, 2.0, 2.0 }, new[] { 0.0, 0.5, 0.5 })]
    [InlineData(new[] { 2.0, 1.0, 2.0 }, new[] { 0.5, 0.0, 0.5 })]
    // Three: the running max halves at each tie, so the last gets ½ and the first two ¼.
    [InlineData(new[] { 2.0, 2.0, 2.0 }, new[] { 0.25, 0.25, 0.5 })]
    public void Maxout_backward_splits_a_tie_as_Math_Max_does(double[] group, double[] share)
    {
        var dx = new double[3];
        Activations.MaxoutBackward(group, 3, new[] { 8.0 }, dx);
        Assert.Equal(share.Select(s => 8.0 * s).ToArray(), dx);
        var y = new double[1];
        Activations.Maxout(group, 3, y);
        Assert.Equal(2.0, y[0]);
    }

    [Fact]
    public void Softmax_cross_entropy_gradients_match_finite_differences()
    {
        double[] z = Wave(6, 2.5), t = { 0.1, 0.0, 0.5, 0.2, 0.0, 0.2 };
        var byLabel = new double[6];
        var byTarget = new double[6];
        Losses.SoftmaxCrossEntropy(z, 4, byLabel);
        Losses.SoftmaxCrossEntropy(z, (ReadOnlySpan<double>)t, byTarget);
        for (int k = 0; k < 6; k++)
        {
            Oracles.AssertClose(FiniteDifferenceVjp((a, b) => b[0] = Losses.SoftmaxCrossEntropy(a, 4), 1, z, new[] { 1.0 }, k), byLabel[k], 1e-7, 1e-9, $"label ∂/∂z{k}");
            Oracles.AssertClose(FiniteDifferenceVjp((a, b) => b[0] = Losses.SoftmaxCrossEntropy(a, (ReadOnlySpan<double>)t), 1, z, new[] { 1.0 }, k), byTarget[k], 1e-7, 1e-9, $"target ∂/∂z{k}");
        }
    }

    [Fact]
    public void Max_norm_backward_passes_the_upstream_through_a_row_on_the_bound()
    {
        double[] w = { 3.0, 4.0, 0.0, 6.0, 8.0, 0.0 }; // norms 5 (on the bound) and 10 (scaled)
        double[] u = { 0.7, -0.2, 1.1, 0.5, 0.5, -1.0 };
        var dw = new double[6];
        MaxNorm.Backward(w, 3, 5.0, u, dw);
        Assert.Equal(u.Take(3), dw.Take(3));
        // (c/‖w‖)(u − w (w·u)/‖w‖²) with c/‖w‖ = ½, w·u = 7, ‖w‖² = 100.
        double[] scaled = { 0.5 * (0.5 - 6.0 * 0.07), 0.5 * (0.5 - 8.0 * 0.07), 0.5 * -1.0 };
        for (int i = 0; i < 3; i++)
        {
            Oracles.AssertClose(scaled[i], dw[3 + i], 1e-15, 1e-17, $"w̄[{3 + i}]");
        }
    }

    [Fact]
    public void Batch_norm_backward_sees_the_batch_of_its_last_training_pass()
    {
        const int features = 2;
        var layer = new BatchNorm(features);
        layer.Gamma[1] = 2.0;
        var first = Wave(8, 1.5);
        var y = new double[8];
        layer.Forward(first, y, training: true);
        layer.Forward(Wave(6, 0.5, 1.0), new double[6], training: false); // inference does not replace the cached batch
        var upstream = Wave(8, 1.0, 0.1);
        var dx = new double[8];
        layer.Backward(upstream, dx, new double[features], new double[features]);

        double Loss(double[] input)
        {
            var probe = new BatchNorm(features);
            layer.Gamma.CopyTo(probe.Gamma, 0);
            var output = new double[input.Length];
            probe.Forward(input, output, training: true);
            return output.Select((v, k) => v * upstream[k]).Sum();
        }

        for (int k = 0; k < 8; k++)
        {
            Oracles.AssertClose(FiniteDifferenceVjp((a, b) => b[0] = Loss(a), 1, first, new[] { 1.0 }, k), dx[k], 1e-7, 1e-9, $"x̄[{k}]");
        }
    }

    [Fact]
    public void Batch_norm_backward_with_many_features_is_the_closed_form()
    {
        // 2 × 300 statistics: past the 512 values the generated product keeps on the stack.
        const int rows = 3, features = 300;
        var layer = new BatchNorm(features);
        for (int f = 0; f < features; f++)
        {
            layer.Gamma[f] = 1.0 + 0.5 * Math.Cos(f);
        }

        var x = Wave(rows * features, 2.0);
        layer.Forward(x, new double[x.Length], training: true);
        var dy = Wave(rows * features, 1.0, 0.3);
        var dx = new double[x.Length];
        var dGamma = new double[features];
        var dBeta = new double[features];
        layer.Backward(dy, dx, dGamma, dBeta);
        for (int f = 0; f < features; f++)
        {
            var column = Enumerable.Range(0, rows).Select(r => r * features + f).ToArray();
            double mean = column.Average(k => x[k]);
            double inverse = 1.0 / Math.Sqrt(column.Average(k => (x[k] - mean) * (x[k] - mean)) + layer.Epsilon);
            double sum = column.Sum(k => dy[k]), sumNormalized = column.Sum(k => dy[k] * (x[k] - mean) * inverse);
            Oracles.AssertClose(sum, dBeta[f], 1e-13, 1e-15, $"β̄[{f}]");
            Oracles.AssertClose(sumNormalized, dGamma[f], 1e-12, 1e-14, $"γ̄[{f}]");
            foreach (int k in column)
            {
                double expected = layer.Gamma[f] * inverse / rows * (rows * dy[k] - sum - (x[k] - mean) * inverse * sumNormalized);
                Oracles.AssertClose(expected, dx[k], 1e-11, 1e-13, $"x̄[{k}]");
            }
        }
    }
}
