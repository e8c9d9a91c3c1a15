using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>
/// The protocol loop: one response line per message, until the end of the input. A message that
/// cannot be answered sensibly (no id, not JSON) is reported on the log and ends the run with status 1.
/// </summary>
public sealed class Tool
{
    public const string Name = "diffgen";

    private readonly Dictionary<string, IEval> _evals;
    private readonly ArrayBufferWriter<byte> _response = new(1 << 16);

    public Tool(IEnumerable<IEval> evals) => _evals = evals.ToDictionary(e => e.Module, StringComparer.Ordinal);

    public int Run(Stream input, Stream output, TextWriter log)
    {
        var lines = new LineReader(input);
        using var writer = new Utf8JsonWriter(_response);
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            Envelope? message;
            try
            {
                message = JsonSerializer.Deserialize(line, GradBenchJsonContext.Default.Envelope);
            }
            catch (JsonException e)
            {
                log.WriteLine($"diffgen: a message is not valid JSON: {e.Message}");
                return 1;
            }

            if (message is null)
            {
                log.WriteLine("diffgen: a message is null.");
                return 1;
            }

            _response.ResetWrittenCount();
            writer.Reset();
            Respond(message, line, writer, log);
            writer.Flush();
            output.Write(_response.WrittenSpan);
            output.WriteByte((byte)'\n');
            output.Flush();
        }

        return 0;
    }

    private void Respond(Envelope message, ReadOnlySpan<byte> line, Utf8JsonWriter writer, TextWriter log)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", message.Id);
        switch (message.Kind)
        {
            case "start":
                writer.WriteString("tool", Name);
                break;
            case "define":
                bool known = message.Module is not null && _evals.ContainsKey(message.Module);
                writer.WriteBoolean("success", known);
                if (!known)
                {
                    writer.WriteString("error", $"{message.Module} is not implemented");
                }

                break;
            case "evaluate":
                Evaluate(message, line, writer, log);
                return;
        }

        writer.WriteEndObject();
    }

    private void Evaluate(Envelope message, ReadOnlySpan<byte> line, Utf8JsonWriter writer, TextWriter log)
    {
        var timings = new List<Timing>();
        long start = Stopwatch.GetTimestamp();
        try
        {
            if (message.Module is null || !_evals.TryGetValue(message.Module, out var eval))
            {
                throw new EvalException($"{message.Module} is not implemented");
            }

            var workload = eval.Prepare(message.Function ?? "", line);
            timings.Add(new Timing("prepare", Nanoseconds(Stopwatch.GetTimestamp() - start)));
            Measure(workload, timings);

            writer.WriteBoolean("success", true);
            writer.WritePropertyName("output");
            workload.WriteOutput(writer);
            WriteTimings(writer, timings);
            writer.WriteEndObject();
        }
        // Whatever one evaluate throws fails that evaluate, with its message: the eval goes on to the
        // next workload, as GradBench expects, instead of losing the whole run to a crash.
        catch (Exception e)
        {
            log.WriteLine($"diffgen: evaluate {message.Module}.{message.Function} failed: {e.Message}");
            // Start the response again: a half-written output must not reach the eval.
            writer.Reset();
            _response.ResetWrittenCount();
            writer.WriteStartObject();
            writer.WriteNumber("id", message.Id);
            writer.WriteBoolean("success", false);
            writer.WriteString("error", e.Message);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// One untimed-for-scoring warm-up run, then runs until both <c>min_runs</c> and
    /// <c>min_seconds</c> are met, one <c>evaluate</c> timing per run.
    /// </summary>
    private static void Measure(Workload workload, List<Timing> timings)
    {
        long t0 = Stopwatch.GetTimestamp();
        workload.Run();
        timings.Add(new Timing("warmup", Nanoseconds(Stopwatch.GetTimestamp() - t0)));

        int runs = 0;
        long total = 0;
        long minimum = (long)(workload.Settings.MinSeconds * 1e9);
        while (runs < workload.Settings.MinRuns || total < minimum)
        {
            long begin = Stopwatch.GetTimestamp();
            workload.Run();
            long elapsed = Nanoseconds(Stopwatch.GetTimestamp() - begin);
            timings.Add(new Timing("evaluate", elapsed));
            runs++;
            total += elapsed;
        }
    }

    private static void WriteTimings(Utf8JsonWriter writer, List<Timing> timings)
    {
        writer.WriteStartArray("timings");
        foreach (var timing in timings)
        {
            writer.WriteStartObject();
            writer.WriteString("name", timing.Name);
            writer.WriteNumber("nanoseconds", timing.Nanoseconds);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static long Nanoseconds(long ticks) => (long)Math.Round(ticks * 1e9 / Stopwatch.Frequency);
}
