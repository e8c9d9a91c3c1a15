using System.Linq;
using static DiffGen.Generator.Tests.DiagnosticTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Calls of vector-output methods (layers, issue 12 item 4): what stays refused, each a DG at the construct, and the
/// generated text of a caller, whose derivatives call the layer's products.
/// </summary>
public class LayerCallTests
{
    private const string Twice = """
            [Differentiable]
            public static void Twice(ReadOnlySpan<double> x, Span<double> y)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = 2.0 * x[i];
                }
            }

        """;

    [Fact]
    public void DG0007_a_layer_calling_itself() => Expect("DG0007", """
        public static partial class Model
        {
            [Differentiable]
            public static void F(ReadOnlySpan<double> x, Span<double> y)
            {
                Span<double> t = stackalloc double[2];
                F(x, t);
                y[0] = t[0] * x[0];
            }
        }
        """, "F(x, t)");

    [Fact]
    public void DG0028_output_is_also_an_input_of_the_call() => Expect("DG0028", $$"""
        public static partial class Model
        {
        {{Twice}}
            [Differentiable]
            public static double F(double a)
            {
                Span<double> h = stackalloc double[2];
                h[0] = a;
                h[1] = a * a;
                Twice(h.Slice(0, 1), h.Slice(1, 1));
                return h[1];
            }
        }
        """, "h.Slice(1, 1)");

    [Fact]
    public void DG0015_output_into_an_input_array() => Expect("DG0015", $$"""
        public static partial class Model
        {
        {{Twice}}
            [Differentiable]
            public static double F(double[] x)
            {
                Span<double> h = stackalloc double[2];
                Twice(h, x);
                return h[0];
            }
        }
        """, "x)", after: "Twice(h, ");

    [Fact]
    public void DG0027_Hessian_through_a_layer_call() => Expect("DG0027", $$"""
        public static partial class Model
        {
        {{Twice}}
            [Differentiable(Hessian = true)]
            public static double F(ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[x.Length];
                Twice(x, h);
                return h[0] * h[0];
            }
        }
        """, "Twice(x, h)");

    [Fact]
    public void DG0029_array_parameter_of_the_layer() => Expect("DG0029", """
        public static partial class Model
        {
            [Differentiable]
            public static void G(double[] x, Span<double> y)
            {
                y[0] = x[0] * x[0];
            }

            [Differentiable]
            public static double F(double[] x)
            {
                Span<double> h = stackalloc double[1];
                G(x, h);
                return h[0];
            }
        }
        """, "x, h", after: "G(");

    [Fact]
    public void DG0029_argument_that_is_not_a_span_of_the_method() => Expect("DG0029", $$"""
        public static partial class Model
        {
        {{Twice}}
            [Differentiable]
            public static double F(double a)
            {
                Span<double> h = stackalloc double[1];
                Twice(Input(a), h);
                return h[0];
            }

            private static ReadOnlySpan<double> Input(double a) => new[] { a };
        }
        """, "Input(a)", after: "Twice(");

    [Fact]
    public void DG0029_layer_that_may_leave_output_elements_unwritten() => Expect("DG0029", """
        public static partial class Model
        {
            [Differentiable]
            public static void Positive(ReadOnlySpan<double> x, Span<double> y)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    if (x[i] > 0)
                    {
                        y[i] = x[i];
                    }
                }
            }

            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[x.Length];
                h.Clear();
                Positive(x, h);
                return h[0];
            }
        }
        """, "h)", after: "Positive(x, ");

    private const string Sum = """
            [Differentiable]
            public static double Sum(ReadOnlySpan<double> x)
            {
                double s = 0;
                foreach (var v in x) { s += v; }
                return s;
            }

        """;

    /// <summary>Once DG0029: a span method in a while condition runs before the first test and at the end of every trip.</summary>
    [Fact]
    public void A_span_method_in_a_while_condition_runs_before_every_test()
    {
        var source = $$"""
            using System;
            using DiffGen;

            public static partial class Model
            {
            {{Sum}}
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double y = x[0];
                    while (y < Sum(x))
                    {
                        y = y * 2 + 1;
                    }

                    return y;
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var f = result.Results.Single().GeneratedSources.Single(g => g.HintName == "Model.F.g.cs").SourceText.ToString();
        var gradient = f.Substring(f.IndexOf("FGradient(", System.StringComparison.Ordinal));
        gradient = gradient.Substring(0, gradient.IndexOf("FTangent(", System.StringComparison.Ordinal));
        int loop = gradient.IndexOf("while (", System.StringComparison.Ordinal);
        Assert.True(loop > 0);
        Assert.Contains("= Sum(x);", gradient.Substring(0, loop)); // before the first test
        Assert.Contains("= Sum(x);", gradient.Substring(loop)); // in the trip, before the next test
        GeneratorHarness.Load(output);
    }

    [Fact]
    public void DG0027_Hessian_through_a_span_method_returning_a_double() => Expect("DG0027", $$"""
        public static partial class Model
        {
        {{Sum}}
            [Differentiable(Hessian = true)]
            public static double F(ReadOnlySpan<double> x) => x[0] * Sum(x);
        }
        """, "Sum(x)", after: "x[0] * ");

    /// <summary>Callers of layers and of span methods, in loops, branches and on slices: the generated files have no warning at the highest level.</summary>
    [Fact]
    public void Layer_callers_compile_without_a_warning_at_the_highest_level()
    {
        var source = $$"""
            using System;
            using DiffGen;

            public static partial class Model
            {
            {{Twice}}
            {{Sum}}
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> data, double c)
                {
                    Span<double> h = stackalloc double[2 * x.Length];
                    double total = 0.0;
                    for (int s = 0; s < 2; s++)
                    {
                        if (s == 0)
                        {
                            Twice(x, h.Slice(0, x.Length));
                        }
                        else
                        {
                            Twice(data.Slice(0, x.Length), h.Slice(x.Length));
                        }

                        total += c * Sum(h) + Sum(x.Slice(1));
                    }

                    return total;
                }

                [Differentiable]
                public static void G(ReadOnlySpan<double> x, double c, Span<double> y)
                {
                    Twice(x, y);
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] = y[i] * c + Sum(x);
                    }
                }
            }
            """;
        var compilation = GeneratorHarness.Compilation(source);
        var (result, output) = GeneratorHarness.Run(compilation.WithOptions(compilation.Options.WithWarningLevel(9999)));
        Assert.Empty(result.Diagnostics);
        var warnings = output.GetDiagnostics()
            .Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true)
            .Select(d => d.ToString()).ToList();
        Assert.Empty(warnings);
        GeneratorHarness.Load(output);
    }

    /// <summary>Once DG0016: a span method returning a double, called in an expression, now has its generated gradient and tangent called.</summary>
    [Fact]
    public void A_span_method_returning_a_double_is_called_from_an_expression()
    {
        var source = $$"""
            using System;
            using DiffGen;

            public static partial class Model
            {
            {{Sum}}
                [Differentiable]
                public static double F(ReadOnlySpan<double> x) => x[0] * Sum(x);
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var f = result.Results.Single().GeneratedSources.Single(g => g.HintName == "Model.F.g.cs").SourceText.ToString();
        Assert.Contains("SumGradient(x, ", f);
        Assert.Contains("SumTangent(x, tx, out double ", f);
        Assert.DoesNotContain("FHessianVector", f);
        GeneratorHarness.Load(output);
    }

    /// <summary>The call from issue 12's text, once DG0016: it now generates, without a Hessian-vector product (the layer's products are first order).</summary>
    [Fact]
    public void A_loop_free_caller_of_a_layer_gets_first_order_members()
    {
        var source = """
            using System;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static void Polar(double r, double theta, Span<double> xy)
                {
                    xy[0] = r * Math.Cos(theta);
                    xy[1] = r * Math.Sin(theta);
                }

                [Differentiable]
                public static double Norm(double r, double theta)
                {
                    Span<double> xy = stackalloc double[2];
                    Polar(r, theta, xy);
                    return xy[0] * xy[0] + xy[1] * xy[1];
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var norm = result.Results.Single().GeneratedSources.Single(g => g.HintName == "Model.Norm.g.cs").SourceText.ToString();
        Assert.Contains("PolarVjp(r, theta, ", norm);
        Assert.Contains("PolarJvp(r, theta, ", norm);
        Assert.Contains("double NormGradient(", norm);
        Assert.DoesNotContain("NormHessianVector", norm);
        GeneratorHarness.Load(output);
    }

    /// <summary>A loss over samples calling a dense layer on slices of θ and of the data: the VJP in the reverse sweep, the JVP in forward mode.</summary>
    [Fact]
    public void Layer_loss_snapshot()
    {
        string source = """
            using System;
            using DiffGen;

            namespace Models;

            public static partial class Layers
            {
                [Differentiable]
                public static void Dense(ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> z)
                {
                    for (int j = 0; j < z.Length; j++)
                    {
                        double a = 0.0;
                        for (int k = 0; k < x.Length; k++)
                        {
                            a += w[j * x.Length + k] * x[k];
                        }

                        z[j] = Math.Tanh(a);
                    }
                }

                [Differentiable]
                public static double Loss(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> data, int inputs, int outputs)
                {
                    Span<double> z = stackalloc double[outputs];
                    double loss = 0.0;
                    for (int s = 0; s < data.Length / inputs; s++)
                    {
                        Dense(theta.Slice(0, inputs * outputs), data.Slice(s * inputs, inputs), z);
                        for (int j = 0; j < outputs; j++)
                        {
                            loss += z[j] * z[j];
                        }
                    }

                    return loss;
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        var loss = result.Results.Single().GeneratedSources.Single(g => g.HintName == "Models.Layers.Loss.g.cs");
        Snapshot.Match("LayerLoss.g.cs", loss.SourceText.ToString());
    }
}
