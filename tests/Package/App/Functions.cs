using System;
using DiffGen;

namespace PackageApp;

internal static partial class Functions
{
    /// <summary>f(x, y) = x²y + sin x + e^(−y).</summary>
    [Differentiable]
    internal static double Scalar(double x, double y) => x * x * y + Math.Sin(x) + Math.Exp(-y);

    /// <summary>The Rosenbrock function of n variables, a loop over a span.</summary>
    [Differentiable]
    internal static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }

        return sum;
    }
}
