using System;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// float methods over spans and arrays with loops kept as loops (issue 12, item 6): values bit-equal to the
/// primal, gradients, tangents and Hessians against complex step through the Complex overload (double),
/// within the float tolerance documented in <see cref="FloatTests"/>.
/// </summary>
public class FloatSpanTests
{
    private const int Points = 50;

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FloatSpanTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(600)] // past the stack limit of generated scratch spans (512)
    public void Float_dot_product_loss_matches_the_primal_and_complex_step(int n)
    {
        var random = new Random(n);
        var w = new float[n];
        var x = new float[n];
        var dw = new float[n];
        var tw = new float[n];
        double worst = 0;
        for (int k = 0; k < Points; k++)
        {
            Fill(random, w, 1f);
            Fill(random, x, 1f);
            Fill(random, tw, 1f);
            float b = FloatTests.Draw(random, 1f), tb = FloatTests.Draw(random, 1f);
            const float y = 3f; // beyond |w·x + b| for most draws: the residual does not cancel (see FloatTests)

            float value = FloatSpanModels.DotLoss(w, x, b, y);
            FloatTests.AssertSameBits(value, FloatSpanModels.DotLossGradient(w, x, b, y, dw, out float db), "gradient's value");
            FloatTests.AssertSameBits(value, FloatSpanModels.DotLossTangent(w, x, b, y, tw, tb, out float tangent), "tangent's value");

            // complex step in double through the Complex overload: w and b perturbed one at a time
            var exact = new double[n + 1];
            var zw = new Complex[n];
            for (int i = 0; i <= n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    zw[j] = new Complex(w[j], j == i ? H : 0.0);
                }

                exact[i] = FloatSpanModels.DotLoss(zw, x, new Complex(b, i == n ? H : 0.0), y).Imaginary / H;
            }

            var actual = new double[n + 1];
            double directional = 0, magnitude = 0;
            for (int i = 0; i <= n; i++)
            {
                actual[i] = i < n ? dw[i] : db;
                double t = i < n ? tw[i] : tb;
                directional += exact[i] * t;
                magnitude += Math.Abs(exact[i] * t);
            }

            // Every derivative is e·(…), and e = w·x + b − y is the primal's own float sum of n + 1 terms, whose
            // rounding error is bounded by (n + 1)·u·Σ|terms| (u = 2⁻²⁴): relative to e, that is the sum's
            // condition, which the float program has whatever its derivative code (it is 1e-4 and more at n = 600).
            double e = b - (double)y, terms = Math.Abs(b) + Math.Abs(y);
            for (int i = 0; i < n; i++)
            {
                e += (double)w[i] * x[i];
                terms += Math.Abs((double)w[i] * x[i]);
            }

            double allowed = FloatTests.Tolerance + (n + 1) * Math.Pow(2, -24) * terms / Math.Abs(e);
            double error = Math.Max(FloatTests.Relative(exact, actual), Math.Abs(tangent - directional) / magnitude);
            Assert.InRange(error, 0.0, allowed);
            worst = Math.Max(worst, error / allowed);
        }

        _output.WriteLine($"n = {n}: largest error of the float gradient and tangent against complex step, as a fraction of the allowed: {worst:F3}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(20)]
    public void Float_layer_with_a_stack_span_saved_values_and_a_Hessian_matches_the_primal_and_complex_step(int n)
    {
        var random = new Random(100 + n);
        var w = new float[n + 1];
        var x = new float[n];
        int size = 2 * n + 1;
        var gradient = new float[size];
        var hessian = new float[size * size];
        double worst = 0;
        for (int k = 0; k < Points / 5; k++)
        {
            Fill(random, w, 1f);
            Fill(random, x, 1f);
            float value = FloatSpanModels.Layer(w, x);
            FloatTests.AssertSameBits(value, FloatSpanModels.LayerGradient(w, x, gradient.AsSpan(0, n + 1), gradient.AsSpan(n + 1)), "gradient's value");
            worst = Math.Max(worst, FloatTests.Relative(GradientInDouble(w, x, -1, 0), Array.ConvertAll(gradient, g => (double)g)));

            FloatTests.AssertSameBits(value, FloatSpanModels.LayerHessian(w, x, gradient, hessian), "Hessian's value");
            // H by central differences (step 1e-4) of the complex-step gradient, all in double
            var exact = new double[size * size];
            for (int j = 0; j < size; j++)
            {
                var plus = GradientInDouble(w, x, j, 1e-4);
                var minus = GradientInDouble(w, x, j, -1e-4);
                for (int i = 0; i < size; i++)
                {
                    exact[i * size + j] = (plus[i] - minus[i]) / 2e-4;
                }
            }

            worst = Math.Max(worst, FloatTests.Relative(exact, Array.ConvertAll(hessian, v => (double)v)));
        }

        _output.WriteLine($"n = {n}: largest relative error of the float gradient and Hessian: {worst:E2}");
        Assert.InRange(worst, 0.0, FloatTests.Tolerance);
    }

    [Fact]
    public void Float_span_gradient_allocates_nothing_in_steady_state()
    {
        var w = new float[64];
        var x = new float[64];
        var dw = new float[64];
        var dx = new float[63];
        Fill(new Random(9), w, 1f);
        Fill(new Random(10), x, 1f);
        FloatSpanModels.DotLossGradient(w, x, 0.5f, 1f, dw, out _);
        FloatSpanModels.LayerGradient(w, x.AsSpan(0, 63), dw, dx); // the first call of each may borrow its arrays
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++)
        {
            FloatSpanModels.DotLossGradient(w, x, 0.5f, 1f, dw, out _);
            FloatSpanModels.LayerGradient(w, x.AsSpan(0, 63), dw, dx);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private const double H = 1e-20;

    /// <summary>The complex-step gradient of Layer over (w, x), at the point with input <paramref name="j"/> moved by <paramref name="offset"/> in double.</summary>
    private static double[] GradientInDouble(float[] w, float[] x, int j, double offset)
    {
        int size = w.Length + x.Length;
        var result = new double[size];
        var zw = new Complex[w.Length];
        var zx = new Complex[x.Length];
        for (int i = 0; i < size; i++)
        {
            for (int k = 0; k < size; k++)
            {
                var z = new Complex(k < w.Length ? w[k] : x[k - w.Length], k == i ? H : 0.0) + (k == j ? offset : 0.0);
                if (k < w.Length)
                {
                    zw[k] = z;
                }
                else
                {
                    zx[k - w.Length] = z;
                }
            }

            result[i] = FloatSpanModels.Layer(zw, zx).Imaginary / H;
        }

        return result;
    }

    private static void Fill(Random random, float[] values, float scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = FloatTests.Draw(random, scale);
        }
    }
}
