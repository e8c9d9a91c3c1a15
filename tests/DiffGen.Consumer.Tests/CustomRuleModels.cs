using System;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Hand-written derivative rules ([CustomGradient]) and stop-gradient (issue 12, item 5), as users write them:
/// a solver the generator cannot see into, used in expressions, in loops and with constant arguments.
/// </summary>
public static partial class CustomRuleModels
{
    /// <summary>
    /// The real root t of t³ + p·t + q = 0 for p &gt; 0 (where it is the only one), by bisection: a hidden
    /// iterative solver, whose loop and data-dependent branches the generator is never asked to differentiate.
    /// </summary>
    [CustomGradient(nameof(CubicRootGradient))]
    public static double CubicRoot(double p, double q)
    {
        // |t|·(t² + p) = |q| with p > 0 gives |t|³ < |q|, so the root lies in [−1 − |q|, 1 + |q|].
        double bound = 1.0 + Math.Abs(q);
        double lo = -bound, hi = bound;
        while (true)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                return mid;
            }

            if (mid * mid * mid + p * mid + q > 0)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
    }

    /// <summary>The rule, by the implicit-function theorem on F(t, p, q) = t³ + pt + q = 0: ∂t/∂p = −t/(3t² + p), ∂t/∂q = −1/(3t² + p).</summary>
    public static double CubicRootGradient(double p, double q, out double dp, out double dq)
    {
        double t = CubicRoot(p, q);
        double slope = 3.0 * t * t + p;
        dp = -t / slope;
        dq = -1.0 / slope;
        return t;
    }

    /// <summary>A model calling the solver twice, on expressions of its inputs.</summary>
    [Differentiable]
    public static double Model(double a, double b) => Math.Sin(a) * CubicRoot(a * a + 1.0, b - a) + b * CubicRoot(2.0, a * b);

    /// <summary>The same model through Cardano's formula, which the generator differentiates itself: an independent oracle.</summary>
    [Differentiable]
    public static double ModelByCardano(double a, double b) => Math.Sin(a) * Cardano(a * a + 1.0, b - a) + b * Cardano(2.0, a * b);

    /// <summary>Cardano's real root of t³ + pt + q for p &gt; 0: ∛(−q/2 + √D) + ∛(−q/2 − √D), D = q²/4 + p³/27.</summary>
    [Differentiable]
    public static double Cardano(double p, double q)
    {
        double root = Math.Sqrt(q * q / 4.0 + p * p * p / 27.0);
        return Math.Cbrt(-q / 2.0 + root) + Math.Cbrt(-q / 2.0 - root);
    }

    /// <summary>The solver inside a loop with a runtime bound over a span: Σᵢ wᵢ·root(1 + wᵢ², qᵢ·s).</summary>
    [Differentiable]
    public static double RootsOverData(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> q, double s)
    {
        double sum = 0.0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += w[i] * CubicRoot(1.0 + w[i] * w[i], q[i] * s);
        }

        return sum;
    }

    /// <summary>The same sum through Cardano's formula (inlined by the generator): the oracle.</summary>
    [Differentiable]
    public static double RootsOverDataByCardano(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> q, double s)
    {
        double sum = 0.0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += w[i] * Cardano(1.0 + w[i] * w[i], q[i] * s);
        }

        return sum;
    }

    /// <summary>A fixed-trip loop (unrolled): the root of t³ + (x + k)t + y for k = 0, 1, 2, chained through y.</summary>
    [Differentiable]
    public static double ChainedRoots(double x, double y)
    {
        double t = y;
        for (int k = 0; k < 3; k++)
        {
            t = CubicRoot(x + k, t);
        }

        return t;
    }

    /// <summary>
    /// A saturating clip, limit·tanh(x/limit), computed by a "library" the generator cannot see; its limit is a
    /// [NoDiff] constant of the rule, so the rule gives ∂/∂x only and the limit carries no gradient.
    /// </summary>
    [CustomGradient(nameof(SoftClipGradient))]
    public static double SoftClip(double x, [NoDiff] double limit) => OpaqueLibrary.Clip(x, limit);

    /// <summary>∂/∂x limit·tanh(x/limit) = 1 − tanh²(x/limit).</summary>
    public static double SoftClipGradient(double x, double limit, out double dx)
    {
        double t = Math.Tanh(x / limit);
        dx = 1.0 - t * t;
        return limit * t;
    }

    /// <summary>The [NoDiff] argument is fed a differentiable input: its path carries no gradient.</summary>
    [Differentiable]
    public static double ClippedProduct(double x, double y) => SoftClip(x * y, y) + y;

    /// <summary>xⁿ with an int power n, whose rule has no output for n.</summary>
    [CustomGradient(nameof(IntPowerGradient))]
    public static double IntPower(double x, int n) => OpaqueLibrary.Power(x, n);

    /// <summary>∂xⁿ/∂x = n·xⁿ⁻¹.</summary>
    public static double IntPowerGradient(double x, int n, out double dx)
    {
        dx = n * Math.Pow(x, n - 1);
        return Math.Pow(x, n);
    }

    /// <summary>Σₖ₌₁ⁿ xᵏ/k through the int-parameter rule, with the loop counter (and n / 2, int arithmetic) as the int argument.</summary>
    [Differentiable]
    public static double PowerSeries(double x, int n)
    {
        double sum = IntPower(x, n / 2);
        for (int k = 1; k <= n; k++)
        {
            sum += IntPower(x, k) / k;
        }

        return sum;
    }

    /// <summary>x^(n/2)·x on the loop-free road, where n / 2 is lowered in double and converted back for the int parameter.</summary>
    [Differentiable]
    public static double HalfPower(double x, int n) => IntPower(x, n / 2) * x;

    /// <summary>x³ with a rule that counts its calls (per thread: tests run in parallel).</summary>
    [CustomGradient(nameof(CountedCubeGradient))]
    public static double CountedCube(double x) => x * x * x;

    [ThreadStatic]
    public static int CountedCubeCalls;

    public static double CountedCubeGradient(double x, out double dx)
    {
        CountedCubeCalls++;
        dx = 3.0 * x * x;
        return x * x * x;
    }

    /// <summary>One rule call used three times.</summary>
    [Differentiable]
    public static double UsesCountedCube(double x, double y) => CountedCube(x * y) * CountedCube(x * y) + Math.Sin(CountedCube(x * y));

    /// <summary>x·sg(x): the gradient is sg(x) = x, not 2x.</summary>
    [Differentiable]
    public static double TimesStopped(double x) => x * Diff.StopGradient(x);

    /// <summary>
    /// A temporal-difference loss with a target network's style of target: (r + γ·sg(w·x′ + b) − (w·x + b))²; the target's
    /// dependence on (w, b) is stopped, so ∂/∂w = −2δx and ∂/∂b = −2δ with δ = r + γ(w·x′ + b) − (w·x + b).
    /// </summary>
    [Differentiable]
    public static double TemporalDifferenceLoss(double w, double b, [NoDiff] double x, [NoDiff] double reward, [NoDiff] double next)
    {
        double target = reward + 0.9 * Diff.StopGradient(w * next + b);
        double delta = target - (w * x + b);
        return delta * delta;
    }

    /// <summary>Stop-gradient inside a loop over a span (the procedure road): Σᵢ xᵢ·sg(xᵢ)² .</summary>
    [Differentiable]
    public static double StoppedSquares(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        foreach (var v in x)
        {
            double stopped = Diff.StopGradient(v);
            sum += v * stopped * stopped;
        }

        return sum;
    }
}

/// <summary>Stands for a compiled library: plain C# the generator never reads, since no [Differentiable] method inlines it.</summary>
internal static class OpaqueLibrary
{
    public static double Clip(double x, double limit) => limit * Math.Tanh(x / limit);

    public static double Power(double x, int n)
    {
        double result = 1.0;
        for (int k = 0; k < n; k++)
        {
            result *= x;
        }

        return result;
    }
}
