using System;
using DiffGen.Numerics;

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
        ShiftedSoftmax(x, result);
    }

    /// <summary>log softmax(x)ᵢ = xᵢ − logsumexp(x), finite for finite x.</summary>
    /// <exception cref="ArgumentException"><paramref name="result"/> is not as long as <paramref name="x"/>, or x is empty.</exception>
    public static void LogSoftmax(ReadOnlySpan<double> x, Span<double> result)
    {
        RequireSameNonEmptyLength(x.Length, result.Length, nameof(x), nameof(result));
        ShiftedLogSoftmax(x, result);
    }

    /// <summary>logsumexp(x) = m + log Σᵢ e^(xᵢ − m) with m = maxᵢ xᵢ; −∞ for an empty span.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        double value = ShiftedLogSumExp(x);
        if (double.IsNaN(value))
        {
            // An infinite maximum is the value, where shifting by it gave ∞ − ∞.
            double max = x[0];
            foreach (double v in x)
            {
                max = Math.Max(max, v);
            }

            return double.IsInfinity(max) ? max : value;
        }

        return value;
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
        // The Jacobian depends on x only through y, and log y is an x with softmax(log y) = y.
        using var logits = new PooledScratch(softmaxOutput.Length);
        using var values = new PooledScratch(softmaxOutput.Length);
        softmaxOutput.CopyTo(logits.Span);
        DiffGen.Expr.LoopKernels.LogInPlace(logits.Span, 0, logits.Span.Length);

        ShiftedSoftmaxVjp(logits.Span, values.Span, upstream, inputGradient);
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
        // The Jacobian depends on x only through softmax(x) = e^ℓ, and ℓ itself is an x with logsoftmax(ℓ) = ℓ.
        using var values = new PooledScratch(logSoftmaxOutput.Length);
        ShiftedLogSoftmaxVjp(logSoftmaxOutput, values.Span, upstream, inputGradient);
    }

    /// <summary>Vector-Jacobian product of logsumexp: ∂L/∂xᵢ = u · softmax(x)ᵢ for the scalar upstream u.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputGradient"/> is not as long as <paramref name="x"/>, or x is empty.</exception>
    public static void LogSumExpBackward(ReadOnlySpan<double> x, double upstream, Span<double> inputGradient)
    {
        RequireSameNonEmptyLength(x.Length, inputGradient.Length, nameof(x), nameof(inputGradient));
        ShiftedLogSumExpGradient(x, inputGradient);
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
        GroupMaxima(x, groupSize, result);
    }

    /// <summary>
    /// Vector-Jacobian product of maxout: each group's upstream gradient goes to the element that was
    /// taken; the other elements get 0. The group's maximum is the running <c>Math.Max</c> from its first
    /// element, with the generator's tie rule: two tied maxima get half each, in either order; of k tied
    /// ones the last gets ½, the one before ¼, …, the first two 2^−(k−1) each, so each group's gradient
    /// still sums to its upstream.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groupSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The shapes do not match as in <see cref="Maxout"/>.</exception>
    public static void MaxoutBackward(ReadOnlySpan<double> x, int groupSize, ReadOnlySpan<double> upstream, Span<double> inputGradient)
    {
        RequireMaxoutShape(x.Length, nameof(x), groupSize, upstream.Length, nameof(upstream));
        RequireSameLength(x.Length, inputGradient.Length, nameof(x), nameof(inputGradient));
        using var values = new PooledScratch(upstream.Length);
        GroupMaximaVjp(x, groupSize, values.Span, upstream, inputGradient);
    }

    // The forward functions, written once: the backward passes above are their generated products.
    // The shift m cancels in every value, so it carries no derivative (a stopped gradient, not a kink of max).

    [Differentiable]
    private static void ShiftedSoftmax(ReadOnlySpan<double> x, Span<double> y)
    {
        double shift = Diff.StopGradient(Maximum(x));
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Exp(x[i] - shift);
            sum += y[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            y[i] /= sum;
        }
    }

    [Differentiable]
    internal static double ShiftedLogSumExp(ReadOnlySpan<double> x)
    {
        double shift = Diff.StopGradient(Maximum(x));
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - shift);
        }

        return shift + Math.Log(sum);
    }

    [Differentiable]
    private static double Maximum(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        return max;
    }

    [Differentiable]
    private static void ShiftedLogSoftmax(ReadOnlySpan<double> x, Span<double> y)
    {
        double logSumExp = ShiftedLogSumExp(x);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] - logSumExp;
        }
    }

    [Differentiable]
    private static void GroupMaxima(ReadOnlySpan<double> x, int groupSize, Span<double> y)
    {
        for (int group = 0; group < y.Length; group++)
        {
            int start = group * groupSize;
            double max = x[start];
            for (int i = 1; i < groupSize; i++)
            {
                max = Math.Max(max, x[start + i]);
            }

            y[group] = max;
        }
    }

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
