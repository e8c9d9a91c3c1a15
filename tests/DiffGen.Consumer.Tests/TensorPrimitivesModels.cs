using System;
using System.Numerics.Tensors;

namespace DiffGen.Consumer.Tests;

/// <summary>[Differentiable] methods written with System.Numerics.Tensors.TensorPrimitives, as a .NET developer writes vector code.</summary>
public static partial class TensorPrimitivesModels
{
    public const int Inputs = 5;
    public const int Units = 8;

    /// <summary>log Σⱼ exp(tanh(wⱼ·x)): a layer's dot products, an in-place tanh, an exp into another span and a sum.</summary>
    [Differentiable]
    public static double LayerLogSumExp(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
    {
        Span<double> h = stackalloc double[Units];
        for (int j = 0; j < Units; j++)
        {
            h[j] = TensorPrimitives.Dot(w.Slice(j * Inputs, Inputs), x.Slice(0, Inputs));
        }

        TensorPrimitives.Tanh(h, h);
        Span<double> e = stackalloc double[Units];
        TensorPrimitives.Exp(h, e);
        return Math.Log(TensorPrimitives.Sum(e));
    }

    /// <summary>The same function with the loops written out: the oracle of the lowering.</summary>
    [Differentiable]
    public static double LayerLogSumExpLoops(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int j = 0; j < Units; j++)
        {
            double a = 0;
            for (int k = 0; k < Inputs; k++)
            {
                a += w[j * Inputs + k] * x[k];
            }

            sum += Math.Exp(Math.Tanh(a));
        }

        return Math.Log(sum);
    }

    /// <summary>Element-wise maps with span and scalar operands, in place and into a local span, then four reductions.</summary>
    [Differentiable]
    public static double Elementwise(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Span<double> t = stackalloc double[a.Length];
        TensorPrimitives.Multiply(a, b, t);
        TensorPrimitives.MultiplyAdd(t, 0.5, a, t);
        TensorPrimitives.Subtract(t, b, t);
        TensorPrimitives.Sigmoid(t, t);
        TensorPrimitives.AddMultiply(t, a, b, t);
        return TensorPrimitives.SumOfSquares(t) + TensorPrimitives.Norm(a) + TensorPrimitives.Distance(a, b) + TensorPrimitives.SumOfMagnitudes(b);
    }

    /// <summary>Two spans of different lengths: TensorPrimitives throws, and so must the generated members.</summary>
    [Differentiable]
    public static double DotOfTwo(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);
}
