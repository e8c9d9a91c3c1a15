using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>Runs the generator on in-memory sources with CSharpGeneratorDriver, compiles and loads the result.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    {
        // The platform, plus the runtime and its helpers that generated code calls; not the symbolic engine
        // (generated code must not need it), the generator itself (it carries its own copy of the engine's
        // types) nor the test assemblies.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("DiffGen.", StringComparison.Ordinal)).ToList();
        paths.Add(typeof(DiffGen.DifferentiableAttribute).Assembly.Location);
        paths.Add(Path.Combine(AppContext.BaseDirectory, "DiffGen.Primitives.dll"));
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(sources, References);

    public static CSharpCompilation Compilation(IEnumerable<string> sources, IEnumerable<MetadataReference> references, string name = "Tests") =>
        CSharpCompilation.Create(name,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: i == 0 ? "Source.cs" : $"Source{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release));

    public static GeneratorDriver Driver(bool track = true) =>
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs the generator; returns its result and the compilation with the generated sources.</summary>
    public static (GeneratorDriverRunResult Result, Microsoft.CodeAnalysis.Compilation Output) Run(Microsoft.CodeAnalysis.Compilation compilation)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    public static ImmutableArray<Diagnostic> GeneratorDiagnostics(string source) =>
        Run(Compilation(source)).Result.Diagnostics;

    /// <summary>Compiles, fails on any error or any warning in generated code, and loads the assembly in a collectible context.</summary>
    public static Assembly Load(Microsoft.CodeAnalysis.Compilation output)
    {
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        var problems = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error
            || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated", isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
