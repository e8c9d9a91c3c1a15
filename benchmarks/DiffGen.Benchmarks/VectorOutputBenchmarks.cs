using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// The Jacobian of a vector-output method picks its mode by shape (issue 12 item 3): forward (one JVP per
/// input column) when there are fewer inputs than outputs, else reverse (one VJP per output row). Each
/// category times the generated <c>…Jacobian</c> against the other mode assembled from the generated
/// products, on y = tanh(A x): tall (4 inputs, 256 outputs) and wide (256 inputs, 4 outputs).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public partial class VectorOutputBenchmarks
{
    private const int Few = 4;
    private const int Many = 256;

    private readonly double[] _tallA = Matrix(Many, Few);
    private readonly double[] _wideA = Matrix(Few, Many);
    private readonly double[] _fewX = Vector(Few);
    private readonly double[] _manyX = Vector(Many);
    private readonly double[] _manyY = new double[Many];
    private readonly double[] _fewY = new double[Few];
    private readonly double[] _jacobian = new double[Few * Many];
    private readonly double[] _seed = new double[Many];
    private readonly double[] _direction = new double[Many];
    private readonly double[] _product = new double[Many];

    /// <summary>y = tanh(A x), A row-major with y.Length rows.</summary>
    [Differentiable]
    public static void Layer([NoDiff] ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int columns = x.Length;
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0.0;
            for (int j = 0; j < columns; j++)
            {
                s += a[i * columns + j] * x[j];
            }

            y[i] = Math.Tanh(s);
        }
    }

    private static double[] Matrix(int rows, int columns)
    {
        var a = new double[rows * columns];
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = 0.3 * Math.Cos(0.7 * k + 0.1) / Math.Sqrt(columns);
        }

        return a;
    }

    private static double[] Vector(int n)
    {
        var x = new double[n];
        for (int k = 0; k < n; k++)
        {
            x[k] = Math.Sin(1.3 * k);
        }

        return x;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Tall")]
    public void Tall_generated_forward() => LayerJacobian(_tallA, _fewX, _manyY, _jacobian);

    [Benchmark, BenchmarkCategory("Tall")]
    public void Tall_rows_by_vjp()
    {
        var seed = _seed.AsSpan(0, Many);
        seed.Clear();
        for (int r = 0; r < Many; r++)
        {
            seed[r] = 1.0;
            LayerVjp(_tallA, _fewX, _manyY, seed, _jacobian.AsSpan(r * Few, Few));
            seed[r] = 0.0;
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Wide")]
    public void Wide_generated_reverse() => LayerJacobian(_wideA, _manyX, _fewY, _jacobian);

    [Benchmark, BenchmarkCategory("Wide")]
    public void Wide_columns_by_jvp()
    {
        var direction = _direction.AsSpan(0, Many);
        var column = _product.AsSpan(0, Few);
        direction.Clear();
        for (int c = 0; c < Many; c++)
        {
            direction[c] = 1.0;
            LayerJvp(_wideA, _manyX, _fewY, direction, column);
            for (int r = 0; r < Few; r++)
            {
                _jacobian[r * Many + c] = column[r];
            }

            direction[c] = 0.0;
        }
    }
}
