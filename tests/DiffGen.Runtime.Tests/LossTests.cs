using System;
using System.Linq;
using System.Numerics;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

/// <summary>
/// Each loss's gradient against the complex step of the loss written directly from its textbook
/// definition over <see cref="Complex"/> (independent of the library's stabilized forms), and
/// stability at |z| = 1000 against closed forms.
/// </summary>
public class LossTests
{
    private const double H = Oracles.ComplexStep;

    private static readonly double[] Grid = { 0.0, 1e-3, -1e-3, 1.0, -1.0, 10.0, -10.0, 0.37 };

    /// <summary>∂L/∂xₖ for every k by complex step of the definition <paramref name="loss"/>.</summary>
    private static double[] ComplexStepGradient(Func<Complex[], Complex> loss, double[] x)
    {
        var result = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            Complex[] z = x.Select(v => new Complex(v, 0.0)).ToArray();
            z[k] = new Complex(x[k], H);
            result[k] = loss(z).Imaginary / H;
        }

        return result;
    }

    private static void AssertGradient(double[] expected, double[] actual, string what)
    {
        for (int k = 0; k < expected.Length; k++)
        {
            Oracles.AssertClose(expected[k], actual[k], 1e-12, 1e-300, $"{what} ∂/∂[{k}]");
        }
    }

    [Fact]
    public void Mean_squared_error()
    {
        double[] prediction = Grid;
        double[] target = Grid.Select((v, i) => Math.Sin(i)).ToArray();
        double[] gradient = new double[Grid.Length];
        double value = Losses.MeanSquaredError(prediction, target, gradient);

        Complex Definition(Complex[] p) => p.Select((v, i) => (v - target[i]) * (v - target[i])).Aggregate(Complex.Zero, (a, b) => a + b) / p.Length;
        Oracles.AssertClose(Definition(prediction.Select(v => (Complex)v).ToArray()).Real, value, 1e-14, 0, "MSE");
        Assert.Equal(value, Losses.MeanSquaredError(prediction, target));
        AssertGradient(ComplexStepGradient(Definition, prediction), gradient, "MSE");
    }

    [Fact]
    public void Binary_cross_entropy_on_probabilities()
    {
        double[] p = { 1e-3, 0.2, 0.5, 0.7, 0.999, 0.4 };
        double[] t = { 0.0, 1.0, 0.3, 1.0, 1.0, 0.0 };
        double[] gradient = new double[p.Length];
        double value = Losses.BinaryCrossEntropy(p, t, gradient);

        Complex Definition(Complex[] q) => -q.Select((v, i) => t[i] * Complex.Log(v) + (1 - t[i]) * Complex.Log(1 - v)).Aggregate(Complex.Zero, (a, b) => a + b) / q.Length;
        Oracles.AssertClose(Definition(p.Select(v => (Complex)v).ToArray()).Real, value, 1e-13, 0, "BCE");
        AssertGradient(ComplexStepGradient(Definition, p), gradient, "BCE");
    }

    [Fact]
    public void Binary_cross_entropy_clamps_saturated_probabilities()
    {
        double[] gradient = new double[2];
        double value = Losses.BinaryCrossEntropy(new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, gradient);
        // −log(1e-12) per element (1 − 1e-12 is not exact in double: 1e-4 relative slack).
        Oracles.AssertClose(-Math.Log(Losses.ProbabilityEpsilon), value, 1e-4, 0, "clamped BCE");
        Assert.All(gradient, g => Assert.True(double.IsFinite(g) && g != 0));
        Assert.True(gradient[0] < 0 && gradient[1] > 0);
    }

    [Fact]
    public void Binary_cross_entropy_with_logits()
    {
        double[] z = Grid;
        double[] t = Grid.Select((v, i) => (i % 3) / 2.0).ToArray();
        double[] gradient = new double[z.Length];
        double value = Losses.BinaryCrossEntropyWithLogits(z, t, gradient);

        // The definition: −[t·log σ(z) + (1 − t)·log(1 − σ(z))], σ(z) = 1/(1 + e^−z), unstabilized.
        Complex Definition(Complex[] x) => -x.Select((v, i) =>
        {
            Complex s = 1.0 / (1.0 + Complex.Exp(-v));
            return t[i] * Complex.Log(s) + (1 - t[i]) * Complex.Log(1 - s);
        }).Aggregate(Complex.Zero, (a, b) => a + b) / x.Length;
        Oracles.AssertClose(Definition(z.Select(v => (Complex)v).ToArray()).Real, value, 1e-12, 0, "BCE with logits");
        AssertGradient(ComplexStepGradient(Definition, z), gradient, "BCE with logits");
    }

    [Fact]
    public void Binary_cross_entropy_with_logits_is_stable_at_1000()
    {
        double[] gradient = new double[4];
        double value = Losses.BinaryCrossEntropyWithLogits(new[] { 1000.0, -1000.0, 1000.0, -1000.0 }, new[] { 1.0, 0.0, 0.0, 1.0 }, gradient);
        // Correct and confident: 0. Wrong and confident: softplus(1000) − 0 = 1000 and softplus(−1000) + 1000 = 1000.
        Assert.Equal((0 + 0 + 1000 + 1000) / 4.0, value);
        Assert.Equal(new[] { 0.0, 0.0, 0.25, -0.25 }, gradient);
    }

    [Fact]
    public void Softmax_cross_entropy_with_a_class_index()
    {
        double[] z = { 0.3, -1.2, 2.5, 0.0, 1e-3 };
        const int label = 2;
        double[] gradient = new double[z.Length];
        double value = Losses.SoftmaxCrossEntropy(z, label, gradient);

        Complex Definition(Complex[] x) => -Complex.Log(Complex.Exp(x[label]) / x.Select(Complex.Exp).Aggregate(Complex.Zero, (a, b) => a + b));
        Oracles.AssertClose(Definition(z.Select(v => (Complex)v).ToArray()).Real, value, 1e-14, 0, "CE");
        Assert.Equal(value, Losses.SoftmaxCrossEntropy(z, label));
        AssertGradient(ComplexStepGradient(Definition, z), gradient, "CE");
    }

    [Fact]
    public void Softmax_cross_entropy_with_a_distribution()
    {
        double[] z = { 0.3, -1.2, 2.5, 0.0, 10.0 };
        double[] t = { 0.1, 0.0, 0.6, 0.3, 0.0 };
        double[] gradient = new double[z.Length];
        double value = Losses.SoftmaxCrossEntropy(z, (ReadOnlySpan<double>)t, gradient);

        Complex Definition(Complex[] x)
        {
            Complex sum = x.Select(Complex.Exp).Aggregate(Complex.Zero, (a, b) => a + b);
            return -x.Select((v, i) => t[i] * Complex.Log(Complex.Exp(v) / sum)).Aggregate(Complex.Zero, (a, b) => a + b);
        }

        Oracles.AssertClose(Definition(z.Select(v => (Complex)v).ToArray()).Real, value, 1e-13, 0, "CE soft");
        AssertGradient(ComplexStepGradient(Definition, z), gradient, "CE soft");

        // One-hot targets give the class-index loss.
        double[] oneHot = { 0, 0, 1, 0, 0 };
        Assert.Equal(Losses.SoftmaxCrossEntropy(z, 2), Losses.SoftmaxCrossEntropy(z, (ReadOnlySpan<double>)oneHot), 14);
    }

    [Fact]
    public void Softmax_cross_entropy_is_stable_at_1000()
    {
        double[] gradient = new double[3];
        double value = Losses.SoftmaxCrossEntropy(new[] { 1000.0, -1000.0, 0.0 }, 1, gradient);
        Assert.Equal(2000.0, value);
        Assert.Equal(new[] { 1.0, -1.0, 0.0 }, gradient);
        Assert.Equal(0.0, Losses.SoftmaxCrossEntropy(new[] { 1000.0, -1000.0, 0.0 }, 0));
    }

    [Fact]
    public void Hinge_away_from_the_hinge_and_at_it()
    {
        double[] s = { 2.0, 0.5, -0.3, -1000.0, 1000.0 };
        double[] y = { 1.0, 1.0, -1.0, 1.0, -1.0 };
        double[] gradient = new double[s.Length];
        double value = Losses.Hinge(s, y, gradient);

        Complex Definition(Complex[] x) => x.Select((v, i) => 1 - y[i] * v.Real > 0 ? 1 - y[i] * v : Complex.Zero).Aggregate(Complex.Zero, (a, b) => a + b) / x.Length;
        Oracles.AssertClose(Definition(s.Select(v => (Complex)v).ToArray()).Real, value, 1e-14, 0, "hinge");
        AssertGradient(ComplexStepGradient(Definition, s), gradient, "hinge");

        // Exactly on the hinge (y·s = 1) the gradient is 0, as relu'(0).
        double[] atHinge = new double[1];
        Losses.Hinge(new[] { 1.0 }, new[] { 1.0 }, atHinge);
        Assert.Equal(0.0, atHinge[0]);
    }

    [Fact]
    public void Gradients_agree_with_MathNet_loosely()
    {
        double[] z = { 0.3, -1.2, 2.5 };
        double[] t = { 1.0, 0.0, 1.0 };
        double[] gradient = new double[3];
        Losses.BinaryCrossEntropyWithLogits(z, t, gradient);
        for (int k = 0; k < 3; k++)
        {
            int index = k;
            double Along(double v)
            {
                double[] copy = (double[])z.Clone();
                copy[index] = v;
                return Losses.BinaryCrossEntropyWithLogits(copy, t);
            }

            Oracles.AssertClose(Oracles.MathNetDerivative(Along, z[k]), gradient[k], 1e-6, 1e-9, $"BCE logits vs MathNet [{k}]");
        }
    }

    [Fact]
    public void Shapes_are_validated()
    {
        Assert.Throws<ArgumentException>("target", () => Losses.MeanSquaredError(new double[3], new double[2]));
        Assert.Throws<ArgumentException>("gradient", () => Losses.Hinge(new double[3], new double[3], new double[2]));
        Assert.Throws<ArgumentException>("logits", () => Losses.BinaryCrossEntropyWithLogits(Array.Empty<double>(), Array.Empty<double>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy(new double[3], 3));
    }
}
