using System;
using System.Globalization;
using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// A handle to one entry of a <see cref="Tape"/>: the tape, the entry's index and the tape's
/// generation (so that a handle kept across <see cref="Tape.Reset"/> is caught). Copying it costs
/// nothing; every operator records one entry with its local partial derivatives.
/// Comparisons compare <see cref="Value"/> only, so branches behave as over <see cref="double"/>.
/// </summary>
public readonly struct Var
{
    internal Var(Tape tape, int index, int generation)
    {
        Tape = tape;
        Index = index;
        Generation = generation;
    }

    /// <summary>The tape this entry lives on.</summary>
    public Tape Tape { get; }

    /// <summary>The entry's position on the tape.</summary>
    public int Index { get; }

    internal int Generation { get; }

    /// <summary>The recorded value.</summary>
    public double Value => Tape.ValueAt(this);

    /// <summary>∂output/∂this after <see cref="Tape.Backward"/>(output).</summary>
    public double Grad => Tape.Grad(this);

    /// <summary>−x; ∂/∂x = −1.</summary>
    public static Var operator -(Var x) => x.Tape.RecordUnary(-x.Value, x, -1.0);

    /// <summary>+x = x (nothing is recorded).</summary>
    public static Var operator +(Var x) => x;

    /// <summary>x + y; partials 1, 1.</summary>
    public static Var operator +(Var x, Var y) => x.Tape.RecordBinary(x.Value + y.Value, x, 1.0, y, 1.0);

    /// <summary>x + c; partial 1.</summary>
    public static Var operator +(Var x, double y) => x.Tape.RecordUnary(x.Value + y, x, 1.0);

    /// <summary>c + y; partial 1.</summary>
    public static Var operator +(double x, Var y) => y.Tape.RecordUnary(x + y.Value, y, 1.0);

    /// <summary>x − y; partials 1, −1.</summary>
    public static Var operator -(Var x, Var y) => x.Tape.RecordBinary(x.Value - y.Value, x, 1.0, y, -1.0);

    /// <summary>x − c; partial 1.</summary>
    public static Var operator -(Var x, double y) => x.Tape.RecordUnary(x.Value - y, x, 1.0);

    /// <summary>c − y; partial −1.</summary>
    public static Var operator -(double x, Var y) => y.Tape.RecordUnary(x - y.Value, y, -1.0);

    /// <summary>x·y; partials y, x.</summary>
    public static Var operator *(Var x, Var y)
    {
        double a = x.Value;
        double b = y.Value;
        return x.Tape.RecordBinary(a * b, x, b, y, a);
    }

    /// <summary>x·c; partial c.</summary>
    public static Var operator *(Var x, double y) => x.Tape.RecordUnary(x.Value * y, x, y);

    /// <summary>c·y; partial c.</summary>
    public static Var operator *(double x, Var y) => y.Tape.RecordUnary(x * y.Value, y, x);

    /// <summary>x/y; partials 1/y, −(x/y)/y (the division rule).</summary>
    public static Var operator /(Var x, Var y)
    {
        double quotient = ScalarRules.Div(x.Value, y.Value, out double dx, out double dy);
        return x.Tape.RecordBinary(quotient, x, dx, y, dy);
    }

    /// <summary>x/c; partial 1/c.</summary>
    public static Var operator /(Var x, double y) => x.Tape.RecordUnary(ScalarRules.Div(x.Value, y, out double dx, out _), x, dx);

    /// <summary>c/y; partial −c/y².</summary>
    public static Var operator /(double x, Var y) => y.Tape.RecordUnary(ScalarRules.Div(x, y.Value, out _, out double dy), y, dy);

    /// <summary>Compares values.</summary>
    public static bool operator <(Var x, Var y) => x.Value < y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator >(Var x, Var y) => x.Value > y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator <=(Var x, Var y) => x.Value <= y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator >=(Var x, Var y) => x.Value >= y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator <(Var x, double y) => x.Value < y;

    /// <summary>Compares values.</summary>
    public static bool operator >(Var x, double y) => x.Value > y;

    /// <summary>Compares values.</summary>
    public static bool operator <=(Var x, double y) => x.Value <= y;

    /// <summary>Compares values.</summary>
    public static bool operator >=(Var x, double y) => x.Value >= y;

    /// <summary>"v[index] = value", invariant culture.</summary>
    public override string ToString()
        => Tape is null ? "v[unrecorded]" : string.Create(CultureInfo.InvariantCulture, $"v[{Index}] = {Value:R}");
}
