using System;

namespace DiffGen;

/// <summary>
/// Marks a method whose derivatives DiffGen generates at build time: <c>{Name}Gradient</c>
/// (reverse mode), <c>{Name}Tangent</c> (forward mode), a <see cref="System.Numerics.Complex"/>
/// overload for complex-step checks and, with <see cref="Hessian"/>, <c>{Name}Hessian</c>.
/// The containing type must be <c>partial</c>.
/// </summary>
/// <remarks>
/// The members come from the DiffGen source generator, which the <c>DiffGen</c> package brings along
/// (analyzers/dotnet/cs). If <c>…Gradient</c> is missing (CS0117), the generator is not running: a plain
/// reference to DiffGen.Runtime.dll brings no generator, and a compiler older than Roslyn 4.14 cannot load
/// it (the package then reports DG0100 at this attribute).
/// </remarks>
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
