using System;
using System.Globalization;
using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// A dual number a + bε with ε² = 0: <see cref="Value"/> a carries f(x) and
/// <see cref="Derivative"/> b carries the directional derivative f'(x)·ẋ, so evaluating code over
/// <see cref="Dual"/> is forward-mode differentiation. Seed an input with
/// <see cref="Variable"/> (derivative 1) and read the result's <see cref="Derivative"/>.
/// Equality and ordering compare <see cref="Value"/> only, so that branches in differentiated code
/// take the same path they take over <see cref="double"/>.
/// </summary>
public readonly struct Dual : IEquatable<Dual>, IComparable<Dual>
{
    /// <summary>Creates value + derivative·ε.</summary>
    public Dual(double value, double derivative)
    {
        Value = value;
        Derivative = derivative;
    }

    /// <summary>The primal value a.</summary>
    public double Value { get; }

    /// <summary>The tangent b: the derivative along the seeded direction.</summary>
    public double Derivative { get; }

    /// <summary>An input to differentiate with respect to: value + 1·ε.</summary>
    public static Dual Variable(double value) => new(value, 1.0);

    /// <summary>A constant: value + 0·ε.</summary>
    public static Dual Constant(double value) => new(value, 0.0);

    /// <summary>A constant: value + 0·ε.</summary>
    public static implicit operator Dual(double value) => new(value, 0.0);

    /// <summary>+(a + bε) = a + bε.</summary>
    public static Dual operator +(Dual x) => x;

    /// <summary>−(a + bε) = −a − bε.</summary>
    public static Dual operator -(Dual x) => new(-x.Value, -x.Derivative);

    /// <summary>(a + bε) + (c + dε) = (a + c) + (b + d)ε.</summary>
    public static Dual operator +(Dual x, Dual y) => new(x.Value + y.Value, x.Derivative + y.Derivative);

    /// <summary>(a + bε) + c = (a + c) + bε.</summary>
    public static Dual operator +(Dual x, double y) => new(x.Value + y, x.Derivative);

    /// <summary>c + (a + bε) = (c + a) + bε.</summary>
    public static Dual operator +(double x, Dual y) => new(x + y.Value, y.Derivative);

    /// <summary>(a + bε) − (c + dε) = (a − c) + (b − d)ε.</summary>
    public static Dual operator -(Dual x, Dual y) => new(x.Value - y.Value, x.Derivative - y.Derivative);

    /// <summary>(a + bε) − c = (a − c) + bε.</summary>
    public static Dual operator -(Dual x, double y) => new(x.Value - y, x.Derivative);

    /// <summary>c − (a + bε) = (c − a) − bε.</summary>
    public static Dual operator -(double x, Dual y) => new(x - y.Value, -y.Derivative);

    /// <summary>(a + bε)(c + dε) = ac + (ad + bc)ε.</summary>
    public static Dual operator *(Dual x, Dual y)
        => new(x.Value * y.Value, Tangent(y.Value, x.Derivative) + Tangent(x.Value, y.Derivative));

    /// <summary>(a + bε)·c = ac + bcε.</summary>
    public static Dual operator *(Dual x, double y) => new(x.Value * y, x.Derivative * y);

    /// <summary>c·(a + bε) = ca + cbε.</summary>
    public static Dual operator *(double x, Dual y) => new(x * y.Value, x * y.Derivative);

    /// <summary>(a + bε)/(c + dε) = a/c + (∂/∂a·b + ∂/∂c·d)ε with the division rule's partials 1/c and −(a/c)/c.</summary>
    public static Dual operator /(Dual x, Dual y)
    {
        double quotient = ScalarRules.Div(x.Value, y.Value, out double dx, out double dy);
        return new(quotient, Tangent(dx, x.Derivative) + Tangent(dy, y.Derivative));
    }

    /// <summary>(a + bε)/c = a/c + (b/c)ε.</summary>
    public static Dual operator /(Dual x, double y) => x / (Dual)y;

    /// <summary>c/(a + bε) = c/a − (c·b/a²)ε.</summary>
    public static Dual operator /(double x, Dual y) => (Dual)x / y;

    // A zero tangent is a symbolic zero: no 0·∞ where a partial is infinite.
    private static double Tangent(double partial, double tangent) => tangent == 0 ? 0.0 : partial * tangent;

    /// <summary>Compares values: a &lt; c.</summary>
    public static bool operator <(Dual x, Dual y) => x.Value < y.Value;

    /// <summary>Compares values: a &gt; c.</summary>
    public static bool operator >(Dual x, Dual y) => x.Value > y.Value;

    /// <summary>Compares values: a ≤ c.</summary>
    public static bool operator <=(Dual x, Dual y) => x.Value <= y.Value;

    /// <summary>Compares values: a ≥ c.</summary>
    public static bool operator >=(Dual x, Dual y) => x.Value >= y.Value;

    /// <summary>Compares values: a = c (derivatives are ignored).</summary>
    public static bool operator ==(Dual x, Dual y) => x.Value == y.Value;

    /// <summary>Compares values: a ≠ c (derivatives are ignored).</summary>
    public static bool operator !=(Dual x, Dual y) => x.Value != y.Value;

    /// <summary>Compares values: a &lt; c.</summary>
    public static bool operator <(Dual x, double y) => x.Value < y;

    /// <summary>Compares values: a &gt; c.</summary>
    public static bool operator >(Dual x, double y) => x.Value > y;

    /// <summary>Compares values: a ≤ c.</summary>
    public static bool operator <=(Dual x, double y) => x.Value <= y;

    /// <summary>Compares values: a ≥ c.</summary>
    public static bool operator >=(Dual x, double y) => x.Value >= y;

    /// <summary>Compares values: c &lt; a.</summary>
    public static bool operator <(double x, Dual y) => x < y.Value;

    /// <summary>Compares values: c &gt; a.</summary>
    public static bool operator >(double x, Dual y) => x > y.Value;

    /// <summary>Compares values: c ≤ a.</summary>
    public static bool operator <=(double x, Dual y) => x <= y.Value;

    /// <summary>Compares values: c ≥ a.</summary>
    public static bool operator >=(double x, Dual y) => x >= y.Value;

    /// <summary>Value equality, consistent with <see cref="op_Equality(Dual, Dual)"/>.</summary>
    public bool Equals(Dual other) => Value.Equals(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Dual other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>Orders by <see cref="Value"/>.</summary>
    public int CompareTo(Dual other) => Value.CompareTo(other.Value);

    /// <summary>"value + derivative·ε", invariant culture.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Value:R} + {Derivative:R}ε");
}
