using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DiffGen.Data;
using DiffGen.Models.Tests.Data;
using UserModels = DiffGen.Models.Tests.Models;

namespace DiffGen.Benchmarks;

/// <summary>
/// The cost of a generated gradient relative to its primal, ADBench style: for each model the primal
/// (the [Differentiable] method itself) is the baseline of its category, and the Ratio column of the
/// gradient row is gradient time / primal time. The models are the very sources of
/// tests/DiffGen.Models.Tests/Models (linked into this project), read from tests/Data/adbench (copied into the output).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
public class GeneratedGradientBenchmarks
{
    private const int Hidden = 16;
    private const int MlpBatch = 256;

    private double[] _mlpParameters = Array.Empty<double>();
    private double[] _mlpFeatures = Array.Empty<double>();
    private double[] _mlpLabels = Array.Empty<double>();
    private double[] _mlpGradient = Array.Empty<double>();

    private Gmm _d2k5 = null!;
    private Gmm _d10k25 = null!;

    /// <summary>One GMM instance with its gradient buffers.</summary>
    private sealed class Gmm
    {
        public Gmm(GmmInstance instance)
        {
            Instance = instance;
            Constant = UserModels.GmmReference.Constant(instance.D, instance.K, instance.N, instance.Gamma, instance.M);
            DAlpha = new double[instance.Alpha.Length];
            DMeans = new double[instance.Means.Length];
            DIcf = new double[instance.Icf.Length];
        }

        public GmmInstance Instance { get; }
        public double Constant { get; }
        public double[] DAlpha { get; }
        public double[] DMeans { get; }
        public double[] DIcf { get; }

        public double Primal()
        {
            var g = Instance;
            return UserModels.Gmm.Objective(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant);
        }

        public double Gradient()
        {
            var g = Instance;
            return UserModels.Gmm.ObjectiveGradient(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant, DAlpha, DMeans, DIcf);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var data = Playground.TwoSpirals(MlpBatch, noise: 0.05, seed: 1);
        _mlpFeatures = data.Features.ToArray();
        _mlpLabels = data.Labels.ToArray();
        var random = new Random(3);
        _mlpParameters = new double[UserModels.Mlp.ParameterCount(Hidden)];
        for (int i = 0; i < _mlpParameters.Length; i++)
        {
            _mlpParameters[i] = (random.NextDouble() * 2 - 1) * 0.5;
        }

        _mlpGradient = new double[_mlpParameters.Length];
        _d2k5 = new Gmm(AdBench.ReadGmm("gmm_d2_K5_1k.txt"));
        _d10k25 = new Gmm(GmmInstance.Random(d: 10, k: 25, n: 1000, seed: 2024));
        Console.WriteLine($"// MLP 2-{Hidden}-{Hidden}-1: {_mlpParameters.Length} parameters, batch {MlpBatch}; " +
                          $"GMM d2 K5 n1000: {_d2k5.Instance.ParameterCount} parameters; GMM d10 K25 n1000: {_d10k25.Instance.ParameterCount} parameters");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("MLP 2-16-16-1, batch 256")]
    public double Mlp_Primal() => UserModels.Mlp.Loss(_mlpParameters, _mlpFeatures, _mlpLabels, MlpBatch, Hidden);

    [Benchmark, BenchmarkCategory("MLP 2-16-16-1, batch 256")]
    public double Mlp_Gradient() => UserModels.Mlp.LossGradient(_mlpParameters, _mlpFeatures, _mlpLabels, MlpBatch, Hidden, _mlpGradient);

    [Benchmark(Baseline = true), BenchmarkCategory("GMM d=2 K=5 n=1000")]
    public double GmmD2K5_Primal() => _d2k5.Primal();

    [Benchmark, BenchmarkCategory("GMM d=2 K=5 n=1000")]
    public double GmmD2K5_Gradient() => _d2k5.Gradient();

    [Benchmark(Baseline = true), BenchmarkCategory("GMM d=10 K=25 n=1000")]
    public double GmmD10K25_Primal() => _d10k25.Primal();

    [Benchmark, BenchmarkCategory("GMM d=10 K=25 n=1000")]
    public double GmmD10K25_Gradient() => _d10k25.Gradient();
}
