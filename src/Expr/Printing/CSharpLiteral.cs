using System.Globalization;

namespace DiffGen.Expr;

/// <summary>C# literals for doubles (and floats): culture-invariant, round-trip exact, always typed as double (float).</summary>
internal static class CSharpLiteral
{
    /// <summary>The literal for <paramref name="value"/>, e.g. <c>1.0</c>, <c>-0.5</c>, <c>1E-20</c>, <c>double.NaN</c>.</summary>
    public static string Of(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        if (value == 0 && System.BitConverter.DoubleToInt64Bits(value) < 0)
        {
            return "-0.0";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
        {
            text += ".0";
        }
        else if (text.IndexOf('.') < 0)
        {
            text += "d";
        }

        return text;
    }

    /// <summary>The float literal nearest to <paramref name="value"/>, e.g. <c>0.5f</c>, <c>1E-05f</c>, <c>float.NaN</c> (a float method's constants are floats already).</summary>
    public static string OfSingle(double value)
    {
        float single = (float)value;
        if (float.IsNaN(single))
        {
            return "float.NaN";
        }

        if (float.IsInfinity(single))
        {
            return single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        if (single == 0 && System.BitConverter.DoubleToInt64Bits(value) < 0)
        {
            return "-0f";
        }

        return single.ToString("R", CultureInfo.InvariantCulture) + "f";
    }
}
