using System.Linq;
using static DiffGen.Generator.Tests.DiagnosticTests;

namespace DiffGen.Generator.Tests;

/// <summary>Vector-output methods: the shapes they do not support, each a DG at the construct; and the generated text of one.</summary>
public class VectorOutputDiagnosticTests
{
    [Fact]
    public void DG0019_second_output_span() => Expect("DG0019", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(ReadOnlySpan<double> x, Span<double> y, Span<double> z)
            {
                y[0] = x[0];
                z[0] = x[0];
            }
        }
        """, "Span<double> z");

    [Fact]
    public void DG0020_out_double_output() => Expect("DG0020", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(double x, out double y) => y = x * x;
        }
        """, "out double");

    [Fact]
    public void DG0020_ref_double_in_a_void_method() => Expect("DG0020", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(double x, ref double y) { y = x * x; }
        }
        """, "ref double");

    [Fact]
    public void DG0021_compound_assignment_into_the_output_first() => Expect("DG0021", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(ReadOnlySpan<double> x, Span<double> y)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] += x[i];
                }
            }
        }
        """, "y[i] +=");

    [Fact]
    public void DG0021_output_read_on_the_right_of_its_first_write() => Expect("DG0021", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(double x, Span<double> y)
            {
                y[0] = y[1] * x;
                y[1] = x;
            }
        }
        """, "y[1]");

    [Fact]
    public void DG0022_Hessian_of_a_vector_output() => Expect("DG0022", """
        public static partial class Model
        {
            [Differentiable(Hessian = true)]
            public static void F(double x, Span<double> y)
            {
                y[0] = x * x;
            }
        }
        """, "Hessian = true");

    [Fact]
    public void DG0003_void_without_an_output_span() => Expect("DG0003", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(double x) { double y = x; }
        }
        """, "void");

    [Fact]
    public void Outputs_read_after_they_are_written_and_y_Length_are_accepted()
    {
        var source = """
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static void F(ReadOnlySpan<double> x, Span<double> y)
                {
                    int n = y.Length;
                    y[0] = x[0];
                    for (int i = 1; i < n; i++)
                    {
                        y[i] = y[i - 1] * x[i];
                    }
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var text = result.Results.Single().GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("public static void FJacobian(", text);
        Assert.Contains("public static void FVjp(", text);
        Assert.Contains("public static void FJvp(", text);
        Assert.DoesNotContain("FGradient", text);
        Assert.DoesNotContain("FTangent", text);
        GeneratorHarness.Load(output);
    }

    /// <summary>An output named like a generated parameter, and a method with no differentiable input: both compile without a warning.</summary>
    [Fact]
    public void Name_collisions_and_constant_outputs_compile()
    {
        var source = """
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static void Collide(ReadOnlySpan<double> x, double inputs, Span<double> jacobian)
                {
                    for (int i = 0; i < jacobian.Length; i++)
                    {
                        jacobian[i] = inputs * x[i];
                    }
                }

                [Differentiable]
                public static void Constant([NoDiff] ReadOnlySpan<double> a, int n, Span<double> y)
                {
                    for (int i = 0; i < n; i++)
                    {
                        y[i] = 2.0 * a[i];
                    }
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var text = string.Join("\n", result.Results.Single().GeneratedSources.Select(g => g.SourceText.ToString()));
        Assert.Contains("public static void CollideJacobian(global::System.ReadOnlySpan<double> x, double inputs, global::System.Span<double> jacobian, global::System.Span<double> jacobian_)", text);
        Assert.Contains("public static void ConstantVjp(global::System.ReadOnlySpan<double> a, int n, global::System.Span<double> y, global::System.ReadOnlySpan<double> ybar)", text);
        GeneratorHarness.Load(output);
    }

    /// <summary>Softmax: the Jacobian's two strategies, the VJP's seeded reverse sweep that keeps the values, the JVP, the complex overload.</summary>
    [Fact]
    public void Softmax_snapshot() => LoopSnapshotTests.Match("Softmax.g.cs", "Models.Loops.Softmax.g.cs", """
            [Differentiable]
            public static void Softmax(ReadOnlySpan<double> z, Span<double> p)
            {
                double max = z[0];
                for (int i = 1; i < z.Length; i++)
                {
                    max = Math.Max(max, z[i]);
                }

                double sum = 0.0;
                for (int i = 0; i < z.Length; i++)
                {
                    p[i] = Math.Exp(z[i] - max);
                    sum += p[i];
                }

                for (int i = 0; i < z.Length; i++)
                {
                    p[i] /= sum;
                }
            }
        """);
}
