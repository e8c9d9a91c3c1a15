using System;
using System.Linq;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 11: the saves the MLP's reverse sweep no longer makes (a layer's own elements, tanh, relu and eˣ read back
/// from their values), and the look-alikes that keep them — every generated member against complex step, forward
/// mode and finite differences of the gradient.
/// </summary>
public class KeptActivationTests
{
    private static double[] Wave(int n, double phase, double scale) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + phase)).ToArray();

    [Theory]
    [InlineData(2, 3, 1.0)]
    [InlineData(2, 16, 0.0)]
    [InlineData(3, 5, 1.0)]
    public void Two_layer_tanh_network(int n, int h, double label)
    {
        var p = Wave(h * n + h + h * h + h + h + 1, 0.3, 0.6);
        var x = Wave(n, 1.7, 1.2).Append(label).ToArray();
        new SpanOracle
        {
            Primal = v => KeptActivationModels.TwoLayerTanh(v, x, h),
            Gradient = (v, g) => KeptActivationModels.TwoLayerTanhGradient(v, x, h, g),
            Tangent = (v, t) => (KeptActivationModels.TwoLayerTanhTangent(v, x, h, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.TwoLayerTanhHessianVector(v, x, h, u, hv),
            Complex = z => KeptActivationModels.TwoLayerTanh(z, x, h),
        }.Check(p);
    }

    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(3, 4, 1)]
    public void Relu_layer_over_samples(int n, int h, int samples)
    {
        var p = Wave(h * n + h, 0.9, 0.8);
        var x = Wave(samples * n, 0.2, 1.1);
        new SpanOracle
        {
            Primal = v => KeptActivationModels.ReluSamples(v, x, n, h),
            Gradient = (v, g) => KeptActivationModels.ReluSamplesGradient(v, x, n, h, g),
            Tangent = (v, t) => (KeptActivationModels.ReluSamplesTangent(v, x, n, h, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.ReluSamplesHessianVector(v, x, n, h, u, hv),
            Complex = z => KeptActivationModels.ReluSamples(z, x, n, h),
        }.Check(p);
    }

    [Fact]
    public void Relu_of_exactly_zero_passes_no_gradient_as_in_PyTorch()
    {
        // the first unit's weights are 0: its pre-activation is exactly 0 for every sample, so relu′ = 0
        const int n = 2, h = 3;
        var p = Wave(h * n + h, 0.9, 0.8);
        p[0] = p[1] = 0.0;
        var x = Wave(3 * n, 0.2, 1.1);
        var gradient = new double[p.Length];
        KeptActivationModels.ReluSamplesGradient(p, x, n, h, gradient);
        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(0.0, gradient[1]);
        Assert.Equal(0.0, gradient[h * n]);
        Assert.NotEqual(0.0, gradient[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Kept_exponentials(int n)
    {
        var p = Wave(n, 0.4, 0.5);
        new SpanOracle
        {
            Primal = v => KeptActivationModels.ClampedExponentials(v),
            Gradient = (v, g) => KeptActivationModels.ClampedExponentialsGradient(v, g),
            Tangent = (v, t) => (KeptActivationModels.ClampedExponentialsTangent(v, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.ClampedExponentialsHessianVector(v, u, hv),
            Complex = z => KeptActivationModels.ClampedExponentials(z),
        }.Check(p);
    }

    [Fact]
    public void A_kept_exponential_that_overflows_under_a_zero_adjoint_adds_zero_not_NaN()
    {
        // e^(900 − 15) = ∞, so the clamp's adjoint is exactly 0: each term is 0 (not 0·∞), only the shift's 1/2 remains
        var p = new[] { 30.0, 0.1, -0.2 };
        var gradient = new double[3];
        double value = KeptActivationModels.ClampedExponentialsGradient(p, gradient);
        Assert.Equal(1.0 + 0.5 * (30.0 + 0.1 - 0.2), value, 1e-12);
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, gradient);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    public void A_layer_stored_again_for_every_sample(int n, int samples)
    {
        var p = Wave(2 * n, 1.1, 0.7);
        var x = Wave(samples * n, 0.6, 1.3);
        new SpanOracle
        {
            Primal = v => KeptActivationModels.RepeatedLayer(v, x, n),
            Gradient = (v, g) => KeptActivationModels.RepeatedLayerGradient(v, x, n, g),
            Tangent = (v, t) => (KeptActivationModels.RepeatedLayerTangent(v, x, n, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.RepeatedLayerHessianVector(v, x, n, u, hv),
            Complex = z => KeptActivationModels.RepeatedLayer(z, x, n),
        }.Check(p);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void An_element_read_before_it_is_overwritten(int n)
    {
        var p = Wave(3 * n, 0.5, 0.9);
        var x = Wave(n, 1.9, 1.1);
        new SpanOracle
        {
            Primal = v => KeptActivationModels.ReadBeforeOverwrite(v, x),
            Gradient = (v, g) => KeptActivationModels.ReadBeforeOverwriteGradient(v, x, g),
            Tangent = (v, t) => (KeptActivationModels.ReadBeforeOverwriteTangent(v, x, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.ReadBeforeOverwriteHessianVector(v, x, u, hv),
            Complex = z => KeptActivationModels.ReadBeforeOverwrite(z, x),
        }.Check(p);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Iterations_sharing_an_element(int n)
    {
        var p = Wave(2 * n, 0.8, 0.9);
        var x = Wave(n, 0.1, 1.4);
        new SpanOracle
        {
            Primal = v => KeptActivationModels.SharedSlots(v, x),
            Gradient = (v, g) => KeptActivationModels.SharedSlotsGradient(v, x, g),
            Tangent = (v, t) => (KeptActivationModels.SharedSlotsTangent(v, x, t, out double dt), dt),
            HessianVector = (v, u, hv) => KeptActivationModels.SharedSlotsHessianVector(v, x, u, hv),
            Complex = z => KeptActivationModels.SharedSlots(z, x),
        }.Check(p);
    }
}
