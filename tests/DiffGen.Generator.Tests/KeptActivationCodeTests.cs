using static DiffGen.Generator.Tests.SaveLessCodeTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 11: what the reverse sweep of the MLP 2-16-16-1 saves — its hidden layer, stored in an element of its own per
/// iteration, not at all; the second layer's tanh(a) once per unit, read back instead of computed again from a saved a —
/// and the saves its look-alikes keep. The consumer tests (KeptActivationTests) check the numbers of the same shapes.
/// </summary>
public class KeptActivationCodeTests
{
    [Fact]
    public void The_small_MLP_saves_only_its_second_layer_activations_and_computes_each_tanh_once()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double SmallMlp(ReadOnlySpan<double> p, [NoDiff] double x0, [NoDiff] double x1, [NoDiff] double y)
                {
                    Span<double> h1 = stackalloc double[16];
                    for (int j = 0; j < 16; j++)
                    {
                        h1[j] = Math.Tanh(p[2 * j] * x0 + p[2 * j + 1] * x1 + p[32 + j]);
                    }

                    double z = p[336];
                    for (int j = 0; j < 16; j++)
                    {
                        double a = p[304 + j];
                        for (int q = 0; q < 16; q++)
                        {
                            a += p[48 + j * 16 + q] * h1[q];
                        }

                        z += p[320 + j] * Math.Tanh(a);
                    }

                    return DiffGen.Nn.Activations.Softplus(z) - y * z;
                }
            """, "SmallMlp");

        // h1: nothing saved (each j writes its own element, and nothing before the loop reads h1 in reverse)
        Assert.DoesNotContain("_stack.Push(h1[", gradient);
        // a: not saved; tanh(a) kept in a local, saved once per unit and read back by both of its partials
        Assert.DoesNotContain("_stack.Push(a)", gradient);
        Assert.Equal(1, Count(gradient, "_stack.Push("));
        Assert.Equal(1, Count(gradient, "_stack.Pop()"));
        Assert.Equal(1, Count(gradient, "Math.Tanh(a)"));
        Assert.Contains("(1.0 - _tanh * _tanh)", gradient);
    }

    [Fact]
    public void A_relu_layer_is_differentiated_from_its_stored_values_so_its_inputs_need_no_saving()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double ReluSamples(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int n, int h)
                {
                    Span<double> hidden = stackalloc double[h];
                    double total = 0;
                    for (int i = 0; i < x.Length / n; i++)
                    {
                        for (int j = 0; j < h; j++)
                        {
                            double a = 0;
                            for (int q = 0; q < n; q++)
                            {
                                a += p[j * n + q] * x[i * n + q];
                            }

                            hidden[j] = DiffGen.Nn.Activations.Relu(a);
                        }

                        double y = 0;
                        for (int j = 0; j < h; j++)
                        {
                            y += p[h * n + j] * hidden[j];
                        }

                        total += (y - 1) * (y - 1);
                    }

                    return total;
                }
            """, "ReluSamples");
        Assert.DoesNotContain("_stack.Push(a)", gradient);
        Assert.Contains("hidden[j] > 0.0 ?", gradient);
        // the layer itself is saved: the previous sample's reverse reads it
        Assert.Equal(1, Count(gradient, "_stack.Push(hidden[j])"));
    }

    [Fact]
    public void An_exponential_of_changing_values_is_kept_and_not_computed_again()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double ClampedExponentials(ReadOnlySpan<double> p)
                {
                    double shift = 0;
                    double sum = 0;
                    for (int i = 0; i < p.Length; i++)
                    {
                        shift += 0.5 * p[i];
                        sum += Math.Exp(p[i] * p[i] - shift);
                    }

                    return Math.Min(sum, 1.0) + shift;
                }
            """, "ClampedExponentials");
        Assert.Equal(1, Count(gradient, "Math.Exp("));
        Assert.Equal(1, Count(gradient, "_stack.Push(_exp)"));
        // its partial can be ∞ (e⁹⁰⁰): still guarded against a zero adjoint, as eˣ itself is
        Assert.Matches(@"== 0\.0 \? 0\.0 : [^;]*_exp", gradient);
    }

    [Fact]
    public void A_layer_stored_again_per_sample_or_sharing_elements_or_read_before_its_store_keeps_its_saves()
    {
        string repeated = Gradient("""
                [Differentiable]
                public static double RepeatedLayer(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x, int n)
                {
                    Span<double> h = stackalloc double[n];
                    double s = 0;
                    for (int i = 0; i < x.Length / n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            h[j] = Math.Tanh(p[j] * x[i * n + j]);
                        }

                        for (int j = 0; j < n; j++)
                        {
                            s += p[n + j] * h[j] * h[j];
                        }
                    }

                    return s;
                }
            """, "RepeatedLayer");
        Assert.Equal(1, Count(repeated, "_stack.Push(h[j])"));

        string shared = Gradient("""
                [Differentiable]
                public static double SharedSlots(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x)
                {
                    int n = x.Length;
                    Span<double> h = stackalloc double[(n + 1) / 2];
                    double s = 0;
                    for (int j = 0; j < n; j++)
                    {
                        h[j / 2] = Math.Tanh(p[j] * x[j]);
                        s += h[j / 2] * p[n + j];
                    }

                    return s;
                }
            """, "SharedSlots");
        Assert.Equal(1, Count(shared, "_stack.Push(h[j / 2])"));

        string readBefore = Gradient("""
                [Differentiable]
                public static double ReadBeforeOverwrite(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x)
                {
                    int n = x.Length;
                    Span<double> h = stackalloc double[n];
                    for (int j = 0; j < n; j++)
                    {
                        h[j] = p[j] * x[j];
                    }

                    double s = 0;
                    for (int j = 0; j < n; j++)
                    {
                        s += Math.Sin(h[j]) * p[2 * n + j];
                        h[j] = Math.Tanh(p[n + j] * x[j]);
                    }

                    for (int j = 0; j < n; j++)
                    {
                        s += h[j] * h[j];
                    }

                    return s;
                }
            """, "ReadBeforeOverwrite");
        // the second loop's store is saved (sin(h[j]) before it reads the old element); the first loop's is not
        Assert.Matches(@"_stack\.Push\((h\[j\]|_h\d*)\);\s*h\[j\] = global::System\.Math\.Tanh", readBefore);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(readBefore, @"_stack\.Push\((h\[j\]|_h\d*)\);"));
    }
}
