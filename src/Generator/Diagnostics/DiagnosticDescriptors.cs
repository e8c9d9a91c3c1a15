using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic of the generator, in one table. Each message names the construct that is not
/// supported and says what to write instead; each id has a page under <c>docs/diagnostics/</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "DiffGen";
    private const string HelpBase = "https://github.com/diffgen/diffgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor TypeNotPartial = Make(
        "DG0001", "The containing type must be partial",
        "Type '{0}' contains the [Differentiable] method '{1}' but is not partial; declare it 'partial' so the generated members can be added to it");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Make(
        "DG0002", "Unsupported parameter type",
        "Parameter '{0}' has type '{1}', which [Differentiable] methods do not support; use 'double' or 'float', 'ReadOnlySpan<double>' or 'double[]' (differentiated unless [NoDiff]) or 'int' (a constant), passed by value");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Make(
        "DG0003", "Unsupported return type",
        "Method '{0}' returns '{1}'; a [Differentiable] method must return 'double' or 'float', or return 'void' and write its values into one 'Span<double>' parameter");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Make(
        "DG0004", "Unsupported statement",
        "The {0} statement is not supported in a [Differentiable] method; {1}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Make(
        "DG0005", "Unsupported expression",
        "The expression '{0}' is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor NoKnownDerivative = Make(
        "DG0006", "Call with no known derivative",
        "'{0}' has no known derivative; mark it [Differentiable] (its generated gradient is then reused), or call a System.Math function or a DiffGen.Nn.Activations function instead");

    public static readonly DiagnosticDescriptor Recursion = Make(
        "DG0007", "Recursive call",
        "'{0}' calls itself (through '{1}'); recursion cannot be differentiated at compile time: write the computation as a loop with constant bounds");

    public static readonly DiagnosticDescriptor AssignmentToParameterOrField = Make(
        "DG0008", "Assignment to a parameter or field",
        "'{0}' is a {1} and cannot be assigned in a [Differentiable] method; copy it into a local ('double v = {0};') and assign the local");

    // DG0009 and DG0010 are retired (loops that do not unroll are kept as loops); their ids stay reserved.

    public static readonly DiagnosticDescriptor HessianNeedsCalleeSource = Make(
        "DG0011", "Hessian through a call without source",
        "The Hessian of '{0}' needs the second derivatives of '{1}', whose source is not in this compilation; remove Hessian = true or move '{1}' into this project");

    public static readonly DiagnosticDescriptor UnsupportedMethod = Make(
        "DG0012", "Unsupported method",
        "[Differentiable] method '{0}' is {1}; mark a non-generic, non-async method of a partial type that has a body (block or expression)");

    public static readonly DiagnosticDescriptor UnsupportedLoop = Make(
        "DG0013", "Unsupported loop shape",
        "This loop is not supported: {0}; write 'for (int i = start; i < end; i++)' (or '<=', 'i += 1', or counting down with 'i--') with int bounds that the body does not change, or 'foreach (var v in x)' over a span or array");

    public static readonly DiagnosticDescriptor UnsupportedLocalSpan = Make(
        "DG0014", "Unsupported local span",
        "The local span '{0}' is not supported: {1}; declare it at the top level of the method as 'Span<double> {0} = stackalloc double[length];'");

    public static readonly DiagnosticDescriptor WriteToInput = Make(
        "DG0015", "Write to an input span or array",
        "'{0}' is an input of the [Differentiable] method and cannot be written; copy it into a local 'Span<double> copy = stackalloc double[{0}.Length];' and write the copy");

    public static readonly DiagnosticDescriptor CallNotInlinable = Make(
        "DG0016", "Call cannot be inlined",
        "'{0}' cannot be inlined into '{1}': {2}; inline its body by hand, or call [Differentiable] methods with double and int parameters whose loops have constant bounds of at most 1000 iterations");

    public static readonly DiagnosticDescriptor NestedTooDeeply = Make(
        "DG0017", "Body nested too deeply",
        "The body of '{0}' is nested too deeply to differentiate: {1}; split it into locals or several [Differentiable] methods, or use fewer early returns");

    public static readonly DiagnosticDescriptor OverrideNotDifferentiable = Make(
        "DG0018", "Override of a [Differentiable] method without the attribute",
        "'{0}' overrides the [Differentiable] method '{1}' but is not marked [Differentiable], so its generated members would be the base method's and give the wrong gradient for this type; mark the override [Differentiable]");

    public static readonly DiagnosticDescriptor UnsupportedVectorOutput = Make(
        "DG0019", "Unsupported vector output",
        "'{0}' has the Span<double> output '{1}': {2}; a vector-output method returns void and writes exactly one 'Span<double>' parameter (return the other values as elements of it)");

    public static readonly DiagnosticDescriptor OutParameter = Make(
        "DG0020", "Output through an out or ref parameter",
        "Parameter '{0}' is passed by '{1}'; [Differentiable] methods take their inputs by value: return one double, or make the method void and write its outputs into one 'Span<double>' parameter");

    public static readonly DiagnosticDescriptor OutputReadBeforeWritten = Make(
        "DG0021", "Output read before it is written",
        "'{0}' reads the output '{1}' before writing it, so its values would depend on what the caller left in the span; write '{1}[i] = …' first (compute into a local or a 'stackalloc' span and copy it into '{1}')");

    public static readonly DiagnosticDescriptor VectorOutputHessian = Make(
        "DG0022", "Hessian of a vector-output method",
        "'{0}' writes the vector output '{1}', which has a Jacobian but no Hessian; remove Hessian = true (for second derivatives, differentiate a scalar method such as the dot product of '{1}' with fixed weights)");

    public static readonly DiagnosticDescriptor CustomRuleMissing = Make(
        "DG0023", "Custom rule's gradient method not found",
        "The custom rule of '{0}' names '{1}', but '{2}' has no method of that name; add 'static {3}' to '{2}' and name it with nameof");

    public static readonly DiagnosticDescriptor CustomRuleSignature = Make(
        "DG0024", "Custom rule's gradient method has the wrong signature",
        "The custom rule of '{0}' names '{1}', which {2}; declare it exactly as 'static {3}' (the parameters of '{0}', then one 'out double' per double parameter without [NoDiff], returning the value)");

    public static readonly DiagnosticDescriptor CustomRuleUnsupportedFunction = Make(
        "DG0025", "Unsupported method for a custom rule",
        "'{0}' cannot have a custom rule: {1}; a custom rule goes on a static, non-generic method returning double whose parameters are double or int, passed by value");

    public static readonly DiagnosticDescriptor SecondOrderThroughCustomRule = Make(
        "DG0026", "Second derivatives through a custom rule",
        "The Hessian of '{0}' needs second derivatives of '{1}', whose custom rule gives first derivatives only; remove Hessian = true (the gradient, tangent and complex overload are generated), or write '{1}' as a [Differentiable] method without the rule");

    public static readonly DiagnosticDescriptor SecondOrderThroughLayer = Make(
        "DG0027", "Second derivatives through a layer call",
        "The Hessian of '{0}' needs second derivatives of '{1}', whose generated derivatives, which the code generated for '{0}' calls, are first derivatives only; remove Hessian = true (the gradient, tangent and complex overload are generated), or write the body of '{1}' into '{0}'");

    public static readonly DiagnosticDescriptor LayerOutputAliasesInput = Make(
        "DG0028", "Layer output overlaps an input",
        "The call of '{0}' writes its output into '{1}', which the same call also reads through '{2}'; the products need the inputs as they were at the call: write the output into another span (a local 'stackalloc' span)");

    public static readonly DiagnosticDescriptor UnsupportedLayerCall = Make(
        "DG0029", "Unsupported layer call",
        "'{0}' in the call of '{1}' is not supported: {2}");

    public static readonly DiagnosticDescriptor MixedPrecision = Make(
        "DG0030", "Mixed float and double arithmetic",
        "'{0}' computes in {1} inside a [Differentiable] method that computes in {2}; {3}");
    public static readonly DiagnosticDescriptor SecondOrderThroughLoopCallee = Make(
        "DG0032", "Second derivatives through a callee whose loop is kept",
        "The Hessian of '{0}' needs second derivatives of '{1}', taken by inlining its body, and '{1}' (or a method it calls) cannot be inlined: it has a loop with a runtime bound or more than 1000 iterations, or another construct that does not inline, and a call gives first derivatives only; move the loop into '{0}' itself (loops of the method are kept as loops and differentiated twice), or remove Hessian = true (the gradient and tangent call the generated gradient of '{1}')");

    public static readonly DiagnosticDescriptor InternalError = Make(
        "DG9999", "Internal error in the DiffGen generator",
        "DiffGen could not generate code for '{0}': {1}; please report this, with the method, at https://github.com/diffgen/diffgen/issues");

    private static readonly Dictionary<string, DiagnosticDescriptor> Table = Build();

    public static IEnumerable<DiagnosticDescriptor> All => Table.Values;

    public static DiagnosticDescriptor? ById(string id) => Table.TryGetValue(id, out var d) ? d : null;

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var all = new[]
        {
            TypeNotPartial, UnsupportedParameterType, UnsupportedReturnType, UnsupportedStatement,
            UnsupportedExpression, NoKnownDerivative, Recursion, AssignmentToParameterOrField,
            HessianNeedsCalleeSource, UnsupportedMethod, UnsupportedLoop, UnsupportedLocalSpan,
            WriteToInput, CallNotInlinable, NestedTooDeeply, OverrideNotDifferentiable, InternalError,
            UnsupportedVectorOutput, OutParameter, OutputReadBeforeWritten, VectorOutputHessian,
            CustomRuleMissing, CustomRuleSignature, CustomRuleUnsupportedFunction, SecondOrderThroughCustomRule,
            SecondOrderThroughLayer, LayerOutputAliasesInput, UnsupportedLayerCall,
            MixedPrecision,
            SecondOrderThroughLoopCallee,
        };
        var table = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var d in all)
        {
            table.Add(d.Id, d);
        }

        return table;
    }

    private static DiagnosticDescriptor Make(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + id + ".md");
}
