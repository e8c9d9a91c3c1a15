using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace DiffGen.Generator.Tests;

/// <summary>Generated code for loops: it grows with the source, not with the trip count, and keeps every loop as a loop.</summary>
public class LoopCodeTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\n";

    private static string Generate(string body)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(Usings + "public static partial class Model\n{\n" + body + "\n}\n"));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        return string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
    }

    private static string Loop(string size) => $$"""
            [Differentiable(Hessian = true)]
            public static double F(ReadOnlySpan<double> w, double x)
            {
                Span<double> h = stackalloc double[{{size}}];
                double s = 0;
                for (int i = 0; i < {{size}}; i++)
                {
                    h[i] = Math.Tanh(w[i % w.Length] * x + i);
                }

                for (int i = 0; i < {{size}}; i++)
                {
                    s += h[i] * h[i] * w[(i + 1) % w.Length];
                }

                return s;
            }
        """;

    [Fact]
    public void Source_size_does_not_depend_on_constant_sizes()
    {
        // Both sizes stay on the stack (≤ 512); everything but the number itself is the same text.
        string small = Generate(Loop("257"));
        string large = Generate(Loop("389"));
        Assert.Equal(small.Split('\n').Length, large.Split('\n').Length);
        Assert.Equal(small.Length, large.Length);
        Assert.Equal(small.Replace("257", "N"), large.Replace("389", "N"));
    }

    [Fact]
    public void Source_size_does_not_depend_on_a_loop_bound_far_beyond_unrolling()
    {
        // 2000 and 9000 iterations: both far beyond what the scalar path would unroll.
        string Method(string n) => $$"""
                [Differentiable]
                public static double G(double x)
                {
                    double s = 0;
                    for (int i = 0; i < {{n}}; i++) { s += Math.Sin(x * i) / (1 + i); }
                    return s;
                }
            """;
        string a = Generate(Method("2000"));
        string b = Generate(Method("9000"));
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a.Replace("2000", "N"), b.Replace("9000", "N"));
        Assert.True(a.Split('\n').Length < 200, "a loop of 2000 iterations must not unroll");
    }

    /// <summary>The body of one generated member, from its signature to the next member's doc comment.</summary>
    private static string Member(string source, string name)
    {
        int start = source.IndexOf(" " + name + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, name + " not found");
        int end = source.IndexOf("/// <summary>", start, StringComparison.Ordinal);
        return end < 0 ? source.Substring(start) : source.Substring(start, end - start);
    }

    private static int Fors(string text) => Regex.Matches(text, @"\bfor \(").Count;

    [Fact]
    public void Gradient_has_one_forward_and_one_reverse_loop_per_source_loop()
    {
        string source = Generate("""
                [Differentiable]
                public static double Rosenbrock(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length - 1; i++)
                    {
                        double a = 1 - x[i];
                        double b = x[i + 1] - x[i] * x[i];
                        s += a * a + 100 * b * b;
                    }

                    return s;
                }

                [Differentiable]
                public static double Pairs(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        for (int j = 0; j < i; j++)
                        {
                            s += Math.Exp(-(x[i] - x[j]) * (x[i] - x[j]));
                        }
                    }

                    return Math.Log(1 + s);
                }
            """);
        // Rosenbrock's reverse loop is independent per iteration and runs inside its forward loop (ReverseFusion);
        // Pairs' is nested and its seed reads the sum (log(1 + s)): a forward and a reverse loop per source loop.
        // (besides the loop clearing what the fused loop does not store of the output, AdjointSimplification)
        Assert.Equal(2, Fors(Member(source, "RosenbrockGradient")));
        Assert.Single(Regex.Matches(Member(source, "RosenbrockGradient"), @"for \(int i = 0; i < x\.Length - 1; i\+\+\)"));
        Assert.Equal(1, Fors(Member(source, "RosenbrockTangent")));
        Assert.Equal(2, Fors(Member(source, "RosenbrockHessianVector")));
        Assert.Equal(4, Fors(Member(source, "PairsGradient")));
        Assert.Equal(2, Fors(Member(source, "PairsTangent")));
        Assert.Contains("for (int i = x.Length - 1; i >= 0; i--)", Member(source, "PairsGradient"));
    }

    [Fact]
    public void Generated_loop_code_carries_source_lines_and_global_names()
    {
        string source = Generate(Loop("8"));
        Assert.Contains("// <auto-generated/>", source);
        Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(", source);
        Assert.Matches(@"// Source\.cs, lines \d+–\d+: value and gradient", source);
        Assert.DoesNotContain("using ", source);
        Assert.DoesNotContain("=>", source); // no lambdas or delegates
    }
}

/// <summary>Branches the simplifier decides at compile time keep only the branch taken.</summary>
public class LoopConstantBranchTests
{
    [Fact]
    public void A_condition_folded_to_a_constant_keeps_the_branch_taken()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System;
            using DiffGen;
            public static partial class Model
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, double y)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (Math.Sin(0.5) > 0.1) { s += x[i] * y; } else { s -= x[i]; }
                    }
                    return s;
                }
            }
            """));
        Assert.Empty(result.Diagnostics);
        var type = GeneratorHarness.Load(output).GetType("Model")!;
        Assert.DoesNotContain("s -=", Assert.Single(result.GeneratedTrees).ToString());
        Assert.NotNull(type.GetMethod("FGradient"));
    }
}
