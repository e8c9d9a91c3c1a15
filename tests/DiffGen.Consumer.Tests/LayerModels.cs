using System;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Layers as functions (issue 12 item 4): vector-output [Differentiable] methods called from other
/// [Differentiable] methods, whose derivatives call the layers' generated products; and each network
/// written again inlined, as one method, for comparison.
/// </summary>
public static partial class LayerModels
{
    /// <summary>A fully connected layer: z = W x + b, W row-major with z.Length rows and x.Length columns.</summary>
    [Differentiable]
    public static void Dense(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, Span<double> z)
    {
        int n = x.Length;
        for (int j = 0; j < z.Length; j++)
        {
            double a = b[j];
            for (int k = 0; k < n; k++)
            {
                a += w[j * n + k] * x[k];
            }

            z[j] = a;
        }
    }

    /// <summary>max(z, 0) element by element.</summary>
    [Differentiable]
    public static void Relu(ReadOnlySpan<double> z, Span<double> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Math.Max(z[i], 0.0);
        }
    }

    /// <summary>Softmax, shifted by the maximum.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<double> z, Span<double> p)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            max = Math.Max(max, z[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < z.Length; i++)
        {
            p[i] = Math.Exp(z[i] - max);
            sum += p[i];
        }

        for (int i = 0; i < z.Length; i++)
        {
            p[i] /= sum;
        }
    }

    /// <summary>A 1-D convolution (cross-correlation, no padding) with a bias: y[i] = b + Σₖ kernel[k]·x[i + k].</summary>
    [Differentiable]
    public static void Conv1D(ReadOnlySpan<double> kernel, double bias, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double s = bias;
            for (int k = 0; k < kernel.Length; k++)
            {
                s += kernel[k] * x[i + k];
            }

            y[i] = s;
        }
    }

    /// <summary>
    /// Mean cross-entropy of an MNIST-style inputs-hidden-classes ReLU network with a softmax output over the samples (rows of
    /// <paramref name="images"/>, one-hot rows of <paramref name="labels"/>), written as layers and a loss function. θ packs W1, b1, W2, b2.
    /// </summary>
    [Differentiable]
    public static double MlpLoss(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> images, [NoDiff] ReadOnlySpan<double> labels, int inputs, int hidden)
    {
        int classes = (theta.Length - hidden * (inputs + 1)) / (hidden + 1);
        int samples = images.Length / inputs;
        int b1 = hidden * inputs;
        int w2 = b1 + hidden;
        int b2 = w2 + classes * hidden;
        Span<double> z1 = stackalloc double[hidden];
        Span<double> a1 = stackalloc double[hidden];
        Span<double> z2 = stackalloc double[classes];
        Span<double> p = stackalloc double[classes];
        double loss = 0.0;
        for (int s = 0; s < samples; s++)
        {
            Dense(theta.Slice(0, b1), theta.Slice(b1, hidden), images.Slice(s * inputs, inputs), z1);
            Relu(z1, a1);
            Dense(theta.Slice(w2, classes * hidden), theta.Slice(b2, classes), a1, z2);
            Softmax(z2, p);
            loss += CrossEntropy(p, labels.Slice(s * classes, classes));
        }

        return loss / samples;
    }

    /// <summary><see cref="MlpLoss"/> written as one method, the layers inlined by hand.</summary>
    [Differentiable]
    public static double MlpLossInlined(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> images, [NoDiff] ReadOnlySpan<double> labels, int inputs, int hidden)
    {
        int classes = (theta.Length - hidden * (inputs + 1)) / (hidden + 1);
        int samples = images.Length / inputs;
        int b1 = hidden * inputs;
        int w2 = b1 + hidden;
        int b2 = w2 + classes * hidden;
        Span<double> a1 = stackalloc double[hidden];
        Span<double> z2 = stackalloc double[classes];
        double loss = 0.0;
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double a = theta[b1 + j];
                for (int k = 0; k < inputs; k++)
                {
                    a += theta[j * inputs + k] * images[s * inputs + k];
                }

                a1[j] = Math.Max(a, 0.0);
            }

            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double a = theta[b2 + c];
                for (int k = 0; k < hidden; k++)
                {
                    a += theta[w2 + c * hidden + k] * a1[k];
                }

                z2[c] = a;
                max = Math.Max(max, a);
            }

            double sum = 0.0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(z2[c] - max);
            }

            for (int c = 0; c < classes; c++)
            {
                loss -= labels[s * classes + c] * (z2[c] - max - Math.Log(sum));
            }
        }

        return loss / samples;
    }

    /// <summary>The network of <see cref="MlpLoss"/> on one sample as a vector-output method: θ in, class probabilities out.</summary>
    [Differentiable]
    public static void Mlp(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> image, int hidden, Span<double> p)
    {
        int inputs = image.Length;
        int classes = p.Length;
        int b1 = hidden * inputs;
        int w2 = b1 + hidden;
        Span<double> z1 = stackalloc double[hidden];
        Span<double> a1 = stackalloc double[hidden];
        Span<double> z2 = stackalloc double[classes];
        Dense(theta.Slice(0, b1), theta.Slice(b1, hidden), image, z1);
        Relu(z1, a1);
        Dense(theta.Slice(w2, classes * hidden), theta.Slice(w2 + classes * hidden, classes), a1, z2);
        Softmax(z2, p);
    }

    /// <summary>
    /// Two convolution layers over a batch of signals (rows of <paramref name="signals"/>): the first writes each signal's
    /// feature map into its slice of one local span, a ReLU and the second layer follow, and the loss is the squared
    /// distance to <paramref name="targets"/>. The local feature maps are overwritten by every sample.
    /// </summary>
    [Differentiable]
    public static double ConvLoss(ReadOnlySpan<double> k1, double c1, ReadOnlySpan<double> k2, double c2,
        [NoDiff] ReadOnlySpan<double> signals, [NoDiff] ReadOnlySpan<double> targets, int length)
    {
        int samples = signals.Length / length;
        int m1 = length - k1.Length + 1;
        int m2 = m1 - k2.Length + 1;
        Span<double> maps = stackalloc double[samples * m1];
        Span<double> active = stackalloc double[m1];
        Span<double> y = stackalloc double[m2];
        for (int s = 0; s < samples; s++)
        {
            Conv1D(k1, c1, signals.Slice(s * length, length), maps.Slice(s * m1, m1));
        }

        double loss = 0.0;
        for (int s = 0; s < samples; s++)
        {
            Relu(maps.Slice(s * m1, m1), active);
            Conv1D(k2, 0.5 * c2, active, y);
            for (int i = 0; i < m2; i++)
            {
                double e = y[i] - targets[s * m2 + i];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>
    /// Layer calls in a while loop and in both branches of an if, on an array parameter through <c>AsSpan</c> and a
    /// one-argument <c>Slice</c> of a slice: the reverse sweep replays the trips and the branches taken.
    /// </summary>
    [Differentiable]
    public static double Windows(double[] x, ReadOnlySpan<double> kernel, double scale)
    {
        int m = x.Length - kernel.Length - 1;
        Span<double> y = stackalloc double[m];
        Span<double> a = stackalloc double[m];
        double total = 0.0;
        int round = 0;
        while (round < 3)
        {
            if (round == 1)
            {
                Conv1D(kernel, scale, x.AsSpan(2, m + kernel.Length - 1), y);
            }
            else
            {
                Conv1D(kernel.Slice(0), -scale * round, ((ReadOnlySpan<double>)x).Slice(1).Slice(1), y);
            }

            Relu(y, a);
            for (int i = 0; i < m; i++)
            {
                total += a[i] * a[i] * (round + 1);
            }

            round++;
        }

        return total;
    }

    /// <summary>
    /// A local recomputable from an array that a loop after the first one writes: the reverse sweep must save it, not
    /// recompute it from the array's last values (the bug <see cref="ConvLoss"/> first showed; here without layers).
    /// </summary>
    [Differentiable]
    public static double ReadBeforeLaterWrite(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> t)
    {
        int n = x.Length;
        Span<double> y = stackalloc double[n];
        double loss = 0.0;
        for (int i = 0; i < n; i++)
        {
            loss += x[i];
        }

        for (int s = 1; s <= 3; s++)
        {
            for (int i = 0; i < n; i++)
            {
                y[i] = s * x[i];
            }

            for (int i = 0; i < n; i++)
            {
                double e = y[i] - t[i];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>A ReLU layer writing <paramref name="x"/>.Length elements into a span <paramref name="extra"/> longer: its tail keeps zeros.</summary>
    [Differentiable]
    public static double ReluIntoLonger(ReadOnlySpan<double> x, int extra)
    {
        Span<double> a = stackalloc double[x.Length + extra];
        Relu(x, a);
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * a[i];
        }

        return sum;
    }

    /// <summary>
    /// A vector-output method whose own output is a layer's output, then read and overwritten: the reverse sweep restores
    /// both writes, and the products end with the final values in <paramref name="y"/>.
    /// </summary>
    [Differentiable]
    public static void SquaredRelu(ReadOnlySpan<double> x, Span<double> y)
    {
        Relu(x, y);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = y[i] * y[i] + x[i];
        }
    }

    /// <summary>Cross-entropy of probabilities against one-hot labels: a [Differentiable] method taking spans and returning a double.</summary>
    [Differentiable]
    public static double CrossEntropy(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> labels)
    {
        double loss = 0.0;
        for (int c = 0; c < p.Length; c++)
        {
            loss -= labels[c] * Math.Log(p[c]);
        }

        return loss;
    }

    /// <summary>scale · Σ w².</summary>
    [Differentiable]
    public static double ScaledSquares(ReadOnlySpan<double> w, double scale)
    {
        double sum = 0.0;
        foreach (var v in w)
        {
            sum += v * v;
        }

        return scale * sum;
    }

    /// <summary><see cref="MlpLoss"/> plus a penalty on b1 whose scale depends on θ₀: calls of span methods returning a double in an expression.</summary>
    [Differentiable]
    public static double MlpLossWithPenalty(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> images, [NoDiff] ReadOnlySpan<double> labels, int inputs, int hidden) =>
        MlpLoss(theta, images, labels, inputs, hidden) + ScaledSquares(theta.Slice(hidden * inputs, hidden), 0.01 + theta[0] * theta[0]);

    /// <summary><see cref="ConvLoss"/> written as one method.</summary>
    [Differentiable]
    public static double ConvLossInlined(ReadOnlySpan<double> k1, double c1, ReadOnlySpan<double> k2, double c2,
        [NoDiff] ReadOnlySpan<double> signals, [NoDiff] ReadOnlySpan<double> targets, int length)
    {
        int samples = signals.Length / length;
        int m1 = length - k1.Length + 1;
        int m2 = m1 - k2.Length + 1;
        Span<double> active = stackalloc double[m1];
        double loss = 0.0;
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < m1; i++)
            {
                double a = c1;
                for (int k = 0; k < k1.Length; k++)
                {
                    a += k1[k] * signals[s * length + i + k];
                }

                active[i] = Math.Max(a, 0.0);
            }

            for (int i = 0; i < m2; i++)
            {
                double a = 0.5 * c2;
                for (int k = 0; k < k2.Length; k++)
                {
                    a += k2[k] * active[i + k];
                }

                double e = a - targets[s * m2 + i];
                loss += e * e;
            }
        }

        return loss;
    }
}
