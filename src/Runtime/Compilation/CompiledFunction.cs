using System;

namespace DiffGen.Compilation;

/// <summary>
/// Several outputs of an expression graph over n variables, compiled into one straight-line function
/// (<see cref="GraphCompiler.Compile"/>): shared subexpressions are computed once for all outputs.
/// <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/> allocates nothing and is thread-safe.
/// </summary>
public sealed class CompiledFunction
{
    private readonly GraphKernel _kernel;

    internal CompiledFunction(GraphKernel kernel, int inputCount, int outputCount, string backend)
    {
        _kernel = kernel;
        InputCount = inputCount;
        OutputCount = outputCount;
        Backend = backend;
    }

    /// <summary>The length of the input vector (the variable list).</summary>
    public int InputCount { get; }

    /// <summary>The number of outputs.</summary>
    public int OutputCount { get; }

    /// <summary>The name of the backend that compiled it (<see cref="GraphBackend.Name"/>).</summary>
    public string Backend { get; }

    /// <summary>The raw kernel: returns output 0 and writes output i to rest[i − 1], without checking lengths.</summary>
    public GraphKernel Kernel => _kernel;

    /// <summary>Writes outputᵢ(x) to <paramref name="outputs"/>[i] for every output.</summary>
    /// <param name="x">The variables' values; length <see cref="InputCount"/>.</param>
    /// <param name="outputs">Receives the outputs; length <see cref="OutputCount"/>.</param>
    /// <exception cref="ArgumentException">A length does not match (the message names the parameter).</exception>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> outputs)
    {
        if (x.Length != InputCount)
        {
            throw new ArgumentException($"Expected {InputCount} input values, got {x.Length}.", nameof(x));
        }

        if (outputs.Length != OutputCount)
        {
            throw new ArgumentException($"Expected room for {OutputCount} outputs, got {outputs.Length}.", nameof(outputs));
        }

        outputs[0] = _kernel(x, outputs.Slice(1));
    }

    /// <summary>The value of a function compiled with a single output.</summary>
    /// <param name="x">The variables' values; length <see cref="InputCount"/>.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> does not match.</exception>
    /// <exception cref="InvalidOperationException">The function has more than one output.</exception>
    public double Evaluate(ReadOnlySpan<double> x)
    {
        if (OutputCount != 1)
        {
            throw new InvalidOperationException($"The function has {OutputCount} outputs; pass a span to receive them.");
        }

        if (x.Length != InputCount)
        {
            throw new ArgumentException($"Expected {InputCount} input values, got {x.Length}.", nameof(x));
        }

        return _kernel(x, Span<double>.Empty);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CompiledFunction({InputCount} inputs, {OutputCount} outputs, {Backend})";
}
