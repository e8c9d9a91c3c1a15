using System;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>Small writing helpers (doubles come out in shortest round-trip form; NaN and ∞ throw).</summary>
public static class Json
{
    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray();
        foreach (double value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<int> values)
    {
        writer.WriteStartArray();
        foreach (int value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
