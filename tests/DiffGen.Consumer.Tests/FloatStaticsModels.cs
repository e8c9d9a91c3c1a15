using System;

namespace DiffGen.Consumer.Tests;

/// <summary>float's INumber statics (float.Exp, float.Hypot, …), as users write them in float methods, and the statics with no Math twin (Exp2, Log2P1, …).</summary>
public static partial class FloatStaticsModels
{
    /// <summary>Aliases of MathF's functions; LogP1 and ExpM1 are log(x + 1) and exp(x) − 1, as .NET computes them.</summary>
    [Differentiable]
    public static float FloatStatics(float x, float y) =>
        float.Exp(x) + float.Log(x) * float.Sin(y) + float.Sqrt(x) + float.Atan2(y, x) + float.LogP1(x) + float.ExpM1(y)
        + float.Tanh(x * y) + float.Cbrt(y) + float.Max(x, y) + float.Hypot(x, y) + float.Clamp(x, 0f, 2f) + float.Asinh(y);

    /// <summary>The same statics in a loop kept as a loop, over a float span.</summary>
    [Differentiable]
    public static float SpanStatics(ReadOnlySpan<float> x)
    {
        float sum = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            sum += float.Exp(-x[i] * x[i]) + float.LogP1(float.Abs(x[i])) * float.Cos(x[i]);
        }

        return sum;
    }

    /// <summary>The INumber statics with no Math twin, over double: .NET computes 2ˣ as Pow(2, x), log₂(1 + x) as Log2(x + 1), ….</summary>
    [Differentiable]
    public static double PowerStatics(double x) =>
        double.Exp2(x) + double.Exp10(x) + double.Exp2M1(x) + double.Exp10M1(x) + double.Log2P1(x) + double.Log10P1(x);

    /// <summary>The same over float.</summary>
    [Differentiable]
    public static float PowerStaticsF(float x) =>
        float.Exp2(x) + float.Exp10(x) + float.Exp2M1(x) + float.Exp10M1(x) + float.Log2P1(x) + float.Log10P1(x);
}
