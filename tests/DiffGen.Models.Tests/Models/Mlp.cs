using System;
using DiffGen.Nn;

namespace DiffGen.Models.Tests.Models;

/// <summary>
/// A multilayer perceptron 2 → hidden (tanh) → hidden (tanh) → 1 logit as a user writes it for DiffGen:
/// the weights in one flat span, a loop over the batch, binary cross-entropy with logits.
/// </summary>
/// <remarks>
/// Layout of p: W1 (hidden×2, row-major), b1 (hidden), W2 (hidden×hidden), b2 (hidden), w3 (hidden), b3 (1).
/// </remarks>
public static partial class Mlp
{
    /// <summary>hidden² + 5·hidden + 1.</summary>
    public static int ParameterCount(int hidden) => hidden * hidden + 5 * hidden + 1;

    /// <summary>
    /// Mean over the batch of BCE(σ(z), y) = softplus(z) − y·z, z the logit of sample i; features are
    /// count×2 row-major, labels 0 or 1.
    /// </summary>
    [Differentiable]
    public static double Loss(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> labels, int count, int hidden)
    {
        int b1 = 2 * hidden;
        int w2 = 3 * hidden;
        int b2 = w2 + hidden * hidden;
        int w3 = b2 + hidden;
        int b3 = w3 + hidden;
        Span<double> h1 = stackalloc double[hidden];
        Span<double> h2 = stackalloc double[hidden];

        double total = 0.0;
        for (int i = 0; i < count; i++)
        {
            double x0 = features[2 * i];
            double x1 = features[2 * i + 1];
            for (int j = 0; j < hidden; j++)
            {
                h1[j] = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[b1 + j]);
            }

            for (int j = 0; j < hidden; j++)
            {
                double a = p[b2 + j];
                for (int q = 0; q < hidden; q++)
                {
                    a += p[w2 + j * hidden + q] * h1[q];
                }

                h2[j] = Math.Tanh(a);
            }

            double z = p[b3];
            for (int j = 0; j < hidden; j++)
            {
                z += p[w3 + j] * h2[j];
            }

            total += Activations.Softplus(z) - labels[i] * z;
        }

        return total / count;
    }

    /// <summary>A 2-3-1 network with a sigmoid output and squared error on one sample: p = W1 (3×2), b1 (3), w2 (3), b2.</summary>
    [Differentiable]
    public static double Tiny(ReadOnlySpan<double> p, double x0, double x1, [NoDiff] double y)
    {
        double output = p[12];
        for (int j = 0; j < 3; j++)
        {
            double h = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[6 + j]);
            output += p[9 + j] * h;
        }

        double residual = Activations.Sigmoid(output) - y;
        return 0.5 * residual * residual;
    }

    /// <summary>The logit of one sample (plain C#, for predictions).</summary>
    public static double Logit(ReadOnlySpan<double> p, double x0, double x1, int hidden)
    {
        int b1 = 2 * hidden;
        int w2 = 3 * hidden;
        int b2 = w2 + hidden * hidden;
        int w3 = b2 + hidden;
        int b3 = w3 + hidden;
        Span<double> h1 = stackalloc double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            h1[j] = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[b1 + j]);
        }

        double z = p[b3];
        for (int j = 0; j < hidden; j++)
        {
            double a = p[b2 + j];
            for (int q = 0; q < hidden; q++)
            {
                a += p[w2 + j * hidden + q] * h1[q];
            }

            z += p[w3 + j] * Math.Tanh(a);
        }

        return z;
    }

    /// <summary>The fraction of samples whose predicted class (logit &gt; 0) equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<double> p, ReadOnlySpan<double> features, ReadOnlySpan<double> labels, int hidden)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double predicted = Logit(p, features[2 * i], features[2 * i + 1], hidden) > 0 ? 1.0 : 0.0;
            if (predicted == labels[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }
}
