using System;
using System.Runtime.CompilerServices;
using DiffGen.Nn;

namespace DiffGen.Benchmarks.Workloads;

/// <summary>
/// The suite's models as a user writes them for DiffGen: ordinary C#, marked [Differentiable]. Each primal
/// skips the JIT's zeroing of its locals ([SkipLocalsInit] on the method: BENCHMARKS.md, "The stackalloc
/// trap"); so do the generated members (this project allows unsafe code, so the generator marks them
/// [SkipLocalsInit]; they clear every buffer they stackalloc).
/// </summary>
public static partial class SuiteModels
{
    /// <summary>The lectures' sigmoid neuron σ(w0·x0 + w1·x1 + w2).</summary>
    [Differentiable]
    [SkipLocalsInit]
    public static double Neuron(double w0, double w1, double w2, double x0, double x1)
        => 1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));

    /// <summary>The README's Rosenbrock function Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)².</summary>
    [Differentiable]
    [SkipLocalsInit]
    public static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }

        return sum;
    }

    /// <summary>
    /// MLP 2 → 16 (tanh) → 16 (tanh) → 1 logit, binary cross-entropy with logits on one sample (x0, x1; y
    /// 0 or 1). Layout of p as tests/DiffGen.Models.Tests' Mlp: W1 (16×2), b1, W2 (16×16), b2, w3, b3.
    /// </summary>
    [Differentiable]
    [SkipLocalsInit]
    public static double SmallMlp(ReadOnlySpan<double> p, [NoDiff] double x0, [NoDiff] double x1, [NoDiff] double y)
    {
        Span<double> h1 = stackalloc double[SmallMlpShape.Hidden];
        for (int j = 0; j < SmallMlpShape.Hidden; j++)
        {
            h1[j] = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[SmallMlpShape.B1 + j]);
        }

        double z = p[SmallMlpShape.B3];
        for (int j = 0; j < SmallMlpShape.Hidden; j++)
        {
            double a = p[SmallMlpShape.B2 + j];
            for (int q = 0; q < SmallMlpShape.Hidden; q++)
            {
                a += p[SmallMlpShape.W2 + j * SmallMlpShape.Hidden + q] * h1[q];
            }

            z += p[SmallMlpShape.W3 + j] * Math.Tanh(a);
        }

        return Activations.Softplus(z) - y * z;
    }

    /// <summary>
    /// MLP 784 → 128 (relu) → 10, softmax cross-entropy, mean over <paramref name="count"/> samples:
    /// images count×784 row-major, targets count×10 one-hot. Layout of p: W1 (128×784), b1, W2 (10×128), b2.
    /// </summary>
    [Differentiable]
    [SkipLocalsInit]
    public static double MnistMlp(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> images, [NoDiff] ReadOnlySpan<double> targets, int count)
    {
        Span<double> hidden = stackalloc double[MnistShape.Hidden];
        Span<double> logits = stackalloc double[MnistShape.Classes];
        double total = 0;
        for (int s = 0; s < count; s++)
        {
            int image = s * MnistShape.Inputs;
            for (int j = 0; j < MnistShape.Hidden; j++)
            {
                double a = p[MnistShape.B1 + j];
                for (int q = 0; q < MnistShape.Inputs; q++)
                {
                    a += p[j * MnistShape.Inputs + q] * images[image + q];
                }

                hidden[j] = Activations.Relu(a);
            }

            for (int c = 0; c < MnistShape.Classes; c++)
            {
                double z = p[MnistShape.B2 + c];
                for (int j = 0; j < MnistShape.Hidden; j++)
                {
                    z += p[MnistShape.W2 + c * MnistShape.Hidden + j] * hidden[j];
                }

                logits[c] = z;
            }

            double maxLogit = logits[0];
            for (int c = 1; c < MnistShape.Classes; c++)
            {
                maxLogit = Math.Max(maxLogit, logits[c]);
            }

            double sumExp = 0;
            double targetLogit = 0;
            for (int c = 0; c < MnistShape.Classes; c++)
            {
                sumExp += Math.Exp(logits[c] - maxLogit);
                targetLogit += targets[s * MnistShape.Classes + c] * logits[c];
            }

            total += maxLogit + Math.Log(sumExp) - targetLogit;
        }

        return total / count;
    }
}

/// <summary>Offsets into the 2-16-16-1 MLP's parameter span.</summary>
public static class SmallMlpShape
{
    public const int Hidden = 16;
    public const int B1 = 2 * Hidden;
    public const int W2 = 3 * Hidden;
    public const int B2 = W2 + Hidden * Hidden;
    public const int W3 = B2 + Hidden;
    public const int B3 = W3 + Hidden;
    public const int ParameterCount = B3 + 1;
}

/// <summary>Offsets into the 784-128-10 MLP's parameter span.</summary>
public static class MnistShape
{
    public const int Inputs = 784;
    public const int Hidden = 128;
    public const int Classes = 10;
    public const int B1 = Hidden * Inputs;
    public const int W2 = B1 + Hidden;
    public const int B2 = W2 + Classes * Hidden;
    public const int ParameterCount = B2 + Classes;
}
