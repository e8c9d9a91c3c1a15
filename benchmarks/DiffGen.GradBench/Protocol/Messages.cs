using System.Text.Json.Serialization;

namespace DiffGen.GradBench.Protocol;

/// <summary>The fields of a message the tool reads; <c>input</c> is read separately, per eval.</summary>
public sealed class Envelope
{
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("module")] public string? Module { get; set; }
    [JsonPropertyName("function")] public string? Function { get; set; }
}

/// <summary>How often an evaluate runs: at least <see cref="MinRuns"/> runs and <see cref="MinSeconds"/> of measured time.</summary>
public class RunSettings
{
    [JsonPropertyName("min_runs")] public int MinRuns { get; set; } = 1;
    [JsonPropertyName("min_seconds")] public double MinSeconds { get; set; }
}

/// <summary>One entry of a response's <c>timings</c>.</summary>
public readonly record struct Timing(string Name, long Nanoseconds);
