using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Generated gradients, tangents and Hessian-vector products of the adjoint clean-ups' stress cases against complex
/// step, forward mode and central differences of the gradient (<see cref="SpanOracle"/>), and closed forms.
/// </summary>
public class AdjointSimplificationTests
{
    private static double[] Random(int n, int seed) => Enumerable.Range(0, n).Select(i => Math.Sin(1.3 * i + seed) * 1.1).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(11)]
    public void ReadTwice(int n)
    {
        var x = Random(n, 1);
        var gradient = new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.ReadTwice(v),
            Gradient = (v, g) => AdjointSimplificationModels.ReadTwiceGradient(v, g),
            Tangent = (v, t) => (AdjointSimplificationModels.ReadTwiceTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.ReadTwiceHessianVector(v, u, hv),
            Complex = z => AdjointSimplificationModels.ReadTwice(z),
        }.Check(x);
        var expected = new double[n];
        for (int i = 0; i < n - 1; i++)
        {
            double t = Math.Sin(x[i]);
            expected[i] += (x[i + 1] + 2 * t) * Math.Cos(x[i]);
            expected[i + 1] += t;
        }

        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    public void ElementReadBetween(int n)
    {
        var x = Random(n, 2);
        var gradient = new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.ElementReadBetween(v),
            Gradient = (v, g) => AdjointSimplificationModels.ElementReadBetweenGradient(v, g),
            Tangent = (v, t) => (AdjointSimplificationModels.ElementReadBetweenTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.ElementReadBetweenHessianVector(v, u, hv),
            Complex = z => AdjointSimplificationModels.ElementReadBetween(z),
        }.Check(x);

        // term i: a·b + (a² + b)² with a = xᵢ, b = xᵢ₊₁
        var expected = new double[n];
        for (int i = 0; i < n - 1; i++)
        {
            double a = x[i], b = x[i + 1], h = a * a + b;
            expected[i] += b + 4 * a * h;
            expected[i + 1] += a + 2 * h;
        }

        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Recurrence(int n)
    {
        const double c = 0.4;
        var x = Random(n, 3);
        new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.Recurrence(v, c),
            Gradient = (v, g) => AdjointSimplificationModels.RecurrenceGradient(v, c, g, out _),
            Tangent = (v, t) => (AdjointSimplificationModels.RecurrenceTangent(v, c, t, 0.0, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.RecurrenceHessianVector(v, c, u, 0.0, hv, out _),
            Complex = z => AdjointSimplificationModels.Recurrence(z, c),
        }.Check(x);
        AdjointSimplificationModels.RecurrenceGradient(x, c, new double[n], out double dc);
        var complex = AdjointSimplificationModels.Recurrence(x.Select(v => new Complex(v, 0)).ToArray(), new Complex(c, 1e-20));
        SpanOracle.Close(complex.Imaginary / 1e-20, dc, 1e-12, "∂/∂c vs complex step");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void Nested(int n)
    {
        var x = Random(n, 4).Select(v => v * 0.5).ToArray();
        var gradient = new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.Nested(v),
            Gradient = (v, g) => AdjointSimplificationModels.NestedGradient(v, g),
            Tangent = (v, t) => (AdjointSimplificationModels.NestedTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.NestedHessianVector(v, u, hv),
            Complex = z => AdjointSimplificationModels.Nested(z),
        }.Check(x);

        // ∂aᵢ/∂xₖ = 2·xᵢ₋ₖ for k ≤ i (each product xⱼ·xᵢ₋ⱼ counts xₖ twice, once as j = k and once as i − j = k)
        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = 0;
            for (int j = 0; j <= i; j++)
            {
                a += x[j] * x[i - j];
            }

            double weight = 1 - Math.Tanh(a) * Math.Tanh(a);
            for (int k = 0; k <= i; k++)
            {
                expected[k] += weight * 2 * x[i - k];
            }
        }

        for (int i = 0; i < n; i++)
        {
            SpanOracle.Close(expected[i], gradient[i], 1e-13, $"closed-form ∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void Branches(int n)
    {
        var x = Random(n, 5);
        new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.Branches(v),
            Gradient = (v, g) => AdjointSimplificationModels.BranchesGradient(v, g),
            Tangent = (v, t) => (AdjointSimplificationModels.BranchesTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.BranchesHessianVector(v, u, hv),
            Complex = z => AdjointSimplificationModels.Branches(z),
        }.Check(x);
    }

    [Fact]
    public void ConstantCondition()
    {
        var x = Random(6, 6);
        var gradient = new SpanOracle
        {
            Primal = v => AdjointSimplificationModels.ConstantCondition(v),
            Gradient = (v, g) => AdjointSimplificationModels.ConstantConditionGradient(v, g),
            Tangent = (v, t) => (AdjointSimplificationModels.ConstantConditionTangent(v, t, out double d), d),
            HessianVector = (v, u, hv) => AdjointSimplificationModels.ConstantConditionHessianVector(v, u, hv),
            Complex = z => AdjointSimplificationModels.ConstantCondition(z),
        }.Check(x);
        for (int i = 0; i < x.Length; i++)
        {
            SpanOracle.Close(2 * x[i], gradient[i], 1e-14, $"closed-form ∂/∂x{i}");
        }
    }
}
