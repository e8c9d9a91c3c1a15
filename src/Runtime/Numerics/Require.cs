using System;

namespace DiffGen.Numerics;

/// <summary>Argument checks shared by the runtime's public entry points; each names the argument it rejects.</summary>
internal static class Require
{
    /// <summary>value ≥ 0 and finite (a learning rate, a weight decay, a penalty λ).</summary>
    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");

    /// <summary>value &gt; 0 and finite (an ε, a period).</summary>
    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");

    /// <summary>0 ≤ value &lt; 1 (a momentum, a decay rate, Adam's β).</summary>
    public static double Fraction(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");

    /// <summary>Every element finite: a NaN or ∞ would silently spread through every later step.</summary>
    public static void Finite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; every element must be finite.", name);
            }
        }
    }
}
