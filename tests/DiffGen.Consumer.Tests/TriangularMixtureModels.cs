using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Issue 14 (GradBench gmm): a mixture whose precision factors are packed lower triangles — the reverse sweep's packed
/// index computed once per inner step (SharedValues), the centred coordinates each row reads again kept in a table
/// (InnerLoopTables), the shift of each point's log-sum-exp held constant (LogSumExpShift) — and look-alikes where
/// the shift's derivative is not 0. <see cref="TriangularMixtureTests"/> checks them against complex step.
/// </summary>
public static partial class TriangularMixtureModels
{
    /// <summary>
    /// Σᵢ log Σ_c exp(α_c − ½‖Q_c(xᵢ − μ_c)‖²), Q_c lower triangular with diagonal e^q and L packed column by column;
    /// p = [α (k), μ (k·d), q (k·d), L (k·d(d−1)/2)].
    /// </summary>
    [Differentiable]
    public static double Mixture(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int d, int k)
    {
        int n = x.Length / d;
        int lSize = d * (d - 1) / 2;
        int muAt = k;
        int qAt = k + k * d;
        int lAt = k + 2 * k * d;
        Span<double> beta = stackalloc double[k];
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double norm = 0.0;
                for (int r = 0; r < d; r++)
                {
                    double row = Math.Exp(p[qAt + c * d + r]) * (x[i * d + r] - p[muAt + c * d + r]);
                    for (int col = 0; col < r; col++)
                    {
                        row += p[lAt + c * lSize + col * (2 * d - col - 1) / 2 + r - col - 1] * (x[i * d + col] - p[muAt + c * d + col]);
                    }

                    norm += row * row;
                }

                beta[c] = p[c] - 0.5 * norm;
            }

            double max = beta[0];
            for (int c = 1; c < k; c++)
            {
                max = Math.Max(max, beta[c]);
            }

            double sum = 0.0;
            for (int c = 0; c < k; c++)
            {
                sum += Math.Exp(beta[c] - max);
            }

            total += max + Math.Log(sum);
        }

        return total;
    }

    /// <summary>2m + log Σ exp(xᵢ − m): m shifts by more than the log-sum-exp takes back, so its derivative (1) counts.</summary>
    [Differentiable]
    public static double TwiceShifted(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }

        return 2.0 * max + Math.Log(sum);
    }

    /// <summary>m + log Σ exp(xᵢ − m) + m·s: the sum s is read outside the log-sum-exp, so m keeps its derivative.</summary>
    [Differentiable]
    public static double SumReadElsewhere(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }

        return max + Math.Log(sum) + 0.1 * sum;
    }

    /// <summary>A strictly upper triangle (col &gt; r) whose inner value reads the outer counter as well as its own.</summary>
    [Differentiable]
    public static double UpperTriangle(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
    {
        int d = x.Length;
        double total = 0.0;
        for (int r = 0; r < d; r++)
        {
            double row = 0.0;
            for (int col = r + 1; col < d; col++)
            {
                row += w[r * d + col] * Math.Sin(x[col] + w[col]) + w[col] * x[r];
            }

            total += row * row;
        }

        return total;
    }
}
