using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// Plays the eval's side of the protocol against the tool's real loop (<see cref="Tool.Run"/>) in
/// process: JSON lines in, JSON lines out, and checks what GradBench checks about every response.
/// </summary>
internal static class Harness
{
    /// <summary>Sends the lines, returns one parsed response per line (ids checked), and the log.</summary>
    public static (IReadOnlyList<JsonElement> Responses, string Log) Exchange(IReadOnlyList<string> lines)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        var output = new MemoryStream();
        var log = new StringWriter();
        int status = new Tool(EvalRegistry.All).Run(input, output, log);
        Assert.Equal(0, status);

        byte[] bytes = output.ToArray();
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "the output starts with a byte-order mark");
        string[] responseLines = Encoding.UTF8.GetString(bytes).Split('\n');
        Assert.Equal("", responseLines[^1]);
        Assert.Equal(lines.Count, responseLines.Length - 1);

        var responses = new List<JsonElement>();
        for (int i = 0; i < lines.Count; i++)
        {
            var response = JsonDocument.Parse(responseLines[i]).RootElement.Clone();
            long sentId = JsonDocument.Parse(lines[i]).RootElement.GetProperty("id").GetInt64();
            Assert.Equal(sentId, response.GetProperty("id").GetInt64());
            CheckShape(response);
            responses.Add(response);
        }

        return (responses, log.ToString());
    }

    /// <summary>
    /// start, define, evaluate and analysis for one function; asserts success, the timing rules
    /// (one warm-up, at least <paramref name="minRuns"/> evaluate timings) and returns the output.
    /// </summary>
    public static JsonElement Evaluate(string module, string function, string input, int minRuns = 2)
    {
        var (responses, log) = Exchange(
        [
            $$"""{"id": 0, "kind": "start", "eval": "{{module}}"}""",
            $$"""{"id": 1, "kind": "define", "module": "{{module}}"}""",
            $$"""{"id": 2, "kind": "evaluate", "module": "{{module}}", "function": "{{function}}", "input": {{WithRuns(input, minRuns)}}, "description": "test"}""",
            """{"id": 3, "kind": "analysis", "of": 2, "valid": true}""",
        ]);
        Assert.Equal("diffgen", responses[0].GetProperty("tool").GetString());
        Assert.True(responses[1].GetProperty("success").GetBoolean());
        var evaluate = responses[2];
        Assert.True(evaluate.GetProperty("success").GetBoolean(), log);
        var names = evaluate.GetProperty("timings").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(1, names.Count(n => n == "warmup"));
        Assert.True(names.Count(n => n == "evaluate") >= minRuns, $"{names.Count(n => n == "evaluate")} evaluate timings for min_runs = {minRuns}");
        Assert.Equal(["id"], responses[3].EnumerateObject().Select(p => p.Name));
        return evaluate.GetProperty("output");
    }

    /// <summary>Adds min_runs and min_seconds to an object input (hello's bare numbers stay as they are).</summary>
    public static string WithRuns(string input, int minRuns)
        => input.TrimStart().StartsWith('{')
            ? $$"""{"min_runs": {{minRuns}}, "min_seconds": 0.0, {{input.TrimStart()[1..]}}"""
            : input;

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[] Flatten(JsonElement rows) => rows.EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetDouble()).ToArray();

    public static string Array(IEnumerable<double> values)
        => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    public static string Rows(double[] values, int columns)
        => "[" + string.Join(",", values.Chunk(columns).Select(Array)) + "]";

    /// <summary>Asserts |actual − expected| ≤ tolerance·max(1, |expected|) entry by entry, naming the first mismatch.</summary>
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Close(expected[i], actual[i], tolerance, $"entry {i}");
        }
    }

    public static void Close(double expected, double actual, double tolerance, string what = "value")
    {
        double error = Math.Abs(actual - expected) / Math.Max(1.0, Math.Abs(expected));
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} > {tolerance:E0})");
    }

    // What makes GradBench end a run as an error: success with error, success without output, bad timings.
    private static void CheckShape(JsonElement response)
    {
        if (!response.TryGetProperty("success", out var success))
        {
            return;
        }

        Assert.True(success.ValueKind is JsonValueKind.True or JsonValueKind.False);
        if (success.GetBoolean())
        {
            Assert.False(response.TryGetProperty("error", out _), "an error field with success: true");
        }

        if (response.TryGetProperty("timings", out var timings))
        {
            foreach (var timing in timings.EnumerateArray())
            {
                Assert.Equal(JsonValueKind.String, timing.GetProperty("name").ValueKind);
                Assert.True(timing.GetProperty("nanoseconds").TryGetInt64(out long ns) && ns >= 0, timing.ToString());
            }
        }
    }
}
