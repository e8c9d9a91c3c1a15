using System.Linq;
using System.Text.RegularExpressions;

namespace DiffGen.Generator.Tests;

/// <summary>
/// float methods (issue 12, item 6): the generated source of two, and the located diagnostics of what stays
/// refused: float and double mixed in one method (DG0030).
/// </summary>
public class FloatGeneratorTests
{
    /// <summary>A float neuron with its Hessian, exactly as the generator writes it (Snapshots/FloatNeuron.g.cs).</summary>
    [Fact]
    public void Float_neuron_generated_source_computes_in_float()
    {
        const string source = """
            using System;
            using DiffGen;

            namespace Lectures;

            public static partial class Model
            {
                [Differentiable(Hessian = true)]
                public static float Neuron(float w0, float w1, float w2, float x0, float x1)
                    => 1f / (1f + MathF.Exp(-(w0 * x0 + w1 * x1 + w2)));
            }
            """;
        var (text, real) = Generate(source, "Neuron");
        Assert.DoesNotMatch(new Regex(@"\d\.\d+[^f\d]"), real);
        Assert.Contains("public static float NeuronGradient(float w0, float w1, float w2, float x0, float x1, out float dw0", real);
        Assert.Contains("public static float NeuronHessian(float w0, float w1, float w2, float x0, float x1, global::System.Span<float> gradient, global::System.Span<float> hessian)", real);
        Assert.Contains("global::System.MathF.Exp(", real);
        Snapshot.Match("FloatNeuron.g.cs", text);
    }

    /// <summary>A float loss over spans, loops kept as loops (Snapshots/FloatDotLoss.g.cs).</summary>
    [Fact]
    public void Float_span_loss_generated_source_computes_in_float()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static float DotLoss(ReadOnlySpan<float> w, [NoDiff] ReadOnlySpan<float> x, float b)
                {
                    float z = b;
                    for (int i = 0; i < w.Length; i++)
                    {
                        z += w[i] * MathF.Tanh(x[i]);
                    }

                    return 0.5f * z * z;
                }
            }
            """;
        var (text, real) = Generate(source, "DotLoss");
        Assert.DoesNotContain("LoopKernels", real);
        Assert.Contains("public static float DotLossGradient(global::System.ReadOnlySpan<float> w, global::System.ReadOnlySpan<float> x, float b, global::System.Span<float> dw, out float db)", real);
        // [NoDiff] float data stays float in the complex-step overload
        Assert.Contains("DotLoss(global::System.ReadOnlySpan<global::System.Numerics.Complex> w, global::System.ReadOnlySpan<float> x, global::System.Numerics.Complex b)", text);
        Snapshot.Match("FloatDotLoss.g.cs", text);
    }

    /// <summary>
    /// Generates, compiles and loads <paramref name="source"/>'s one method; returns the generated text and its real
    /// members' code (before the complex-step overload, without the GeneratedCode lines), asserted free of double.
    /// </summary>
    private static (string Text, string Real) Generate(string source, string method)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var generated = Assert.Single(result.Results.Single().GeneratedSources);
        GeneratorHarness.Load(output);
        string text = generated.SourceText.ToString();

        // Every real member is float through and through; only the complex-step overload computes in double.
        string real = text.Substring(0, text.IndexOf($"global::System.Numerics.Complex {method}(", System.StringComparison.Ordinal));
        real = string.Join("\n", real.Split('\n').Where(line => !line.Contains("GeneratedCode(", System.StringComparison.Ordinal)));
        Assert.DoesNotMatch(new Regex(@"\bdouble\b|System\.Math\."), real);
        return (text, real);
    }

    [Fact]
    public void DG0030_double_literal_in_a_float_method()
    {
        var d = DiagnosticTests.Expect("DG0030", """
            public static partial class Model
            {
                [Differentiable] public static float F(float x) => (float)(x * 0.5) + x;
            }
            """, "x * 0.5");
        Assert.Contains("0.5f", d.GetMessage());
    }

    [Fact]
    public void DG0030_Math_call_in_a_float_method() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            [Differentiable] public static float F(float x) => x * (float)Math.Exp(x);
        }
        """, "Math.Exp(x)");

    [Fact]
    public void DG0030_float_compared_with_a_double() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            [Differentiable] public static float F(float x) => x > 0.1 ? x : -x;
        }
        """, "x > 0.1");

    [Fact]
    public void DG0030_compound_assignment_in_double() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            [Differentiable]
            public static float F(float x)
            {
                float s = x * x;
                s += 0.25;
                return s;
            }
        }
        """, "s += 0.25");

    [Fact]
    public void DG0030_parameters_of_both_precisions() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            [Differentiable] public static float F(float x, double y) => x * (float)y;
        }
        """, "double y");

    [Fact]
    public void DG0030_float_local_in_a_double_method()
    {
        var d = DiagnosticTests.Expect("DG0030", """
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x)
                {
                    float h = (float)x;
                    return h * x;
                }
            }
            """, "(float)x");
        Assert.Contains("computes in float", d.GetMessage());
    }

    [Fact]
    public void DG0030_double_input_of_a_float_vector_output() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            [Differentiable] public static void F(ReadOnlySpan<double> x, Span<float> y) { y[0] = (float)x[0]; }
        }
        """, "ReadOnlySpan<double> x");

    [Fact]
    public void DG0030_double_span_element_in_a_float_loop() => DiagnosticTests.Expect("DG0030", """
        public static partial class Model
        {
            private static readonly double[] Table = { 0.5, 0.25 };

            [Differentiable]
            public static float F(ReadOnlySpan<float> x)
            {
                float s = 0f;
                for (int i = 0; i < x.Length; i++)
                {
                    s += x[i] * (float)Table[i % 2];
                }

                return s;
            }
        }
        """, "Table[i % 2]");

    [Fact]
    public void DG0014_double_local_span_in_a_float_method() => DiagnosticTests.Expect("DG0014", """
        public static partial class Model
        {
            [Differentiable]
            public static float F(ReadOnlySpan<float> x)
            {
                Span<double> h = stackalloc double[x.Length];
                float s = 0f;
                for (int i = 0; i < x.Length; i++)
                {
                    s += x[i];
                }

                return s;
            }
        }
        """, "h = stackalloc");
}
