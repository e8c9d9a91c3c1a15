using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace DiffGen.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project benchmarks/DiffGen.Benchmarks -- --filter '*'
    /// (a short run by default: 3 warm-ups, 3 iterations; pass --job default for a long one).
    /// </summary>
    public static void Main(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        bool jobGiven = System.Array.Exists(args, a => a == "--job" || a == "-j");
        if (!jobGiven)
        {
            config = config.AddJob(Job.ShortRun);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
