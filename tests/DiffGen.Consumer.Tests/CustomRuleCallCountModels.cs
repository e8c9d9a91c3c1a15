using System;

namespace DiffGen.Consumer.Tests;

/// <summary>A hand-written rule that counts its calls, called in a loop kept as a loop (the procedure road).</summary>
public static partial class CustomRuleCallCountModels
{
    /// <summary>a·b, differentiated by its rule (the generator does not look inside).</summary>
    [CustomGradient(nameof(CountedProductGradient))]
    public static double CountedProduct(double a, double b) => a * b;

    [ThreadStatic]
    public static int CountedProductCalls;

    /// <summary>∂(ab)/∂a = b, ∂(ab)/∂b = a; counts its calls (per thread: tests run in parallel).</summary>
    public static double CountedProductGradient(double a, double b, out double da, out double db)
    {
        CountedProductCalls++;
        da = b;
        db = a;
        return a * b;
    }

    /// <summary>
    /// Σᵢ wᵢ·(wᵢ·s): one call site whose two partials feed two reverse statements (into dwᵢ and into ds), and whose
    /// value and partials feed two forward statements (the tangent and the value).
    /// </summary>
    [Differentiable]
    public static double SumOfCountedProducts(ReadOnlySpan<double> w, double s)
    {
        double sum = 0.0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += w[i] * CountedProduct(w[i], s);
        }

        return sum;
    }
}
