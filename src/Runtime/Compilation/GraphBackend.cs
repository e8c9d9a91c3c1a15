using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Compilation;

/// <summary>
/// Turns the outputs of an expression graph into a <see cref="GraphKernel"/>. Two backends exist:
/// <see cref="ExpressionTrees"/> (System.Linq.Expressions, in this assembly, the default) and
/// <c>RoslynBackend</c> (the C# of <see cref="CSharpEmitter"/> compiled in memory, in the separate
/// package DiffGen.Runtime.Roslyn so that the runtime does not carry Roslyn). Both call the same
/// <see cref="Math"/> and <see cref="Primitives"/> methods as <see cref="OpTable"/>, so their results
/// equal the <see cref="Schedule"/> interpreter's bit for bit.
/// </summary>
public abstract class GraphBackend
{
    /// <summary>System.Linq.Expressions, the default: about 10 ms to compile a 430-node gradient, no extra dependency.</summary>
    public static GraphBackend ExpressionTrees { get; } = new ExpressionTreeBackend();

    /// <summary>A short name for messages and benchmark tables.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Compiles <paramref name="outputs"/> over <paramref name="variables"/> without caching (see
    /// <see cref="GraphCompiler"/> for the cached entry points).
    /// </summary>
    /// <param name="outputs">At least one node, all of one graph.</param>
    /// <param name="variables">Distinct variables of that graph: every variable the outputs use must be listed; position i reads inputs[i].</param>
    /// <exception cref="ArgumentException">No outputs, outputs of several graphs, a listed node that is not a variable (or listed twice), or a variable used but not listed.</exception>
    /// <exception cref="NotSupportedException">The graph calls an external function (<see cref="Op.Call"/>), which has no run-time implementation.</exception>
    public GraphKernel CreateKernel(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables)
    {
        var inputIndex = GraphValidation.Validate(outputs, variables);
        return Build(outputs, variables, inputIndex);
    }

    /// <summary>
    /// Differentiates <paramref name="f"/> with respect to <paramref name="variables"/> by reverse mode
    /// (<see cref="Derivatives.Gradient"/>) and compiles value and gradient, without caching.
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="variables">The variables, in the order of the input vector and of the gradient.</param>
    /// <exception cref="ArgumentException">As <see cref="CreateKernel"/>.</exception>
    public CompiledGradient CompileGradient(Node f, IReadOnlyList<Node> variables)
    {
        ArgumentNullException.ThrowIfNull(f);

        // Validate before differentiating, so a missing variable is reported as such.
        GraphValidation.Validate(new[] { f }, variables);
        var gradient = Derivatives.Gradient(f, variables);
        var outputs = new Node[gradient.Length + 1];
        outputs[0] = f;
        Array.Copy(gradient, 0, outputs, 1, gradient.Length);
        return new CompiledGradient(CreateKernel(outputs, variables), variables.Count, Name);
    }

    /// <summary>Compiles several outputs into one function, without caching.</summary>
    /// <param name="outputs">The outputs, in the order they are written.</param>
    /// <param name="variables">The variables, in the order of the input vector.</param>
    /// <exception cref="ArgumentException">As <see cref="CreateKernel"/>.</exception>
    public CompiledFunction Compile(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables) =>
        new(CreateKernel(outputs, variables), variables.Count, outputs.Count, Name);

    /// <summary>Builds the kernel of a validated graph.</summary>
    /// <param name="outputs">At least one node, all of one graph.</param>
    /// <param name="variables">The variables in input order.</param>
    /// <param name="inputIndex">The input position of each listed variable (keyed by identity).</param>
    protected abstract GraphKernel Build(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables, IReadOnlyDictionary<Node, int> inputIndex);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
