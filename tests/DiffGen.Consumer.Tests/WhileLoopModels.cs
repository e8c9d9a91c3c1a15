using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>while and do loops whose trip count depends on the inputs: kept as loops, the reverse sweep replays the recorded count.</summary>
public static partial class WhileLoopModels
{
    /// <summary>Newton's iteration for √a, run until the residual is tiny.</summary>
    [Differentiable(Hessian = true)]
    public static double NewtonSqrt(double a)
    {
        double x = 1 + a / 2;
        int iter = 0;
        while (Math.Abs(x * x - a) > 1e-12 * a && iter < 50)
        {
            x = 0.5 * (x + a / x);
            iter++;
        }

        return x;
    }

    /// <summary>The fixed point of x = c·cos x + d, iterated until the step is below 1e-15.</summary>
    [Differentiable]
    public static double FixedPoint(double c, double d)
    {
        double x = 0;
        double change = 1;
        int iter = 0;
        while (change > 1e-15 && iter < 500)
        {
            double next = c * Math.Cos(x) + d;
            change = Math.Abs(next - x);
            x = next;
            iter++;
        }

        return x;
    }

    /// <summary>A do loop: a damped sum of sines, its test after every pass.</summary>
    [Differentiable]
    public static double DampedSum(double x, double y)
    {
        double sum = 0;
        double t = x;
        do
        {
            sum += Math.Sin(t) * y;
            t = t * 0.7;
        }
        while (Math.Abs(t) > 0.01);

        return sum + t * y;
    }

    /// <summary>A while loop with continue (every third trip) and break (once t is small).</summary>
    [Differentiable]
    public static double BreakContinue(double x, double w)
    {
        double sum = 0;
        double t = x;
        int k = 0;
        while (k < 40)
        {
            k++;
            t = t * w;
            if (k % 3 == 0)
            {
                continue;
            }

            sum += Math.Sin(t) * t;
            if (Math.Abs(t) < 1e-3)
            {
                break;
            }
        }

        return sum + t;
    }

    /// <summary>Σᵢ (i + 1)·√aᵢ by Newton's iteration per element: the inner trip count differs per element.</summary>
    [Differentiable]
    public static double SqrtSum(ReadOnlySpan<double> a)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i];
            int iter = 0;
            while (Math.Abs(x * x - a[i]) > 1e-13 * a[i] && iter < 100)
            {
                x = 0.5 * (x + a[i] / x);
                iter++;
            }

            sum += x * (i + 1);
        }

        return sum;
    }

    /// <summary>Square roots y until y ≤ limit: no trip at all when y starts below the limit.</summary>
    [Differentiable]
    public static double RootDown(double x, double limit)
    {
        double y = x * x;
        while (y > limit)
        {
            y = Math.Sqrt(y);
        }

        return y * x;
    }

    /// <summary>A quadratic map iterated while the point stays in a disc: second order through a while loop.</summary>
    [Differentiable(Hessian = true)]
    public static double Orbit(double u, double v)
    {
        double p = u;
        double q = v;
        int k = 0;
        while (p * p + q * q < 4 && k < 12)
        {
            double next = p * p - q * q + 0.25;
            q = 2 * p * q + 0.125;
            p = next;
            k++;
        }

        return p * Math.Exp(q) + q * q;
    }

    /// <summary>An early return from inside a while loop.</summary>
    [Differentiable]
    public static double HalveUntil(double a, double cap)
    {
        double x = a;
        while (x > 1)
        {
            if (x * cap > 50)
            {
                return x * cap;
            }

            x = x * 0.5 + Math.Sin(x) * 0.1;
        }

        return x * x * cap;
    }

    /// <summary>A do loop left by break after six passes at most.</summary>
    [Differentiable]
    public static double DoBreak(double x, double r)
    {
        double y = x;
        int n = 0;
        do
        {
            y = y * r + Math.Cos(y);
            n++;
            if (n >= 6)
            {
                break;
            }
        }
        while (y > 0.5);

        return y * x;
    }

    /// <summary>A while loop in a while loop: the inner trip count differs per outer trip.</summary>
    [Differentiable]
    public static double NestedWhile(double x, double y)
    {
        double s = 0;
        double a = x;
        while (a > 0.2)
        {
            double b = a;
            while (b > 0.05)
            {
                s += Math.Sin(b) * y;
                b = b * 0.5;
            }

            a = a * 0.6;
        }

        return s + a;
    }

    /// <summary>An accumulation in a while loop whose old value a statement before the loop needs: saved once around the loop.</summary>
    [Differentiable]
    public static double AccumulateAround(double x, double y)
    {
        double s = x * x;
        double u = s * s;
        int k = 0;
        while (s < 10 && k < 30)
        {
            s += y;
            k++;
        }

        return u + s * y;
    }

    /// <summary>Σ xᵢ² over the leading positive elements: the condition reads x[i] only while i &lt; x.Length.</summary>
    [Differentiable]
    public static double LeadingSquares(ReadOnlySpan<double> x)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length && x[i] > 0)
        {
            s += x[i] * x[i];
            i++;
        }

        return s;
    }
}
