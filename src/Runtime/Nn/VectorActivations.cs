using System;

namespace DiffGen.Nn;

public static partial class Activations
{
    /// <summary>
    /// softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) with m = maxⱼ xⱼ, so no exponent overflows.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="result"/> is not as long as <paramref name="x"/>, or x is empty.</exception>
    public static void Softmax(ReadOnlySpan<double> x, Span<double> result)
    {
        RequireSameNonEmptyLength(x.Length, result.Length, nameof(x), nameof(result));
        double max = Max(x);
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i] - max);
            result[i] = e;
            sum += e;
        }

        double inverse = 1.0 / sum;
        for (int i = 0; i < x.Length; i++)
        {
            result[i] *= inverse;
        }
    }

    /// <summary>log softmax(x)ᵢ = xᵢ − logsumexp(x), finite for finite x.</summary>
    /// <exception cref="ArgumentException"><paramref name="result"/> is not as long as <paramref name="x"/>, or x is empty.</exception>
    public static void LogSoftmax(ReadOnlySpan<double> x, Span<double> result)
    {
        RequireSameNonEmptyLength(x.Length, result.Length, nameof(x), nameof(result));
        double logSumExp = LogSumExp(x);
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = x[i] - logSumExp;
        }
    }

    /// <summary>logsumexp(x) = m + log Σᵢ e^(xᵢ − m) with m = maxᵢ xᵢ; −∞ for an empty span.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        double max = Max(x);
        if (double.IsInfinity(max))
        {
            return max;
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>
    /// Vector-Jacobian product of softmax: given y = softmax(x) and the upstream gradient u = ∂L/∂y,
    /// ∂L/∂xᵢ = yᵢ(uᵢ − Σⱼ uⱼyⱼ).
    /// </summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public static void SoftmaxBackward(ReadOnlySpan<double> softmaxOutput, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        RequireSameLength(softmaxOutput.Length, upstream.Length, nameof(softmaxOutput), nameof(upstream));
        RequireSameLength(softmaxOutput.Length, inputGradient.Length, nameof(softmaxOutput), nameof(inputGradient));
        double dot = 0.0;
        for (int i = 0; i < softmaxOutput.Length; i++)
        {
            dot += upstream[i] * softmaxOutput[i];
        }

        for (int i = 0; i < softmaxOutput.Length; i++)
        {
            inputGradient[i] = softmaxOutput[i] * (upstream[i] - dot);
        }
    }

    /// <summary>
    /// Vector-Jacobian product of log softmax: given ℓ = logsoftmax(x) and u = ∂L/∂ℓ,
    /// ∂L/∂xᵢ = uᵢ − e^ℓᵢ · Σⱼ uⱼ.
    /// </summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public static void LogSoftmaxBackward(ReadOnlySpan<double> logSoftmaxOutput, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        RequireSameLength(logSoftmaxOutput.Length, upstream.Length, nameof(logSoftmaxOutput), nameof(upstream));
        RequireSameLength(logSoftmaxOutput.Length, inputGradient.Length, nameof(logSoftmaxOutput), nameof(inputGradient));
        double upstreamSum = 0.0;
        for (int i = 0; i < upstream.Length; i++)
        {
            upstreamSum += upstream[i];
        }

        for (int i = 0; i < logSoftmaxOutput.Length; i++)
        {
            inputGradient[i] = upstream[i] - Math.Exp(logSoftmaxOutput[i]) * upstreamSum;
        }
    }

    /// <summary>Vector-Jacobian product of logsumexp: ∂L/∂xᵢ = u · softmax(x)ᵢ for the scalar upstream u.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputGradient"/> is not as long as <paramref name="x"/>, or x is empty.</exception>
    public static void LogSumExpBackward(ReadOnlySpan<double> x, double upstream, Span<double> inputGradient)
    {
        RequireSameNonEmptyLength(x.Length, inputGradient.Length, nameof(x), nameof(inputGradient));
        Softmax(x, inputGradient);
        for (int i = 0; i < inputGradient.Length; i++)
        {
            inputGradient[i] *= upstream;
        }
    }

    /// <summary>
    /// Maxout over consecutive groups: resultₖ = max of x[k·g … k·g + g − 1] for group size g.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groupSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">x.Length is not a multiple of the group size, or result.Length ≠ x.Length / g.</exception>
    public static void Maxout(ReadOnlySpan<double> x, int groupSize, Span<double> result)
    {
        RequireMaxoutShape(x.Length, nameof(x), groupSize, result.Length, nameof(result));
        for (int group = 0; group < result.Length; group++)
        {
            result[group] = x[group * groupSize + ArgMax(x.Slice(group * groupSize, groupSize))];
        }
    }

    /// <summary>
    /// Vector-Jacobian product of maxout: each group's upstream gradient goes to the element that
    /// was taken (the first maximum on ties); the other elements get 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groupSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The shapes do not match as in <see cref="Maxout"/>.</exception>
    public static void MaxoutBackward(ReadOnlySpan<double> x, int groupSize, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        RequireMaxoutShape(x.Length, nameof(x), groupSize, upstream.Length, nameof(upstream));
        RequireSameLength(x.Length, inputGradient.Length, nameof(x), nameof(inputGradient));
        inputGradient.Clear();
        for (int group = 0; group < upstream.Length; group++)
        {
            int start = group * groupSize;
            inputGradient[start + ArgMax(x.Slice(start, groupSize))] = upstream[group];
        }
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double Max(ReadOnlySpan<double> values) => values[ArgMax(values)];

    private static void RequireMaxoutShape(int inputLength, string inputName, int groupSize, int outputLength, string outputName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupSize);
        if (inputLength % groupSize != 0)
        {
            throw new ArgumentException($"{inputName} has {inputLength} elements, not a multiple of the group size {groupSize}.", inputName);
        }

        if (outputLength != inputLength / groupSize)
        {
            throw new ArgumentException($"{outputName} has {outputLength} elements; expected {inputLength / groupSize} (one per group).", outputName);
        }
    }

    private static void RequireSameNonEmptyLength(int inputLength, int outputLength, string inputName, string outputName)
    {
        if (inputLength == 0)
        {
            throw new ArgumentException("The input must not be empty.", inputName);
        }

        RequireSameLength(inputLength, outputLength, inputName, outputName);
    }

    private static void RequireSameLength(int expected, int actual, string expectedName, string actualName)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{actualName} has {actual} elements but {expectedName} has {expected}.", actualName);
        }
    }
}
