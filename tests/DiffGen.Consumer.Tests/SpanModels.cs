using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Models over spans with runtime loops, written as ordinary C#: their generated code keeps the loops.</summary>
public static partial class SpanModels
{
    /// <summary>Rosenbrock in n dimensions: Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    [Differentiable(Hessian = true)]
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
}

/// <summary>Losses and small networks over spans.</summary>
public static partial class SpanModels
{
    /// <summary>log Σ exp xᵢ, stable: shifted by the running maximum.</summary>
    [Differentiable(Hessian = true)]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > m)
            {
                m = x[i];
            }
        }

        double s = 0;
        foreach (var v in x)
        {
            s += Math.Exp(v - m);
        }

        return m + Math.Log(s);
    }

    /// <summary>Softmax cross-entropy of logits against an int label.</summary>
    [Differentiable]
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label)
    {
        double m = logits[0];
        int argmax = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > m)
            {
                m = logits[i];
                argmax = i;
            }
        }

        double s = 0;
        foreach (var z in logits)
        {
            s += Math.Exp(z - m);
        }

        // log Σ exp zᵢ − z_label, with the maximum read back through its index
        return logits[argmax] + Math.Log(s) - logits[label];
    }

    /// <summary>‖x‖³.</summary>
    [Differentiable(Hessian = true)]
    public static double NormCubed(double[] x)
    {
        double s = 0;
        foreach (double v in x)
        {
            s += v * v;
        }

        return s * Math.Sqrt(s);
    }

    /// <summary>
    /// A 2-3-1 network on one sample, tanh hidden layer, squared error. Parameters flattened:
    /// W1 (3×2) at 0, b1 at 6, W2 at 9, b2 at 12.
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double Mlp231(ReadOnlySpan<double> w, [NoDiff] double x0, [NoDiff] double x1, [NoDiff] double y)
    {
        Span<double> hidden = stackalloc double[3];
        for (int j = 0; j < 3; j++)
        {
            hidden[j] = Math.Tanh(w[2 * j] * x0 + w[2 * j + 1] * x1 + w[6 + j]);
        }

        double output = w[12];
        for (int j = 0; j < 3; j++)
        {
            output += w[9 + j] * hidden[j];
        }

        double error = output - y;
        return 0.5 * error * error;
    }

    /// <summary>Binary cross-entropy with a logit, stable: softplus(z) − y·z.</summary>
    [Differentiable]
    public static double BinaryCrossEntropy(double z, [NoDiff] double y) => DiffGen.Nn.Activations.Softplus(z) - y * z;

    /// <summary>
    /// Mean binary cross-entropy of a 2-H-1 tanh network over a batch: inputs are rows of 2, labels 0 or 1.
    /// θ holds W1 (H×2) at 0, b1 at 2H, w2 at 3H and b2 at 4H.
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double MlpBatchLoss(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> inputs, [NoDiff] ReadOnlySpan<double> labels, int hidden)
    {
        int d = 2;
        int batch = labels.Length;
        Span<double> h = stackalloc double[hidden];
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            double z = theta[hidden * (d + 2)];
            for (int j = 0; j < hidden; j++)
            {
                double a = theta[hidden * d + j];
                for (int k = 0; k < d; k++)
                {
                    a += theta[j * d + k] * inputs[b * d + k];
                }

                h[j] = Math.Tanh(a);
                z += theta[hidden * (d + 1) + j] * h[j];
            }

            loss += BinaryCrossEntropy(z, labels[b]);
        }

        return loss / batch;
    }

    /// <summary>Horner's rule, counting down: Σ cᵢ tⁱ.</summary>
    [Differentiable(Hessian = true)]
    public static double Horner(ReadOnlySpan<double> c, double t)
    {
        double p = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            p = p * t + c[i];
        }

        return p;
    }

    /// <summary>continue and break: squares of the non-negative entries until their sum passes a limit.</summary>
    [Differentiable]
    public static double SquaresUntil(double[] x, [NoDiff] double limit)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] < 0)
            {
                continue;
            }

            s += x[i] * x[i];
            if (s > limit)
            {
                break;
            }
        }

        return Math.Sqrt(1 + s);
    }

    /// <summary>An early return inside a loop: the square of the first entry above a threshold, else the mean.</summary>
    [Differentiable]
    public static double FirstAbove(ReadOnlySpan<double> x, [NoDiff] double threshold)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > threshold)
            {
                return x[i] * x[i] + total;
            }

            total += Math.Sin(x[i]);
        }

        return total / x.Length;
    }

    /// <summary>Integer index arithmetic (*, +, /, %) and a local span written, then read in a second loop.</summary>
    [Differentiable]
    public static double Shuffled(ReadOnlySpan<double> x, int stride)
    {
        int n = x.Length;
        Span<double> y = stackalloc double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = x[(i * stride + 1) % n] * Math.Cos(x[i / 2]);
        }

        double s = 0;
        for (int i = 0; i <= n - 1; i += 1)
        {
            y[i] += 0.5 * y[n - 1 - i];
            s += y[i] * x[i];
        }

        return s;
    }
}
