using System;

namespace DiffGen.Models.Tests.Models;

/// <summary>
/// ADBench's GMM objective as a user writes it for DiffGen: ordinary C# over spans, loops with runtime
/// bounds, a max-shifted log-sum-exp. The generator adds ObjectiveGradient (∂f/∂α, ∂f/∂μ, ∂f/∂icf in
/// ADBench's order), ObjectiveTangent and the Complex overload.
/// </summary>
public static partial class Gmm
{
    /// <summary>
    /// f(α, μ, icf) on data x (N×D row-major). The parts that do not depend on the parameters
    /// (−(N·D/2)·log 2π − K·C, which needs lgamma) come in as <paramref name="constant"/>:
    /// <see cref="GmmReference.Constant"/>.
    /// </summary>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> alpha, ReadOnlySpan<double> means, ReadOnlySpan<double> icf,
        [NoDiff] ReadOnlySpan<double> x, int d, int k, int n, [NoDiff] double gamma, [NoDiff] double m, [NoDiff] double constant)
    {
        int icfSize = d * (d + 1) / 2;
        Span<double> beta = stackalloc double[k];
        Span<double> centered = stackalloc double[d];
        Span<double> qx = stackalloc double[d];

        double dataTerm = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double sumQ = 0.0;
                for (int j = 0; j < d; j++)
                {
                    double q = icf[c * icfSize + j];
                    centered[j] = x[i * d + j] - means[c * d + j];
                    qx[j] = Math.Exp(q) * centered[j];
                    sumQ += q;
                }

                // Q's strictly lower part, column by column: Q[r, col] = next l.
                int next = c * icfSize + d;
                for (int col = 0; col < d; col++)
                {
                    for (int r = col + 1; r < d; r++)
                    {
                        qx[r] += icf[next] * centered[col];
                        next++;
                    }
                }

                double squaredNorm = 0.0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += qx[j] * qx[j];
                }

                beta[c] = alpha[c] + sumQ - 0.5 * squaredNorm;
            }

            double maxBeta = beta[0];
            for (int c = 1; c < k; c++)
            {
                maxBeta = Math.Max(maxBeta, beta[c]);
            }

            double sumExp = 0.0;
            for (int c = 0; c < k; c++)
            {
                sumExp += Math.Exp(beta[c] - maxBeta);
            }

            dataTerm += maxBeta + Math.Log(sumExp);
        }

        double maxAlpha = alpha[0];
        for (int c = 1; c < k; c++)
        {
            maxAlpha = Math.Max(maxAlpha, alpha[c]);
        }

        double sumExpAlpha = 0.0;
        for (int c = 0; c < k; c++)
        {
            sumExpAlpha += Math.Exp(alpha[c] - maxAlpha);
        }

        double prior = 0.0;
        for (int c = 0; c < k; c++)
        {
            double sumExp2Q = 0.0;
            double sumQ = 0.0;
            for (int j = 0; j < d; j++)
            {
                double q = icf[c * icfSize + j];
                sumExp2Q += Math.Exp(2.0 * q);
                sumQ += q;
            }

            double sumL2 = 0.0;
            for (int j = d; j < icfSize; j++)
            {
                double l = icf[c * icfSize + j];
                sumL2 += l * l;
            }

            prior += 0.5 * gamma * gamma * (sumExp2Q + sumL2) - m * sumQ;
        }

        return dataTerm - n * (maxAlpha + Math.Log(sumExpAlpha)) + prior + constant;
    }
}
