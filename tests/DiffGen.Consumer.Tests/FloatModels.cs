using System;
using DiffGen;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// float methods as ML code writes them (issue 12, item 6): float parameters, locals, literals and MathF,
/// computed in float by the generated members.
/// </summary>
public static partial class FloatModels
{
    /// <summary>A sigmoid neuron in float.</summary>
    [Differentiable]
    public static float Neuron(float w0, float w1, float b, float x0, float x1)
        => 1f / (1f + MathF.Exp(-(w0 * x0 + w1 * x1 + b)));

    /// <summary>A Rosenbrock term with MathF.Pow, and its Hessian.</summary>
    [Differentiable(Hessian = true)]
    public static float Rosenbrock(float x, float y)
        => (1f - x) * (1f - x) + 100f * MathF.Pow(y - x * x, 2f);

    /// <summary>
    /// float locals, a branch, a ternary, an int and a [NoDiff] parameter (converted to float as C#
    /// does), MathF functions with their derivatives in float (tanh from its value, sqrt, log, |x|).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static float Layer(float x, float y, [NoDiff] float scale, int n)
    {
        float h = MathF.Tanh(scale * x + 0.25f * y);
        float r = MathF.Sqrt(x * x + y * y + 1f);
        float s = h * n - MathF.Log(r);
        if (s > 0f)
        {
            s = s * s;
        }

        float a = MathF.Abs(x - y) + MathF.Max(x, 0.5f * y);
        return s / 3f + (a > 1f ? a : a * a);
    }

    /// <summary>A float loss calling the float neuron: its generated gradient is reused.</summary>
    [Differentiable]
    public static float NeuronLoss(float w0, float w1, float b, [NoDiff] float x0, [NoDiff] float x1, [NoDiff] float target)
    {
        float p = Neuron(w0, w1, b, x0, x1);
        float e = p - target;
        return 0.5f * e * e;
    }

    /// <summary>DiffGen's primitives over float (PrimitivesF, as MathF); their derivatives (σ, sign) are PrimitivesF's too.</summary>
    [Differentiable]
    public static float Primitives(float x, float y)
        => PrimitivesF.Softplus(x * y) + PrimitivesF.Sigmoid(x - y) * PrimitivesF.Erf(0.5f * y)
            + PrimitivesF.Log1p(x * x) - PrimitivesF.Expm1(-0.25f * y * y)
            + PrimitivesF.LeakyRelu(x, 0.1f) + PrimitivesF.Elu(y, 0.5f) + PrimitivesF.Relu(x + y);

    /// <summary>
    /// Constants the generator folds: an unrolled product of float constants (1.1f⁵ is 1.6105101f in float,
    /// 1.6105102f computed in double and rounded) and functions of constants (MathF.Tanh(0.3f) is not
    /// (float)Math.Tanh(0.3)), which must come out as C# computes them.
    /// </summary>
    [Differentiable]
    public static float Constants(float x)
    {
        float growth = 1f;
        for (int i = 0; i < 5; i++)
        {
            growth *= 1.1f;
        }

        return x * growth + MathF.Tanh(0.3f) * x * x - MathF.Tanh(0.7f);
    }

    /// <summary>More of MathF's surface: rounding to digits, clamping, sign copying, scaling, fused multiply-add, atan2, a stopped gradient.</summary>
    [Differentiable]
    public static float Surface(float x, float y)
        => MathF.Round(x * y, 2) + Math.Clamp(x, -0.5f, y * y) + MathF.CopySign(x * x, y) + MathF.ScaleB(y, 3)
            + MathF.FusedMultiplyAdd(x, y, 0.25f) + MathF.Atan2(y, 1f + x * x) + PrimitivesF.StopGradient(x) * y + MathF.Cbrt(2f + y);

    /// <summary>A fixed-trip loop (unrolled): Σ (c + i/10)·xⁱ, its constants products of floats and ints.</summary>
    [Differentiable]
    public static float Polynomial(float x, float c)
    {
        float sum = 0f;
        float power = 1f;
        for (int i = 0; i < 6; i++)
        {
            sum += (c + 0.1f * i) * power;
            power *= x;
        }

        return sum;
    }
}

/// <summary>float methods over spans and arrays, with loops kept as loops.</summary>
public static partial class FloatSpanModels
{
    /// <summary>A float dot-product loss: ½(w·x + b − y)², over spans.</summary>
    [Differentiable]
    public static float DotLoss(ReadOnlySpan<float> w, [NoDiff] ReadOnlySpan<float> x, float b, [NoDiff] float y)
    {
        float z = b;
        for (int i = 0; i < w.Length; i++)
        {
            z += w[i] * x[i];
        }

        float e = z - y;
        return 0.5f * e * e;
    }

    /// <summary>
    /// A tanh layer into a stack span, then a softplus-like sum with MathF: overwritten locals and a product
    /// accumulator the reverse sweep must save (the value stack), a float[] input, and its Hessian.
    /// </summary>
    [Differentiable(Hessian = true)]
    public static float Layer(float[] w, ReadOnlySpan<float> x)
    {
        int n = x.Length;
        Span<float> h = stackalloc float[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = MathF.Tanh(w[i] * x[i] + 0.5f * w[n]);
        }

        float sum = 0f;
        float product = 1f;
        foreach (var v in h)
        {
            float t = MathF.Log(1f + MathF.Exp(v));
            sum += t * t;
            product *= 1f + 0.25f * v;
        }

        return sum + product / n;
    }
}

/// <summary>float vector-output methods: values written into a Span&lt;float&gt;.</summary>
public static partial class FloatVectorModels
{
    /// <summary>Polar to Cartesian in float.</summary>
    [Differentiable]
    public static void Polar(float r, float theta, Span<float> y)
    {
        y[0] = r * MathF.Cos(theta);
        y[1] = r * MathF.Sin(theta);
    }

    /// <summary>A softmax in float: max-shifted exponentials over their sum.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<float> z, Span<float> p)
    {
        float m = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            m = MathF.Max(m, z[i]);
        }

        float sum = 0f;
        for (int i = 0; i < z.Length; i++)
        {
            p[i] = MathF.Exp(z[i] - m);
            sum += p[i];
        }

        for (int i = 0; i < z.Length; i++)
        {
            p[i] /= sum;
        }
    }
}
