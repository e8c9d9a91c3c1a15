using System;
using System.Numerics;

namespace DiffGen;

/// <summary>A scalar function f: ℝⁿ → ℝ of the point x.</summary>
public delegate double ScalarFunction(ReadOnlySpan<double> x);

/// <summary>A gradient: writes ∂f/∂xᵢ into <paramref name="gradient"/>[i] for the point x.</summary>
public delegate void GradientFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>The same function over complex numbers (for example a generated <c>Complex</c> overload), for complex-step checks.</summary>
public delegate Complex ComplexScalarFunction(ReadOnlySpan<Complex> x);

/// <summary>How the numeric reference gradient was computed.</summary>
public enum GradCheckMethod
{
    /// <summary>(f(x + heᵢ) − f(x − heᵢ))/2h with h = ∛ε·max(1, |xᵢ|): error O(h²).</summary>
    CentralDifference,

    /// <summary>(f(x + heᵢ) − f(x))/h with h = √ε·max(1, |xᵢ|): error O(h).</summary>
    ForwardDifference,

    /// <summary>Im f(x + iheᵢ)/h with h = 1e-20: no subtraction, so accurate to rounding.</summary>
    ComplexStep,
}
