using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>The pipeline caches: unrelated edits leave every tracked step Cached or Unchanged.</summary>
public class IncrementalTests
{
    private const string Model = """
        using System;
        using DiffGen;

        public static partial class Model
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Sin(x) * y;

            public static int Unrelated() => 1;
        }
        """;

    private static readonly string[] Steps = { TrackingNames.Methods, TrackingNames.Models, TrackingNames.Diagnostics };

    private static void AssertAllCached(GeneratorDriverRunResult run)
    {
        var steps = run.Results.Single().TrackedSteps;
        foreach (var name in Steps)
        {
            if (!steps.TryGetValue(name, out var runs))
            {
                continue;
            }

            foreach (var step in runs)
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
                }
            }
        }

        foreach (var (_, reason) in run.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {reason}");
        }
    }

    [Fact]
    public void Adding_an_unrelated_file_keeps_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Single(driver.GetRunResult().GeneratedTrees);
        Assert.True(driver.GetRunResult().Results.Single().TrackedSteps.ContainsKey(TrackingNames.Models));

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Other { public static int G() => 2; }", GeneratorHarness.ParseOptions, path: "Other.cs"));
        driver = driver.RunGenerators(edited);
        AssertAllCached(driver.GetRunResult());
    }

    [Fact]
    public void Editing_an_unrelated_method_keeps_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var newTree = tree.WithChangedText(tree.GetText().Replace(Model.IndexOf("=> 1;", StringComparison.Ordinal), "=> 1;".Length, "=> 1 + 41;"));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, newTree));
        var run = driver.GetRunResult();
        Assert.Single(run.GeneratedTrees);
        AssertAllCached(run);
    }

    [Fact]
    public void Editing_the_method_regenerates_it()
    {
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var newTree = tree.WithChangedText(tree.GetText().Replace(Model.IndexOf("Math.Sin(x)", StringComparison.Ordinal), "Math.Sin(x)".Length, "Math.Cos(x)"));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, newTree));
        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }

    /// <summary>
    /// Editing one of 200 methods re-lowers and re-emits that method only: the models and the emitted
    /// sources of the 199 others are Cached, in separate files and in one file alike. Their parse step
    /// is re-run and reported Unchanged, not Cached: Roslyn's ForAttributeWithMetadataName combines
    /// every file's attributed nodes with the compilation, so any edit re-runs its transform for every
    /// attributed method. The transform then returns the result it kept instead of lowering again
    /// (ParseCache; ParseCacheTests count the lowerings).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Editing_one_of_200_methods_regenerates_that_method_only(bool separateFiles)
    {
        const int count = 200;
        string Method(int k) => $"    [Differentiable]\n    public static double F{k}(double x, double y) => Math.Sin(x * {k}) * y;\n";
        var sources = separateFiles
            ? Enumerable.Range(0, count).Select(k => $"using System;\nusing DiffGen;\n\npublic static partial class Model{k}\n{{\n{Method(k)}}}\n").ToArray()
            : new[] { "using System;\nusing DiffGen;\n\npublic static partial class Model\n{\n" + string.Concat(Enumerable.Range(0, count).Select(Method)) + "}\n" };
        var compilation = GeneratorHarness.Compilation(sources);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Equal(count, driver.GetRunResult().GeneratedTrees.Length);

        var tree = compilation.SyntaxTrees.First(t => t.ToString().Contains("x * 100)", StringComparison.Ordinal));
        int at = tree.ToString().IndexOf("x * 100)", StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(at, "x * 100)".Length, "x * 101)"))));
        var result = driver.GetRunResult().Results.Single();

        IncrementalStepRunReason[] Reasons(IImmutableDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> steps, string name) =>
            steps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        var models = Reasons(result.TrackedSteps, TrackingNames.Models);
        Assert.Equal(1, models.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(count - 1, models.Count(r => r == IncrementalStepRunReason.Cached));
        var outputs = Reasons(result.TrackedOutputSteps, "SourceOutput");
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(count - 1, outputs.Count(r => r == IncrementalStepRunReason.Cached));
        var parsed = Reasons(result.TrackedSteps, TrackingNames.Methods);
        Assert.Equal(1, parsed.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(count - 1, parsed.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Microsoft.CodeAnalysis.Compilation), typeof(SemanticModel), typeof(Location), typeof(IOperation),
    };

    /// <summary>Walks every field reachable from the model types (generic arguments included) and fails on a Roslyn object.</summary>
    [Fact]
    public void Models_hold_no_symbols_syntax_compilations_or_locations()
    {
        var seen = new HashSet<Type>();
        var work = new Stack<(Type Type, string Path)>();
        work.Push((typeof(MethodResult), nameof(MethodResult)));
        int walked = 0;
        while (work.Count > 0)
        {
            var (type, path) = work.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type.IsPointer)
            {
                continue;
            }

            walked++;
            foreach (var forbidden in Forbidden)
            {
                Assert.False(forbidden.IsAssignableFrom(type), $"{path} is a {forbidden.Name}");
            }

            if (type.IsArray)
            {
                work.Push((type.GetElementType()!, path + "[]"));
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
            {
                work.Push((argument, $"{path}<{argument.Name}>"));
            }

            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType)
            {
                continue;
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    work.Push((field.FieldType, path + "." + field.Name));
                }
            }
        }

        Assert.True(walked > 8, "the walk reached " + walked + " types");
        Assert.Contains(typeof(MethodModel), seen);
        Assert.Contains(typeof(DiagnosticInfo), seen);
    }
}
