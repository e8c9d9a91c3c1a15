using DiffGen.Expr;

namespace DiffGen.Generator.Models;

/// <summary>How a parameter takes part in differentiation.</summary>
internal enum ParameterKind
{
    /// <summary>A <c>double</c> input: differentiated.</summary>
    Differentiable,
    /// <summary>A <c>[NoDiff] double</c>: read as a constant, no output.</summary>
    NoDiff,
    /// <summary>An <c>int</c>: a size or a count, never differentiated.</summary>
    Int,
    /// <summary>The <c>Span&lt;double&gt;</c> output of a vector-output method (void, writes the span): no input, gets a Jacobian row per element.</summary>
    Output,
}

/// <summary>How a parameter is passed: a scalar, a <c>ReadOnlySpan&lt;double&gt;</c> or a <c>double[]</c>.</summary>
internal enum ParameterShape
{
    /// <summary>A <c>double</c> or <c>int</c>.</summary>
    Scalar,
    /// <summary>A <c>ReadOnlySpan&lt;double&gt;</c> (read only).</summary>
    Span,
    /// <summary>A <c>double[]</c> (read only).</summary>
    Array,
}

/// <summary>One parameter of the source method.</summary>
internal sealed record ParameterModel(string Name, ParameterKind Kind, ParameterShape Shape = ParameterShape.Scalar)
{
    /// <summary>True for span and array parameters.</summary>
    public bool IsArray => Shape != ParameterShape.Scalar;
}

/// <summary>A type that contains the method (outermost first): how to re-open it as a partial declaration.</summary>
internal sealed record TypeModel(string Keyword, string Name, string TypeParameters, bool IsStatic);

/// <summary>
/// What the generated members are computed from: one of two closed cases, never both, never neither.
/// Both give the same member set; only how their bodies are printed differs.
/// </summary>
internal abstract record MethodBody
{
    private MethodBody()
    {
    }

    /// <summary>
    /// A loop-free scalar method: its return value as one expression DAG of DiffGen.Expr (immutable,
    /// structurally equatable), parameters as variables, control flow as selects, short loops unrolled.
    /// Calls of other [Differentiable] methods stay calls of their generated <c>…Gradient</c>.
    /// </summary>
    /// <param name="Value">The return value.</param>
    /// <param name="SecondOrder">
    /// The value the second-order members (<c>…HessianVector</c>, <c>…Hessian</c>) differentiate twice:
    /// <paramref name="Value"/> itself when it calls nothing, else the same value with every call inlined
    /// (a callee's generated code has first derivatives only). Null when a callee cannot be inlined, or a
    /// hand-written rule ([CustomGradient]) is called, and no Hessian was asked for: then there is no <c>…HessianVector</c> (with <c>Hessian = true</c> the
    /// method gets the callee's diagnostic instead).
    /// </param>
    public sealed record Expression(Node Value, Node? SecondOrder) : MethodBody;

    /// <summary>
    /// A method with span or array parameters, stack arrays or loops that do not unroll: structured
    /// statements (a <see cref="DiffGen.Expr.Procedure"/>) in which loops stay loops and calls are inlined (calls of layers stay calls).
    /// <paramref name="FirstOrderOnly"/>: it calls methods with hand-written rules, or layers (vector-output methods, whose
    /// products are called as <see cref="DiffGen.Expr.Invoke"/> statements), so there is no <c>…HessianVector</c>.
    /// </summary>
    public sealed record Statements(Procedure Procedure, bool FirstOrderOnly = false) : MethodBody;
}

/// <summary>Everything the emitter needs for one [Differentiable] method, as plain, value-equatable data.</summary>
internal sealed record MethodModel(
    string HintName,
    string? Namespace,
    EquatableArray<TypeModel> ContainingTypes,
    string Name,
    string Accessibility,
    bool IsStatic,
    string Virtuality,
    string HessianVirtuality,
    EquatableArray<ParameterModel> Parameters,
    bool Hessian,
    string SourceFile,
    int FirstLine,
    int LastLine,
    MethodBody Body)
{
    /// <summary>True for a float method: its members take, return and compute in float (see Parsing/Precision).</summary>
    public bool Single { get; init; }

    /// <summary>
    /// True when the members carry [SkipLocalsInit]: the user's compilation allows unsafe code and defines the
    /// attribute. A zeroed stackalloc followed by calls of Math functions can run many times slower (BENCHMARKS.md).
    /// </summary>
    public bool SkipsLocalsInit { get; init; }
}

/// <summary>The result of parsing one method: a model when it lowers, and the diagnostics found.</summary>
internal sealed record MethodResult(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
