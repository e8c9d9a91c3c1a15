using System;
using System.Numerics;

namespace DiffGen.Runtime.Tests;

public class GradCheckTests
{
    // f(x) = Σᵢ xᵢ²·sin(xᵢ₊₁) + exp(x₀·x₄), over five variables.
    private static double F(ReadOnlySpan<double> x)
    {
        double sum = Math.Exp(x[0] * x[4]);
        for (int i = 0; i < x.Length - 1; i++)
        {
            sum += x[i] * x[i] * Math.Sin(x[i + 1]);
        }

        return sum;
    }

    private static Complex ComplexF(ReadOnlySpan<Complex> x)
    {
        Complex sum = Complex.Exp(x[0] * x[4]);
        for (int i = 0; i < x.Length - 1; i++)
        {
            sum += x[i] * x[i] * Complex.Sin(x[i + 1]);
        }

        return sum;
    }

    private static void Gradient(ReadOnlySpan<double> x, Span<double> g)
    {
        g.Clear();
        double e = Math.Exp(x[0] * x[4]);
        g[0] += x[4] * e;
        g[4] += x[0] * e;
        for (int i = 0; i < x.Length - 1; i++)
        {
            g[i] += 2.0 * x[i] * Math.Sin(x[i + 1]);
            g[i + 1] += x[i] * x[i] * Math.Cos(x[i + 1]);
        }
    }

    private static readonly double[] Point = { 0.3, -1.2, 2.0, 0.7, -0.4 };

    private static void WrongAtThree(ReadOnlySpan<double> x, Span<double> g)
    {
        Gradient(x, g);
        g[3] *= 1.01; // a 1 % error in one component
    }

    [Fact]
    public void Correct_gradient_passes_all_three_methods()
    {
        GradCheck.CentralDifference(F, Gradient, Point).ThrowIfFailed();
        GradCheck.ForwardDifference(F, Gradient, Point).ThrowIfFailed();
        GradCheckReport complexStep = GradCheck.ComplexStep(ComplexF, Gradient, Point, relativeTolerance: 1e-13, absoluteTolerance: 0);
        Assert.True(complexStep.Passed, complexStep.Message);
        Assert.Equal(GradCheckMethod.ComplexStep, complexStep.Method);
        Assert.Equal(5, complexStep.Components.Count);
    }

    [Fact]
    public void Errors_have_the_expected_orders_of_magnitude()
    {
        // Central differences reach about ε^(2/3) ≈ 4e-11 relative, forward ones about √ε ≈ 1.5e-8.
        GradCheckReport central = GradCheck.CentralDifference(F, Gradient, Point);
        GradCheckReport forward = GradCheck.ForwardDifference(F, Gradient, Point);
        GradCheckReport complexStep = GradCheck.ComplexStep(ComplexF, Gradient, Point);
        Assert.True(central.WorstRelativeError < 1e-8, central.Message);
        Assert.True(forward.WorstRelativeError < 1e-5, forward.Message);
        Assert.True(forward.WorstRelativeError > central.WorstRelativeError, $"{forward.WorstRelativeError} vs {central.WorstRelativeError}");
        Assert.True(complexStep.WorstRelativeError < 1e-14, complexStep.Message);
    }

    [Theory]
    [InlineData(GradCheckMethod.CentralDifference)]
    [InlineData(GradCheckMethod.ForwardDifference)]
    [InlineData(GradCheckMethod.ComplexStep)]
    public void Wrong_gradient_is_caught_and_the_component_named(GradCheckMethod method)
    {
        GradCheckReport report = method switch
        {
            GradCheckMethod.CentralDifference => GradCheck.CentralDifference(F, WrongAtThree, Point),
            GradCheckMethod.ForwardDifference => GradCheck.ForwardDifference(F, WrongAtThree, Point),
            _ => GradCheck.ComplexStep(ComplexF, WrongAtThree, Point),
        };

        Assert.False(report.Passed);
        Assert.Equal(1, report.FailureCount);
        Assert.Equal(3, report.WorstAbsoluteIndex);
        Assert.Equal(3, report.WorstRelativeIndex);
        Assert.False(report.Components[3].Passed);
        Assert.True(report.Components[2].Passed);
        Assert.Equal(0.01 / 1.01, report.WorstRelativeError, 4);

        var thrown = Assert.Throws<GradCheckException>(report.ThrowIfFailed);
        Assert.Contains("∂f/∂x[3]: analytic", thrown.Message);
        Assert.DoesNotContain("x[2]", thrown.Message);
        Assert.Same(report, thrown.Report);
    }

    [Fact]
    public void Message_shows_both_values_and_custom_names()
    {
        GradCheckReport compared = GradCheck.Compare(GradCheckMethod.CentralDifference, new[] { 1.0, 1.2 }, new[] { 1.0, 1.5 }, 1e-6, 1e-8);
        GradCheckReport report = compared with { FunctionName = "loss", VariableName = "w" };
        Assert.Contains("∂loss/∂w[1]: analytic 1.2 vs numeric 1.5", report.Message);
        Assert.Equal(1, report.WorstAbsoluteIndex);
        Assert.Equal(0.3, report.WorstAbsoluteError, 12);
    }

    [Fact]
    public void NaN_fails()
    {
        GradCheckReport report = GradCheck.Compare(GradCheckMethod.ComplexStep, new[] { 1.0, double.NaN }, new[] { 1.0, 2.0 }, 1e-6, 1e-8);
        Assert.False(report.Passed);
        Assert.Equal(1, report.WorstAbsoluteIndex);
    }

    [Fact]
    public void Steps_follow_the_stated_rules()
    {
        Oracles.AssertClose(Math.Cbrt(Math.Pow(2, -52)), GradCheck.CentralStep(0.5), 1e-15, 0, "central step at 0.5");
        Oracles.AssertClose(Math.Cbrt(Math.Pow(2, -52)) * 100.0, GradCheck.CentralStep(-100.0), 1e-15, 0, "central step at -100");
        Oracles.AssertClose(Math.Sqrt(Math.Pow(2, -52)) * 100.0, GradCheck.ForwardStep(100.0), 1e-15, 0, "forward step at 100");
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentNullException>("f", () => GradCheck.CentralDifference(null!, Gradient, Point));
        Assert.Throws<ArgumentNullException>("gradient", () => GradCheck.CentralDifference(F, (GradientFunction)null!, Point));
        Assert.Throws<ArgumentNullException>("f", () => GradCheck.ComplexStep(null!, new double[5], Point));
        Assert.Throws<ArgumentException>("analyticGradient", () => GradCheck.CentralDifference(F, Point, new double[4]));
        Assert.Throws<ArgumentException>("analyticGradient", () => GradCheck.ForwardDifference(F, Point, new double[6]));
        Assert.Throws<ArgumentException>("x", () => GradCheck.CentralDifference(F, ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>("gradient", () => GradCheck.CentralDifferenceGradient(F, Point, new double[2]));
        Assert.Throws<ArgumentException>("numeric", () => GradCheck.Compare(GradCheckMethod.ComplexStep, new double[2], new double[3], 1e-6, 0));
        Assert.Throws<ArgumentException>("relativeTolerance", () => GradCheck.Compare(GradCheckMethod.ComplexStep, new double[2], new double[2], -1, 0));
    }
}
