using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Deeply nested statements on the compiler's 1 MB stack (issue 8, item 7): the C# compiler's operation tree of
/// the body and the statement passes recurse once per level, and a few hundred nested ifs or loops once overflowed
/// the stack and killed the compiler process. Deep bodies now run on a stack of their own: up to DG0017's cap
/// (500 levels) they generate, past it they get DG0017 at the first statement too deep.
/// </summary>
public class DeepNestingTests
{
    private const int CompilerStack = 1024 * 1024;

    /// <summary>Runs the generator on a thread with the compiler's 1 MB stack.</summary>
    private static (GeneratorDriverRunResult Result, Microsoft.CodeAnalysis.Compilation Output) RunOnCompilerStack(string source)
    {
        (GeneratorDriverRunResult, Microsoft.CodeAnalysis.Compilation) result = default;
        var thread = new Thread(() => result = GeneratorHarness.Run(GeneratorHarness.Compilation(source)), CompilerStack);
        thread.Start();
        thread.Join();
        return result;
    }

    private static string SpanMethod(string body) =>
        "using System;\nusing DiffGen;\npublic static partial class Deep\n{\n    [Differentiable] public static double F(ReadOnlySpan<double> x)\n    {\n"
        + body + "    }\n}\n\npublic static class Thunk\n{\n    public static double Gradient(double[] x, double[] dx) => Deep.FGradient(x, dx);\n}\n";

    [Fact]
    public void Five_hundred_nested_ifs_in_a_span_method_generate_on_a_1_MB_stack()
    {
        // At DG0017's cap; on the 1 MB stack the operation tree alone overflowed from about 350 levels.
        const int depth = 500;
        string open = "if (x[0] > -5.0) {\n";
        string body = "        double y = x[0];\n" + string.Concat(Enumerable.Repeat(open, depth))
            + "y = y * x[1];\n" + new string('}', depth) + "\n        return y;\n";
        var (result, output) = RunOnCompilerStack(SpanMethod(body));
        Assert.Empty(result.Diagnostics);
        double[] x = { 1.5, -2.0 };
        var dx = new double[2];
        var gradient = GeneratorHarness.Load(output).GetType("Thunk")!.GetMethod("Gradient")!;
        var value = (double)gradient.Invoke(null, new object[] { x, dx })!;
        Assert.Equal(-3.0, value);
        Assert.Equal(new[] { -2.0, 1.5 }, dx);
    }

    [Fact]
    public void A_span_method_inlining_a_callee_with_500_nested_ifs_generates_on_a_1_MB_stack()
    {
        // The caller is flat and comes first; the callee it inlines (a span method inlines its calls) is 500 levels deep.
        string callee = "    [Differentiable] public static double G(double a, double b)\n    {\n        double y = a;\n"
            + string.Concat(Enumerable.Repeat("if (a > -5.0) {\n", 500)) + "y = y * b;\n" + new string('}', 500) + "\n        return y;\n    }\n";
        string source = SpanMethod("        return G(x[0], x[1]) + x[0];\n").Replace("}\n\npublic static class Thunk", callee + "}\n\npublic static class Thunk", StringComparison.Ordinal);
        var (result, output) = RunOnCompilerStack(source);
        Assert.Empty(result.Diagnostics);
        double[] x = { 1.5, -2.0 };
        var dx = new double[2];
        var value = (double)GeneratorHarness.Load(output).GetType("Thunk")!.GetMethod("Gradient")!.Invoke(null, new object[] { x, dx })!;
        Assert.Equal(-3.0 + 1.5, value);
        Assert.Equal(new[] { -2.0 + 1.0, 1.5 }, dx);
    }

    [Fact]
    public void An_else_if_chain_of_1000_gets_DG0017_at_the_first_statement_too_deep_on_a_1_MB_stack()
    {
        string chain = string.Join(" else ", Enumerable.Range(0, 1000).Select(k => $"if (x[0] > {k}) {{ y = y * {k}; }}"));
        string source = SpanMethod("        double y = x[1];\n        " + chain + "\n        return y;\n");
        var (result, _) = RunOnCompilerStack(source);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("DG0017", d.Id);
        Assert.Contains("more than 500 levels", d.GetMessage());
        // Each else-if nests one level: the first statement past the cap is the body of the chain's 501st branch.
        Assert.StartsWith("y = y * 500;", source.Substring(d.Location.SourceSpan.Start), StringComparison.Ordinal);
    }
}
