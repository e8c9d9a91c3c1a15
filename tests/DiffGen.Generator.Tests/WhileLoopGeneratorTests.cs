using System.Linq;

namespace DiffGen.Generator.Tests;

/// <summary>while and do loops with runtime conditions: what the generator writes, and that it compiles without a diagnostic.</summary>
public class WhileLoopGeneratorTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\n";

    /// <summary>Newton's iteration for √a: the trip count is an int local, the reverse sweep a counting-down for over it.</summary>
    [Fact]
    public void Newton_square_root_snapshot() => LoopSnapshotTests.Match("NewtonSqrt.g.cs", "Models.Loops.NewtonSqrt.g.cs", """
            [Differentiable]
            public static double NewtonSqrt(double a)
            {
                double x = 1 + a / 2;
                int iter = 0;
                while (Math.Abs(x * x - a) > 1e-12 * a && iter < 50)
                {
                    x = 0.5 * (x + a / x);
                    iter++;
                }

                return x;
            }
        """);

    private static string Generate(string body)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(Usings + body));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        return Assert.Single(result.Results.Single().GeneratedSources).SourceText.ToString();
    }

    [Fact]
    public void A_while_loop_over_a_span_index_is_kept_as_a_loop()
    {
        string generated = Generate("""
            public static partial class Model
            {
                [Differentiable] public static double F(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    int i = 0;
                    while (i < x.Length) { s += x[i] * x[i]; i++; }
                    return s;
                }
            }
            """);
        Assert.Contains("while (i < x.Length)", generated);
    }

    [Fact]
    public void A_while_loop_nested_in_a_for_loop_pushes_its_trip_count()
    {
        string generated = Generate("""
            public static partial class Model
            {
                [Differentiable] public static double F(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        double y = x[i];
                        while (y > 1) { y = y * 0.5; }
                        s += y;
                    }

                    return s;
                }
            }
            """);
        Assert.Contains("_stack.Push(_trips);", generated);
        Assert.Contains("_trips = (int)_stack.Pop();", generated);
    }

    [Fact]
    public void A_do_loop_whose_condition_needs_temporaries_computes_them_on_every_test()
    {
        string generated = Generate("""
            public static partial class Model
            {
                [Differentiable] public static double F(double x)
                {
                    double y = x;
                    do { y = Math.Sin(y) * y; }
                    while (Math.Exp(y * y) * Math.Exp(y * y) + Math.Exp(y * y) > 3.5);
                    return y;
                }
            }
            """);
        Assert.Contains("while (true)", generated);
    }

    [Fact]
    public void A_do_loop_whose_condition_folds_to_false_prints_a_bool_condition()
    {
        string generated = Generate("""
            public static partial class Model
            {
                [Differentiable] public static double F(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    int k = 0;
                    do { s += x[0] * x[0]; }
                    while (k < 0 && 1.5 < 0.5);
                    return s;
                }
            }
            """);
        Assert.Contains("while (false);", generated);
    }

    [Fact]
    public void A_guarding_condition_keeps_its_order_when_the_swapped_one_was_written_before()
    {
        string generated = Generate("""
            public static partial class Model
            {
                [Differentiable] public static double F(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    int i = 0;
                    if (x[i] > 0 && i < x.Length) { s = 1; }
                    while (i < x.Length && x[i] > 0) { s += x[i] * x[i]; i++; }
                    return s;
                }
            }
            """);
        Assert.Contains("while (i < x.Length && x[i] > 0.0)", generated);
        Assert.DoesNotContain("while (x[i] > 0.0 && i < x.Length)", generated);
    }
}
