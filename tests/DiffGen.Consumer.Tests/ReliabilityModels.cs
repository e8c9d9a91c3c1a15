using System;
using DiffGen;

namespace DiffGen.Consumer.Tests;

/// <summary>Regression models of issue 8: ordinary C# that once gave silently wrong gradients.</summary>
public static partial class ReliabilityModels
{
    /// <summary>The cast makes the division double: 1 / 2 = 0.5, not the int 0.</summary>
    [Differentiable]
    public static double CastDivide(double x, int a, int b) => x * ((double)a / b);

    /// <summary>A double local holding an int: its division is double too.</summary>
    [Differentiable]
    public static double LocalDivide(double x, int a, int b)
    {
        double fa = a;
        return x * (fa / b);
    }

    /// <summary>(double)a * a is double: 50000² does not overflow int.</summary>
    [Differentiable]
    public static double CastSquare(double x, int a) => x * ((double)a * a);

    /// <summary>The source's int division truncates, and stays truncating.</summary>
    [Differentiable]
    public static double IntDivide(double x, int a, int b) => x * (a / b);
}

/// <summary>An instance with int fields read in double arithmetic.</summary>
public partial class ScaledByFields
{
    private readonly int _numerator;
    private readonly int _denominator;

    public ScaledByFields(int numerator, int denominator)
    {
        _numerator = numerator;
        _denominator = denominator;
    }

    [Differentiable]
    public double Scale(double x) => x * ((double)_numerator / _denominator);
}

/// <summary>A virtual [Differentiable] method and a marked override: the generated members follow the object's type.</summary>
public partial class Shape
{
    [Differentiable(Hessian = true)]
    public virtual double F(double x) => x * x;
}

public partial class Cube : Shape
{
    [Differentiable]
    public override double F(double x) => x * x * x;
}

/// <summary>Tuple deconstruction of doubles, on both paths (values first, then the assignments: a swap swaps).</summary>
public static partial class TupleModels
{
    [Differentiable]
    public static double Pair(double x, double y)
    {
        var (a, b) = (x * y, x + y);
        (a, b) = (b, a);
        return a * a + 3 * b;
    }

    [Differentiable]
    public static double SpanPair(ReadOnlySpan<double> x)
    {
        double s = 0, t = 1;
        for (int i = 0; i < x.Length; i++)
        {
            (s, t) = (t * x[i], s + x[i]);
        }

        return s + 2 * t;
    }
}
