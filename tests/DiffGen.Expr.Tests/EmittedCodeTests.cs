using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using DiffGen.Expr;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Expr.Tests;

/// <summary>The C# that the emitter prints is compiled with Roslyn and run: it must give the interpreter's numbers.</summary>
public class EmittedCodeTests
{
    private const int Graphs = 1000;

    [Fact]
    public void Emitted_value_and_gradient_of_random_graphs_equal_the_interpreter_bit_for_bit()
    {
        var cases = Gen.Sample(Arbitraries.Cases(), Graphs, 10);
        var source = new StringBuilder();
        source.Append("public static class Emitted\n{\n");
        for (int k = 0; k < cases.Length; k++)
        {
            var (g, f, vars) = cases[k].Build();
            var grad = Derivatives.Gradient(f, vars);
            var names = new NameBuilder(new[] { "x", "gradient" });
            var emitter = new CSharpEmitter(v => $"x[{v.Index}]", names);
            source.Append($"    public static double F{k}(double[] x, double[] gradient)\n    {{\n");
            var assignments = new List<Assignment> { new("double value", f) };
            for (int i = 0; i < grad.Length; i++)
            {
                assignments.Add(new Assignment($"gradient[{i}]", grad[i]));
            }

            emitter.Emit(source, assignments);
            source.Append("        return value;\n    }\n");
        }

        source.Append("}\n");
        var type = Compile(source.ToString()).GetType("Emitted")!;

        for (int k = 0; k < cases.Length; k++)
        {
            var c = cases[k];
            var (_, f, vars) = c.Build();
            var grad = Derivatives.Gradient(f, vars);
            var expected = new double[grad.Length + 1];
            new Schedule(new[] { f }.Concat(grad).ToArray(), vars).Evaluate(c.Point, expected);

            var gradient = new double[vars.Length];
            double value = (double)type.GetMethod("F" + k)!.Invoke(null, new object[] { c.Point, gradient })!;
            Assert.True(BitEqual(expected[0], value), $"{c}: value {expected[0]:R} vs emitted {value:R}");
            for (int i = 0; i < gradient.Length; i++)
            {
                Assert.True(BitEqual(expected[i + 1], gradient[i]), $"{c}: ∂f/∂x{i} {expected[i + 1]:R} vs emitted {gradient[i]:R}");
            }
        }
    }

    [Fact]
    public void Emitted_complex_code_equals_the_complex_interpreter()
    {
        var cases = Gen.Sample(Arbitraries.Cases(), 200, 10);
        var source = new StringBuilder("using System.Numerics;\npublic static class EmittedComplex\n{\n");
        for (int k = 0; k < cases.Length; k++)
        {
            var (_, f, _) = cases[k].Build();
            var emitter = new CSharpEmitter(v => $"x[{v.Index}]", new NameBuilder(new[] { "x" }), complex: true);
            source.Append($"    public static Complex F{k}(Complex[] x)\n    {{\n");
            emitter.Emit(source, new[] { new Assignment("value", f, declare: true) });
            source.Append("        return value;\n    }\n");
        }

        source.Append("}\n");
        var type = Compile(source.ToString()).GetType("EmittedComplex")!;
        for (int k = 0; k < cases.Length; k++)
        {
            var c = cases[k];
            var (_, f, vars) = c.Build();
            var z = c.Point.Select((p, i) => new System.Numerics.Complex(p, i == 0 ? 1e-20 : 0)).ToArray();
            var expected = new System.Numerics.Complex[1];
            new Schedule(new[] { f }, vars).Evaluate(z, expected);
            var actual = (System.Numerics.Complex)type.GetMethod("F" + k)!.Invoke(null, new object[] { z })!;
            // Equal as numbers; the sign of a zero imaginary part may differ (Complex + double keeps −0, Complex + Complex does not).
            Assert.True(SameNumber(expected[0].Real, actual.Real) && SameNumber(expected[0].Imaginary, actual.Imaginary), $"{c}: {expected[0]} vs {actual}");
        }
    }

    [Fact]
    public void Shared_subexpressions_are_computed_once_and_named_by_the_name_builder()
    {
        var g = new Graph();
        var (x, y) = (g.Var("x"), g.Var("y"));
        var e = g.Exp(x * y);
        var f = e * e + g.Sin(e);
        var grad = Derivatives.Gradient(f, new[] { x, y });
        var code = new StringBuilder();
        var emitter = new CSharpEmitter(v => v.Name!, new NameBuilder(new[] { "x", "y" }));
        emitter.Emit(code, new[] { new Assignment("value", f), new Assignment("dx", grad[0]), new Assignment("dy", grad[1]) });
        string text = code.ToString();

        Assert.Equal(1, Count(text, "global::System.Math.Exp("));
        Assert.Contains("double _t0 = ", text);
        Assert.DoesNotContain("_t0 = _t0", text);
    }

    [Fact]
    public void Literals_are_invariant_round_trip_and_typed_as_double()
    {
        Assert.Equal("1.0", CSharpLiteral.Of(1.0));
        Assert.Equal("-0.5", CSharpLiteral.Of(-0.5));
        Assert.Equal("1E-20d", CSharpLiteral.Of(1e-20));
        Assert.Equal("0.1", CSharpLiteral.Of(0.1));
        Assert.Equal("-0.0", CSharpLiteral.Of(-0.0));
        Assert.Equal("double.NaN", CSharpLiteral.Of(double.NaN));
        Assert.Equal("double.NegativeInfinity", CSharpLiteral.Of(double.NegativeInfinity));
        Assert.Equal(0.1 + 0.2, double.Parse(CSharpLiteral.Of(0.1 + 0.2), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Name_builder_never_reuses_a_taken_name()
    {
        var names = new NameBuilder(new[] { "_t0", "_d_x" });
        Assert.Equal("_t1", names.Temp());
        Assert.Equal("_d_x1", names.Adjoint("x"));
        Assert.Equal("_d_y", names.Adjoint("y"));
        Assert.Equal("_d_y1", names.Adjoint("y"));
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static bool SameNumber(double a, double b) => a == b || (double.IsNaN(a) && double.IsNaN(b));

    private static bool BitEqual(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    internal static Assembly Compile(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(Graph).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Emitted" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: false));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10));
            throw new Xunit.Sdk.XunitException("Emitted code does not compile:\n" + errors);
        }

        return Assembly.Load(stream.ToArray());
    }
}
