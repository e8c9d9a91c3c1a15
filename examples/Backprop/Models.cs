using System;
using DiffGen;

namespace DiffGen.Examples.Backprop;

/// <summary>
/// The lecture functions, written as ordinary C#. DiffGen's source generator adds, at build time,
/// <c>…Gradient</c> (reverse mode), <c>…Tangent</c> (forward mode) and a <c>Complex</c> overload
/// (for complex-step checks) next to each method below.
/// </summary>
public static partial class Models
{
    /// <summary>The circuit of the slides: f = (x + y)·z.</summary>
    [Differentiable]
    public static double Circuit(double x, double y, double z) => (x + y) * z;

    /// <summary>A 2-input sigmoid neuron: σ(w0·x0 + w1·x1 + w2).</summary>
    [Differentiable]
    public static double Neuron(double w0, double w1, double w2, double x0, double x1)
        => 1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));

    /// <summary>f = (x1·x2·sin x3 + e^(x1·x2)) / x3, the forward-vs-reverse example.</summary>
    [Differentiable]
    public static double Lecture(double x1, double x2, double x3)
    {
        double a = x1 * x2;
        double b = a * Math.Sin(x3) + Math.Exp(a);
        return b / x3;
    }

    /// <summary>f = sin(x)·eˣ, whose derivative eˣ(sin x + cos x) we know exactly.</summary>
    [Differentiable]
    public static double SinExp(double x) => Math.Sin(x) * Math.Exp(x);

    /// <summary>Rosenbrock's banana valley (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).</summary>
    [Differentiable]
    public static double Rosenbrock(double x, double y)
    {
        double valley = y - x * x;
        return (1 - x) * (1 - x) + 100 * valley * valley;
    }
}

/// <summary>Each activation as a one-line [Differentiable] method, so the generator differentiates it too.</summary>
public static partial class ActivationModels
{
    [Differentiable] public static double Sigmoid(double x) => DiffGen.Nn.Activations.Sigmoid(x);
    [Differentiable] public static double Tanh(double x) => DiffGen.Nn.Activations.Tanh(x);
    [Differentiable] public static double Relu(double x) => DiffGen.Nn.Activations.Relu(x);
    [Differentiable] public static double LeakyRelu(double x) => DiffGen.Nn.Activations.LeakyRelu(x, 0.1);
    [Differentiable] public static double Elu(double x) => DiffGen.Nn.Activations.Elu(x);
    [Differentiable] public static double Gelu(double x) => DiffGen.Nn.Activations.Gelu(x);
    [Differentiable] public static double Softplus(double x) => DiffGen.Nn.Activations.Softplus(x);
    [Differentiable] public static double Swish(double x) => DiffGen.Nn.Activations.Swish(x);
}
