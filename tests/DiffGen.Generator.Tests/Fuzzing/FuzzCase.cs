using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DiffGen.Generator.Tests.Fuzzing;

/// <summary>How a parameter of a fuzzed method is passed, and what the checks feed it.</summary>
public enum ParameterKind
{
    /// <summary><c>double</c>: one differentiable input.</summary>
    Double,
    /// <summary><c>[NoDiff] double</c>: a constant.</summary>
    NoDiffDouble,
    /// <summary><c>int</c>: a constant, never differentiated.</summary>
    Int,
    /// <summary><c>ReadOnlySpan&lt;double&gt;</c> of <see cref="FuzzCase.SpanLength"/> differentiable inputs.</summary>
    Span,
    /// <summary><c>double[]</c> of <see cref="FuzzCase.SpanLength"/> differentiable inputs.</summary>
    Array,
    /// <summary><c>[NoDiff] ReadOnlySpan&lt;double&gt;</c>: constant data.</summary>
    NoDiffSpan,
}

/// <summary>A parameter: its kind and its (possibly keyword, hence @-escaped) name as written in C#.</summary>
public sealed record FuzzParameter(ParameterKind Kind, string Name)
{
    public string Declaration => Kind switch
    {
        ParameterKind.Double => "double " + Name,
        ParameterKind.NoDiffDouble => "[NoDiff] double " + Name,
        ParameterKind.Int => "int " + Name,
        ParameterKind.Span => "ReadOnlySpan<double> " + Name,
        ParameterKind.Array => "double[] " + Name,
        _ => "[NoDiff] ReadOnlySpan<double> " + Name,
    };

    public bool IsDifferentiable => Kind is ParameterKind.Double or ParameterKind.Span or ParameterKind.Array;

    public bool IsVector => Kind is ParameterKind.Span or ParameterKind.Array or ParameterKind.NoDiffSpan;
}

/// <summary>
/// One random [Differentiable] method (plus the helpers it calls), the construct it exercises, and a
/// point and direction over its differentiable inputs flattened in parameter order.
/// </summary>
public sealed class FuzzCase
{
    public const int SpanLength = 4;

    /// <summary>The value every <c>int</c> parameter gets.</summary>
    public const int IntArgument = 3;

    /// <summary>The value every <c>[NoDiff] double</c> gets.</summary>
    public const double NoDiffArgument = 0.7;

    public required string Name { get; init; }

    /// <summary>The construct this body exercises, e.g. "supported/loop" or "unsupported/while".</summary>
    public required string Kind { get; init; }

    /// <summary>True when the body uses only supported C#: it must be generated, a DG is a failure.</summary>
    public required bool MustGenerate { get; init; }

    public required IReadOnlyList<FuzzParameter> Parameters { get; init; }

    /// <summary>The method body: "=> expr;" or a block.</summary>
    public required string Body { get; init; }

    /// <summary>Members the body calls (e.g. a [Differentiable] callee), emitted just before the method.</summary>
    public string Helpers { get; init; } = "";

    public required double[] Point { get; init; }

    public required double[] Direction { get; init; }

    /// <summary>Constructs used along the way (e.g. "cast"), besides <see cref="Kind"/>.</summary>
    public IReadOnlyCollection<string> Features { get; init; } = Array.Empty<string>();

    /// <summary>Driver runs that need more than the per-batch checks (deep nesting) run alone.</summary>
    public bool RunsAlone { get; init; }

    public int InputCount => Parameters.Sum(p => p.IsDifferentiable ? (p.IsVector ? SpanLength : 1) : 0);

    public string Source() =>
        $"{Helpers}    [Differentiable]\n    public static double {Name}({string.Join(", ", Parameters.Select(p => p.Declaration))})\n{Body}\n";

    /// <summary>
    /// Adapters with one signature for every case (flat arrays in, value out), so the checks call
    /// delegates instead of reflection over spans. Only written for cases whose members were generated.
    /// </summary>
    public string Thunks()
    {
        string Args(string flat, Func<FuzzParameter, int, string> vector, Func<FuzzParameter, int, string> scalar)
        {
            var args = new List<string>();
            int offset = 0;
            foreach (var p in Parameters)
            {
                switch (p.Kind)
                {
                    case ParameterKind.Int: args.Add(IntArgument.ToString()); break;
                    case ParameterKind.NoDiffDouble: args.Add("0.7"); break;
                    case ParameterKind.NoDiffSpan: args.Add("Data"); break;
                    case ParameterKind.Double: args.Add(scalar(p, offset)); offset++; break;
                    default: args.Add(vector(p, offset)); offset += SpanLength; break;
                }
            }

            return string.Join(", ", args);
        }

        string Range(int o) => $"[{o}..{o + SpanLength}]";
        string inputs = Args("x", (p, o) => "x" + Range(o), (p, o) => $"x[{o}]");
        var gradientArgs = new List<string> { inputs };
        int offset = 0;
        foreach (var p in Parameters.Where(p => p.IsDifferentiable))
        {
            gradientArgs.Add(p.IsVector ? $"g.AsSpan({offset}, {SpanLength})" : $"out g[{offset}]");
            offset += p.IsVector ? SpanLength : 1;
        }

        var tangentArgs = new List<string> { inputs };
        offset = 0;
        foreach (var p in Parameters.Where(p => p.IsDifferentiable))
        {
            tangentArgs.Add(p.IsVector ? "t" + Range(offset) : $"t[{offset}]");
            offset += p.IsVector ? SpanLength : 1;
        }

        tangentArgs.Add("out tangent");
        string complexArgs = Args("z", (p, o) => "z" + Range(o), (p, o) => $"z[{o}]");
        var text = new StringBuilder();
        text.Append($"public static class {Name}Thunk\n{{\n");
        text.Append("    private static readonly DataSpan Data = new();\n");
        text.Append($"    public static double Value(double[] x) => Batch.{Name}({inputs});\n");
        text.Append($"    public static double Gradient(double[] x, double[] g) => Batch.{Name}Gradient({string.Join(", ", gradientArgs)});\n");
        text.Append($"    public static double Tangent(double[] x, double[] t, out double tangent) => Batch.{Name}Tangent({string.Join(", ", tangentArgs)});\n");
        text.Append($"    public static Complex Complex(Complex[] z) => Batch.{Name}({complexArgs});\n");
        text.Append("}\n");
        return text.ToString();
    }

    public override string ToString() => $"{Kind}:\n{Source()}";
}
