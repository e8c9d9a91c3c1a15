using System;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Checks the generated members of a [Differentiable] method over one flat input vector: gradient =
/// complex step through the generated Complex overload (1e-10 relative, floor 1), tangent = gradient·v,
/// Hessian-vector product = central differences of the generated gradient, and, when given, the dense
/// Hessian's rows = Hessian-vector products with unit vectors.
/// </summary>
internal sealed class SpanOracle
{
    public required Func<double[], double> Primal { get; init; }
    public required Func<double[], double[], double> Gradient { get; init; }
    public required Func<double[], double[], (double Value, double Tangent)> Tangent { get; init; }
    public required Func<double[], double[], double[], double> HessianVector { get; init; }
    public required Func<Complex[], Complex> Complex { get; init; }
    public Func<double[], double[], double[], double>? Hessian { get; init; }

    /// <summary>Complex-step components checked (all when the input is short).</summary>
    public int MaxComplexSteps { get; init; } = 64;

    public static void Close(double expected, double actual, double relative, string what)
    {
        double tolerance = relative * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    public double[] Check(double[] x)
    {
        int n = x.Length;
        double value = Primal(x);
        var gradient = new double[n];
        Close(value, Gradient(x, gradient), 1e-13, "gradient's value");

        // Complex step, Im f(x + ih)/h with h = 1e-20: exact to rounding.
        const double h = 1e-20;
        var z = new Complex[n];
        int stride = Math.Max(1, n / MaxComplexSteps);
        for (int i = 0; i < n; i += stride)
        {
            for (int k = 0; k < n; k++)
            {
                z[k] = new Complex(x[k], k == i ? h : 0.0);
            }

            var fz = Complex(z);
            Close(value, fz.Real, 1e-13, "complex overload's value");
            Close(fz.Imaginary / h, gradient[i], 1e-10, $"∂/∂x{i} vs complex step");
        }

        // Forward mode = gradient · v.
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = 0.3 + 0.7 * Math.Sin(1.3 * i + 1.0);
        }

        var (tValue, tangent) = Tangent(x, v);
        Close(value, tValue, 1e-13, "tangent's value");
        double dot = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            dot += gradient[i] * v[i];
            scale += Math.Abs(gradient[i] * v[i]);
        }

        Assert.True(Math.Abs(dot - tangent) <= 1e-11 * Math.Max(1.0, scale), $"tangent {tangent:R} vs gradient·v {dot:R}");

        // Hessian-vector product = central differences of the generated gradient along v.
        var hv = new double[n];
        Close(value, HessianVector(x, v, hv), 1e-13, "Hessian-vector product's value");
        double e = 1e-5 * Math.Max(1.0, Norm(x)) / Math.Max(1.0, Norm(v));
        var plus = new double[n];
        var minus = new double[n];
        var gp = new double[n];
        var gm = new double[n];
        for (int i = 0; i < n; i++)
        {
            plus[i] = x[i] + e * v[i];
            minus[i] = x[i] - e * v[i];
        }

        Gradient(plus, gp);
        Gradient(minus, gm);
        double hvScale = 0;
        for (int i = 0; i < n; i++)
        {
            hvScale = Math.Max(hvScale, Math.Abs(hv[i]));
        }

        for (int i = 0; i < n; i++)
        {
            double fd = (gp[i] - gm[i]) / (2 * e);
            Assert.True(Math.Abs(fd - hv[i]) <= 1e-5 * Math.Max(1.0, hvScale), $"(Hv)[{i}] = {hv[i]:R} vs central difference {fd:R}");
        }

        if (Hessian is not null)
        {
            var g2 = new double[n];
            var dense = new double[n * n];
            Close(value, Hessian(x, g2, dense), 1e-13, "Hessian's value");
            Assert.Equal(gradient, g2);
            var unit = new double[n];
            var column = new double[n];
            for (int k = 0; k < n; k++)
            {
                Array.Clear(unit);
                unit[k] = 1.0;
                HessianVector(x, unit, column);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(column[i], dense[k * n + i]);
                }
            }

            // H·v from the dense rows agrees with the product member.
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    s += dense[i * n + k] * v[k];
                }

                Assert.True(Math.Abs(s - hv[i]) <= 1e-10 * Math.Max(1.0, hvScale), $"dense H·v [{i}]");
            }
        }

        return gradient;
    }

    private static double Norm(double[] x)
    {
        double s = 0;
        foreach (var a in x)
        {
            s += a * a;
        }

        return Math.Sqrt(s);
    }
}
