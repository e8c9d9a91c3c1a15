using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class KMeansInput : RunSettings
{
    [JsonPropertyName("points")] public Matrix? Points { get; set; }
    [JsonPropertyName("centroids")] public Matrix? Centroids { get; set; }
}

/// <summary>
/// kmeans: cost = Σᵢ minⱼ ‖Pᵢ − Cⱼ‖² (a tie goes to the lowest j). <c>dir</c> = J / diag(H) with J
/// the generated gradient and diag(H) from one generated Hessian-vector product along the all-ones
/// vector: H is diagonal here (each coordinate of each centroid enters its own squared difference
/// only, and the assignment is piecewise constant), so H·1 is exactly its diagonal — one
/// forward-over-reverse sweep instead of k·d products with unit vectors.
/// </summary>
public static partial class KMeans
{
    [Differentiable]
    public static double Cost(ReadOnlySpan<double> centroids, [NoDiff] ReadOnlySpan<double> points, int n, int k, int d)
    {
        double cost = 0.0;
        for (int i = 0; i < n; i++)
        {
            double best = 0.0;
            for (int j = 0; j < k; j++)
            {
                double distance = 0.0;
                for (int c = 0; c < d; c++)
                {
                    distance += (points[i * d + c] - centroids[j * d + c]) * (points[i * d + c] - centroids[j * d + c]);
                }

                if (j == 0 || distance < best)
                {
                    best = distance;
                }
            }

            cost += best;
        }

        return cost;
    }

    /// <summary>dir = J ⊘ diag(H), elementwise; <paramref name="ones"/> holds 1.0 in every entry.</summary>
    public static void Direction(ReadOnlySpan<double> centroids, ReadOnlySpan<double> points, int n, int k, int d,
        ReadOnlySpan<double> ones, Span<double> gradient, Span<double> hessianDiagonal, Span<double> direction)
    {
        CostGradient(centroids, points, n, k, d, gradient);
        CostHessianVector(centroids, points, n, k, d, ones, hessianDiagonal);
        for (int i = 0; i < direction.Length; i++)
        {
            direction[i] = gradient[i] / hessianDiagonal[i];
        }
    }

    public sealed class Eval : IEval
    {
        public string Module => "kmeans";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.KMeansInput);
            Input.Require(input.Points is not null && input.Centroids is not null, "kmeans needs points and centroids.");
            var points = input.Points!;
            var centroids = input.Centroids!;
            int n = points.Rows, k = centroids.Rows, d = centroids.Columns;
            Input.Require(k >= 1 && n >= 1 && points.Columns == d,
                $"kmeans: points are {n}×{points.Columns}, centroids {k}×{d}; both need the same nonzero width.");
            switch (function)
            {
                case "cost":
                    double value = 0;
                    return new DelegateWorkload(input, () => value = Cost(centroids.Data, points.Data, n, k, d), w => w.WriteNumberValue(value));
                case "dir":
                    var ones = new double[k * d];
                    Array.Fill(ones, 1.0);
                    var gradient = new double[k * d];
                    var hessianDiagonal = new double[k * d];
                    var direction = new double[k * d];
                    return new DelegateWorkload(input,
                        () => Direction(centroids.Data, points.Data, n, k, d, ones, gradient, hessianDiagonal, direction),
                        w => Matrix.Write(w, direction, d));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
