using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class BaInput : RunSettings
{
    [JsonPropertyName("n")] public int N { get; set; }
    [JsonPropertyName("m")] public int M { get; set; }
    [JsonPropertyName("p")] public int P { get; set; }
    [JsonPropertyName("cam")] public double[] Cam { get; set; } = [];
    [JsonPropertyName("x")] public double[] X { get; set; } = [];
    [JsonPropertyName("w")] public double W { get; set; }
    [JsonPropertyName("feat")] public double[] Feat { get; set; } = [];
}

/// <summary>
/// ba: bundle adjustment's reprojection residuals w·(proj − feature) and weight residuals 1 − w².
/// <see cref="Reproject"/> is both the primal and, through its generated <c>ReprojectJacobian</c>,
/// an observation's 2×15 Jacobian block (camera, point, weight columns in GradBench's order).
/// </summary>
public static partial class Ba
{
    public const int CameraSize = 11;
    public const int PointSize = 3;
    public const int BlockWidth = CameraSize + PointSize + 1;

    /// <summary>
    /// w·(proj − feature) for one camera (r, C, f, u0, v0, κ1, κ2) and point X: Rodrigues rotation
    /// of X − C (its first-order form where θ² = 0), perspective division, radial distortion.
    /// </summary>
    [Differentiable]
    public static void Reproject(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double w, [NoDiff] ReadOnlySpan<double> feature, Span<double> residual)
    {
        double r0 = camera[0], r1 = camera[1], r2 = camera[2];
        double y0 = point[0] - camera[3], y1 = point[1] - camera[4], y2 = point[2] - camera[5];
        double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
        double z0, z1, z2;
        if (theta2 != 0.0)
        {
            // Y cos θ + (ω × Y) sin θ + ω (ω·Y)(1 − cos θ), ω = r / θ.
            double theta = Math.Sqrt(theta2);
            double cos = Math.Cos(theta), sin = Math.Sin(theta);
            double w0 = r0 / theta, w1 = r1 / theta, w2 = r2 / theta;
            double along = (w0 * y0 + w1 * y1 + w2 * y2) * (1.0 - cos);
            z0 = y0 * cos + (w1 * y2 - w2 * y1) * sin + w0 * along;
            z1 = y1 * cos + (w2 * y0 - w0 * y2) * sin + w1 * along;
            z2 = y2 * cos + (w0 * y1 - w1 * y0) * sin + w2 * along;
        }
        else
        {
            z0 = y0 + (r1 * y2 - r2 * y1);
            z1 = y1 + (r2 * y0 - r0 * y2);
            z2 = y2 + (r0 * y1 - r1 * y0);
        }

        double pi0 = z0 / z2, pi1 = z1 / z2;
        double rho = pi0 * pi0 + pi1 * pi1;
        double distortion = 1.0 + camera[9] * rho + camera[10] * rho * rho;
        residual[0] = w * (pi0 * distortion * camera[6] + camera[7] - feature[0]);
        residual[1] = w * (pi1 * distortion * camera[6] + camera[8] - feature[1]);
    }

    /// <summary>The full problem: every camera, point, weight and feature stored, as GradBench requires.</summary>
    public sealed class Problem
    {
        public Problem(BaInput input)
        {
            N = input.N;
            M = input.M;
            P = input.P;
            Input.Require(N >= 1 && M >= 1 && P >= 1, $"ba needs n, m, p ≥ 1 (n = {N}, m = {M}, p = {P}).");
            Input.Require(input.Cam.Length == CameraSize && input.X.Length == PointSize && input.Feat.Length == 2,
                "ba needs cam (11), x (3) and feat (2).");
            Cameras = Replicate(input.Cam, N);
            Points = Replicate(input.X, M);
            Weights = Replicate([input.W], P);
            Features = Replicate(input.Feat, P);
        }

        public int N { get; }
        public int M { get; }
        public int P { get; }
        public double[] Cameras { get; }
        public double[] Points { get; }
        public double[] Weights { get; }
        public double[] Features { get; }

        private static double[] Replicate(double[] item, int count)
        {
            var all = new double[item.Length * count];
            for (int i = 0; i < count; i++)
            {
                item.CopyTo(all, i * item.Length);
            }

            return all;
        }
    }

    /// <summary>Every observation's two reprojection residuals and its weight residual.</summary>
    public static void Objective(Problem problem, Span<double> reprojection, Span<double> weightResidual)
    {
        for (int k = 0; k < problem.P; k++)
        {
            int camera = k % problem.N, point = k % problem.M;
            Reproject(problem.Cameras.AsSpan(camera * CameraSize, CameraSize), problem.Points.AsSpan(point * PointSize, PointSize),
                problem.Weights[k], problem.Features.AsSpan(2 * k, 2), reprojection.Slice(2 * k, 2));
            weightResidual[k] = 1.0 - problem.Weights[k] * problem.Weights[k];
        }
    }

    /// <summary>The sparse Jacobian in compressed-sparse-row form (3p + 1 row pointers, 31p entries).</summary>
    public static void Jacobian(Problem problem, Span<int> rows, Span<int> cols, Span<double> vals)
    {
        int n = problem.N, m = problem.M, p = problem.P;
        var cameras = problem.Cameras;
        var points = problem.Points;
        Span<double> residual = stackalloc double[2];
        for (int k = 0; k < p; k++)
        {
            int camera = k % n, point = k % m;
            int c = camera * CameraSize, x = point * PointSize;
            for (int axis = 0; axis < 2; axis++)
            {
                int row = 2 * k + axis;
                int at = row * BlockWidth;
                rows[row] = at;
                for (int j = 0; j < CameraSize; j++)
                {
                    cols[at + j] = c + j;
                }

                for (int j = 0; j < PointSize; j++)
                {
                    cols[at + CameraSize + j] = CameraSize * n + x + j;
                }

                cols[at + BlockWidth - 1] = CameraSize * n + PointSize * m + k;
            }

            // Rows 2k and 2k + 1 are contiguous: the block is row-major, as the Jacobian member writes it.
            ReprojectJacobian(cameras.AsSpan(c, CameraSize), points.AsSpan(x, PointSize), problem.Weights[k], problem.Features.AsSpan(2 * k, 2),
                residual, vals.Slice(2 * k * BlockWidth, 2 * BlockWidth));
        }

        int weightRows = 2 * p * BlockWidth;
        for (int k = 0; k < p; k++)
        {
            rows[2 * p + k] = weightRows + k;
            cols[weightRows + k] = CameraSize * n + PointSize * m + k;
            vals[weightRows + k] = -2.0 * problem.Weights[k];
        }

        rows[3 * p] = weightRows + p;
    }

    public sealed class Eval : IEval
    {
        public string Module => "ba";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.BaInput);
            var problem = new Problem(input);
            int p = problem.P;
            switch (function)
            {
                case "objective":
                    var reprojection = new double[2 * p];
                    var weightResidual = new double[p];
                    return new DelegateWorkload(input, () => Objective(problem, reprojection, weightResidual),
                        w => WriteObjective(w, reprojection, weightResidual[0], p));
                case "jacobian":
                    int entries = (2 * BlockWidth + 1) * p;
                    var rows = new int[3 * p + 1];
                    var cols = new int[entries];
                    var vals = new double[entries];
                    return new DelegateWorkload(input, () => Jacobian(problem, rows, cols, vals), w => WriteJacobian(w, rows, cols, vals));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }

        // All observations are equal, so GradBench compares the first one and the count.
        private static void WriteObjective(Utf8JsonWriter w, double[] reprojection, double weightResidual, int p)
        {
            w.WriteStartObject();
            w.WriteStartObject("reproj_error");
            w.WritePropertyName("elements");
            Json.WriteArray(w, reprojection.AsSpan(0, 2));
            w.WriteNumber("repeated", p);
            w.WriteEndObject();
            w.WriteStartObject("w_err");
            w.WriteNumber("element", weightResidual);
            w.WriteNumber("repeated", p);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        // The first 30 entries (observation 0's two rows) and the last of each array, as GradBench validates them.
        private static void WriteJacobian(Utf8JsonWriter w, int[] rows, int[] cols, double[] vals)
        {
            w.WriteStartObject();
            w.WritePropertyName("rows");
            WriteHeadAndLast(w, rows.Length, i => w.WriteNumberValue(rows[i]));
            w.WritePropertyName("cols");
            WriteHeadAndLast(w, cols.Length, i => w.WriteNumberValue(cols[i]));
            w.WritePropertyName("vals");
            WriteHeadAndLast(w, vals.Length, i => w.WriteNumberValue(vals[i]));
            w.WriteEndObject();
        }

        private static void WriteHeadAndLast(Utf8JsonWriter w, int length, Action<int> writeValue)
        {
            w.WriteStartArray();
            for (int i = 0; i < Math.Min(2 * BlockWidth, length - 1); i++)
            {
                writeValue(i);
            }

            writeValue(length - 1);
            w.WriteEndArray();
        }
    }
}
