using System;
using System.Numerics;
using DiffGen.Numerics;

namespace DiffGen;

/// <summary>
/// Checks a gradient against numeric references: central differences (step h = ∛ε·max(1, |xᵢ|),
/// which balances the O(h²) truncation error against the O(ε/h) rounding error), one-sided forward
/// differences (h = √ε·max(1, |xᵢ|), balancing O(h) against O(ε/h)), and the complex step
/// Im f(x + iheᵢ)/h with h = 1e-20, which subtracts nothing and is exact to rounding for analytic f.
/// The steps are rounded so that x ± h is exactly representable.
/// </summary>
public static class GradCheck
{
    /// <summary>The complex step h = 1e-20.</summary>
    public const double ComplexStepSize = 1e-20;

    /// <summary>Default relative tolerance for central differences.</summary>
    public const double CentralRelativeTolerance = 1e-6;

    /// <summary>Default absolute tolerance for central differences.</summary>
    public const double CentralAbsoluteTolerance = 1e-8;

    /// <summary>Default relative tolerance for forward differences.</summary>
    public const double ForwardRelativeTolerance = 1e-4;

    /// <summary>Default absolute tolerance for forward differences.</summary>
    public const double ForwardAbsoluteTolerance = 1e-6;

    /// <summary>Default relative tolerance for the complex step.</summary>
    public const double ComplexStepRelativeTolerance = 1e-10;

    /// <summary>Default absolute tolerance for the complex step.</summary>
    public const double ComplexStepAbsoluteTolerance = 1e-12;

    /// <summary>The central-difference step ∛ε·max(1, |x|), ε = 2⁻⁵².</summary>
    public static double CentralStep(double x) => Math.Cbrt(MachineEpsilon) * Math.Max(1.0, Math.Abs(x));

    /// <summary>The forward-difference step √ε·max(1, |x|), ε = 2⁻⁵².</summary>
    public static double ForwardStep(double x) => Math.Sqrt(MachineEpsilon) * Math.Max(1.0, Math.Abs(x));

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ))/(2hᵢ), hᵢ = <see cref="CentralStep"/>(xᵢ).</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty or gradient is not as long as x.</exception>
    public static void CentralDifferenceGradient(ScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequirePoint(x);
        RequireLength(x.Length, gradient.Length, nameof(gradient));
        double[] point = x.ToArray();
        for (int i = 0; i < point.Length; i++)
        {
            double xi = x[i];
            double h = CentralStep(xi);
            point[i] = xi + h;
            double plusArgument = point[i];
            double plus = f(point);
            point[i] = xi - h;
            double minusArgument = point[i];
            double minus = f(point);
            point[i] = xi;
            // Divide by the distance actually stepped, not by the nominal 2h.
            gradient[i] = (plus - minus) / (plusArgument - minusArgument);
        }
    }

    /// <summary>∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x))/hᵢ, hᵢ = <see cref="ForwardStep"/>(xᵢ).</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty or gradient is not as long as x.</exception>
    public static void ForwardDifferenceGradient(ScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequirePoint(x);
        RequireLength(x.Length, gradient.Length, nameof(gradient));
        double[] point = x.ToArray();
        double atX = f(point);
        for (int i = 0; i < point.Length; i++)
        {
            double xi = x[i];
            point[i] = xi + ForwardStep(xi);
            double stepped = point[i] - xi;
            double plus = f(point);
            point[i] = xi;
            gradient[i] = (plus - atX) / stepped;
        }
    }

    /// <summary>∂f/∂xᵢ ≈ Im f(x + i·h·eᵢ)/h with h = 1e-20 (f must be analytic in the direction eᵢ).</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty or gradient is not as long as x.</exception>
    public static void ComplexStepGradient(ComplexScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequirePoint(x);
        RequireLength(x.Length, gradient.Length, nameof(gradient));
        var point = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            point[i] = x[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            point[i] = new Complex(x[i], ComplexStepSize);
            gradient[i] = f(point).Imaginary / ComplexStepSize;
            point[i] = x[i];
        }
    }

    /// <summary>Checks <paramref name="analyticGradient"/> against central differences of f at x.</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty, lengths differ, or a tolerance is negative.</exception>
    public static GradCheckReport CentralDifference(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analyticGradient,
        double relativeTolerance = CentralRelativeTolerance, double absoluteTolerance = CentralAbsoluteTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireLength(x.Length, analyticGradient.Length, nameof(analyticGradient));
        Span<double> numeric = new double[x.Length];
        CentralDifferenceGradient(f, x, numeric);
        return Compare(GradCheckMethod.CentralDifference, analyticGradient, numeric, relativeTolerance, absoluteTolerance);
    }

    /// <summary>Checks the gradient delegate against central differences of f at x.</summary>
    /// <exception cref="ArgumentNullException">f or gradient is null.</exception>
    /// <exception cref="ArgumentException">x is empty or a tolerance is negative.</exception>
    public static GradCheckReport CentralDifference(ScalarFunction f, GradientFunction gradient, ReadOnlySpan<double> x,
        double relativeTolerance = CentralRelativeTolerance, double absoluteTolerance = CentralAbsoluteTolerance)
        => CentralDifference(f, x, Evaluate(gradient, x), relativeTolerance, absoluteTolerance);

    /// <summary>Checks <paramref name="analyticGradient"/> against forward differences of f at x.</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty, lengths differ, or a tolerance is negative.</exception>
    public static GradCheckReport ForwardDifference(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analyticGradient,
        double relativeTolerance = ForwardRelativeTolerance, double absoluteTolerance = ForwardAbsoluteTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireLength(x.Length, analyticGradient.Length, nameof(analyticGradient));
        Span<double> numeric = new double[x.Length];
        ForwardDifferenceGradient(f, x, numeric);
        return Compare(GradCheckMethod.ForwardDifference, analyticGradient, numeric, relativeTolerance, absoluteTolerance);
    }

    /// <summary>Checks the gradient delegate against forward differences of f at x.</summary>
    /// <exception cref="ArgumentNullException">f or gradient is null.</exception>
    /// <exception cref="ArgumentException">x is empty or a tolerance is negative.</exception>
    public static GradCheckReport ForwardDifference(ScalarFunction f, GradientFunction gradient, ReadOnlySpan<double> x,
        double relativeTolerance = ForwardRelativeTolerance, double absoluteTolerance = ForwardAbsoluteTolerance)
        => ForwardDifference(f, x, Evaluate(gradient, x), relativeTolerance, absoluteTolerance);

    /// <summary>Checks <paramref name="analyticGradient"/> against the complex step of f at x.</summary>
    /// <exception cref="ArgumentNullException">f is null.</exception>
    /// <exception cref="ArgumentException">x is empty, lengths differ, or a tolerance is negative.</exception>
    public static GradCheckReport ComplexStep(ComplexScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analyticGradient,
        double relativeTolerance = ComplexStepRelativeTolerance, double absoluteTolerance = ComplexStepAbsoluteTolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireLength(x.Length, analyticGradient.Length, nameof(analyticGradient));
        Span<double> numeric = new double[x.Length];
        ComplexStepGradient(f, x, numeric);
        return Compare(GradCheckMethod.ComplexStep, analyticGradient, numeric, relativeTolerance, absoluteTolerance);
    }

    /// <summary>Checks the gradient delegate against the complex step of f at x.</summary>
    /// <exception cref="ArgumentNullException">f or gradient is null.</exception>
    /// <exception cref="ArgumentException">x is empty or a tolerance is negative.</exception>
    public static GradCheckReport ComplexStep(ComplexScalarFunction f, GradientFunction gradient, ReadOnlySpan<double> x,
        double relativeTolerance = ComplexStepRelativeTolerance, double absoluteTolerance = ComplexStepAbsoluteTolerance)
        => ComplexStep(f, x, Evaluate(gradient, x), relativeTolerance, absoluteTolerance);

    /// <summary>
    /// Compares two gradients component by component: component i passes when
    /// |aᵢ − nᵢ| ≤ absoluteTolerance + relativeTolerance·max(|aᵢ|, |nᵢ|).
    /// </summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length, or a tolerance is negative or NaN.</exception>
    public static GradCheckReport Compare(GradCheckMethod method, ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric,
        double relativeTolerance, double absoluteTolerance)
    {
        if (analytic.IsEmpty)
        {
            throw new ArgumentException("The gradient must have at least one component.", nameof(analytic));
        }

        RequireLength(analytic.Length, numeric.Length, nameof(numeric));
        RequireTolerance(relativeTolerance, nameof(relativeTolerance));
        RequireTolerance(absoluteTolerance, nameof(absoluteTolerance));
        var components = new GradientComponent[analytic.Length];
        for (int i = 0; i < analytic.Length; i++)
        {
            double a = analytic[i];
            double n = numeric[i];
            double absolute = Math.Abs(a - n);
            double scale = Math.Max(Math.Abs(a), Math.Abs(n));
            double relative = absolute == 0 ? 0.0 : absolute / scale;
            // Written so that NaN anywhere fails; equal infinities pass.
            bool passed = a == n || absolute <= absoluteTolerance + relativeTolerance * scale;
            components[i] = new GradientComponent(i, a, n, absolute, relative, passed);
        }

        return new GradCheckReport(method, components, relativeTolerance, absoluteTolerance);
    }

    private static double[] Evaluate(GradientFunction gradient, ReadOnlySpan<double> x)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        var result = new double[x.Length];
        gradient(x, result);
        return result;
    }

    private static void RequirePoint(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException("The point must have at least one component.", nameof(x));
        }

        Require.Finite(x, nameof(x));
    }

    private static void RequireLength(int expected, int actual, string parameterName)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{parameterName} has {actual} components but x has {expected}.", parameterName);
        }
    }

    private static void RequireTolerance(double tolerance, string parameterName)
    {
        if (!(tolerance >= 0))
        {
            throw new ArgumentException($"{parameterName} must be a non-negative number; got {tolerance}.", parameterName);
        }
    }
}
