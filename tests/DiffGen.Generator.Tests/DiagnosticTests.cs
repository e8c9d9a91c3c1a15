using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>One test per DG id: the id, and the exact location of the offending construct.</summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\n";

    /// <summary>Runs the generator and asserts exactly one diagnostic, with <paramref name="id"/>, starting at <paramref name="at"/> (the first occurrence after <paramref name="after"/>).</summary>
    internal static Diagnostic Expect(string id, string body, string at, string after = "", params MetadataReference[] extra)
    {
        string source = Usings + body;
        var compilation = extra.Length == 0 ? GeneratorHarness.Compilation(source)
            : GeneratorHarness.Compilation(new[] { source }, GeneratorHarness.References.AddRange(extra));
        var diagnostics = GeneratorHarness.Run(compilation).Result.Diagnostics;
        var d = Assert.Single(diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal($"https://github.com/diffgen/diffgen/blob/main/docs/diagnostics/{id}.md", d.Descriptor.HelpLinkUri);

        int position = source.IndexOf(at, source.IndexOf(after, System.StringComparison.Ordinal) + after.Length, System.StringComparison.Ordinal);
        Assert.True(position >= 0, "marker not found: " + at);
        var expected = Microsoft.CodeAnalysis.Text.SourceText.From(source).Lines.GetLinePosition(position);
        var span = d.Location.GetLineSpan();
        Assert.Equal("Source.cs", span.Path);
        Assert.Equal(expected, span.StartLinePosition);
        Assert.StartsWith(at, source.Substring(d.Location.SourceSpan.Start));
        return d;
    }

    [Fact]
    public void DG0001_type_not_partial() => Expect("DG0001", """
        public static class Model
        {
            [Differentiable] public static double F(double x) => x * x;
        }
        """, "Model");

    [Fact]
    public void DG0001_outer_type_not_partial() => Expect("DG0001", """
        public class Outer
        {
            public static partial class Inner
            {
                [Differentiable] public static double F(double x) => x * x;
            }
        }
        """, "Outer");

    [Fact]
    public void DG0002_unsupported_parameter_type() => Expect("DG0002", """
        public static partial class Model
        {
            [Differentiable] public static double F(double x, string name) => x * x;
        }
        """, "string");

    [Fact]
    public void DG0002_ref_parameter() => Expect("DG0002", """
        public static partial class Model
        {
            [Differentiable] public static double F(ref double x) => x * x;
        }
        """, "double x", after: "ref ");

    [Fact]
    public void DG0003_unsupported_return_type() => Expect("DG0003", """
        public static partial class Model
        {
            [Differentiable] public static decimal F(double x) => (decimal)x;
        }
        """, "decimal");

    [Fact]
    public void DG0004_switch_statement()
    {
        var d = Expect("DG0004", """
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x, int k)
                {
                    switch (k) { case 1: return x; default: return -x; }
                }
            }
            """, "switch");
        Assert.Contains("if/else", d.GetMessage());
    }

    [Fact]
    public void DG0005_unsupported_expression() => Expect("DG0005", """
        public static partial class Model
        {
            [Differentiable] public static double F(double x) => x * (x % 2.0);
        }
        """, "x % 2.0");

    [Fact]
    public void DG0005_lambda() => Expect("DG0005", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(double x)
            {
                Func<double, double> f = v => v * v;
                return f(x);
            }
        }
        """, "f(x)");

    [Fact]
    public void DG0006_call_without_derivative()
    {
        var d = Expect("DG0006", """
            public static partial class Model
            {
                public static double Helper(double x) => x * 3;
                [Differentiable] public static double F(double x) => Math.Sin(Helper(x));
            }
            """, "Helper(x)");
        Assert.Contains("[Differentiable]", d.GetMessage());
    }

    [Fact]
    public void DG0007_recursion() => Expect("DG0007", """
        public static partial class Model
        {
            [Differentiable] public static double F(double x) => x < 1 ? x : F(x - 1) * 2;
        }
        """, "F(x - 1)");

    [Fact]
    public void DG0008_assignment_to_parameter() => Expect("DG0008", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(double x)
            {
                x = x * 2;
                return x;
            }
        }
        """, "x = x * 2", after: "{\n        ");

    [Fact]
    public void DG0008_assignment_to_field() => Expect("DG0008", """
        public partial class Model
        {
            private double _last;
            [Differentiable]
            public double F(double x)
            {
                _last = x;
                return x;
            }
        }
        """, "_last = x");

    /// <summary>No longer reported: a loop too long to unroll, or with a runtime bound, is kept as a loop.</summary>
    [Theory]
    [InlineData("DG0009", "double x", "5000")]
    [InlineData("DG0010", "double x, int n", "n")]
    public void DG0009_and_DG0010_are_no_longer_reported_the_loop_is_kept(string id, string parameters, string bound)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(Usings + $$"""
            public static partial class Model
            {
                [Differentiable]
                public static double F({{parameters}})
                {
                    double s = 0;
                    for (int i = 0; i < {{bound}}; i++) { s += x * Math.Sin(x); }
                    return s;
                }
            }
            """));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == id);
        Assert.Empty(result.Diagnostics);
        string generated = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains($"i < {bound}", generated);
        GeneratorHarness.Load(output);
    }

    [Fact]
    public void DG0013_loop_step_other_than_one() => Expect("DG0013", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i += 2) { s += x[i]; }
                return s;
            }
        }
        """, "for");

    [Fact]
    public void DG0013_bound_changed_by_the_body() => Expect("DG0013", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double s = 0;
                int n = x.Length;
                for (int i = 0; i < n; i++) { s += x[i]; n--; }
                return s;
            }
        }
        """, "i < n");

    [Fact]
    public void DG0013_counter_compared_the_wrong_way() => Expect("DG0013", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i != x.Length; i++) { s += x[i]; }
                return s;
            }
        }
        """, "i != x.Length");

    [Fact]
    public void DG0014_local_span_inside_a_loop() => Expect("DG0014", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    Span<double> h = stackalloc double[2];
                    h[0] = x[i];
                    s += h[0];
                }
                return s;
            }
        }
        """, "h = stackalloc");

    [Fact]
    public void DG0014_local_array_allocated_with_new() => Expect("DG0014", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double[] copy = new double[x.Length];
                return x[0];
            }
        }
        """, "copy = new");

    [Fact]
    public void DG0015_write_to_an_input_array() => Expect("DG0015", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(double[] x)
            {
                x[0] = 2 * x[0];
                return x[0] * x[1];
            }
        }
        """, "x[0] =", after: "F(double[] x)");

    /// <summary>A span method's generated gradient is called (issue 12 item 4), which generated code can do for a static or this-instance method only.</summary>
    [Fact]
    public void DG0016_span_method_of_another_object_cannot_be_called() => Expect("DG0016", """
        public partial class Summer
        {
            [Differentiable]
            public double Sum(ReadOnlySpan<double> x)
            {
                double s = 0;
                foreach (var v in x) { s += v; }
                return s;
            }
        }

        public static partial class Model
        {
            private static readonly Summer Other = new();

            [Differentiable]
            public static double F(ReadOnlySpan<double> x) => x[0] * Other.Sum(x);
        }
        """, "Other.Sum(x)", after: "=> x[0] * ");

    [Fact]
    public void DG0016_callee_with_a_runtime_loop_cannot_be_inlined() => Expect("DG0016", """
        public static partial class Model
        {
            [Differentiable]
            public static double Power(double x, int n)
            {
                double p = 1;
                for (int i = 0; i < n; i++) { p *= x; }
                return p;
            }

            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                double s = 0;
                foreach (var v in x) { s += Power(v, x.Length); }
                return s;
            }
        }
        """, "Power(v, x.Length)");

    [Fact]
    public void DG0019_writable_span_parameter_of_a_method_returning_double() => Expect("DG0019", """
        public static partial class Model
        {
            [Differentiable] public static double F(Span<double> x) => x[0];
        }
        """, "Span<double>");

    [Fact]
    public void DG0011_hessian_through_a_call_without_source()
    {
        // The callee is [Differentiable] in a referenced assembly: its gradient exists, its body does not.
        var library = GeneratorHarness.Compilation(new[] { Usings + """
            namespace Lib;
            public static partial class Functions
            {
                [Differentiable] public static double Square(double x) => x * x;
                public static double SquareGradient(double x, out double dx) { dx = 2 * x; return x * x; }
            }
            """ }, GeneratorHarness.References, "Lib");
        using var stream = new System.IO.MemoryStream();
        Assert.True(library.Emit(stream).Success);
        var reference = MetadataReference.CreateFromImage(stream.ToArray());
        Expect("DG0011", """
            public static partial class Model
            {
                [Differentiable(Hessian = true)] public static double F(double x) => Lib.Functions.Square(x) * x;
            }
            """, "Lib.Functions.Square(x)", extra: reference);
    }

    [Fact]
    public void DG0012_generic_method() => Expect("DG0012", """
        public static partial class Model
        {
            [Differentiable] public static double F<T>(double x) => x;
        }
        """, "F<T>");

    [Fact]
    public void An_unassigned_local_is_a_located_DG0005_not_an_internal_error()
    {
        // Reading an unassigned local is a C# error (CS0165), but the generator still runs on such code;
        // it once threw here (DG9999). Now the read is reported where it stands.
        var d = Expect("DG0005", """
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y;
                    return y * x;
                }
            }
            """, "y * x");
        Assert.Contains("assign the local", d.GetMessage());
    }

    [Fact]
    public void Valid_methods_get_no_diagnostics()
    {
        var diagnostics = GeneratorHarness.GeneratorDiagnostics(Usings + """
            public static partial class Model
            {
                private const double Half = 0.5;
                [Differentiable(Hessian = true)]
                public static double F(double x, [NoDiff] double c, int n)
                {
                    double y = Math.PI * x;
                    for (int i = 0; i < 4; i++) { y += Half * i * Math.Sin(x); }
                    if (y > c) { return y * n; }
                    return y > 0 ? Math.Log(y) : DiffGen.Nn.Activations.Sigmoid(y);
                }
            }
            """);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Every_descriptor_has_a_documentation_page()
    {
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(Snapshot.ProjectDirectory(), "..", "..", "docs", "diagnostics"));
        foreach (var d in DiffGen.Generator.Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, d.Id + ".md")), "missing docs/diagnostics/" + d.Id + ".md");
        }
    }
}
