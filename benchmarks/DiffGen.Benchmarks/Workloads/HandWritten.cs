using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DiffGen.Nn;

namespace DiffGen.Benchmarks.Workloads;

/// <summary>
/// Gradients of the suite's models written by hand, as a careful engineer writes them: one forward pass
/// that keeps what the backward pass needs, one backward pass, nothing recomputed, scalar loops like the
/// primals' (the MNIST network's matrix–vector products and their adjoints use TensorPrimitives, as a careful
/// engineer would with 100,000 multiply-adds per sample). Each returns the value and overwrites its gradient outputs. The suite checks every one against
/// the generated gradient before timing (<see cref="Validation"/>).
/// </summary>
[SkipLocalsInit]
public static class HandWritten
{
    public static double Neuron(double w0, double w1, double w2, double x0, double x1,
        out double dw0, out double dw1, out double dw2, out double dx0, out double dx1)
    {
        double s = 1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));
        double ds = s * (1.0 - s);
        dw0 = ds * x0;
        dw1 = ds * x1;
        dw2 = ds;
        dx0 = ds * w0;
        dx1 = ds * w1;
        return s;
    }

    /// <summary>One pass: term i contributes to dx[i] and dx[i + 1]; the latter is carried to the next term.</summary>
    public static double Rosenbrock(ReadOnlySpan<double> x, Span<double> dx)
    {
        double sum = 0;
        double carried = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i];
            double a = 1 - xi;
            double b = x[i + 1] - xi * xi;
            sum += a * a + 100 * b * b;
            dx[i] = carried - 2 * a - 400 * b * xi;
            carried = 200 * b;
        }

        dx[x.Length - 1] = carried;
        return sum;
    }

    public static double SmallMlp(ReadOnlySpan<double> p, double x0, double x1, double y, Span<double> dp)
    {
        const int H = SmallMlpShape.Hidden;
        Span<double> h1 = stackalloc double[H];
        Span<double> h2 = stackalloc double[H];
        Span<double> dh1 = stackalloc double[H];
        for (int j = 0; j < H; j++)
        {
            h1[j] = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[SmallMlpShape.B1 + j]);
        }

        double z = p[SmallMlpShape.B3];
        for (int j = 0; j < H; j++)
        {
            double a = p[SmallMlpShape.B2 + j];
            for (int q = 0; q < H; q++)
            {
                a += p[SmallMlpShape.W2 + j * H + q] * h1[q];
            }

            h2[j] = Math.Tanh(a);
            z += p[SmallMlpShape.W3 + j] * h2[j];
        }

        // d/dz [softplus(z) − y·z] = σ(z) − y.
        double dz = Activations.Sigmoid(z) - y;
        dp[SmallMlpShape.B3] = dz;
        dh1.Clear();
        for (int j = 0; j < H; j++)
        {
            dp[SmallMlpShape.W3 + j] = dz * h2[j];
            double da = dz * p[SmallMlpShape.W3 + j] * (1 - h2[j] * h2[j]);
            dp[SmallMlpShape.B2 + j] = da;
            int row = SmallMlpShape.W2 + j * H;
            for (int q = 0; q < H; q++)
            {
                dp[row + q] = da * h1[q];
                dh1[q] += da * p[row + q];
            }
        }

        for (int j = 0; j < H; j++)
        {
            double da = dh1[j] * (1 - h1[j] * h1[j]);
            dp[2 * j] = da * x0;
            dp[2 * j + 1] = da * x1;
            dp[SmallMlpShape.B1 + j] = da;
        }

        return Activations.Softplus(z) - y * z;
    }

    /// <summary>
    /// Backpropagation per sample, each row's dot product and axpy vectorized (TensorPrimitives); the rows of W1
    /// of inactive (relu = 0) units are skipped. Not blocked over samples: one matrix–vector product per sample.
    /// </summary>
    public static double MnistMlp(ReadOnlySpan<double> p, ReadOnlySpan<double> images, ReadOnlySpan<double> targets, int count, Span<double> dp)
    {
        const int In = MnistShape.Inputs;
        const int H = MnistShape.Hidden;
        const int C = MnistShape.Classes;
        Span<double> hidden = stackalloc double[H];
        Span<double> dHidden = stackalloc double[H];
        Span<double> logits = stackalloc double[C];
        dp.Clear();
        double scale = 1.0 / count;
        double total = 0;
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<double> image = images.Slice(s * In, In);
            ReadOnlySpan<double> target = targets.Slice(s * C, C);
            for (int j = 0; j < H; j++)
            {
                double a = p[MnistShape.B1 + j] + TensorPrimitives.Dot(p.Slice(j * In, In), image);
                hidden[j] = a > 0 ? a : 0.0;
            }

            double maxLogit = double.NegativeInfinity;
            for (int c = 0; c < C; c++)
            {
                double z = p[MnistShape.B2 + c] + TensorPrimitives.Dot(p.Slice(MnistShape.W2 + c * H, H), hidden);
                logits[c] = z;
                maxLogit = Math.Max(maxLogit, z);
            }

            double sumExp = 0;
            double targetLogit = 0;
            for (int c = 0; c < C; c++)
            {
                sumExp += Math.Exp(logits[c] - maxLogit);
                targetLogit += target[c] * logits[c];
            }

            double logSumExp = maxLogit + Math.Log(sumExp);
            total += logSumExp - targetLogit;

            dHidden.Clear();
            for (int c = 0; c < C; c++)
            {
                double dz = (Math.Exp(logits[c] - logSumExp) - target[c]) * scale;
                dp[MnistShape.B2 + c] += dz;
                int row = MnistShape.W2 + c * H;
                var dRow = dp.Slice(row, H);
                TensorPrimitives.MultiplyAdd(hidden, dz, dRow, dRow);
                TensorPrimitives.MultiplyAdd(p.Slice(row, H), dz, dHidden, dHidden);
            }

            for (int j = 0; j < H; j++)
            {
                if (hidden[j] > 0)
                {
                    double da = dHidden[j];
                    dp[MnistShape.B1 + j] += da;
                    Span<double> dRow = dp.Slice(j * In, In);
                    TensorPrimitives.MultiplyAdd(image, da, dRow, dRow);
                }
            }
        }

        return total * scale;
    }

    /// <summary>
    /// ADBench's GMM objective (the same f as tests/DiffGen.Models.Tests' Gmm.Objective) and its gradient:
    /// exp(q) and Σq per component computed once, the softmax weights of each point reused.
    /// </summary>
    public static double Gmm(ReadOnlySpan<double> alpha, ReadOnlySpan<double> means, ReadOnlySpan<double> icf,
        ReadOnlySpan<double> x, int d, int k, int n, double gamma, double m, double constant,
        Span<double> dAlpha, Span<double> dMeans, Span<double> dIcf)
    {
        int icfSize = d * (d + 1) / 2;
        Span<double> expQ = stackalloc double[k * d];
        Span<double> sumQ = stackalloc double[k];
        Span<double> weight = stackalloc double[k];
        Span<double> centered = stackalloc double[k * d];
        Span<double> qx = stackalloc double[k * d];
        dAlpha.Clear();
        dMeans.Clear();
        dIcf.Clear();
        for (int c = 0; c < k; c++)
        {
            sumQ[c] = 0;
            for (int j = 0; j < d; j++)
            {
                double q = icf[c * icfSize + j];
                expQ[c * d + j] = Math.Exp(q);
                sumQ[c] += q;
            }
        }

        double dataTerm = 0;
        for (int i = 0; i < n; i++)
        {
            double maxBeta = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                Span<double> cen = centered.Slice(c * d, d);
                Span<double> qxc = qx.Slice(c * d, d);
                for (int j = 0; j < d; j++)
                {
                    cen[j] = x[i * d + j] - means[c * d + j];
                    qxc[j] = expQ[c * d + j] * cen[j];
                }

                int next = c * icfSize + d;
                for (int col = 0; col < d; col++)
                {
                    for (int r = col + 1; r < d; r++)
                    {
                        qxc[r] += icf[next] * cen[col];
                        next++;
                    }
                }

                double squaredNorm = 0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += qxc[j] * qxc[j];
                }

                weight[c] = alpha[c] + sumQ[c] - 0.5 * squaredNorm;
                maxBeta = Math.Max(maxBeta, weight[c]);
            }

            double sumExp = 0;
            for (int c = 0; c < k; c++)
            {
                weight[c] = Math.Exp(weight[c] - maxBeta);
                sumExp += weight[c];
            }

            dataTerm += maxBeta + Math.Log(sumExp);

            // ∂β/∂α = 1, ∂β/∂q_j = 1 − qx_j·e^{q_j}·c_j, ∂β/∂L[r,col] = −qx_r·c_col, ∂β/∂μ = Qᵀ·qx.
            for (int c = 0; c < k; c++)
            {
                double w = weight[c] / sumExp;
                Span<double> cen = centered.Slice(c * d, d);
                Span<double> qxc = qx.Slice(c * d, d);
                int icfBase = c * icfSize;
                dAlpha[c] += w;
                for (int j = 0; j < d; j++)
                {
                    double e = expQ[c * d + j];
                    dIcf[icfBase + j] += w * (1 - qxc[j] * e * cen[j]);
                    dMeans[c * d + j] += w * e * qxc[j];
                }

                int next = icfBase + d;
                for (int col = 0; col < d; col++)
                {
                    double meanAdjoint = 0;
                    for (int r = col + 1; r < d; r++)
                    {
                        dIcf[next] -= w * qxc[r] * cen[col];
                        meanAdjoint += icf[next] * qxc[r];
                        next++;
                    }

                    dMeans[c * d + col] += w * meanAdjoint;
                }
            }
        }

        double maxAlpha = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            maxAlpha = Math.Max(maxAlpha, alpha[c]);
        }

        double sumExpAlpha = 0;
        for (int c = 0; c < k; c++)
        {
            sumExpAlpha += Math.Exp(alpha[c] - maxAlpha);
        }

        double logSumExpAlpha = maxAlpha + Math.Log(sumExpAlpha);
        double prior = 0;
        double gamma2 = gamma * gamma;
        for (int c = 0; c < k; c++)
        {
            dAlpha[c] -= n * Math.Exp(alpha[c] - logSumExpAlpha);
            int icfBase = c * icfSize;
            double sumExp2Q = 0;
            for (int j = 0; j < d; j++)
            {
                double exp2Q = expQ[c * d + j] * expQ[c * d + j];
                sumExp2Q += exp2Q;
                dIcf[icfBase + j] += gamma2 * exp2Q - m;
            }

            double sumL2 = 0;
            for (int j = d; j < icfSize; j++)
            {
                double l = icf[icfBase + j];
                sumL2 += l * l;
                dIcf[icfBase + j] += gamma2 * l;
            }

            prior += 0.5 * gamma2 * (sumExp2Q + sumL2) - m * sumQ[c];
        }

        return dataTerm - n * logSumExpAlpha + prior + constant;
    }
}
