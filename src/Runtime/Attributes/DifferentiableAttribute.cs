using System;

namespace DiffGen;

/// <summary>
/// Marks a method whose derivatives DiffGen generates at build time: <c>{Name}Gradient</c>
/// (reverse mode), <c>{Name}Tangent</c> (forward mode), a <see cref="System.Numerics.Complex"/>
/// overload for complex-step checks and, with <see cref="Hessian"/>, <c>{Name}Hessian</c>.
/// The containing type must be <c>partial</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>Also generate <c>{Name}Hessian</c>, the dense row-major Hessian.</summary>
    public bool Hessian { get; set; }
}

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as a constant: it is read but
/// never differentiated, and gets no output in the generated members.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDiffAttribute : Attribute
{
}
