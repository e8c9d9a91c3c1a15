using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Nn;

namespace DiffGen.Benchmarks;

/// <summary>
/// The Nn backward passes are the generator's vector-Jacobian products of their forward functions (issue 10):
/// each category times the library's backward against the hand-written loop it replaced (kept here only as
/// the baseline), for 10 classes (an MNIST output layer) and 1000.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class NnBackwardBenchmarks
{
    private double[] _softmax = Array.Empty<double>();
    private double[] _logSoftmax = Array.Empty<double>();
    private double[] _upstream = Array.Empty<double>();
    private double[] _gradient = Array.Empty<double>();

    [Params(10, 1000)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var x = new double[Classes];
        _upstream = new double[Classes];
        for (int i = 0; i < Classes; i++)
        {
            x[i] = 3.0 * Math.Sin(1.7 * i + 0.3);
            _upstream[i] = Math.Cos(0.9 * i);
        }

        _softmax = new double[Classes];
        _logSoftmax = new double[Classes];
        _gradient = new double[Classes];
        Activations.Softmax(x, _softmax);
        Activations.LogSoftmax(x, _logSoftmax);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("SoftmaxBackward")]
    public double SoftmaxHandWritten()
    {
        double dot = 0.0;
        for (int i = 0; i < _softmax.Length; i++)
        {
            dot += _upstream[i] * _softmax[i];
        }

        for (int i = 0; i < _softmax.Length; i++)
        {
            _gradient[i] = _softmax[i] * (_upstream[i] - dot);
        }

        return _gradient[0];
    }

    [Benchmark, BenchmarkCategory("SoftmaxBackward")]
    public double SoftmaxGenerated()
    {
        Activations.SoftmaxBackward(_softmax, _upstream, _gradient);
        return _gradient[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("LogSoftmaxBackward")]
    public double LogSoftmaxHandWritten()
    {
        double sum = 0.0;
        for (int i = 0; i < _upstream.Length; i++)
        {
            sum += _upstream[i];
        }

        for (int i = 0; i < _logSoftmax.Length; i++)
        {
            _gradient[i] = _upstream[i] - Math.Exp(_logSoftmax[i]) * sum;
        }

        return _gradient[0];
    }

    [Benchmark, BenchmarkCategory("LogSoftmaxBackward")]
    public double LogSoftmaxGenerated()
    {
        Activations.LogSoftmaxBackward(_logSoftmax, _upstream, _gradient);
        return _gradient[0];
    }
}
