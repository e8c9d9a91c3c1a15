using System.Linq;
using static DiffGen.Generator.Tests.DiagnosticTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// TensorPrimitives calls in [Differentiable] methods: lowered to loops that print as the vector kernels, and each
/// refusal a located DG (a function without a rule, a loop condition, lengths not seen equal, overlaps, inputs written).
/// The numbers are checked in the consumer tests (TensorPrimitivesTests).
/// </summary>
public class TensorPrimitivesCodeTests
{
    private const string Tp = "System.Numerics.Tensors.TensorPrimitives";

    [Fact]
    public void A_dot_product_lowers_to_a_loop_printed_as_the_dot_kernel_and_its_adjoint_as_an_axpy()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation($$"""
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> w, ReadOnlySpan<double> x) => Math.Tanh({{Tp}}.Dot(w, x));
            }
            """));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string code = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        // whole spans of different lengths: the loop runs over the longer, so reading past the shorter throws
        Assert.Contains("LoopKernels.Dot(w, 0, x, 0, global::System.Math.Max(w.Length, x.Length))", code);
        Assert.Contains("LoopKernels.AddScaled(dw, 0,", code);
        Assert.Contains("LoopKernels.AddScaled(dx, 0,", code);
    }

    [Fact]
    public void DG0005_a_function_without_a_rule() => Expect("DG0005", $$"""
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                Span<double> p = stackalloc double[x.Length];
                {{Tp}}.SoftMax(x, p);
                return p[0];
            }
        }
        """, Tp + ".SoftMax");

    [Fact]
    public void DG0005_a_reduction_in_a_loop_condition() => Expect("DG0005", $$"""
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                Span<double> r = stackalloc double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    r[i] = x[i];
                }

                int steps = 0;
                while ({{Tp}}.Norm(r) > 1.0 && steps < 10)
                {
                    for (int i = 0; i < r.Length; i++)
                    {
                        r[i] = 0.5 * r[i];
                    }

                    steps++;
                }

                return r[0];
            }
        }
        """, Tp + ".Norm");

    [Fact]
    public void DG0005_a_slice_whose_length_is_not_seen_equal() => Expect("DG0005", $$"""
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> w, ReadOnlySpan<double> x) => {{Tp}}.Dot(w.Slice(0, 3), x);
        }
        """, Tp + ".Dot");

    [Fact]
    public void DG0005_a_destination_overlapping_an_input_at_another_offset() => Expect("DG0005", $$"""
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[4];
                for (int i = 0; i < 4; i++)
                {
                    h[i] = x[i];
                }

                {{Tp}}.Exp(h.Slice(0, 3), h.Slice(1, 3));
                return h[3];
            }
        }
        """, "h.Slice(1, 3)");

    [Fact]
    public void DG0015_a_destination_that_is_an_input() => Expect("DG0015", $$"""
        public static partial class Model
        {
            [Differentiable]
            public static double F(double[] x)
            {
                {{Tp}}.Exp<double>(x, x);
                return x[0];
            }
        }
        """, "x)", after: "Exp<double>(x, ");
}
