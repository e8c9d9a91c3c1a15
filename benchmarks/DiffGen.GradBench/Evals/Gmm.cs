using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;
using MathNet.Numerics;

namespace DiffGen.GradBench.Evals;

public sealed class GmmInput : RunSettings
{
    [JsonPropertyName("d")] public int D { get; set; }
    [JsonPropertyName("k")] public int K { get; set; }
    [JsonPropertyName("n")] public int N { get; set; }
    [JsonPropertyName("m")] public double M { get; set; }
    [JsonPropertyName("gamma")] public double Gamma { get; set; }
    [JsonPropertyName("x")] public Matrix? X { get; set; }
    [JsonPropertyName("alpha")] public double[] Alpha { get; set; } = [];
    [JsonPropertyName("mu")] public Matrix? Mu { get; set; }
    [JsonPropertyName("q")] public Matrix? Q { get; set; }
    [JsonPropertyName("l")] public Matrix? L { get; set; }
}

/// <summary>
/// gmm: GradBench's log posterior of a Gaussian mixture (softmax weights, Wishart prior on each
/// precision factor Qⱼ), written over spans with max-shifted log-sum-exps; the gradient w.r.t.
/// α, μ, q and l is generated.
/// </summary>
public static partial class Gmm
{
    /// <summary>
    /// The objective. <paramref name="constant"/> holds the terms without parameters
    /// (−n·d/2·log 2π + k·C, which needs lgamma): <see cref="Constant"/>.
    /// </summary>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> alpha, ReadOnlySpan<double> mu, ReadOnlySpan<double> q, ReadOnlySpan<double> l,
        [NoDiff] ReadOnlySpan<double> x, int d, int k, int n, [NoDiff] double gamma, [NoDiff] double m, [NoDiff] double constant)
    {
        int lSize = d * (d - 1) / 2;
        Span<double> beta = stackalloc double[k];
        Span<double> diagonal = stackalloc double[k * d];
        for (int j = 0; j < k * d; j++)
        {
            diagonal[j] = Math.Exp(q[j]);
        }

        double dataTerm = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double sumQ = 0.0;
                for (int j = 0; j < d; j++)
                {
                    sumQ += q[c * d + j];
                }

                // Row r of Qⱼ(xᵢ − μⱼ) as one scalar sum: the reverse sweep then saves one value per
                // row, not one per entry of Q. l is packed column by column, so Q[r, col] is
                // l[col·(2d − col − 1)/2 + r − col − 1].
                double squaredNorm = 0.0;
                for (int r = 0; r < d; r++)
                {
                    double row = diagonal[c * d + r] * (x[i * d + r] - mu[c * d + r]);
                    for (int col = 0; col < r; col++)
                    {
                        row += l[c * lSize + col * (2 * d - col - 1) / 2 + r - col - 1] * (x[i * d + col] - mu[c * d + col]);
                    }

                    squaredNorm += row * row;
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
                sumExp2Q += diagonal[c * d + j] * diagonal[c * d + j];
                sumQ += q[c * d + j];
            }

            double sumL2 = 0.0;
            for (int j = 0; j < lSize; j++)
            {
                sumL2 += l[c * lSize + j] * l[c * lSize + j];
            }

            prior += 0.5 * gamma * gamma * (sumExp2Q + sumL2) - m * sumQ;
        }

        return dataTerm - n * (maxAlpha + Math.Log(sumExpAlpha)) - prior + constant;
    }

    /// <summary>−n·d/2·log 2π + k·C with C = ν·d·(log γ − ½ log 2) − log Γ_d(ν/2), ν = d + m + 1.</summary>
    public static double Constant(int d, int k, int n, double gamma, double m)
    {
        double nu = d + m + 1;
        double logGammaD = d * (d - 1) / 4.0 * Math.Log(Math.PI);
        for (int c = 1; c <= d; c++)
        {
            logGammaD += SpecialFunctions.GammaLn(nu / 2 + (1 - c) / 2.0);
        }

        double perComponent = nu * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - logGammaD;
        return -n * d / 2.0 * Math.Log(2 * Math.PI) + k * perComponent;
    }

    public sealed class Eval : IEval
    {
        public string Module => "gmm";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.GmmInput);
            int d = input.D, k = input.K, n = input.N;
            Input.Require(d >= 1 && k >= 1 && n >= 1, "gmm needs d, k, n ≥ 1.");
            var x = Shaped(input.X, n, d, "x");
            var mu = Shaped(input.Mu, k, d, "mu");
            var q = Shaped(input.Q, k, d, "q");
            var l = Shaped(input.L, k, d * (d - 1) / 2, "l");
            double[] alpha = input.Alpha;
            Input.Require(alpha.Length == k, $"gmm: alpha has {alpha.Length} values, k = {k}.");
            double gamma = input.Gamma, m = input.M;
            double constant = Constant(d, k, n, gamma, m);
            switch (function)
            {
                case "objective":
                    double value = 0;
                    return new DelegateWorkload(input, () => value = Objective(alpha, mu.Data, q.Data, l.Data, x.Data, d, k, n, gamma, m, constant),
                        w => w.WriteNumberValue(value));
                case "jacobian":
                    var dAlpha = new double[k];
                    var dMu = new double[k * d];
                    var dQ = new double[k * d];
                    var dL = new double[l.Data.Length];
                    return new DelegateWorkload(input,
                        () => ObjectiveGradient(alpha, mu.Data, q.Data, l.Data, x.Data, d, k, n, gamma, m, constant, dAlpha, dMu, dQ, dL),
                        w => WriteJacobian(w, dAlpha, dMu, dQ, dL, d));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }

        private static Matrix Shaped(Matrix? matrix, int rows, int columns, string name)
        {
            Input.Require(matrix is not null, $"gmm: {name} is missing.");
            // A k×0 matrix (l when d = 1) reads as k empty rows: zero columns.
            Input.Require(matrix!.Rows == rows && (matrix.Columns == columns || rows * columns == 0),
                $"gmm: {name} is {matrix.Rows}×{matrix.Columns}, expected {rows}×{columns}.");
            return matrix;
        }

        private static void WriteJacobian(Utf8JsonWriter w, double[] dAlpha, double[] dMu, double[] dQ, double[] dL, int d)
        {
            w.WriteStartObject();
            w.WritePropertyName("alpha");
            Json.WriteArray(w, dAlpha);
            w.WritePropertyName("mu");
            Matrix.Write(w, dMu, d);
            w.WritePropertyName("q");
            Matrix.Write(w, dQ, d);
            w.WritePropertyName("l");
            WriteRows(w, dL, dAlpha.Length);
            w.WriteEndObject();
        }

        // l's rows may be empty (d = 1), so they are split by count, not by width.
        private static void WriteRows(Utf8JsonWriter w, double[] values, int rows)
        {
            int width = values.Length / rows;
            w.WriteStartArray();
            for (int r = 0; r < rows; r++)
            {
                Json.WriteArray(w, values.AsSpan(r * width, width));
            }

            w.WriteEndArray();
        }
    }
}
