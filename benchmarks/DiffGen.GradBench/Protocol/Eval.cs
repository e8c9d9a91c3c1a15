using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DiffGen.GradBench.Protocol;

/// <summary>One GradBench module: turns an evaluate message into a prepared, repeatable run.</summary>
public interface IEval
{
    string Module { get; }

    /// <summary>
    /// Decodes the message's input and converts it into the eval's own arrays (outside the timer).
    /// Throws <see cref="EvalException"/> for an unknown function or an input it cannot run.
    /// </summary>
    Workload Prepare(string function, ReadOnlySpan<byte> message);
}

/// <summary>A prepared evaluation: <see cref="Run"/> is what is timed; the result goes out afterwards.</summary>
public abstract class Workload
{
    protected Workload(RunSettings settings) => Settings = settings;

    public RunSettings Settings { get; }

    /// <summary>Computes the function into buffers allocated by the preparation.</summary>
    public abstract void Run();

    /// <summary>Writes the result of the last <see cref="Run"/> as the response's <c>output</c>.</summary>
    public abstract void WriteOutput(Utf8JsonWriter writer);
}

/// <summary>A workload built from two delegates, for evals whose run and output are one-liners.</summary>
public sealed class DelegateWorkload(RunSettings settings, Action run, Action<Utf8JsonWriter> writeOutput) : Workload(settings)
{
    public override void Run() => run();

    public override void WriteOutput(Utf8JsonWriter writer) => writeOutput(writer);
}

/// <summary>An evaluate the tool answers with <c>"success": false</c> and this message.</summary>
public sealed class EvalException(string message) : Exception(message);

/// <summary>Reading the <c>input</c> member of a message.</summary>
public static class Input
{
    /// <summary>
    /// Deserializes the top-level <c>input</c> member of <paramref name="message"/> where it lies in
    /// the line's bytes (other members are skipped, wherever they are).
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> message, JsonTypeInfo<T> type)
    {
        var reader = new Utf8JsonReader(message);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EvalException("The message is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isInput = reader.ValueTextEquals("input"u8);
            reader.Read();
            if (isInput)
            {
                return JsonSerializer.Deserialize(ref reader, type)
                    ?? throw new EvalException("The input is null.");
            }

            reader.Skip();
        }

        throw new EvalException("The message has no input.");
    }

    /// <summary>Throws an <see cref="EvalException"/> naming <paramref name="what"/> unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new EvalException(what);
        }
    }

    public static EvalException UnknownFunction(string module, string function)
        => new($"The {module} eval has no function '{function}'.");
}
