using System;
using System.Linq;
using System.Numerics;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

public class VectorActivationTests
{
    private static readonly double[] X = { 0.3, -1.2, 2.5, 0.0, 1e-3 };
    private static readonly double[] Upstream = { 0.7, -0.2, 1.5, 0.4, -1.1 };

    // Naive textbook softmax over Complex (fine at moderate values), as the oracle.
    private static Complex[] ComplexSoftmax(Complex[] z)
    {
        Complex sum = z.Select(Complex.Exp).Aggregate(Complex.Zero, (a, b) => a + b);
        return z.Select(v => Complex.Exp(v) / sum).ToArray();
    }

    /// <summary>∂(u·g(x))/∂xₖ by complex step: the vector-Jacobian product uᵀJ.</summary>
    private static double[] ComplexStepVjp(Func<Complex[], Complex[]> g, double[] x, double[] u)
    {
        var result = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            Complex[] z = x.Select(v => (Complex)v).ToArray();
            z[k] = new Complex(x[k], Oracles.ComplexStep);
            Complex[] y = g(z);
            result[k] = y.Select((v, i) => u[i] * v).Aggregate(Complex.Zero, (a, b) => a + b).Imaginary / Oracles.ComplexStep;
        }

        return result;
    }

    [Fact]
    public void Softmax_value_and_backward()
    {
        double[] y = new double[X.Length];
        Activations.Softmax(X, y);
        Complex[] expected = ComplexSoftmax(X.Select(v => (Complex)v).ToArray());
        for (int i = 0; i < X.Length; i++)
        {
            Oracles.AssertClose(expected[i].Real, y[i], 1e-14, 0, $"softmax[{i}]");
        }

        double[] gradient = new double[X.Length];
        Activations.SoftmaxBackward(y, Upstream, gradient);
        double[] reference = ComplexStepVjp(ComplexSoftmax, X, Upstream);
        for (int i = 0; i < X.Length; i++)
        {
            Oracles.AssertClose(reference[i], gradient[i], 1e-12, 1e-15, $"softmax VJP[{i}]");
        }
    }

    [Fact]
    public void LogSoftmax_value_and_backward()
    {
        Complex[] ComplexLogSoftmax(Complex[] z) => ComplexSoftmax(z).Select(v => Complex.Log(v)).ToArray();
        double[] l = new double[X.Length];
        Activations.LogSoftmax(X, l);
        Complex[] expected = ComplexLogSoftmax(X.Select(v => (Complex)v).ToArray());
        for (int i = 0; i < X.Length; i++)
        {
            Oracles.AssertClose(expected[i].Real, l[i], 1e-14, 0, $"logsoftmax[{i}]");
        }

        double[] gradient = new double[X.Length];
        Activations.LogSoftmaxBackward(l, Upstream, gradient);
        double[] reference = ComplexStepVjp(ComplexLogSoftmax, X, Upstream);
        for (int i = 0; i < X.Length; i++)
        {
            Oracles.AssertClose(reference[i], gradient[i], 1e-12, 1e-15, $"logsoftmax VJP[{i}]");
        }
    }

    [Fact]
    public void LogSumExp_value_and_backward()
    {
        Complex[] ComplexLse(Complex[] z) => new[] { Complex.Log(z.Select(Complex.Exp).Aggregate(Complex.Zero, (a, b) => a + b)) };
        Oracles.AssertClose(ComplexLse(X.Select(v => (Complex)v).ToArray())[0].Real, Activations.LogSumExp(X), 1e-15, 0, "lse");
        double[] gradient = new double[X.Length];
        Activations.LogSumExpBackward(X, 2.0, gradient);
        double[] reference = ComplexStepVjp(ComplexLse, X, new[] { 2.0 });
        for (int i = 0; i < X.Length; i++)
        {
            Oracles.AssertClose(reference[i], gradient[i], 1e-12, 1e-15, $"lse VJP[{i}]");
        }
    }

    [Fact]
    public void Vector_functions_are_stable_at_1000()
    {
        double[] x = { 1000.0, 1000.0, -1000.0 };
        double[] y = new double[3];
        Activations.Softmax(x, y);
        Assert.Equal(new[] { 0.5, 0.5, 0.0 }, y);
        Activations.LogSoftmax(x, y);
        Assert.Equal(-Math.Log(2.0), y[0], 12);
        Assert.Equal(-2000.0 - Math.Log(2.0), y[2], 10);
        Assert.Equal(1000.0 + Math.Log(2.0), Activations.LogSumExp(x), 12);
        Assert.Equal(-1000.0 + Math.Log(2.0), Activations.LogSumExp(new[] { -1000.0, -1000.0 }), 12);
        Assert.Equal(double.NegativeInfinity, Activations.LogSumExp(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void Maxout_takes_each_group_maximum_and_routes_the_gradient_to_it()
    {
        double[] x = { 1.0, 3.0, 2.0, -5.0, -1.0, -1.0 };
        double[] y = new double[2];
        Activations.Maxout(x, 3, y);
        Assert.Equal(new[] { 3.0, -1.0 }, y);

        double[] gradient = new double[6];
        Activations.MaxoutBackward(x, 3, new[] { 10.0, 20.0 }, gradient);
        // The tie of the second group splits as Math.Max's (GeneratedBackwardTests has both orders).
        Assert.Equal(new[] { 0.0, 10.0, 0.0, 0.0, 10.0, 10.0 }, gradient);

        // Away from ties, the routed gradient equals the complex step of Σ uₖ·maxₖ.
        double[] smooth = { 1.0, 3.0, 2.0, -5.0, -1.0, -0.5 };
        Activations.MaxoutBackward(smooth, 3, new[] { 10.0, 20.0 }, gradient);
        for (int k = 0; k < smooth.Length; k++)
        {
            var z = smooth.Select(v => (Complex)v).ToArray();
            z[k] = new Complex(smooth[k], Oracles.ComplexStep);
            Complex sum = 10.0 * z.Take(3).MaxBy(c => c.Real) + 20.0 * z.Skip(3).MaxBy(c => c.Real);
            Assert.Equal(sum.Imaginary / Oracles.ComplexStep, gradient[k], 12);
        }

        Assert.Throws<ArgumentException>("x", () => Activations.Maxout(new double[5], 3, new double[1]));
        Assert.Throws<ArgumentException>("result", () => Activations.Maxout(new double[6], 3, new double[3]));
    }
}
