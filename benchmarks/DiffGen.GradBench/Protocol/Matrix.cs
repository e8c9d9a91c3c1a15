using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiffGen.GradBench.Protocol;

/// <summary>A JSON array of equal-length rows (<c>double[][]</c>), read straight into one row-major array.</summary>
[JsonConverter(typeof(MatrixConverter))]
public sealed class Matrix
{
    public Matrix(int rows, int columns, double[] data)
    {
        if (data.Length != rows * columns)
        {
            throw new ArgumentException($"{rows}×{columns} needs {rows * columns} values, not {data.Length}.", nameof(data));
        }

        Rows = rows;
        Columns = columns;
        Data = data;
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Row-major values.</summary>
    public double[] Data { get; }

    public ReadOnlySpan<double> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>Writes <paramref name="values"/> (row-major) as an array of rows of <paramref name="columns"/>.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<double> values, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        writer.WriteStartArray();
        for (int start = 0; start < values.Length; start += columns)
        {
            Json.WriteArray(writer, values.Slice(start, columns));
        }

        writer.WriteEndArray();
    }
}

/// <summary>Reads rows of numbers into one growing buffer: no array per row.</summary>
public sealed class MatrixConverter : JsonConverter<Matrix>
{
    public override Matrix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartArray, "an array of rows");
        var data = new double[64];
        int count = 0;
        int rows = 0;
        int columns = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray, "a row (an array of numbers)");
            int rowStart = count;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Expect(ref reader, JsonTokenType.Number, "a number");
                if (count == data.Length)
                {
                    Array.Resize(ref data, data.Length * 2);
                }

                data[count++] = reader.GetDouble();
            }

            int length = count - rowStart;
            if (columns >= 0 && length != columns)
            {
                throw new JsonException($"Row {rows} has {length} numbers, row 0 has {columns}.");
            }

            columns = length;
            rows++;
        }

        Array.Resize(ref data, count);
        return new Matrix(rows, Math.Max(columns, 0), data);
    }

    public override void Write(Utf8JsonWriter writer, Matrix value, JsonSerializerOptions options)
        => Matrix.Write(writer, value.Data, value.Columns);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {what}, found {reader.TokenType}.");
        }
    }
}
