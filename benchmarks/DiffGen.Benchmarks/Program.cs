using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using DiffGen.Benchmarks.Workloads;

namespace DiffGen.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project benchmarks/DiffGen.Benchmarks -- --filter '*'
    /// (a short run by default: 3 warm-ups, 3 iterations; pass --job default for a long one).
    /// --validate FILE checks the gradient suite's hand-written, tape and dual gradients against the
    /// generated ones and writes the workloads' flop counts and the checks to FILE (JSON) for
    /// tools/regen_benchmarks.py; it exits 1 when a check fails.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--validate")
        {
            return Validate(args[1]);
        }

        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        bool jobGiven = Array.Exists(args, a => a == "--job" || a == "-j");
        if (!jobGiven)
        {
            config = config.AddJob(Job.ShortRun);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    private static int Validate(string path)
    {
        try
        {
            var checks = Suite.Validate();
            var report = new
            {
                workloads = Suite.Workloads.Select(w => new { prefix = w.Prefix, category = w.Category, samples = w.Samples, gradientFlops = w.GradientFlops, flopFormula = w.FlopFormula }),
                checks = checks.Select(c => new { check = c.Check, relativeError = c.RelativeError }),
                fma = new[] { nameof(FmaPeakBenchmarks.Vector512Fma), nameof(FmaPeakBenchmarks.VectorTFma) }
                    .Select(b => new { benchmark = b, flops = (double)FmaPeakBenchmarks.Iterations * FmaPeakBenchmarks.Chains * FmaPeakBenchmarks.Lanes(b) * 2 }),
            };
            File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            foreach (var (check, error) in checks)
            {
                Console.WriteLine($"{error,10:E2}  {check}");
            }

            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
