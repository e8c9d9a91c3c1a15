extern alias generator;

using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Benchmarks;

/// <summary>
/// Generator time in the IDE's situation (issue 8, build item 4): a project of 200 [Differentiable]
/// methods, one per file, generated from scratch, and regenerated after one method's body is edited
/// (the driver keeps its incremental state from the previous run, as the IDE's does). Target for the
/// edit: under 50 ms.
/// </summary>
public class GeneratorBenchmarks
{
    private const int MethodCount = 200;
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);
    private CSharpCompilation _project = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    /// <summary>A mix of the shapes users write: expression bodies, locals and branches, and a loop over a span.</summary>
    private static string Source(int k) => (k % 3) switch
    {
        0 => $"using System;\nusing DiffGen;\n\npublic static partial class Model{k}\n{{\n    [Differentiable]\n    public static double F{k}(double x, double y) => Math.Sin(x * {k}) * y + Math.Exp(-x * x) / (1.0 + y * y);\n}}\n",
        1 => $"using System;\nusing DiffGen;\n\npublic static partial class Model{k}\n{{\n    [Differentiable]\n    public static double F{k}(double x, double y)\n    {{\n        double a = x * y + {k};\n        if (a > 0)\n        {{\n            a = Math.Log(1.0 + a * a);\n        }}\n\n        return a * Math.Tanh(x - y);\n    }}\n}}\n",
        _ => $"using System;\nusing DiffGen;\n\npublic static partial class Model{k}\n{{\n    [Differentiable]\n    public static double F{k}(ReadOnlySpan<double> x, double w)\n    {{\n        double s = 0;\n        for (int i = 0; i < x.Length; i++)\n        {{\n            s += Math.Sin(w * x[i] + {k});\n        }}\n\n        return s;\n    }}\n}}\n",
    };

    private static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(new[] { new generator::DiffGen.Generator.DifferentiableGenerator().AsSourceGenerator() }, parseOptions: Parse);

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("DiffGen.", StringComparison.Ordinal))
            .Append(typeof(DifferentiableAttribute).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        _project = CSharpCompilation.Create("Project",
            Enumerable.Range(0, MethodCount).Select(k => CSharpSyntaxTree.ParseText(Source(k), Parse, path: $"Model{k}.cs")),
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warm = Driver().RunGenerators(_project);
        if (_warm.GetRunResult().GeneratedTrees.Length != MethodCount)
        {
            throw new InvalidOperationException($"expected {MethodCount} generated files, got {_warm.GetRunResult().GeneratedTrees.Length}");
        }

        // The edit: one method's body, as a keystroke would change it.
        var tree = _project.SyntaxTrees.First(t => t.FilePath == "Model100.cs");
        var text = tree.GetText();
        int at = text.ToString().IndexOf("+ 100", StringComparison.Ordinal);
        _edited = _project.ReplaceSyntaxTree(tree, tree.WithChangedText(text.Replace(at, "+ 100".Length, "+ 101")));
    }

    /// <summary>A full build: a new driver generates all 200 methods.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullBuild() => Driver().RunGenerators(_project);

    /// <summary>One method edited: the driver that already generated the project runs on the edited compilation.</summary>
    [Benchmark]
    public GeneratorDriver OneMethodEdit() => _warm.RunGenerators(_edited);
}
