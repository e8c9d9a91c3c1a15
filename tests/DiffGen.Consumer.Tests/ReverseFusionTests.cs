using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Gradients whose reverse loop runs inside the forward loop, and look-alikes that keep two passes, against
/// complex step, forward mode, finite differences of the gradient and closed forms.
/// </summary>
public class ReverseFusionTests
{
    private static double[] Random(int n, int seed) => Enumerable.Range(0, n).Select(i => Math.Sin(1.7 * i + seed) * 1.2).ToArray();

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(40)]
    public void ScaledRosenbrock_in_one_pass(int n)
    {
        const double c = 37.5;
        var x = Random(n, 1);
        var oracle = new SpanOracle
        {
            Primal = v => ReverseFusionModels.ScaledRosenbrock(v, c),
            Gradient = (v, g) => ReverseFusionModels.ScaledRosenbrockGradient(v, c, g, out _),
            Tangent = (v, t) => (ReverseFusionModels.ScaledRosenbrockTangent(v, c, t, 0.0, out double d), d),
            HessianVector = (v, u, hv) => ReverseFusionModels.ScaledRosenbrockHessianVector(v, c, u, 0.0, hv, out _),
            Complex = z => ReverseFusionModels.ScaledRosenbrock(z, c),
        };
        var gradient = oracle.Check(x);

        // Closed forms: ∂/∂xᵢ of the sum, divided by n; ∂/∂c = Σ bᵢ² / n.
        var expected = new double[n];
        double dc = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            expected[i] += (-2 * a - 4 * c * b * x[i]) / n;
            expected[i + 1] += 2 * c * b / n;
            dc += b * b / n;
        }

        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }

        ReverseFusionModels.ScaledRosenbrockGradient(x, c, new double[n], out double actualDc);
        var complex = ReverseFusionModels.ScaledRosenbrock(x.Select(v => new Complex(v, 0)).ToArray(), new Complex(c, 1e-20));
        SpanOracle.Close(complex.Imaginary / 1e-20, actualDc, 1e-12, "∂/∂c vs complex step");
        SpanOracle.Close(dc, actualDc, 1e-12, "closed-form ∂/∂c");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Norm_keeps_two_passes(int n)
    {
        var w = Random(n, 2).Select(v => v * v + 0.5).ToArray();
        var x = Random(n, 3);
        var oracle = new SpanOracle
        {
            Primal = v => ReverseFusionModels.Norm(v, w),
            Gradient = (v, g) => ReverseFusionModels.NormGradient(v, w, g),
            Tangent = (v, t) => (ReverseFusionModels.NormTangent(v, w, t, out double d), d),
            HessianVector = (v, u, hv) => ReverseFusionModels.NormHessianVector(v, w, u, hv),
            Complex = z => ReverseFusionModels.Norm(z, w),
        };
        var gradient = oracle.Check(x);
        double norm = ReverseFusionModels.Norm(x, w);
        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(x[i] * w[i] / norm, gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public void LastTermAfter_keeps_two_passes(int n)
    {
        var x = Random(n, 4);
        var oracle = new SpanOracle
        {
            Primal = v => ReverseFusionModels.LastTermAfter(v),
            Gradient = (v, g) => ReverseFusionModels.LastTermAfterGradient(v, g),
            Tangent = (v, t) => (ReverseFusionModels.LastTermAfterTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => ReverseFusionModels.LastTermAfterHessianVector(v, u, hv),
            Complex = z => ReverseFusionModels.LastTermAfter(z),
        };
        var gradient = oracle.Check(x);
        var expected = new double[n];
        for (int i = 0; i < n - 1; i++)
        {
            expected[i] += Math.Cos(x[i]) * x[i + 1];
            expected[i + 1] += Math.Sin(x[i]);
        }

        expected[n - 2] += Math.Cos(x[n - 2]);
        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(23)]
    public void CenteredTanh_with_saved_values_keeps_two_passes(int n)
    {
        var x = Random(n, 5);
        var oracle = new SpanOracle
        {
            Primal = v => ReverseFusionModels.CenteredTanh(v),
            Gradient = (v, g) => ReverseFusionModels.CenteredTanhGradient(v, g),
            Tangent = (v, t) => (ReverseFusionModels.CenteredTanhTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => ReverseFusionModels.CenteredTanhHessianVector(v, u, hv),
            Complex = z => ReverseFusionModels.CenteredTanh(z),
        };
        var gradient = oracle.Check(x);

        // ∂/∂xₖ = g(xₖ − m) − mean of g, with g(u) = 2 tanh(u)(1 − tanh²(u)).
        double m = x.Average();
        var g = x.Select(v => 2 * Math.Tanh(v - m) * (1 - Math.Tanh(v - m) * Math.Tanh(v - m))).ToArray();
        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(g[i] - g.Average(), gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }
}
