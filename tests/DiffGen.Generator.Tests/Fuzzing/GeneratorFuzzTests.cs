using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DiffGen.Generator.Tests.Fuzzing;

/// <summary>
/// The generator fuzzer (issue 8): random method bodies, each ending either with its members generated,
/// compiled and equal to the primal (bit for bit, but for the sign of a zero, which the simplifier
/// documents and which is counted apart) and to complex step (1e−9), or with a located DGnnnn
/// that is not DG9999 — never a generator exception, a dropped method, an error in a generated file or
/// a stack overflow. Half the bodies come from a fixed seed, half from a seed of the UTC day printed with the
/// results; DIFFGEN_FUZZ_SEED=n reruns a seed, DIFFGEN_FUZZ_BODIES=n changes the count.
/// </summary>
public class GeneratorFuzzTests : IClassFixture<GeneratorFuzzTests.ConsoleSink>
{
    /// <summary>xUnit's diagnostic channel (enabled in xunit.runner.json): shown in plain `dotnet test` output.</summary>
    public sealed class ConsoleSink
    {
        private readonly IMessageSink _sink;

        public ConsoleSink(IMessageSink sink) => _sink = sink;

        public void Write(string text) => _sink.OnMessage(new DiagnosticMessage(text));
    }

    private const int FixedSeed = 20261130;
    private const int DefaultBodies = 10_000;
    private const int BatchSize = 400;
    private readonly ITestOutputHelper _output;
    private readonly ConsoleSink _console;

    public GeneratorFuzzTests(ITestOutputHelper output, ConsoleSink console) => (_output, _console) = (output, console);

    [Fact]
    public void Every_random_body_is_generated_and_exact_or_gets_a_located_diagnostic()
    {
        int bodies = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_BODIES"), out int b) ? b : DefaultBodies;
        // The second seed changes every UTC day (a CI run and its local rerun the same day agree).
        int runSeed = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_SEED"), out int s) ? s : 1_000_003 * (int)(DateTime.UtcNow.Date.Ticks / TimeSpan.TicksPerDay % 100_000) & int.MaxValue;
        var report = new FuzzReport();
        var batches = new List<(FuzzCase[] Cases, string Seed)>();
        foreach (var (seed, count) in new[] { (FixedSeed, bodies / 2), (runSeed, bodies - bodies / 2) })
        {
            var grammar = new FuzzGrammar(seed);
            var cases = Enumerable.Range(0, count).Select(grammar.Next).ToArray();
            batches.AddRange(cases.Chunk(BatchSize).Select(chunk => (chunk, $"seed {seed}")));
        }

        // Deep nesting, each alone on the compiler's 1 MB stack: 2,000 terms, and 20,000 once its fix is in.
        var deep = new FuzzGrammar(FixedSeed);
        foreach (int terms in new[] { 2_000, 20_000 }.Where(t => !KnownOpenDefects.SkipsDeepSum(t)))
        {
            batches.Add((new[] { deep.DeepSum("M" + (bodies + terms), terms) }, $"deep sum of {terms} terms"));
        }

        // Nested statements past what the 1 MB stack holds when the operation tree is built on it (they once killed the
        // compiler): 300 nested ifs generate; an else-if chain of 1,000 gets a located DG0017 (500 levels at most).
        batches.Add((new[] { deep.DeepIfs("M" + (bodies + 100_300), 300, elseChain: false) }, "300 nested ifs"));
        batches.Add((new[] { deep.DeepIfs("M" + (bodies + 101_000), 1_000, elseChain: true) }, "else-if chain of 1,000"));

        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = 2 }, batch => FuzzRunner.RunBatch(batch.Cases, batch.Seed, report));

        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        string summary = report.Summary() + $"  time: {wall.Elapsed.TotalSeconds:F0} s wall, {cpu.TotalSeconds:F0} s CPU\n" + $"  seeds: fixed {FixedSeed}, this run {runSeed} (rerun with DIFFGEN_FUZZ_SEED={runSeed})\n"
            + (KnownOpenDefects.Items.Count == 0 ? "" : "  known-open list: " + string.Join("; ", KnownOpenDefects.Items.Select(kv => kv.Key + " → " + kv.Value)) + "\n")
            + (KnownOpenDefects.Symptoms.Count == 0 ? "" : "  found, reported: " + string.Join("; ", KnownOpenDefects.Symptoms.Select(s => s.Defect)) + "\n");
        _output.WriteLine(summary);
        foreach (var known in report.KnownOpen.Take(20))
        {
            _output.WriteLine("known-open: " + known);
        }

        // Visible in plain `dotnet test` output and kept beside the test assembly.
        _console.Write(summary);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "generator-fuzz-summary.txt"),
            summary + string.Join("\n\n", report.Failures.Concat(report.KnownOpen)));

        Assert.True(report.Bodies >= bodies, $"only {report.Bodies} bodies were run");
        Assert.True(report.Failures.Count == 0,
            $"{report.Failures.Count} failures ({summary})\n\n" + string.Join("\n\n", report.Failures.Take(8)));
    }
}
