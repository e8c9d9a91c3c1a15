using System;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Methods with values that overflow or are singular where they cannot reach the result: dead code, an
/// overwritten value, a branch not taken. Their derivatives must stay finite (issue 8: 0·∞ = NaN).
/// </summary>
public static partial class DeadCodeModels
{
    /// <summary>xᵢ⁴⁰⁰ overflows for |xᵢ| ≥ 7 and never reaches the result: ∂/∂xᵢ = 2xᵢ.</summary>
    [Differentiable]
    public static double DeadPowerInLoop(ReadOnlySpan<double> x)
    {
        double s = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double unused = Math.Pow(x[i], 400.0);
            s += x[i] * x[i];
        }

        return s;
    }

    /// <summary>eʸ overflows for y &gt; 710, and is overwritten before it is read: ∂/∂y = 2y.</summary>
    [Differentiable]
    public static double OverwrittenOverflow(ReadOnlySpan<double> x, double y)
    {
        double t = Math.Exp(y);
        t = y * y;
        double s = t;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i];
        }

        return s;
    }

    /// <summary>√(x² + y²) is singular at the origin, where the branch is not taken: the gradient there is (1, 0).</summary>
    [Differentiable(Hessian = true)]
    public static double SingularBranchNotTaken(double x, double y)
    {
        double t2 = x * x + y * y;
        double r = 0.0;
        if (t2 != 0)
        {
            double t = Math.Sqrt(t2);
            r = t + x * y / t;
        }

        return r + x;
    }

    /// <summary>
    /// The generator fuzzer's seed 7959381, M2291: v0 overflows through the Pow loop (n = 3) and never reaches
    /// the result, which depends on no differentiable input: the gradient is 0.
    /// </summary>
    [Differentiable]
    public static double FuzzedDeadPowLoop(double x0, [NoDiff] double c, int n)
    {
        var v0 = DiffGen.Nn.Activations.Swish(x0);
        if ((2.7 * v0) <= Math.Pow(-0.7, n % 4))
        {
            v0 -= -0.7;
        }
        else
        {
            for (int i1 = 0; i1 < 3; i1++)
            {
                v0 = (v0 + v0) + v0;
                if ((x0 + v0) < (x0 + -0.5))
                {
                    return c;
                }
            }
        }

        for (int i4 = 0; i4 < n % 5; i4++)
        {
            for (int i5 = 0; i5 < 3; i5++)
            {
                v0 = Math.Pow(2.0 + Math.Sin(c), v0) + v0;
            }
        }

        return DiffGen.Nn.Activations.Sigmoid(c * (double)n);
    }
}
