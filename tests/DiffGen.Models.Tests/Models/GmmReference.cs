using System;
using MathNet.Numerics;

namespace DiffGen.Models.Tests.Models;

/// <summary>
/// ADBench's GMM objective written directly from the math in ADBench's definition (restated in tests/Data/adbench/README.md), with no
/// differentiation: the oracle the [Differentiable] version is compared with.
/// </summary>
public static class GmmReference
{
    /// <summary>π as ADBench's code has it (3.14159265359), used in log 2π and log Γ_D.</summary>
    public const double AdBenchPi = 3.14159265359;

    /// <summary>
    /// The parts of f that do not depend on the parameters: −(N·D/2)·log 2π − K·C, with
    /// C = n′D(log γ − ½ log 2) − log Γ_D(n′/2), n′ = D + m + 1.
    /// </summary>
    public static double Constant(int d, int k, int n, double gamma, double m)
    {
        double nPrime = d + m + 1;
        double c = nPrime * d * (Math.Log(gamma) - 0.5 * Math.Log(2.0)) - LogMultivariateGamma(d, 0.5 * nPrime);
        return -(n * d * 0.5) * Math.Log(2.0 * AdBenchPi) - k * c;
    }

    /// <summary>log Γ_D(a) = D(D−1)/4 · log π + Σ_{j=1..D} lgamma(a + (1−j)/2).</summary>
    public static double LogMultivariateGamma(int d, double a)
    {
        double sum = 0.25 * d * (d - 1) * Math.Log(AdBenchPi);
        for (int j = 1; j <= d; j++)
        {
            sum += SpecialFunctions.GammaLn(a + 0.5 * (1 - j));
        }

        return sum;
    }

    /// <summary>f(α, μ, icf) for data x (N×D row-major), γ and m.</summary>
    public static double Objective(ReadOnlySpan<double> alpha, ReadOnlySpan<double> means, ReadOnlySpan<double> icf,
        ReadOnlySpan<double> x, int d, int k, int n, double gamma, double m)
    {
        int icfSize = d * (d + 1) / 2;
        var beta = new double[k];
        var centered = new double[d];
        var qx = new double[d];

        double dataTerm = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                ReadOnlySpan<double> q = icf.Slice(c * icfSize, d);
                ReadOnlySpan<double> l = icf.Slice(c * icfSize + d, icfSize - d);
                double sumQ = 0.0;
                for (int j = 0; j < d; j++)
                {
                    centered[j] = x[i * d + j] - means[c * d + j];
                    qx[j] = Math.Exp(q[j]) * centered[j];
                    sumQ += q[j];
                }

                // Q's strictly lower part, column by column: Q[r, col] = next l.
                int next = 0;
                for (int col = 0; col < d; col++)
                {
                    for (int r = col + 1; r < d; r++)
                    {
                        qx[r] += l[next++] * centered[col];
                    }
                }

                double squaredNorm = 0.0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += qx[j] * qx[j];
                }

                beta[c] = alpha[c] + sumQ - 0.5 * squaredNorm;
            }

            dataTerm += LogSumExp(beta);
        }

        double prior = 0.0;
        for (int c = 0; c < k; c++)
        {
            double sumExp2Q = 0.0;
            double sumQ = 0.0;
            double sumL2 = 0.0;
            for (int j = 0; j < d; j++)
            {
                double q = icf[c * icfSize + j];
                sumExp2Q += Math.Exp(2.0 * q);
                sumQ += q;
            }

            for (int j = d; j < icfSize; j++)
            {
                double l = icf[c * icfSize + j];
                sumL2 += l * l;
            }

            prior += 0.5 * gamma * gamma * (sumExp2Q + sumL2) - m * sumQ;
        }

        return dataTerm - n * LogSumExp(alpha) + prior + Constant(d, k, n, gamma, m);
    }

    /// <summary>log Σ exp(v), shifted by the maximum.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        double sum = 0.0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
