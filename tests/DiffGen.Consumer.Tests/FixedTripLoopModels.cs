using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>while and do loops with a fixed trip count in loop-free methods: unrolled like constant-bound for loops.</summary>
public static partial class FixedTripLoopModels
{
    /// <summary>Four Newton steps for √a from 1 + a/2.</summary>
    [Differentiable(Hessian = true)]
    public static double NewtonSqrt(double a)
    {
        double y = 1 + a / 2;
        int k = 0;
        while (k < 4)
        {
            y = y - (y * y - a) / (2 * y);
            k++;
        }

        return y;
    }

    /// <summary>Three damped updates, the test at the bottom.</summary>
    [Differentiable]
    public static double Damped(double x, double rate)
    {
        double v = x;
        int k = 0;
        do
        {
            v = v - rate * System.Math.Sin(v);
            k += 1;
        }
        while (k != 3);

        return v * x;
    }

    /// <summary>A do loop whose condition is false from the start still runs its body once.</summary>
    [Differentiable]
    public static double Once(double x)
    {
        double v = x;
        int k = 5;
        do
        {
            v = v * v + x;
            k++;
        }
        while (k < 3);

        return v;
    }
}
