using System.Globalization;

namespace DiffGen.Examples.Backprop;

/// <summary>Number formatting shared by the sections.</summary>
public static class Numbers
{
    /// <summary>Scientific notation with a short exponent, e.g. 1.4e−08; exactly 0 prints as "0".</summary>
    public static string Sci(double value, int decimals = 1)
    {
        if (value == 0)
        {
            return "0";
        }

        string mantissa = decimals == 0 ? "0" : "0." + new string('0', decimals);
        return value.ToString(mantissa + "e+00", CultureInfo.InvariantCulture).Replace("e-", "e−");
    }
}
