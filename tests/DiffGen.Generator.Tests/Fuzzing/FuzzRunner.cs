using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests.Fuzzing;

/// <summary>Counts per outcome and per DG id, and the failures, of a fuzzing run.</summary>
public sealed class FuzzReport
{
    private readonly object _gate = new();

    public SortedDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> DiagnosticIds { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> KindsChecked { get; } = new(StringComparer.Ordinal);
    public List<string> Failures { get; } = new();
    public List<string> KnownOpen { get; } = new();
    public int Bodies { get; private set; }

    public void Count(string outcome, FuzzCase c)
    {
        lock (_gate)
        {
            Bodies++;
            Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
            KindsChecked[c.Kind] = KindsChecked.GetValueOrDefault(c.Kind) + 1;
        }
    }

    public void CountDiagnostic(string id)
    {
        lock (_gate)
        {
            DiagnosticIds[id] = DiagnosticIds.GetValueOrDefault(id) + 1;
        }
    }

    /// <summary>A failure, unless the case uses a construct on the known-open list: then it is listed apart.</summary>
    public void Fail(FuzzCase? c, string seed, string what)
    {
        string text = c is null ? $"[{seed}] {what}" : $"[{seed}] {c.Name} ({c.Kind}): {what}\n{c.Source()}";
        string? known = c is null ? null : KnownOpenDefects.Covering(c, what);
        lock (_gate)
        {
            (known is null ? Failures : KnownOpen).Add(known is null ? text : $"{known} — {text}");
        }
    }

    public string Summary()
    {
        var s = new StringBuilder();
        s.AppendLine($"generator fuzzer: {Bodies} bodies; failures {Failures.Count}; known-open (on the lists below) {KnownOpen.Count}");
        s.AppendLine("  known-open by defect: " + string.Join(", ", KnownOpen.GroupBy(k => k.Split(" — ")[0]).Select(g => $"{g.Key}: {g.Count()}")));
        s.AppendLine("  outcomes: " + string.Join(", ", Outcomes.Select(kv => $"{kv.Key} {kv.Value}")));
        s.AppendLine("  DG ids: " + string.Join(", ", DiagnosticIds.Select(kv => $"{kv.Key} {kv.Value}")));
        s.AppendLine("  kinds: " + string.Join(", ", KindsChecked.Select(kv => $"{kv.Key} {kv.Value}")));
        return s.ToString();
    }
}

/// <summary>
/// Runs the generator on a batch of fuzz cases at once (one compilation, one driver run, on a thread
/// with the compiler's 1 MB stack), attributes every diagnostic to the case whose source span holds
/// it, compiles the generated code with adapters, loads it in a collectible context, and checks each
/// generated case: value bit for bit against the primal, gradient and tangent against complex step.
/// </summary>
public static class FuzzRunner
{
    private const double H = 1e-20;
    private const double Tolerance = 1e-9;
    private const int DriverStack = 1024 * 1024;

    // Fast to compile: doc comments not parsed (their crefs are checked by the snapshot tests), no optimizer
    // (floating-point semantics are the same IL either way). Every warning wave is on: any warning in a
    // generated file fails the case, as it fails a consumer built with warnings as errors.
    private static readonly CSharpParseOptions FastParse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.None);

    private static readonly CSharpCompilationOptions FastCompile = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Debug, warningLevel: 9999);

    private const string Usings = "using System;\nusing System.Linq;\nusing DiffGen;\n\n";

    /// <summary>[NoDiff] data for either overload: the Complex one may take it as doubles or as complex numbers.</summary>
    private const string DataSpan =
        "public sealed class DataSpan\n{\n    private static readonly double[] Values = { 0.25, -1.5, 2.0, 0.5 };\n"
        + "    private static readonly Complex[] Complexes = { 0.25, -1.5, 2.0, 0.5 };\n"
        + "    public static implicit operator ReadOnlySpan<double>(DataSpan _) => Values;\n"
        + "    public static implicit operator ReadOnlySpan<Complex>(DataSpan _) => Complexes;\n}\n\n";

    private const string Support =
        "public sealed class Scaler\n{\n    public static double Counter;\n\n    public double Scale(double v) => 2.0 * v;\n}\n";

    public static void RunBatch(IReadOnlyList<FuzzCase> cases, string seed, FuzzReport report)
    {
        var source = new StringBuilder(Usings).Append("public static partial class Batch\n{\n");
        var spans = new List<(int Start, int End)>();
        foreach (var c in cases)
        {
            int start = source.Length;
            source.Append(c.Source()).Append('\n');
            spans.Add((start, source.Length));
        }

        source.Append("}\n\n").Append(Support);
        var compilation = CSharpCompilation.Create("Fuzz" + cases[0].Name,
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), FastParse, path: "Source.cs") }, GeneratorHarness.References, FastCompile);

        GeneratorDriverRunResult? result = null;
        Microsoft.CodeAnalysis.Compilation? output = null;
        Exception? driverError = null;
        var thread = new Thread(() =>
        {
            try
            {
                var driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: FastParse)
                    .RunGeneratorsAndUpdateCompilation(compilation, out output, out _);
                result = driver.GetRunResult();
            }
            catch (Exception e)
            {
                driverError = e;
            }
        }, DriverStack);
        thread.Start();
        thread.Join();
        if (driverError is not null || result is null || output is null)
        {
            foreach (var c in cases)
            {
                report.Count("driver failure", c);
                report.Fail(c, seed, "the generator driver threw: " + driverError);
            }

            return;
        }

        if (result.Results.FirstOrDefault().Exception is { } thrown)
        {
            foreach (var c in cases)
            {
                report.Count("generator exception", c);
                report.Fail(c, seed, "the generator threw (all of its output is lost): " + thrown);
            }

            return;
        }

        // Generators report file locations (they cannot keep syntax trees in cached models): match by path and span.
        int CaseAt(Location location) =>
            location.Kind is LocationKind.SourceFile or LocationKind.ExternalFile && location.GetLineSpan().Path == "Source.cs"
                ? spans.FindIndex(s => location.SourceSpan.Start >= s.Start && location.SourceSpan.Start < s.End)
                : -1;

        var diagnosed = new Dictionary<int, List<Diagnostic>>();
        foreach (var d in result.Diagnostics)
        {
            int index = CaseAt(d.Location);
            var c = index >= 0 ? cases[index] : null;
            if (!d.Id.StartsWith("DG", StringComparison.Ordinal))
            {
                // CS8784/CS8785 (a generator failed) or anything else the driver reports
                report.Fail(c, seed, $"the driver reported {d}");
                continue;
            }

            if (d.Id == "DG9999" || index < 0)
            {
                report.Fail(c, seed, d.Id == "DG9999" ? $"internal error: {d}" : $"unlocated diagnostic: {d}");
            }

            if (index >= 0 && d.Severity == DiagnosticSeverity.Error)
            {
                (diagnosed.TryGetValue(index, out var list) ? list : diagnosed[index] = new List<Diagnostic>()).Add(d);
            }
        }

        var generatedFiles = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
            .ToLookup(t => CaseOfFile(t.FilePath));
        var toCheck = new List<int>();
        for (int k = 0; k < cases.Count; k++)
        {
            var c = cases[k];
            if (diagnosed.TryGetValue(k, out var list))
            {
                var ids = list.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
                ids.ForEach(report.CountDiagnostic);
                report.Count("diagnosed (" + string.Join("+", ids) + ")", c);
                if (c.MustGenerate)
                {
                    report.Fail(c, seed, "supported code was rejected: " + string.Join("; ", list));
                }
            }
            else if (!generatedFiles[c.Name].Any(t => Path.GetFileName(t.FilePath) == $"Batch.{c.Name}.g.cs"))
            {
                report.Count("dropped without a diagnostic", c);
                report.Fail(c, seed, "no members were generated and no DG was reported");
            }
            else
            {
                toCheck.Add(k);
            }
        }

        CompileAndCheck(cases, toCheck, output, generatedFiles, seed, report);
    }

    /// <summary>The case a generated file belongs to: "Batch.M12.g.cs" and "Batch.M12Callee.g.cs" → "M12".</summary>
    private static string CaseOfFile(string path) => Regex.Match(Path.GetFileName(path), @"\.(M\d+)").Groups[1].Value;

    private static void CompileAndCheck(IReadOnlyList<FuzzCase> cases, List<int> toCheck, Microsoft.CodeAnalysis.Compilation output,
        ILookup<string, SyntaxTree> generatedFiles, string seed, FuzzReport report)
    {
        var byName = cases.ToDictionary(c => c.Name);
        var live = new HashSet<string>(toCheck.Select(k => cases[k].Name));
        var removed = new List<SyntaxTree>();
        void Reject(Diagnostic d, string owner, bool thunk)
        {
            if (!live.Remove(owner))
            {
                return;
            }

            var c = byName[owner];
            string what = thunk ? "the generated members do not have the documented signatures"
                : d.Severity == DiagnosticSeverity.Error ? "error in a generated file" : "warning in a generated file";
            report.Count(what, c);
            report.Fail(c, seed, $"{what}: {d}\n{string.Join("\n", generatedFiles[owner].Select(t => t.ToString()))}");
            if (d.Severity == DiagnosticSeverity.Error)
            {
                removed.AddRange(generatedFiles[owner]);
            }
        }

        // Syntax errors cost nothing to find: drop those files before the (expensive) emit.
        foreach (var tree in generatedFiles.SelectMany(g => g))
        {
            if (tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } syntaxError)
            {
                Reject(syntaxError, CaseOfFile(tree.FilePath), thunk: false);
            }
        }

        for (int attempt = 0; attempt < 4; attempt++)
        {
            var thunks = new StringBuilder("using System;\nusing System.Numerics;\n\n").Append(DataSpan);
            var thunkSpans = new List<(string Name, int Start, int End)>();
            foreach (var name in live)
            {
                int start = thunks.Length;
                thunks.Append(byName[name].Thunks());
                thunkSpans.Add((name, start, thunks.Length));
            }

            var thunkTree = CSharpSyntaxTree.ParseText(thunks.ToString(), FastParse, path: "Thunks.cs");
            var compilation = output.RemoveSyntaxTrees(removed.Distinct()).AddSyntaxTrees(thunkTree);
            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            var problems = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)).ToList();
            foreach (var d in problems)
            {
                string file = d.Location.SourceTree?.FilePath ?? "";
                if (file == "Source.cs")
                {
                    throw new InvalidOperationException($"The fuzz grammar wrote C# that does not compile ({seed}): {d}\n{d.Location.SourceTree!.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start)}");
                }

                Reject(d, file == "Thunks.cs"
                    ? thunkSpans.First(s => d.Location.SourceSpan.Start >= s.Start && d.Location.SourceSpan.Start < s.End).Name
                    : CaseOfFile(file), thunk: file == "Thunks.cs");
            }

            if (emit.Success)
            {
                stream.Position = 0;
                var context = new AssemblyLoadContext("fuzz", isCollectible: true);
                try
                {
                    var assembly = context.LoadFromStream(stream);
                    foreach (var name in live)
                    {
                        bool mapped = generatedFiles[name].Any(t => t.ToString().Contains("LoopKernels.Lanes", StringComparison.Ordinal));
                        Check(byName[name], assembly.GetType(name + "Thunk")!, seed, report, mapped);
                    }
                }
                finally
                {
                    context.Unload();
                }

                return;
            }
        }

        foreach (var name in live)
        {
            report.Count("not compiled", byName[name]);
            report.Fail(byName[name], seed, "the batch did not compile after removing the broken cases");
        }
    }

    private static void Check(FuzzCase c, Type thunk, string seed, FuzzReport report, bool mapped)
    {
        var value = thunk.GetMethod("Value")!.CreateDelegate<Func<double[], double>>();
        var gradient = thunk.GetMethod("Gradient")!.CreateDelegate<Func<double[], double[], double>>();
        var tangent = thunk.GetMethod("Tangent")!.CreateDelegate<TangentThunk>();
        var complex = thunk.GetMethod("Complex")!.CreateDelegate<Func<Complex[], Complex>>();
        int n = c.InputCount;
        double[] x = c.Point;
        double primal, gradientValue, tangentValue, tangentOut;
        var g = new double[n];
        try
        {
            primal = value(x);
        }
        catch (Exception)
        {
            report.Count("generated (primal throws at the point)", c);
            return;
        }

        try
        {
            gradientValue = gradient(x, g);
            tangentValue = tangent(x, c.Direction, out tangentOut);
        }
        catch (Exception e)
        {
            report.Count("generated member threw", c);
            report.Fail(c, seed, "a generated member threw where the primal did not: " + e);
            return;
        }

        bool signOfZeroOnly = false, tensorRounding = false, mapRounding = false;
        if (!SameBits(primal, gradientValue) || !SameBits(primal, tangentValue))
        {
            // The one difference the simplifier documents: the sign of a zero result (x + 0 at x = −0,
            // −(x − x), a masked branch times a negative factor). Counted apart, never hidden.
            signOfZeroOnly = primal == 0 && gradientValue == 0 && tangentValue == 0;
            // The other, documented in the README: TensorPrimitives' vectorized Sin, Sigmoid, … round differently
            // from the Math functions its lowered loops call, by an ulp or so.
            tensorRounding = c.Features.Contains("tensor-primitives")
                && Math.Abs(primal - gradientValue) <= 1e-14 * Math.Max(1.0, Math.Abs(primal))
                && Math.Abs(primal - tangentValue) <= 1e-14 * Math.Max(1.0, Math.Abs(primal));
            // And the element-wise maps' (README): exp, tanh and log over whole slices and sums in vector lanes, within 1e−12.
            mapRounding = mapped
                && Math.Abs(primal - gradientValue) <= 1e-12 * Math.Max(1.0, Math.Abs(primal))
                && Math.Abs(primal - tangentValue) <= 1e-12 * Math.Max(1.0, Math.Abs(primal));
        }

        if (!signOfZeroOnly && !tensorRounding && !mapRounding && (!SameBits(primal, gradientValue) || !SameBits(primal, tangentValue)))
        {
            report.Count("mismatch (value)", c);
            report.Fail(c, seed, $"{ValueMismatch}{primal:R} of the method, {gradientValue:R} of Gradient, {tangentValue:R} of Tangent (must be bit for bit equal)");
            return;
        }

        var z = x.Select(v => new Complex(v, 0)).ToArray();
        Complex at = complex(z);
        var steps = new double[n];
        bool branchFlipped = false;
        for (int i = 0; i < n; i++)
        {
            z[i] = new Complex(x[i], H);
            Complex stepped = complex(z);
            steps[i] = stepped.Imaginary / H;
            branchFlipped |= !Close(stepped.Real, at.Real);
            z[i] = x[i];
        }

        Complex alongValue = complex(x.Select((v, i) => new Complex(v, H * c.Direction[i])).ToArray());
        var along = alongValue.Imaginary / H;
        branchFlipped |= !Close(alongValue.Real, at.Real);
        if (!double.IsFinite(primal) || !steps.All(double.IsFinite) || !double.IsFinite(along))
        {
            report.Count("generated (not finite at the point)", c);
            return;
        }

        // Complex step perturbs the real part by O(h²): at an exact tie of a comparison (x[i] = 0 against
        // 0 / y) that can take the other branch, and its real part then differs from f(x). The oracle
        // does not apply there; counted apart, and the unperturbed value is still checked below.
        if (branchFlipped && Close(primal, at.Real))
        {
            report.Count("generated (complex step takes another branch at a tie)", c);
            return;
        }

        var wrong = new List<string>();
        if (!Close(primal, at.Real))
        {
            wrong.Add($"Complex overload value {at.Real:R} vs {primal:R}");
        }

        for (int i = 0; i < n; i++)
        {
            if (!Close(steps[i], g[i]))
            {
                wrong.Add($"∂/∂input{i} = {g[i]:R}, complex step {steps[i]:R}");
            }
        }

        if (!Close(along, tangentOut))
        {
            wrong.Add($"tangent {tangentOut:R}, complex step along the direction {along:R}");
        }

        if (wrong.Count > 0 && EqualsAOneSidedDerivative(complex, x, c.Direction, g, tangentOut))
        {
            // x sits on a tie of a comparison or a kink (a coordinate drawn as exactly 0): the derivative
            // there is a convention, and it must be one of the one-sided ones. Counted apart.
            report.Count("generated and checked (at a tie: equals a one-sided derivative)", c);
            return;
        }

        if (wrong.Count > 0)
        {
            report.Count("mismatch (derivative)", c);
            report.Fail(c, seed, $"{DerivativeMismatch}{string.Join(", ", x)}), direction ({string.Join(", ", c.Direction)}): {string.Join("; ", wrong)}");
            return;
        }

        report.Count(signOfZeroOnly ? "generated and checked (value differs only in the sign of zero)"
            : tensorRounding ? "generated and checked (value differs by TensorPrimitives' own rounding)" : "generated and checked", c);
    }

    /// <summary>True for the failures of <see cref="Check"/> that report wrong numbers (value or derivatives).</summary>
    public static bool IsNumericMismatch(string failure) =>
        failure.StartsWith(ValueMismatch, StringComparison.Ordinal) || failure.StartsWith(DerivativeMismatch, StringComparison.Ordinal);

    private const string ValueMismatch = "value ";
    private const string DerivativeMismatch = "at (";

    public delegate double TangentThunk(double[] x, double[] t, out double tangent);

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    /// <summary>
    /// True when the gradient and tangent at <paramref name="x"/> equal complex step's at a point a
    /// relative 1e−7 to one side of it along <paramref name="direction"/>, where no tie holds: the
    /// derivative at a tie is then one of the one-sided derivatives, as every convention requires.
    /// </summary>
    private static bool EqualsAOneSidedDerivative(Func<Complex[], Complex> complex, double[] x, double[] direction, double[] g, double tangent)
    {
        foreach (double side in new[] { 1.0, -1.0 })
        {
            var near = x.Select((v, i) => v + side * 1e-7 * (1 + Math.Abs(v)) * direction[i]).ToArray();
            var z = near.Select(v => new Complex(v, 0)).ToArray();
            bool all = true;
            for (int i = 0; i < x.Length && all; i++)
            {
                z[i] = new Complex(near[i], H);
                all = Math.Abs(complex(z).Imaginary / H - g[i]) <= 1e-5 * Math.Max(1, Math.Abs(g[i]));
                z[i] = near[i];
            }

            double along = complex(near.Select((v, i) => new Complex(v, H * direction[i])).ToArray()).Imaginary / H;
            if (all && Math.Abs(along - tangent) <= 1e-5 * Math.Max(1, Math.Abs(tangent)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= Tolerance * Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
}
