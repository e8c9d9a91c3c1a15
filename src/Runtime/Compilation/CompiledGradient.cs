using System;

namespace DiffGen.Compilation;

/// <summary>
/// The value and gradient of a scalar function of n variables, compiled from an expression graph
/// (<see cref="GraphCompiler.CompileGradient"/>). <see cref="Evaluate"/> allocates nothing and is
/// thread-safe: many threads may evaluate one instance at once.
/// </summary>
public sealed class CompiledGradient
{
    private readonly GraphKernel _kernel;

    internal CompiledGradient(GraphKernel kernel, int variableCount, string backend)
    {
        _kernel = kernel;
        VariableCount = variableCount;
        Backend = backend;
    }

    /// <summary>n: the length of the input vector and of the gradient.</summary>
    public int VariableCount { get; }

    /// <summary>The name of the backend that compiled it (<see cref="GraphBackend.Name"/>).</summary>
    public string Backend { get; }

    /// <summary>The raw kernel: returns f(x) and writes ∂f/∂xᵢ to rest[i], without checking lengths.</summary>
    public GraphKernel Kernel => _kernel;

    /// <summary>
    /// Returns f(x) and overwrites <paramref name="gradient"/> with ∇f(x) = (∂f/∂x₀, …, ∂f/∂xₙ₋₁),
    /// in the order of the variable list the function was compiled with.
    /// </summary>
    /// <param name="x">The variables' values; length <see cref="VariableCount"/>.</param>
    /// <param name="gradient">Receives the gradient; length <see cref="VariableCount"/>.</param>
    /// <exception cref="ArgumentException">A length is not <see cref="VariableCount"/> (the message names the parameter).</exception>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (x.Length != VariableCount)
        {
            throw new ArgumentException($"Expected {VariableCount} variable values, got {x.Length}.", nameof(x));
        }

        if (gradient.Length != VariableCount)
        {
            throw new ArgumentException($"Expected a gradient of length {VariableCount}, got {gradient.Length}.", nameof(gradient));
        }

        return _kernel(x, gradient);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CompiledGradient({VariableCount} variables, {Backend})";
}
