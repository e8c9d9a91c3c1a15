using System;
using System.Linq;
using DiffGen.GradBench.Evals;
using MathNet.Numerics.Differentiation;
using MathNet.Numerics.LinearAlgebra;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// lse, llsq, det and kmeans through the protocol, against the SPEC's check values (section 3 of
/// GradBench's tool specification for DiffGen: the outputs of GradBench's hand-written C++ reference,
/// copied here) and closed forms computed in the test.
/// </summary>
public class SmallEvalTests
{
    private const double CheckTolerance = 1e-12;

    [Fact]
    public void Lse_matches_the_reference_check_values()
    {
        const string input = """{"x":[1.0,2.0,3.0,-1.5]}""";
        Harness.Close(3.414968950485861, Harness.Evaluate("lse", "primal", input).GetDouble(), CheckTolerance);
        Harness.Close([0.08937011377728535, 0.2429331562881121, 0.6603607842681763, 0.007335945666426145],
            Harness.Doubles(Harness.Evaluate("lse", "gradient", input)), CheckTolerance);
    }

    [Fact]
    public void Lse_is_log_sum_exp_and_its_gradient_the_softmax()
    {
        var random = new Random(31337);
        double[] x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        double sum = x.Sum(Math.Exp);
        string input = $$"""{"x":{{Harness.Array(x)}}}""";
        Harness.Close(Math.Log(sum), Harness.Evaluate("lse", "primal", input).GetDouble(), 1e-13);
        Harness.Close(x.Select(v => Math.Exp(v) / sum).ToArray(), Harness.Doubles(Harness.Evaluate("lse", "gradient", input)), 1e-13);
    }

    [Fact]
    public void Llsq_matches_the_reference_check_values()
    {
        const string input = """{"x":[0.5,-1.0,0.25],"n":5}""";
        Harness.Close(7.25390625, Harness.Evaluate("llsq", "primal", input).GetDouble(), CheckTolerance);
        Harness.Close([3.125, -5.5, 1.78125], Harness.Doubles(Harness.Evaluate("llsq", "gradient", input)), CheckTolerance);
    }

    [Fact]
    public void Llsq_gradient_is_minus_the_residuals_times_the_powers()
    {
        var random = new Random(5);
        double[] x = Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray();
        const int n = 51;
        double primal = 0;
        var gradient = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            double t = -1 + 2.0 * i / (n - 1);
            double r = Math.Sign(t) - x.Select((xj, j) => xj * Math.Pow(t, j)).Sum();
            primal += 0.5 * r * r;
            for (int j = 0; j < x.Length; j++)
            {
                gradient[j] -= r * Math.Pow(t, j);
            }
        }

        string input = $$"""{"x":{{Harness.Array(x)}},"n":{{n}}}""";
        Harness.Close(primal, Harness.Evaluate("llsq", "primal", input).GetDouble(), 1e-12);
        Harness.Close(gradient, Harness.Doubles(Harness.Evaluate("llsq", "gradient", input)), 1e-12);
    }

    [Fact]
    public void Det_matches_the_reference_check_values()
    {
        const string input = """{"A":[2.0,-1.0,0.5,1.0,3.0,2.0,0.0,1.0,4.0],"ell":3}""";
        Harness.Close(24.5, Harness.Evaluate("det", "primal", input).GetDouble(), CheckTolerance);
        Harness.Close([10.0, -4.0, 1.0, 4.5, 8.0, -2.0, -3.5, -3.5, 7.0], Harness.Doubles(Harness.Evaluate("det", "gradient", input)), CheckTolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    public void Det_and_its_cofactors_match_MathNet(int ell)
    {
        var random = new Random(ell);
        double[] a = Enumerable.Range(0, ell * ell).Select(_ => random.NextDouble()).ToArray();
        var matrix = Matrix<double>.Build.DenseOfRowMajor(ell, ell, a);
        double det = matrix.Determinant();
        // Cofactor matrix = det(A)·A⁻ᵀ, row-major.
        double[] cofactors = (matrix.Inverse().Transpose() * det).ToRowMajorArray();
        string input = $$"""{"A":{{Harness.Array(a)}},"ell":{{ell}}}""";
        Harness.Close(det, Harness.Evaluate("det", "primal", input).GetDouble(), 1e-12);
        Harness.Close(cofactors, Harness.Doubles(Harness.Evaluate("det", "gradient", input)), 1e-10);
    }

    [Fact]
    public void Det_beyond_the_spelled_out_sizes_fails_with_the_limit()
    {
        string input = $$"""{"min_runs": 1, "min_seconds": 0, "A":{{Harness.Array(new double[144])}},"ell":12}""";
        var response = Harness.Exchange([$$"""{"id": 0, "kind": "evaluate", "module": "det", "function": "primal", "input": {{input}}}"""]).Responses[0];
        Assert.Contains($"1 ≤ ℓ ≤ {Det.MaxSize}", response.GetProperty("error").GetString());
    }

    [Fact]
    public void Kmeans_matches_the_reference_check_values()
    {
        const string input = """{"points":[[0.0,0.0],[1.0,0.0],[0.0,2.0],[5.0,5.0],[6.0,5.0],[1.0,1.0],[5.0,6.0]],"centroids":[[1.0,1.0],[5.0,6.0]]}""";
        Harness.Close(8.0, Harness.Evaluate("kmeans", "cost", input).GetDouble(), CheckTolerance);
        Harness.Close([0.5, 0.25, -0.33333333333333304, 0.666666666666667], Harness.Flatten(Harness.Evaluate("kmeans", "dir", input)), 1e-12);
    }

    [Fact]
    public void Kmeans_dir_is_each_centroid_minus_the_mean_of_its_cluster()
    {
        var random = new Random(3);
        const int n = 300, k = 6, d = 3;
        double[] points = Enumerable.Range(0, n * d).Select(_ => random.NextDouble()).ToArray();
        double[] centroids = points[((n - k) * d)..];
        var cost = 0.0;
        var sums = new double[k * d];
        var counts = new int[k];
        for (int i = 0; i < n; i++)
        {
            var distances = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, d).Sum(c => Math.Pow(points[i * d + c] - centroids[j * d + c], 2))).ToArray();
            int nearest = Array.IndexOf(distances, distances.Min());
            cost += distances[nearest];
            counts[nearest]++;
            for (int c = 0; c < d; c++)
            {
                sums[nearest * d + c] += points[i * d + c];
            }
        }

        double[] dir = Enumerable.Range(0, k * d).Select(e => centroids[e] - sums[e] / counts[e / d]).ToArray();
        string input = $$"""{"points":{{Harness.Rows(points, d)}},"centroids":{{Harness.Rows(centroids, d)}}}""";
        Harness.Close(cost, Harness.Evaluate("kmeans", "cost", input).GetDouble(), 1e-12);
        Harness.Close(dir, Harness.Flatten(Harness.Evaluate("kmeans", "dir", input)), 1e-12);
    }

    /// <summary>Central differences (MathNet) of <paramref name="f"/> at <paramref name="x"/>.</summary>
    internal static double[] FiniteDifferenceGradient(Func<double[], double> f, double[] x)
        => new NumericalJacobian(5, 2).Evaluate(f, x);
}
