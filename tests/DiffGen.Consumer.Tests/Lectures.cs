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
