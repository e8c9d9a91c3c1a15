using System;
using System.Runtime.CompilerServices;
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
/// The argmin is not differentiable, so <c>dir</c> finds each point's centroid first in plain C#
/// (<see cref="Assign"/>, the same search as the primal <see cref="Cost"/>) and differentiates
/// <see cref="AssignedCost"/>, the cost with that assignment held fixed — as a JAX user stops the
/// gradient at an argmin. It equals <see cref="Cost"/> on the piece where the assignment does not
/// change, so its derivatives are Cost's, and the sweeps no longer replay the k·d search per point.
/// </summary>
public static partial class KMeans
{
    /// <summary>The primal, plain C#: each point's squared distance to its nearest centroid, summed.</summary>
    public static double Cost(ReadOnlySpan<double> centroids, ReadOnlySpan<double> points, int n, int k, int d)
    {
        double cost = 0.0;
        for (int i = 0; i < n; i++)
        {
            cost += NearestDistance(centroids, points, i, k, d, out _);
        }

        return cost;
    }

    /// <summary>
    /// Σᵢ ‖Pᵢ − C_{a(i)}‖², a(i) = <paramref name="assignment"/>[i]: a centroid index held as a double and
    /// compared with j, since a [Differentiable] method with loops cannot turn a double into an index
    /// (DG0005). So the loop over j stays; the condition reads only data nothing writes and the counters,
    /// so the reverse sweep evaluates it again and saves nothing; the k·d distances are gone.
    /// </summary>
    [Differentiable]
    public static double AssignedCost(ReadOnlySpan<double> centroids, [NoDiff] ReadOnlySpan<double> points, [NoDiff] ReadOnlySpan<double> assignment, int n, int k, int d)
    {
        double cost = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                if (assignment[i] == j)
                {
                    // No local for the difference: the reverse sweep recomputes it rather than saving it.
                    for (int c = 0; c < d; c++)
                    {
                        cost += (points[i * d + c] - centroids[j * d + c]) * (points[i * d + c] - centroids[j * d + c]);
                    }
                }
            }
        }

        return cost;
    }

    /// <summary>Each point's nearest centroid, as <see cref="Cost"/> finds it.</summary>
    public static void Assign(ReadOnlySpan<double> centroids, ReadOnlySpan<double> points, int n, int k, int d, Span<double> assignment)
    {
        for (int i = 0; i < n; i++)
        {
            NearestDistance(centroids, points, i, k, d, out int nearest);
            assignment[i] = nearest;
        }
    }

    /// <summary>
    /// The squared distance from point i to its nearest centroid, and that centroid (the lowest j at a
    /// tie). Inlined into both callers, so the primal runs the same loop as when it was written inline.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double NearestDistance(ReadOnlySpan<double> centroids, ReadOnlySpan<double> points, int i, int k, int d, out int nearest)
    {
        double best = 0.0;
        int bestIndex = 0;
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
                bestIndex = j;
            }
        }

        nearest = bestIndex;
        return best;
    }

    /// <summary>dir = J ⊘ diag(H), elementwise; <paramref name="ones"/> holds 1.0 in every entry.</summary>
    public static void Direction(ReadOnlySpan<double> centroids, ReadOnlySpan<double> points, int n, int k, int d,
        ReadOnlySpan<double> ones, Span<double> assignment, Span<double> gradient, Span<double> hessianDiagonal, Span<double> direction)
    {
        Assign(centroids, points, n, k, d, assignment);
        AssignedCostGradient(centroids, points, assignment, n, k, d, gradient);
        AssignedCostHessianVector(centroids, points, assignment, n, k, d, ones, hessianDiagonal);
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
                    var assignment = new double[n];
                    return new DelegateWorkload(input,
                        () => Direction(centroids.Data, points.Data, n, k, d, ones, assignment, gradient, hessianDiagonal, direction),
                        w => Matrix.Write(w, direction, d));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
