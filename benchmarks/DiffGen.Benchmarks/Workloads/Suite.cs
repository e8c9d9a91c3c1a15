using System;
using System.Collections.Generic;
using DiffGen.Models.Tests.Data;
using UserModels = DiffGen.Models.Tests.Models;

namespace DiffGen.Benchmarks.Workloads;

/// <summary>One workload of the suite: its BenchmarkDotNet category, its size and its arithmetic.</summary>
/// <param name="Prefix">Its benchmarks' method names are Prefix_Variant.</param>
/// <param name="Category">The category of its benchmarks (the primal is the category's baseline).</param>
/// <param name="Samples">Samples per call (per-sample times divide by it).</param>
/// <param name="GradientFlops">
/// Additions and multiplications (an FMA counts 2) of the hand-written gradient, forward and backward;
/// exp, log and tanh are not counted, so flops / FMA peak is a lower bound on the time.
/// </param>
/// <param name="FlopFormula">How <paramref name="GradientFlops"/> is counted.</param>
public sealed record Workload(string Prefix, string Category, int Samples, double GradientFlops, string FlopFormula);

/// <summary>The suite's workloads, their data (built once per process) and the check before timing.</summary>
public static class Suite
{
    public const string Neuron = "Sigmoid neuron";
    public const string Rosenbrock100 = "Rosenbrock n=100";
    public const string Rosenbrock10K = "Rosenbrock n=10^4";
    public const string SmallMlp = "MLP 2-16-16-1, one sample";
    public const string MnistOne = "MLP 784-128-10, one sample";
    public const string MnistBatch = "MLP 784-128-10, batch 64";
    public const string GmmD2K5 = "GMM d=2 K=5 n=1000";
    public const string GmmD10K25 = "GMM d=10 K=25 n=1000";
    public const int Batch = 64;

    private static readonly Lazy<SuiteData> LazyData = new(() => new SuiteData());

    public static SuiteData Data => LazyData.Value;

    /// <summary>The one table of workloads and their flop counts.</summary>
    public static IReadOnlyList<Workload> Workloads { get; } = new Workload[]
    {
        new("Neuron", Neuron, 1, 14, "7 for σ(w·x + b), 7 for its five partials"),
        new("Rosenbrock100", Rosenbrock100, 1, 14 * 99, "14 per term: 8 for the term, 6 for its two partials"),
        new("Rosenbrock10K", Rosenbrock10K, 1, 14 * 9999, "14 per term"),
        new("SmallMlp", SmallMlp, 1, MlpFlops(2, SmallMlpShape.Hidden, SmallMlpShape.Hidden, 1, hiddenLayers: 2), "2·(multiply-adds of forward + backward matrix products)"),
        new("MnistOne", MnistOne, 1, MlpFlops(MnistShape.Inputs, MnistShape.Hidden, 0, MnistShape.Classes, hiddenLayers: 1), "2·(784·128 + 128·10) forward, 2·(784·128 + 2·128·10) backward"),
        new("MnistBatch", MnistBatch, Batch, Batch * MlpFlops(MnistShape.Inputs, MnistShape.Hidden, 0, MnistShape.Classes, hiddenLayers: 1), "64 × one sample"),
        new("GmmD2K5", GmmD2K5, 1, GmmFlops(2, 5, 1000), "n·K·(3d(d−1) + 11d): the triangular products forward and backward and the O(d) terms"),
        new("GmmD10K25", GmmD10K25, 1, GmmFlops(10, 25, 1000), "n·K·(3d(d−1) + 11d)"),
    };

    /// <summary>
    /// Multiply-adds ×2 of the matrix products: forward through every layer; backward the weight gradient of
    /// every layer and the input gradient of every layer but the first.
    /// </summary>
    private static double MlpFlops(int inputs, int hidden, int secondHidden, int outputs, int hiddenLayers)
    {
        double first = (double)inputs * hidden;
        double middle = hiddenLayers == 2 ? (double)hidden * secondHidden : 0;
        double last = (double)(hiddenLayers == 2 ? secondHidden : hidden) * outputs;
        double forward = first + middle + last;
        double backward = first + 2 * middle + 2 * last;
        return 2 * (forward + backward);
    }

    private static double GmmFlops(int d, int k, int n) => (double)n * k * (3.0 * d * (d - 1) + 11.0 * d);

    /// <summary>
    /// Compares every hand-written gradient (and the tape's and the dual numbers') with the generated one;
    /// returns the largest |difference| / max |generated| per check and throws when one exceeds 1e−12.
    /// </summary>
    public static IReadOnlyList<(string Check, double RelativeError)> Validate()
    {
        var data = Data;
        var results = new List<(string, double)>();
        void Check(string name, ReadOnlySpan<double> generated, ReadOnlySpan<double> other, double generatedValue, double otherValue)
        {
            double scale = 0;
            double error = 0;
            for (int i = 0; i < generated.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(generated[i]));
                error = Math.Max(error, Math.Abs(generated[i] - other[i]));
            }

            double relative = Math.Max(error / scale, Math.Abs(generatedValue - otherValue) / Math.Max(1e-300, Math.Abs(generatedValue)));
            results.Add((name, relative));
            if (!(relative <= 1e-12))
            {
                throw new InvalidOperationException($"{name}: differs from the generated gradient by {relative:E3} (relative); not timing a wrong gradient.");
            }
        }

        var n = data.NeuronPoint;
        var generated = new double[5];
        var other = new double[5];
        double gv = SuiteModels.NeuronGradient(n[0], n[1], n[2], n[3], n[4], out generated[0], out generated[1], out generated[2], out generated[3], out generated[4]);
        double hv = HandWritten.Neuron(n[0], n[1], n[2], n[3], n[4], out other[0], out other[1], out other[2], out other[3], out other[4]);
        Check($"{Neuron}: hand-written", generated, other, gv, hv);
        hv = ContextMethods.NeuronTape(data.Tape, n, other);
        Check($"{Neuron}: tape", generated, other, gv, hv);
        hv = ContextMethods.NeuronDual(n, other);
        Check($"{Neuron}: dual numbers", generated, other, gv, hv);

        foreach (var (name, x) in new[] { (Rosenbrock100, data.Rosenbrock100), (Rosenbrock10K, data.Rosenbrock10K) })
        {
            var g = new double[x.Length];
            var h = new double[x.Length];
            gv = SuiteModels.RosenbrockGradient(x, g);
            Check($"{name}: hand-written", g, h, gv, HandWritten.Rosenbrock(x, h));
            Check($"{name}: tape", g, h, gv, ContextMethods.RosenbrockTape(data.Tape, data.TapeVariables, x, h));
            if (x.Length <= 100)
            {
                Check($"{name}: dual numbers", g, h, gv, ContextMethods.RosenbrockDual(data.DualScratch, x, h));
            }
        }

        var dp = new double[SmallMlpShape.ParameterCount];
        var hp = new double[SmallMlpShape.ParameterCount];
        var s = data.SmallMlpSample;
        gv = SuiteModels.SmallMlpGradient(data.SmallMlpParameters, s[0], s[1], s[2], dp);
        Check($"{SmallMlp}: hand-written", dp, hp, gv, HandWritten.SmallMlp(data.SmallMlpParameters, s[0], s[1], s[2], hp));
        Check($"{SmallMlp}: tests/DiffGen.Models.Tests' Mlp.Loss, count 1 (locals zeroed)", dp, hp, gv,
            UserModels.Mlp.LossGradient(data.SmallMlpParameters, s.AsSpan(0, 2), s.AsSpan(2, 1), 1, SmallMlpShape.Hidden, hp));

        dp = new double[MnistShape.ParameterCount];
        hp = new double[MnistShape.ParameterCount];
        foreach (var (name, count) in new[] { (MnistOne, 1), (MnistBatch, Batch) })
        {
            gv = SuiteModels.MnistMlpGradient(data.MnistParameters, data.Images, data.Targets, count, dp);
            Check($"{name}: hand-written", dp, hp, gv, HandWritten.MnistMlp(data.MnistParameters, data.Images, data.Targets, count, hp));
        }

        foreach (var (name, gmm) in new[] { (GmmD2K5, data.GmmD2K5), (GmmD10K25, data.GmmD10K25) })
        {
            gv = gmm.Generated();
            var g = (double[])gmm.Gradient.Clone();
            Check($"{name}: hand-written", g, gmm.Gradient, gv, gmm.HandWritten());
        }

        return results;
    }
}

/// <summary>Inputs and scratch of every workload, seeded.</summary>
public sealed class SuiteData
{
    public SuiteData()
    {
        var random = new Random(2026);
        double Uniform(double half) => (random.NextDouble() * 2 - 1) * half;
        NeuronPoint = new[] { 0.7, -1.3, 0.2, 1.5, -0.4 };
        Rosenbrock100 = new double[100];
        Rosenbrock10K = new double[10_000];
        foreach (var x in new[] { Rosenbrock100, Rosenbrock10K })
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = Uniform(2);
            }
        }

        SmallMlpParameters = new double[SmallMlpShape.ParameterCount];
        for (int i = 0; i < SmallMlpParameters.Length; i++)
        {
            SmallMlpParameters[i] = Uniform(0.5);
        }

        SmallMlpSample = new[] { 0.8, -0.3, 1.0 };

        // Synthetic MNIST-shaped data (pixels in [0, 1), random classes), He-uniform weights.
        MnistParameters = new double[MnistShape.ParameterCount];
        for (int i = 0; i < MnistShape.B1; i++)
        {
            MnistParameters[i] = Uniform(Math.Sqrt(6.0 / MnistShape.Inputs));
        }

        for (int i = MnistShape.W2; i < MnistShape.B2; i++)
        {
            MnistParameters[i] = Uniform(Math.Sqrt(6.0 / MnistShape.Hidden));
        }

        Images = new double[Suite.Batch * MnistShape.Inputs];
        for (int i = 0; i < Images.Length; i++)
        {
            Images[i] = random.NextDouble();
        }

        Targets = new double[Suite.Batch * MnistShape.Classes];
        for (int s = 0; s < Suite.Batch; s++)
        {
            Targets[s * MnistShape.Classes + random.Next(MnistShape.Classes)] = 1.0;
        }

        GmmD2K5 = new GmmWorkload(AdBench.ReadGmm("gmm_d2_K5_1k.txt"));
        GmmD10K25 = new GmmWorkload(GmmInstance.Random(d: 10, k: 25, n: 1000, seed: 2024));
        Tape = new Tape(1 << 18);
        TapeVariables = new Var[Rosenbrock10K.Length];
        DualScratch = new Dual[Rosenbrock100.Length];
    }

    public double[] NeuronPoint { get; }
    public double[] Rosenbrock100 { get; }
    public double[] Rosenbrock10K { get; }
    public double[] SmallMlpParameters { get; }

    /// <summary>x0, x1, y.</summary>
    public double[] SmallMlpSample { get; }
    public double[] MnistParameters { get; }
    public double[] Images { get; }
    public double[] Targets { get; }
    public GmmWorkload GmmD2K5 { get; }
    public GmmWorkload GmmD10K25 { get; }
    public Tape Tape { get; }
    public Var[] TapeVariables { get; }
    public Dual[] DualScratch { get; }
}

/// <summary>One GMM instance (ADBench layout) with its gradient buffer.</summary>
public sealed class GmmWorkload
{
    private readonly GmmInstance g;
    private readonly double constant;

    public GmmWorkload(GmmInstance instance)
    {
        g = instance;
        constant = UserModels.GmmReference.Constant(g.D, g.K, g.N, g.Gamma, g.M);
        Gradient = new double[g.ParameterCount];
    }

    /// <summary>[∂α; ∂μ; ∂icf] of the last call.</summary>
    public double[] Gradient { get; }

    private Span<double> DAlpha => Gradient.AsSpan(0, g.Alpha.Length);
    private Span<double> DMeans => Gradient.AsSpan(g.Alpha.Length, g.Means.Length);
    private Span<double> DIcf => Gradient.AsSpan(g.Alpha.Length + g.Means.Length);

    public double Primal() => UserModels.Gmm.Objective(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, constant);

    public double Generated() => UserModels.Gmm.ObjectiveGradient(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, constant, DAlpha, DMeans, DIcf);

    public double HandWritten() => Workloads.HandWritten.Gmm(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, constant, DAlpha, DMeans, DIcf);
}
