using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// Forward mode along up to <see cref="MaxDirections"/> directions at once: a value x and tangents
/// ẋ₁ … ẋₖ, so one evaluation yields k directional derivatives (k columns of a Jacobian).
/// Design: the tangents live in a fixed inline buffer of <see cref="MaxDirections"/> doubles inside
/// the struct (<see cref="InlineArrayAttribute"/>), so no operation allocates; unused slots are 0, and
/// a constant (0 directions) combines with any vector. The cost is a fixed 80-byte struct; for more
/// directions, use several passes or the reverse-mode <see cref="Tape"/>.
/// Equality and ordering compare <see cref="Value"/> only, as for <see cref="Dual"/>.
/// </summary>
public readonly struct DualVector : IEquatable<DualVector>
{
    /// <summary>The largest number of tangent directions one value carries.</summary>
    public const int MaxDirections = 8;

    private readonly TangentBuffer tangents;

    private DualVector(double value, in TangentBuffer tangents, int directions)
    {
        Value = value;
        this.tangents = tangents;
        Directions = directions;
    }

    /// <summary>Creates value + Σᵢ tangents[i]·εᵢ.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxDirections"/> tangents.</exception>
    public DualVector(double value, ReadOnlySpan<double> tangents)
    {
        if (tangents.Length > MaxDirections)
        {
            throw new ArgumentException($"At most {MaxDirections} directions are supported; got {tangents.Length}.", nameof(tangents));
        }

        Value = value;
        Directions = tangents.Length;
        TangentBuffer buffer = default;
        tangents.CopyTo(buffer);
        this.tangents = buffer;
    }

    /// <summary>The primal value.</summary>
    public double Value { get; }

    /// <summary>How many directions carry tangents (0 for a constant).</summary>
    public int Directions { get; }

    /// <summary>The tangent along direction <paramref name="direction"/> (0 beyond <see cref="Directions"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">direction is outside 0 … <see cref="MaxDirections"/> − 1.</exception>
    public double Tangent(int direction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(direction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(direction, MaxDirections);
        return tangents[direction];
    }

    /// <summary>Copies the <see cref="Directions"/> tangents into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">destination is shorter than <see cref="Directions"/>.</exception>
    public void CopyTangentsTo(Span<double> destination)
    {
        if (destination.Length < Directions)
        {
            throw new ArgumentException($"destination has {destination.Length} elements; {Directions} are needed.", nameof(destination));
        }

        ReadOnlySpan<double> all = tangents;
        all[..Directions].CopyTo(destination);
    }

    /// <summary>Input number <paramref name="direction"/> of <paramref name="directions"/>: value + εᵈⁱʳᵉᶜᵗⁱᵒⁿ (a unit tangent).</summary>
    /// <exception cref="ArgumentOutOfRangeException">directions is not in 1 … <see cref="MaxDirections"/>, or direction not in 0 … directions − 1.</exception>
    public static DualVector Variable(double value, int direction, int directions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(directions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(directions, MaxDirections);
        ArgumentOutOfRangeException.ThrowIfNegative(direction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(direction, directions);
        TangentBuffer buffer = default;
        buffer[direction] = 1.0;
        return new DualVector(value, buffer, directions);
    }

    /// <summary>A constant: value with all tangents 0.</summary>
    public static DualVector Constant(double value) => new(value, default(TangentBuffer), 0);

    /// <summary>A constant: value with all tangents 0.</summary>
    public static implicit operator DualVector(double value) => Constant(value);

    /// <summary>
    /// The chain rule for a unary function: f(x) with tangents f'(x)·ẋᵢ, given f(x) =
    /// <paramref name="value"/> and f'(x) = <paramref name="derivative"/>.
    /// </summary>
    public DualVector Chain(double value, double derivative)
    {
        TangentBuffer result = default;
        for (int i = 0; i < Directions; i++)
        {
            // a zero tangent stays an exact zero (no 0·∞ where f' is infinite)
            result[i] = tangents[i] == 0 ? 0.0 : derivative * tangents[i];
        }

        return new DualVector(value, result, Directions);
    }

    /// <summary>
    /// The chain rule for a binary function: f(x, y) with tangents ∂f/∂x·ẋᵢ + ∂f/∂y·ẏᵢ.
    /// </summary>
    public static DualVector Chain(double value, in DualVector x, double partialX, in DualVector y, double partialY)
    {
        int directions = Math.Max(x.Directions, y.Directions);
        TangentBuffer result = default;
        for (int i = 0; i < directions; i++)
        {
            double fromX = x.tangents[i] == 0 ? 0.0 : partialX * x.tangents[i];
            double fromY = y.tangents[i] == 0 ? 0.0 : partialY * y.tangents[i];
            result[i] = fromX + fromY;
        }

        return new DualVector(value, result, directions);
    }

    /// <summary>+x = x.</summary>
    public static DualVector operator +(in DualVector x) => x;

    /// <summary>−x: value −x, tangents −ẋᵢ.</summary>
    public static DualVector operator -(in DualVector x) => x.Chain(-x.Value, -1.0);

    /// <summary>x + y: tangents ẋᵢ + ẏᵢ.</summary>
    public static DualVector operator +(in DualVector x, in DualVector y) => Chain(x.Value + y.Value, x, 1.0, y, 1.0);

    /// <summary>x + c: tangents ẋᵢ.</summary>
    public static DualVector operator +(in DualVector x, double y) => x.Chain(x.Value + y, 1.0);

    /// <summary>c + y: tangents ẏᵢ.</summary>
    public static DualVector operator +(double x, in DualVector y) => y.Chain(x + y.Value, 1.0);

    /// <summary>x − y: tangents ẋᵢ − ẏᵢ.</summary>
    public static DualVector operator -(in DualVector x, in DualVector y) => Chain(x.Value - y.Value, x, 1.0, y, -1.0);

    /// <summary>x − c: tangents ẋᵢ.</summary>
    public static DualVector operator -(in DualVector x, double y) => x.Chain(x.Value - y, 1.0);

    /// <summary>c − y: tangents −ẏᵢ.</summary>
    public static DualVector operator -(double x, in DualVector y) => y.Chain(x - y.Value, -1.0);

    /// <summary>x·y: tangents y·ẋᵢ + x·ẏᵢ.</summary>
    public static DualVector operator *(in DualVector x, in DualVector y) => Chain(x.Value * y.Value, x, y.Value, y, x.Value);

    /// <summary>x·c: tangents c·ẋᵢ.</summary>
    public static DualVector operator *(in DualVector x, double y) => x.Chain(x.Value * y, y);

    /// <summary>c·y: tangents c·ẏᵢ.</summary>
    public static DualVector operator *(double x, in DualVector y) => y.Chain(x * y.Value, x);

    /// <summary>x/y: tangents ∂/∂x·ẋᵢ + ∂/∂y·ẏᵢ with the division rule's partials 1/y and −(x/y)/y.</summary>
    public static DualVector operator /(in DualVector x, in DualVector y)
    {
        double quotient = ScalarRules.Div(x.Value, y.Value, out double dx, out double dy);
        return Chain(quotient, x, dx, y, dy);
    }

    /// <summary>x/c: tangents ẋᵢ/c.</summary>
    public static DualVector operator /(in DualVector x, double y) => x.Chain(ScalarRules.Div(x.Value, y, out double dx, out _), dx);

    /// <summary>c/y: tangents −(c/y²)·ẏᵢ.</summary>
    public static DualVector operator /(double x, in DualVector y) => y.Chain(ScalarRules.Div(x, y.Value, out _, out double dy), dy);

    /// <summary>Compares values.</summary>
    public static bool operator <(in DualVector x, in DualVector y) => x.Value < y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator >(in DualVector x, in DualVector y) => x.Value > y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator <=(in DualVector x, in DualVector y) => x.Value <= y.Value;

    /// <summary>Compares values.</summary>
    public static bool operator >=(in DualVector x, in DualVector y) => x.Value >= y.Value;

    /// <summary>Compares values (tangents are ignored).</summary>
    public static bool operator ==(in DualVector x, in DualVector y) => x.Value == y.Value;

    /// <summary>Compares values (tangents are ignored).</summary>
    public static bool operator !=(in DualVector x, in DualVector y) => x.Value != y.Value;

    /// <summary>Value equality, consistent with ==.</summary>
    public bool Equals(DualVector other) => Value.Equals(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DualVector other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>"value + [t₀, t₁, …]ε", invariant culture.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Value.ToString("R", CultureInfo.InvariantCulture)).Append(" + [");
        for (int i = 0; i < Directions; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(tangents[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return text.Append("]ε").ToString();
    }

    [InlineArray(MaxDirections)]
    private struct TangentBuffer
    {
        private double element;
    }
}
