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
/// Everything the emitter needs for one [Differentiable] method, as plain, value-equatable data. The
/// body is an expression DAG of DiffGen.Expr (immutable, structurally equatable): the method's return
/// value with parameters as variables, control flow as selects, loops unrolled. Methods with span or
/// array parameters or runtime loops carry a <see cref="DiffGen.Expr.Procedure"/> instead (their
/// <c>Value</c> is null): loops stay loops.
/// </summary>
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
    Node? Value,
    Node? HessianValue,
    Procedure? Procedure = null);

/// <summary>The result of parsing one method: a model when it lowers, and the diagnostics found.</summary>
internal sealed record MethodResult(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
