using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>The lecture examples, written as ordinary C#.</summary>
public static partial class Lectures
{
    /// <summary>The (x + y)·z circuit of the backpropagation slides.</summary>
    [Differentiable(Hessian = true)]
    public static double Circuit(double x, double y, double z) => (x + y) * z;

    /// <summary>The 2-input sigmoid neuron of the slides.</summary>
    [Differentiable(Hessian = true)]
    public static double Neuron(double w0, double w1, double w2, double x0, double x1)
        => 1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));

    /// <summary>f = (x1·x2·sin x3 + e^(x1·x2)) / x3.</summary>
    [Differentiable(Hessian = true)]
    public static double Lecture(double x1, double x2, double x3)
    {
        double a = x1 * x2;
        double b = a * Math.Sin(x3) + Math.Exp(a);
        return b / x3;
    }
}

/// <summary>Every activation of the lectures, through DiffGen.Nn.Activations.</summary>
public static partial class ActivationModels
{
    [Differentiable(Hessian = true)] public static double Sigmoid(double x) => DiffGen.Nn.Activations.Sigmoid(x);
    [Differentiable(Hessian = true)] public static double Tanh(double x) => DiffGen.Nn.Activations.Tanh(x);
    [Differentiable(Hessian = true)] public static double Relu(double x) => DiffGen.Nn.Activations.Relu(x);
    [Differentiable(Hessian = true)] public static double LeakyRelu(double x) => DiffGen.Nn.Activations.LeakyRelu(x);
    [Differentiable(Hessian = true)] public static double Elu(double x) => DiffGen.Nn.Activations.Elu(x, 0.7);
    [Differentiable(Hessian = true)] public static double Selu(double x) => DiffGen.Nn.Activations.Selu(x);
    [Differentiable(Hessian = true)] public static double Gelu(double x) => DiffGen.Nn.Activations.Gelu(x);
    [Differentiable(Hessian = true)] public static double Softplus(double x) => DiffGen.Nn.Activations.Softplus(x);
    [Differentiable(Hessian = true)] public static double Softsign(double x) => DiffGen.Nn.Activations.Softsign(x);
    [Differentiable(Hessian = true)] public static double Swish(double x) => DiffGen.Nn.Activations.Swish(x);
    [Differentiable(Hessian = true)] public static double Mish(double x) => DiffGen.Nn.Activations.Mish(x);
    [Differentiable(Hessian = true)] public static double LogSigmoid(double x) => DiffGen.Nn.Activations.LogSigmoid(x);
    [Differentiable(Hessian = true)] public static double Sinc(double x) => DiffGen.Nn.Activations.Sinc(x);
    [Differentiable(Hessian = true)] public static double Step(double x) => DiffGen.Nn.Activations.Step(x);
}

/// <summary>Control flow, constants, loops, calls: the rest of what the lowering supports.</summary>
public partial class Programs
{
    private const int Terms = 6;

    /// <summary>Piecewise with early return and an untaken branch whose derivative would be NaN.</summary>
    [Differentiable(Hessian = true)]
    public static double Piecewise(double x, double y)
    {
        if (x < 0)
        {
            return Math.Sqrt(-x) * y;
        }

        double r = x > 1 ? Math.Log(x) : x * x;
        r += y * y;
        r *= 0.5;
        return r;
    }

    /// <summary>A truncated exponential series: an unrolled loop with a constant bound.</summary>
    [Differentiable(Hessian = true)]
    public static double Series(double x)
    {
        double sum = 0.0, term = 1.0;
        for (int k = 1; k <= Terms; k++)
        {
            sum += term;
            term = term * x / k;
        }

        return sum;
    }

    /// <summary>int and [NoDiff] parameters are constants.</summary>
    [Differentiable]
    public static double Scaled(double x, [NoDiff] double scale, int power)
    {
        double p = 1.0;
        for (int i = 0; i < 3; i++)
        {
            p *= x;
        }

        return scale * p + power * x;
    }

    /// <summary>Calls another [Differentiable] method (its gradient is reused) and a Math function of every kind.</summary>
    [Differentiable]
    public static double Composite(double a, double b) =>
        Lectures.Neuron(a, b, 0.5, 1.0, -1.0) + Math.Atan2(a, b) + Math.Max(a, b) * Math.Clamp(b, -1.0, 1.0)
        + Math.Pow(Math.Abs(a) + 1.0, b) + Math.Log(a * a + 1.0, 3.0) + Math.FusedMultiplyAdd(a, b, 1.0) + Math.Cbrt(b);

    /// <summary>Hessian through a call: the callee is inlined.</summary>
    [Differentiable(Hessian = true)]
    public static double CallsWithHessian(double a, double b) => Lectures.Circuit(a, b, a) * Math.Sin(b);

    private readonly double _scale = 2.0;

    /// <summary>Instance method reading a field.</summary>
    [Differentiable]
    public double Instance(double x) => _scale * Math.Sinh(x) + Math.Cosh(x) * Math.Tanh(x);

    internal static partial class Nested
    {
        [Differentiable(Hessian = true)]
        internal static double Inner(double u, double v) => Math.Exp(u) * Math.Cos(v) + Math.Asinh(u) - Math.Atan(v) / 3;
    }
}
