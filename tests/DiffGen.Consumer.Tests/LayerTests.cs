using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Layers as functions (issue 12 item 4): networks written as calls of vector-output layers (<see cref="LayerModels"/>)
/// have value, gradient and tangent equal to complex step and MathNet central differences (<see cref="Oracle"/>) and to
/// the same network written as one method; a network with a vector output has its Jacobian, VJP and JVP checked by
/// <see cref="VectorOracle"/>.
/// </summary>
public class LayerTests
{
    private const int Inputs = 6;
    private const int Hidden = 5;
    private const int Classes = 3;
    private const int Samples = 4;

    private static double[] Wave(int length, double a, double b, double scale = 1.0) =>
        Enumerable.Range(0, length).Select(k => scale * Math.Sin(a * k + b)).ToArray();

    private static readonly double[] Images = Wave(Samples * Inputs, 1.37, 0.2);

    /// <summary>One-hot labels: sample s is of class s mod 3.</summary>
    private static readonly double[] Labels = Enumerable.Range(0, Samples * Classes).Select(k => k / Classes % Classes == k % Classes ? 1.0 : 0.0).ToArray();

    private static readonly int Parameters = Hidden * (Inputs + 1) + Classes * (Hidden + 1);

    private static Complex[] Complexify(double[] x) => x.Select(v => new Complex(v, 0.0)).ToArray();

    [Fact]
    public void Mlp_of_layers_matches_complex_step_and_finite_differences()
    {
        new Oracle
        {
            Name = "MlpLoss",
            Primal = t => LayerModels.MlpLoss(t, Images, Labels, Inputs, Hidden),
            Gradient = (t, g) => LayerModels.MlpLossGradient(t, Images, Labels, Inputs, Hidden, g),
            Tangent = (t, v) => (LayerModels.MlpLossTangent(t, Images, Labels, Inputs, Hidden, v, out double d), d),
            Complex = t => LayerModels.MlpLoss(t, Images, Labels, Inputs, Hidden),
        }.Check(Wave(Parameters, 0.71, 0.3, 0.6));
    }

    [Fact]
    public void Mlp_of_layers_equals_the_inlined_network()
    {
        var theta = Wave(Parameters, 1.13, -0.4, 0.8);
        double layered = LayerModels.MlpLoss(theta, Images, Labels, Inputs, Hidden);
        double inlined = LayerModels.MlpLossInlined(theta, Images, Labels, Inputs, Hidden);
        VectorOracle.Close(inlined, layered, 1e-13, "value");

        var g = new double[Parameters];
        var gi = new double[Parameters];
        VectorOracle.Close(inlined, LayerModels.MlpLossGradient(theta, Images, Labels, Inputs, Hidden, g), 1e-13, "gradient's value");
        LayerModels.MlpLossInlinedGradient(theta, Images, Labels, Inputs, Hidden, gi);
        for (int i = 0; i < Parameters; i++)
        {
            VectorOracle.Close(gi[i], g[i], 1e-12, $"∂/∂θ{i}");
        }

        var v = Wave(Parameters, 0.37, 1.1);
        LayerModels.MlpLossTangent(theta, Images, Labels, Inputs, Hidden, v, out double tangent);
        LayerModels.MlpLossInlinedTangent(theta, Images, Labels, Inputs, Hidden, v, out double tangentInlined);
        VectorOracle.Close(tangentInlined, tangent, 1e-12, "tangent");
        Assert.True(g.Any(x => x != 0.0), "the gradient is not all zero");
    }

    [Fact]
    public void Mlp_of_layers_with_a_vector_output_has_the_complex_step_jacobian()
    {
        var image = Images.AsSpan(Inputs, Inputs).ToArray();
        var oracle = new VectorOracle
        {
            Outputs = Classes,
            Primal = (u, p) => LayerModels.Mlp(u, image, Hidden, p),
            Complex = (u, p) => LayerModels.Mlp(u, image, Hidden, p),
            Jacobian = (u, p, j) => LayerModels.MlpJacobian(u, image, Hidden, p, j),
            Vjp = (u, p, pbar, ubar) => LayerModels.MlpVjp(u, image, Hidden, p, pbar, ubar),
            Jvp = (u, p, tu, tp) => LayerModels.MlpJvp(u, image, Hidden, p, tu, tp),
        };
        var jacobian = oracle.Check(Wave(Parameters, 0.53, 0.9, 0.7));
        // the probabilities sum to 1 whatever θ: every column of the Jacobian sums to 0
        for (int c = 0; c < Parameters; c++)
        {
            double sum = 0.0;
            for (int r = 0; r < Classes; r++)
            {
                sum += jacobian[r * Parameters + c];
            }

            Assert.True(Math.Abs(sum) < 1e-15, $"column {c} sums to {sum:R}");
        }
    }

    private const int Length = 9;
    private const int Signals = 3;
    private static readonly double[] SignalData = Wave(Signals * Length, 0.9, 0.5, 1.5);

    /// <summary>u = [k1 (3), c1, k2 (2), c2]: 9 − 3 + 1 = 7 features, then 6 outputs per signal.</summary>
    private static readonly double[] Targets = Wave(Signals * 6, 0.6, -0.3);

    private static double Conv(ReadOnlySpan<double> u) => LayerModels.ConvLoss(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length);

    private static Complex Conv(Complex[] u) => LayerModels.ConvLoss(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length);

    private static double ConvGradient(double[] u, double[] g)
    {
        double value = LayerModels.ConvLossGradient(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length, g.AsSpan(0, 3), out g[3], g.AsSpan(4, 2), out g[6]);
        return value;
    }

    private static (double, double) ConvTangent(double[] u, double[] v) =>
        (LayerModels.ConvLossTangent(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length, v[..3], v[3], v[4..6], v[6], out double t), t);

    private static readonly double[] ConvPoint = [0.8, -0.3, 0.5, 0.2, 0.9, -0.6, 0.4];

    [Fact]
    public void Convolution_layers_match_complex_step_and_finite_differences()
    {
        new Oracle
        {
            Name = "ConvLoss",
            Primal = u => Conv(u),
            Gradient = ConvGradient,
            Tangent = ConvTangent,
            Complex = Conv,
        }.Check(ConvPoint);
    }

    [Fact]
    public void Convolution_layers_equal_the_inlined_convolution()
    {
        var u = ConvPoint;
        double inlined = LayerModels.ConvLossInlined(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length);
        VectorOracle.Close(inlined, Conv(u), 1e-13, "value");
        var g = new double[7];
        var gi = new double[7];
        ConvGradient(u, g);
        LayerModels.ConvLossInlinedGradient(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length, gi.AsSpan(0, 3), out gi[3], gi.AsSpan(4, 2), out gi[6]);
        for (int i = 0; i < 7; i++)
        {
            VectorOracle.Close(gi[i], g[i], 1e-12, $"∂/∂u{i}");
        }

        var v = Wave(7, 0.8, 0.1);
        var (_, tangent) = ConvTangent(u, v);
        LayerModels.ConvLossInlinedTangent(u[..3], u[3], u[4..6], u[6], SignalData, Targets, Length, v[..3], v[3], v[4..6], v[6], out double tangentInlined);
        VectorOracle.Close(tangentInlined, tangent, 1e-12, "tangent");
        Assert.True(g.All(x => x != 0.0), "every parameter reaches the loss");
    }

    [Fact]
    public void Layer_calls_in_a_while_loop_and_branches_on_array_slices()
    {
        const int n = 7;
        new Oracle
        {
            Name = "Windows",
            Primal = u => LayerModels.Windows(u[..n], u.AsSpan(n, 3), u[n + 3]),
            Gradient = (u, g) => LayerModels.WindowsGradient(u[..n], u.AsSpan(n, 3), u[n + 3], g.AsSpan(0, n), g.AsSpan(n, 3), out g[n + 3]),
            Tangent = (u, v) => (LayerModels.WindowsTangent(u[..n], u.AsSpan(n, 3), u[n + 3], v.AsSpan(0, n), v.AsSpan(n, 3), v[n + 3], out double t), t),
            Complex = u => LayerModels.Windows(u[..n], u.AsSpan(n, 3), u[n + 3]),
        }.Check([0.9, -0.4, 1.3, 0.7, -1.1, 0.5, 1.6, 0.8, -0.3, 0.6, 0.45]);
    }

    /// <summary>Scratch for the layers' products comes from the pool and goes back: no allocation in steady state.</summary>
    [Fact]
    public void Gradient_and_tangent_through_layers_allocate_nothing_in_steady_state()
    {
        var theta = Wave(Parameters, 0.71, 0.3, 0.6);
        var g = new double[Parameters];
        var v = Wave(Parameters, 0.37, 1.1);
        void Run()
        {
            LayerModels.MlpLossGradient(theta, Images, Labels, Inputs, Hidden, g);
            LayerModels.MlpLossTangent(theta, Images, Labels, Inputs, Hidden, v, out _);
        }

        for (int k = 0; k < 5; k++)
        {
            Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 50; k++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Σ xᵢ + Σₛ Σᵢ (s·xᵢ − tᵢ)²: the gradient 1 + Σₛ 2s(s·xᵢ − tᵢ), with e saved per sample rather than recomputed from y's last values.</summary>
    [Fact]
    public void A_local_read_from_an_array_a_later_loop_writes_is_saved_not_recomputed()
    {
        double[] x = [0.5, -1.5, 2.0];
        double[] t = [0.3, 0.1, -0.7];
        var g = new double[3];
        LayerModels.ReadBeforeLaterWriteGradient(x, t, g);
        for (int i = 0; i < 3; i++)
        {
            double expected = 1.0;
            for (int s = 1; s <= 3; s++)
            {
                expected += 2 * s * (s * x[i] - t[i]);
            }

            VectorOracle.Close(expected, g[i], 1e-14, $"∂/∂x{i}");
        }
    }

    /// <summary>
    /// Relu writes as many elements as its input has; its products treat the whole output as written, so an output slice
    /// longer than that is a clear error in the generated members, not a derivative that silently drops the tail.
    /// </summary>
    [Fact]
    public void A_layer_output_longer_than_what_the_layer_writes_is_an_error()
    {
        double[] x = [0.5, -1.5, 2.0];
        var g = new double[3];
        VectorOracle.Close(4.25, LayerModels.ReluIntoLonger(x, 0), 1e-15, "value");
        VectorOracle.Close(4.25, LayerModels.ReluIntoLongerGradient(x, 0, g), 1e-15, "gradient's value");
        VectorOracle.Close(1.0, g[0], 1e-15, "∂/∂x0");
        VectorOracle.Close(0.0, g[1], 1e-15, "∂/∂x1");
        VectorOracle.Close(4.0, g[2], 1e-15, "∂/∂x2");
        var e = Assert.Throws<ArgumentException>(() => LayerModels.ReluIntoLongerGradient(x, 2, g));
        Assert.Contains("Relu writes only 3 elements of its output, which has 5", e.Message);
        Assert.Throws<ArgumentException>(() => LayerModels.ReluIntoLongerTangent(x, 2, x, out _));
        Assert.Throws<ArgumentException>(() => LayerModels.ReluIntoLonger(x.Select(v => new Complex(v, 0)).ToArray(), 2));
    }

    [Fact]
    public void A_layer_writing_the_callers_output_which_is_then_overwritten_has_the_complex_step_jacobian()
    {
        var jacobian = new VectorOracle
        {
            Outputs = 4,
            Primal = (u, y) => LayerModels.SquaredRelu(u, y),
            Complex = (u, y) => LayerModels.SquaredRelu(u, y),
            Jacobian = (u, y, j) => LayerModels.SquaredReluJacobian(u, y, j),
            Vjp = (u, y, ybar, ubar) => LayerModels.SquaredReluVjp(u, y, ybar, ubar),
            Jvp = (u, y, tu, ty) => LayerModels.SquaredReluJvp(u, y, tu, ty),
        }.Check([0.7, -0.4, 1.9, -2.2]);
        // diagonal: 2·relu(x)·[x > 0] + 1
        double[] expected = [2.4, 1.0, 4.8, 1.0];
        for (int i = 0; i < 4; i++)
        {
            VectorOracle.Close(expected[i], jacobian[i * 4 + i], 1e-14, $"J[{i},{i}]");
        }
    }

    /// <summary>Calls of span methods returning a double inside expressions: their generated gradient and tangent are called.</summary>
    [Fact]
    public void Calls_of_span_methods_returning_a_double_match_complex_step_and_finite_differences()
    {
        var point = Wave(Parameters, 0.71, 0.3, 0.6);
        new Oracle
        {
            Name = "MlpLossWithPenalty",
            Primal = t => LayerModels.MlpLossWithPenalty(t, Images, Labels, Inputs, Hidden),
            Gradient = (t, g) => LayerModels.MlpLossWithPenaltyGradient(t, Images, Labels, Inputs, Hidden, g),
            Tangent = (t, v) => (LayerModels.MlpLossWithPenaltyTangent(t, Images, Labels, Inputs, Hidden, v, out double d), d),
            Complex = t => LayerModels.MlpLossWithPenalty(t, Images, Labels, Inputs, Hidden),
        }.Check(point);

        double penalty = (0.01 + point[0] * point[0]) * point.Skip(Hidden * Inputs).Take(Hidden).Sum(v => v * v);
        VectorOracle.Close(LayerModels.MlpLoss(point, Images, Labels, Inputs, Hidden) + penalty,
            LayerModels.MlpLossWithPenalty(point, Images, Labels, Inputs, Hidden), 1e-13, "value");
    }
}
