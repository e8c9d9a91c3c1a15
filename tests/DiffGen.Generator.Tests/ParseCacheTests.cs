using System;
using System.Linq;
using DiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>
/// The parse step reuses a method's result when nothing it depends on changed (<see cref="ParseCache"/>):
/// an edit lowers the edited method again, and the methods whose result it can change, and no other.
/// Counted by the lowerings this thread ran; each test's type names are its own, so that no other test
/// can have lowered the same methods. Every reuse is checked against lowering everything again.
/// </summary>
public class ParseCacheTests
{
    private static string Method(string prefix, int k) =>
        $"    [Differentiable]\n    public static double {prefix}{k}(double x, double y) => Math.Sin(x * {k}) * y;\n";

    private static CSharpCompilation Project(string prefix, int count, bool separateFiles) =>
        GeneratorHarness.Compilation(separateFiles
            ? Enumerable.Range(0, count).Select(k => $"using System;\nusing DiffGen;\n\npublic static partial class {prefix}Model{k}\n{{\n{Method(prefix, k)}}}\n").ToArray()
            : new[] { $"using System;\nusing DiffGen;\n\npublic static partial class {prefix}Model\n{{\n" + string.Concat(Enumerable.Range(0, count).Select(k => Method(prefix, k))) + "}\n" });

    /// <summary>Runs <paramref name="driver"/> on <paramref name="compilation"/>; returns the new driver and how many methods it lowered.</summary>
    private static (GeneratorDriver Driver, int Lowered) Run(GeneratorDriver driver, Microsoft.CodeAnalysis.Compilation compilation)
    {
        int before = ParseCache.LoweredOnThisThread;
        driver = driver.RunGenerators(compilation);
        return (driver, ParseCache.LoweredOnThisThread - before);
    }

    private static Microsoft.CodeAnalysis.Compilation Replace(Microsoft.CodeAnalysis.Compilation compilation, string find, string replacement)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(find, StringComparison.Ordinal));
        int at = tree.ToString().IndexOf(find, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(at, find.Length, replacement)));
    }

    /// <summary>
    /// The generated sources and diagnostics equal those of a run that lowers every method again (a new
    /// declaration changes what every method can bind to, so nothing is reused).
    /// </summary>
    private static void AssertSameAsLoweringAgain(GeneratorDriver driver, Microsoft.CodeAnalysis.Compilation compilation, string prefix)
    {
        var reused = driver.GetRunResult();
        var fresh = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"public static class {prefix}Fresh {{ }}", GeneratorHarness.ParseOptions, path: "Fresh.cs"));
        var (again, lowered) = Run(GeneratorHarness.Driver(), fresh);
        var expected = again.GetRunResult();
        Assert.Equal(expected.GeneratedTrees.Length, lowered);
        Assert.Equal(expected.GeneratedTrees.Select(t => t.ToString()), reused.GeneratedTrees.Select(t => t.ToString()));
        Assert.Equal(expected.Diagnostics.Select(d => d.ToString()), reused.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_edit_of_one_of_200_method_bodies_lowers_that_method_only(bool separateFiles)
    {
        string prefix = "Edit" + (separateFiles ? "Files" : "File");
        var compilation = Project(prefix, 200, separateFiles);
        var (driver, lowered) = Run(GeneratorHarness.Driver(), compilation);
        Assert.Equal(200, lowered);

        var edited = Replace(compilation, "x * 100)", "x * 101)");
        (driver, lowered) = Run(driver, edited);
        Assert.Equal(1, lowered);
        Assert.Contains("101", driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains(prefix + "100", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
        AssertSameAsLoweringAgain(driver, edited, prefix);
    }

    /// <summary>Methods after an edit that moves them are lowered again: their diagnostics and line comments say where they are.</summary>
    [Fact]
    public void An_edit_that_moves_the_methods_after_it_lowers_those_again()
    {
        const string prefix = "Move";
        var compilation = Project(prefix, 20, separateFiles: false);
        var (driver, _) = Run(GeneratorHarness.Driver(), compilation);

        var edited = Replace(compilation, "x * 10)", "x * 10 * 1.5)");
        var (after, lowered) = Run(driver, edited);
        Assert.Equal(10, lowered); // methods 10 to 19
        AssertSameAsLoweringAgain(after, edited, prefix);
    }

    /// <summary>A caller that inlines a callee (for its Hessian) depends on the callee's body, in another file.</summary>
    [Fact]
    public void An_edit_of_an_inlined_callee_lowers_its_caller_again()
    {
        var compilation = GeneratorHarness.Compilation(
            """
            using System;
            using DiffGen;

            public static partial class InlineCaller
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double y) => InlineCallee.G(x * y) + y;

                [Differentiable]
                public static double Unrelated(double x) => x * x;
            }
            """,
            """
            using System;
            using DiffGen;

            public static partial class InlineCallee
            {
                [Differentiable]
                public static double G(double u) => Math.Sin(u);
            }
            """);
        var (driver, lowered) = Run(GeneratorHarness.Driver(), compilation);
        Assert.Equal(3, lowered);
        string before = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains("InlineCaller.F", StringComparison.Ordinal)).ToString();

        var edited = Replace(compilation, "Math.Sin(u)", "Math.Exp(u)");
        (driver, lowered) = Run(driver, edited);
        Assert.Equal(2, lowered); // G, and F, whose Hessian inlines G; not Unrelated
        string after = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains("InlineCaller.F", StringComparison.Ordinal)).ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("Math.Exp", after, StringComparison.Ordinal);
        AssertSameAsLoweringAgain(driver, edited, "Inline");
    }

    /// <summary>An edit outside method bodies (here a constant the method folds) can change any method's binding: all are lowered again.</summary>
    [Fact]
    public void An_edit_of_a_declaration_lowers_every_method_again()
    {
        var compilation = GeneratorHarness.Compilation(
            """
            using System;
            using DiffGen;

            public static partial class DeclarationModel
            {
                [Differentiable]
                public static double F(double x) => DeclarationConstants.K * x * x;

                [Differentiable]
                public static double G(double x) => Math.Cos(x);
            }
            """,
            """
            public static class DeclarationConstants
            {
                public const double K = 2.5;
            }
            """);
        var (driver, _) = Run(GeneratorHarness.Driver(), compilation);

        var edited = Replace(compilation, "K = 2.5", "K = 4.25");
        var (after, lowered) = Run(driver, edited);
        Assert.Equal(2, lowered);
        Assert.Contains("4.25", after.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains("DeclarationModel.F", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
        AssertSameAsLoweringAgain(after, edited, "Declaration");
    }
}
