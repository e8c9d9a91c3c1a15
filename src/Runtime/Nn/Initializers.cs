using System;
using DiffGen.Data;

namespace DiffGen.Nn;

/// <summary>
/// Weight initializers that keep activation variance roughly constant across layers. Each fills a
/// span from a seeded <see cref="Random"/> (the same seed gives the same weights); normal deviates
/// come from Box–Muller.
/// </summary>
public static class Initializers
{
    /// <summary>Xavier/Glorot uniform: U(−a, a) with a = √(6/(fanIn + fanOut)), variance 2/(fanIn + fanOut).</summary>
    public static void XavierUniform(Span<double> weights, int fanIn, int fanOut, int seed)
        => XavierUniform(weights, fanIn, fanOut, new Random(seed));

    /// <summary>Xavier/Glorot uniform from the given generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">fanIn or fanOut is not positive.</exception>
    public static void XavierUniform(Span<double> weights, int fanIn, int fanOut, Random random)
        => FillUniform(weights, Math.Sqrt(6.0 / RequireFans(fanIn, fanOut, fanOutRequired: true)), random);

    /// <summary>Xavier/Glorot normal: N(0, σ²) with σ = √(2/(fanIn + fanOut)).</summary>
    public static void XavierNormal(Span<double> weights, int fanIn, int fanOut, int seed)
        => XavierNormal(weights, fanIn, fanOut, new Random(seed));

    /// <summary>Xavier/Glorot normal from the given generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">fanIn or fanOut is not positive.</exception>
    public static void XavierNormal(Span<double> weights, int fanIn, int fanOut, Random random)
        => FillNormal(weights, Math.Sqrt(2.0 / RequireFans(fanIn, fanOut, fanOutRequired: true)), random);

    /// <summary>He (Kaiming) uniform for relu layers: U(−a, a) with a = √(6/fanIn), variance 2/fanIn.</summary>
    public static void HeUniform(Span<double> weights, int fanIn, int seed) => HeUniform(weights, fanIn, new Random(seed));

    /// <summary>He uniform from the given generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">fanIn is not positive.</exception>
    public static void HeUniform(Span<double> weights, int fanIn, Random random)
        => FillUniform(weights, Math.Sqrt(6.0 / RequireFans(fanIn, 0, fanOutRequired: false)), random);

    /// <summary>He (Kaiming) normal: N(0, σ²) with σ = √(2/fanIn).</summary>
    public static void HeNormal(Span<double> weights, int fanIn, int seed) => HeNormal(weights, fanIn, new Random(seed));

    /// <summary>He normal from the given generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">fanIn is not positive.</exception>
    public static void HeNormal(Span<double> weights, int fanIn, Random random)
        => FillNormal(weights, Math.Sqrt(2.0 / RequireFans(fanIn, 0, fanOutRequired: false)), random);

    private static void FillUniform(Span<double> weights, double limit, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = limit * (2.0 * random.NextDouble() - 1.0);
        }
    }

    private static void FillNormal(Span<double> weights, double standardDeviation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < weights.Length; i += 2)
        {
            BoxMuller.Pair(random, out double first, out double second);
            weights[i] = standardDeviation * first;
            if (i + 1 < weights.Length)
            {
                weights[i + 1] = standardDeviation * second;
            }
        }
    }

    private static int RequireFans(int fanIn, int fanOut, bool fanOutRequired)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        if (fanOutRequired)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        }

        return fanIn + fanOut;
    }
}
