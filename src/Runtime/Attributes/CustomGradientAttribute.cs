using System;

namespace DiffGen;

/// <summary>
/// Gives a method's derivative by hand, for a function the generator cannot see into (an iterative
/// solver, a library call, a special function). A call of the marked method inside a
/// <see cref="DifferentiableAttribute"/> method is not differentiated: its value and partials come from
/// one call of the named gradient method, in reverse mode, forward mode and inside loops alike.
/// <code>
/// [CustomGradient(nameof(CubeRootGradient))]
/// public static double CubeRoot(double p, double q) => Bisection(p, q);
///
/// public static double CubeRootGradient(double p, double q, out double dp, out double dq) { … }
/// </code>
/// </summary>
/// <remarks>
/// Both methods are static and in the same type. The gradient method has exactly the signature DiffGen
/// generates for a gradient: the same parameters, then one <c>out double</c> per differentiable parameter,
/// in order (int and <see cref="NoDiffAttribute"/> parameters get none), and it returns the value. The
/// parameters are <c>double</c> or <c>int</c>. A rule gives first derivatives only: a Hessian through it is
/// reported (DG0025). Over <see cref="System.Numerics.Complex"/> (complex step) the generated code uses the
/// first-order continuation f(x + ih) = f(x) + i·Σ ∂ᵢf(x)·Im xᵢ, exact to rounding for h = 1e−20.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomGradientAttribute : Attribute
{
    /// <summary>Names the gradient method (write <c>nameof(…)</c>).</summary>
    /// <param name="gradientMethod">The name of a static method of the same type with the gradient signature.</param>
    public CustomGradientAttribute(string gradientMethod) => GradientMethod = gradientMethod;

    /// <summary>The name of the gradient method.</summary>
    public string GradientMethod { get; }
}
