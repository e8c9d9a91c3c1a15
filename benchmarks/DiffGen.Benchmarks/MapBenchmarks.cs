using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>Element-wise maps as a user writes them: a tanh feature map and a shifted exponential sum.</summary>
public static partial class MapWorkloads
{
    [Differentiable]
    public static double TanhFeatures(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
    {
        Span<double> y = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Tanh(x[i]);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += w[i] * y[i];
        }

        return s;
    }

    [Differentiable]
    public static double ShiftedLogSum(ReadOnlySpan<double> x, [NoDiff] double c)
    {
        Span<double> e = stackalloc double[x.Length];
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            e[i] = Math.Exp(x[i] - c);
            sum += e[i];
        }

        return Math.Log(sum);
    }
}

/// <summary>
/// Generated gradients of element-wise maps (vector loops, TensorPrimitives over whole slices) against the
/// scalar loops the generator printed before (issue 11, item 3): the baselines are those loops written out,
/// over a preallocated scratch array (no zeroed stackalloc in front of Math.Tanh/Exp).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class MapBenchmarks
{
    private double[] _x = Array.Empty<double>();
    private double[] _w = Array.Empty<double>();
    private double[] _scratch = Array.Empty<double>();
    private double[] _gradient = Array.Empty<double>();

    [Params(100, 1000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new double[Length];
        _w = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            _x[i] = 2.0 * Math.Sin(0.37 * i + 0.1);
            _w[i] = Math.Cos(0.91 * i);
        }

        _scratch = new double[Length];
        _gradient = new double[Length];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Tanh")]
    public double TanhScalar()
    {
        var y = _scratch;
        for (int i = 0; i < _x.Length; i++)
        {
            y[i] = Math.Tanh(_x[i]);
        }

        double s = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            s += _w[i] * y[i];
        }

        for (int i = _x.Length - 1; i >= 0; i--)
        {
            double t = y[i];
            _gradient[i] = _w[i] * (1.0 - t * t);
        }

        return s;
    }

    [Benchmark, BenchmarkCategory("Tanh")]
    public double TanhGenerated() => MapWorkloads.TanhFeaturesGradient(_x, _w, _gradient);

    [Benchmark(Baseline = true), BenchmarkCategory("ExpSum")]
    public double ExpSumScalar()
    {
        const double c = 0.5;
        var e = _scratch;
        double sum = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            e[i] = Math.Exp(_x[i] - c);
            sum += e[i];
        }

        double value = Math.Log(sum);
        double dsum = 1.0 / sum;
        for (int i = _x.Length - 1; i >= 0; i--)
        {
            _gradient[i] = dsum * e[i];
        }

        return value;
    }

    [Benchmark, BenchmarkCategory("ExpSum")]
    public double ExpSumGenerated() => MapWorkloads.ShiftedLogSumGradient(_x, 0.5, _gradient);
}
