using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Losses and networks written as plain C# over spans (log-sum-exp, softmax cross-entropy, ‖x‖³, a 2-3-1
/// MLP, an MLP batch loss, Horner, break/continue, early return, index arithmetic): every generated member
/// against complex step, gradient·v and finite differences of the gradient.
/// </summary>
public class LossModelTests
{
    private static double[] Random(int n, int seed, double scale = 1.0)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    public void Log_sum_exp(int n)
    {
        var oracle = new SpanOracle
        {
            Primal = x => SpanModels.LogSumExp(x),
            Gradient = (x, g) => SpanModels.LogSumExpGradient(x, g),
            Tangent = (x, t) => (SpanModels.LogSumExpTangent(x, t, out double d), d),
            HessianVector = (x, v, hv) => SpanModels.LogSumExpHessianVector(x, v, hv),
            Complex = z => SpanModels.LogSumExp(z),
            Hessian = n <= 10 ? (x, g, h) => SpanModels.LogSumExpHessian(x, g, h) : null,
        };
        var x = Random(n, 11 + n, 3.0);
        var gradient = oracle.Check(x);
        // the gradient is the softmax: positive, sums to one
        Assert.Equal(1.0, gradient.Sum(), 12);
        Assert.All(gradient, p => Assert.True(p > 0));

        // stable at |x| = 1000
        var big = x.Select(v => v + 1000).ToArray();
        var g = new double[n];
        Assert.True(double.IsFinite(SpanModels.LogSumExpGradient(big, g)));
        Assert.Equal(1.0, g.Sum(), 12);
    }

    [Fact]
    public void Softmax_cross_entropy_with_an_int_label()
    {
        for (int label = 0; label < 5; label++)
        {
            int l = label;
            var oracle = new SpanOracle
            {
                Primal = x => SpanModels.SoftmaxCrossEntropy(x, l),
                Gradient = (x, g) => SpanModels.SoftmaxCrossEntropyGradient(x, l, g),
                Tangent = (x, t) => (SpanModels.SoftmaxCrossEntropyTangent(x, l, t, out double d), d),
                HessianVector = (x, v, hv) => SpanModels.SoftmaxCrossEntropyHessianVector(x, l, v, hv),
                Complex = z => SpanModels.SoftmaxCrossEntropy(z, l),
            };
            var x = Random(5, 3 + label, 2.0);
            var gradient = oracle.Check(x);

            // ∂/∂zᵢ = softmax(z)ᵢ − [i = label]
            double m = x.Max();
            double s = x.Sum(v => Math.Exp(v - m));
            for (int i = 0; i < 5; i++)
            {
                SpanOracle.Close(Math.Exp(x[i] - m) / s - (i == label ? 1 : 0), gradient[i], 1e-13, $"softmax − one-hot [{i}]");
            }
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(50)]
    public void Norm_cubed_over_an_array(int n)
    {
        var oracle = new SpanOracle
        {
            Primal = x => SpanModels.NormCubed(x),
            Gradient = (x, g) => SpanModels.NormCubedGradient(x, g),
            Tangent = (x, t) => (SpanModels.NormCubedTangent(x, t, out double d), d),
            HessianVector = (x, v, hv) => SpanModels.NormCubedHessianVector(x, v, hv),
            Complex = z => SpanModels.NormCubed(z),
            Hessian = (x, g, h) => SpanModels.NormCubedHessian(x, g, h),
        };
        var x = Random(n, n);
        var gradient = oracle.Check(x);
        double norm = Math.Sqrt(x.Sum(v => v * v));
        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(3 * norm * x[i], gradient[i], 1e-13, "3‖x‖x");
        }
    }

    [Fact]
    public void Mlp_2_3_1_on_one_sample()
    {
        const double x0 = 0.4, x1 = -1.3, y = 0.25;
        var oracle = new SpanOracle
        {
            Primal = w => SpanModels.Mlp231(w, x0, x1, y),
            Gradient = (w, g) => SpanModels.Mlp231Gradient(w, x0, x1, y, g),
            Tangent = (w, t) => (SpanModels.Mlp231Tangent(w, x0, x1, y, t, out double d), d),
            HessianVector = (w, v, hv) => SpanModels.Mlp231HessianVector(w, x0, x1, y, v, hv),
            Complex = z => SpanModels.Mlp231(z, x0, x1, y),
            Hessian = (w, g, h) => SpanModels.Mlp231Hessian(w, x0, x1, y, g, h),
        };
        oracle.Check(Random(13, 231));
    }

    private static (double[] Inputs, double[] Labels) Blobs(int count, int seed)
    {
        var random = new System.Random(seed);
        var inputs = new double[2 * count];
        var labels = new double[count];
        for (int b = 0; b < count; b++)
        {
            int label = b % 2;
            inputs[2 * b] = (label == 0 ? -1 : 1) + 0.6 * (2 * random.NextDouble() - 1);
            inputs[2 * b + 1] = (label == 0 ? 1 : -1) + 0.6 * (2 * random.NextDouble() - 1);
            labels[b] = label;
        }

        return (inputs, labels);
    }

    [Fact]
    public void Mlp_batch_loss_over_a_flattened_parameter_span()
    {
        const int hidden = 4;
        var (inputs, labels) = Blobs(16, 5);
        var oracle = new SpanOracle
        {
            Primal = t => SpanModels.MlpBatchLoss(t, inputs, labels, hidden),
            Gradient = (t, g) => SpanModels.MlpBatchLossGradient(t, inputs, labels, hidden, g),
            Tangent = (t, d) => (SpanModels.MlpBatchLossTangent(t, inputs, labels, hidden, d, out double r), r),
            HessianVector = (t, v, hv) => SpanModels.MlpBatchLossHessianVector(t, inputs, labels, hidden, v, hv),
            Complex = z => SpanModels.MlpBatchLoss(z, inputs, labels, hidden), // [NoDiff] data stays a span of double
            Hessian = (t, g, h) => SpanModels.MlpBatchLossHessian(t, inputs, labels, hidden, g, h),
        };
        oracle.Check(Random(4 * hidden + 1, 17, 0.8));
    }

    [Fact]
    public void Mlp_batch_loss_trains_with_its_generated_gradient()
    {
        const int hidden = 8;
        var (inputs, labels) = Blobs(64, 9);
        var theta = Random(4 * hidden + 1, 3, 0.5);
        var g = new double[theta.Length];
        double first = SpanModels.MlpBatchLossGradient(theta, inputs, labels, hidden, g);
        double loss = first;
        for (int step = 0; step < 300; step++)
        {
            loss = SpanModels.MlpBatchLossGradient(theta, inputs, labels, hidden, g);
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] -= 0.5 * g[i];
            }
        }

        Assert.True(loss < 0.1 * first, $"loss {first} → {loss}");
    }

    [Fact]
    public void Horner_counts_down_and_differentiates_in_the_scalar_too()
    {
        // flattened inputs: c₀ … c₄, then t
        static double F(double[] x) => SpanModels.Horner(x.AsSpan(0, 5), x[5]);
        var oracle = new SpanOracle
        {
            Primal = F,
            Gradient = (x, g) => { double v = SpanModels.HornerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), out double dt); g[5] = dt; return v; },
            Tangent = (x, t) => (SpanModels.HornerTangent(x.AsSpan(0, 5), x[5], t.AsSpan(0, 5), t[5], out double d), d),
            HessianVector = (x, v, hv) => { double r = SpanModels.HornerHessianVector(x.AsSpan(0, 5), x[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out double h); hv[5] = h; return r; },
            Complex = z => SpanModels.Horner(z.AsSpan(0, 5), z[5]),
            Hessian = (x, g, h) => SpanModels.HornerHessian(x.AsSpan(0, 5), x[5], g, h),
        };
        var x = new[] { 0.5, -1.0, 2.0, 0.25, -0.75, 1.3 };
        var gradient = oracle.Check(x);
        for (int i = 0; i < 5; i++)
        {
            SpanOracle.Close(Math.Pow(1.3, i), gradient[i], 1e-14, $"∂/∂c{i} = tⁱ");
        }
    }

    [Fact]
    public void Break_and_continue_are_replayed()
    {
        foreach (double limit in new[] { 0.5, 2.0, 100.0 })
        {
            var oracle = new SpanOracle
            {
                Primal = x => SpanModels.SquaresUntil(x, limit),
                Gradient = (x, g) => SpanModels.SquaresUntilGradient(x, limit, g),
                Tangent = (x, t) => (SpanModels.SquaresUntilTangent(x, limit, t, out double d), d),
                HessianVector = (x, v, hv) => SpanModels.SquaresUntilHessianVector(x, limit, v, hv),
                Complex = z => SpanModels.SquaresUntil(z.ToArray(), limit),
            };
            var x = new[] { 0.7, -0.3, 0.9, 0.2, -1.1, 1.4, 0.6 };
            var gradient = oracle.Check(x);
            Assert.Equal(0.0, gradient[1]); // skipped by continue
            if (limit < 1)
            {
                Assert.All(gradient.Skip(3), d => Assert.Equal(0.0, d)); // after the break
            }
        }
    }

    [Fact]
    public void Early_return_inside_a_loop()
    {
        foreach (double threshold in new[] { 0.5, 5.0 })
        {
            var oracle = new SpanOracle
            {
                Primal = x => SpanModels.FirstAbove(x, threshold),
                Gradient = (x, g) => SpanModels.FirstAboveGradient(x, threshold, g),
                Tangent = (x, t) => (SpanModels.FirstAboveTangent(x, threshold, t, out double d), d),
                HessianVector = (x, v, hv) => SpanModels.FirstAboveHessianVector(x, threshold, v, hv),
                Complex = z => SpanModels.FirstAbove(z, threshold),
            };
            var gradient = oracle.Check(new[] { 0.1, -0.4, 0.3, 0.8, 0.2, 1.7 });
            if (threshold < 1)
            {
                SpanOracle.Close(1.6, gradient[3], 1e-14, "2·x₃ at the return");
                Assert.Equal(0.0, gradient[4]);
            }
        }
    }

    [Fact]
    public void Integer_index_arithmetic_and_a_local_span()
    {
        foreach (int stride in new[] { 1, 3 })
        {
            int s = stride;
            var oracle = new SpanOracle
            {
                Primal = x => SpanModels.Shuffled(x, s),
                Gradient = (x, g) => SpanModels.ShuffledGradient(x, s, g),
                Tangent = (x, t) => (SpanModels.ShuffledTangent(x, s, t, out double d), d),
                HessianVector = (x, v, hv) => SpanModels.ShuffledHessianVector(x, s, v, hv),
                Complex = z => SpanModels.Shuffled(z, s),
            };
            oracle.Check(Random(9, stride));
            oracle.Check(Random(700, stride)); // the local span goes to the pool
        }
    }

    [Fact]
    public void Batch_loss_gradient_allocates_nothing_in_steady_state()
    {
        const int hidden = 8;
        var (inputs, labels) = Blobs(1000, 2);
        var theta = Random(4 * hidden + 1, 1);
        var g = new double[theta.Length];
        var x = Random(1000, 4);
        var gx = new double[1000];
        for (int k = 0; k < 5; k++)
        {
            SpanModels.MlpBatchLossGradient(theta, inputs, labels, hidden, g);
            SpanModels.LogSumExpGradient(x, gx);
            SpanModels.ShuffledGradient(x, 3, gx);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++)
        {
            SpanModels.MlpBatchLossGradient(theta, inputs, labels, hidden, g);
            SpanModels.LogSumExpGradient(x, gx);
            SpanModels.ShuffledGradient(x, 3, gx);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
