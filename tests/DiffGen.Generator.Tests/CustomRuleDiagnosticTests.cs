using System.Linq;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Custom rules ([CustomGradient]) that cannot be used: each is a located DG at the attribute (and at every call from a
/// [Differentiable] method), with a message that spells out the expected signature; never a crash or a wrong derivative.
/// </summary>
public class CustomRuleDiagnosticTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\n";

    [Fact]
    public void A_rule_naming_a_missing_method_is_DG0023_at_the_attribute()
    {
        var d = DiagnosticTests.Expect("DG0023", """
            public static partial class Model
            {
                [CustomGradient("SolveGradiant")]
                public static double Solve(double a, double b) => a * b;
            }
            """, "CustomGradient(\"SolveGradiant\")");
        Assert.Contains("'static double SolveGradiant(double a, double b, out double da, out double db)'", d.GetMessage());
    }

    [Fact]
    public void A_gradient_method_with_too_few_outputs_is_DG0024_naming_the_expected_signature()
    {
        var d = DiagnosticTests.Expect("DG0024", """
            public static partial class Model
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a, double b) => a * b;

                public static double SolveGradient(double a, double b, out double da)
                {
                    da = b;
                    return a * b;
                }
            }
            """, "CustomGradient(nameof(SolveGradient))");
        string message = d.GetMessage();
        Assert.Contains("has 3 parameters where 4 are expected", message);
        Assert.Contains("'static double SolveGradient(double a, double b, out double da, out double db)'", message);
    }

    [Fact]
    public void An_instance_gradient_method_is_DG0024()
    {
        var d = DiagnosticTests.Expect("DG0024", """
            public partial class Model
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a) => a * a;

                public double SolveGradient(double a, out double da)
                {
                    da = 2 * a;
                    return a * a;
                }
            }
            """, "CustomGradient(nameof(SolveGradient))");
        Assert.Contains("is not static", d.GetMessage());
    }

    [Fact]
    public void NoDiff_and_int_parameters_get_no_output_and_an_output_for_one_is_DG0024()
    {
        var d = DiagnosticTests.Expect("DG0024", """
            public static partial class Model
            {
                [CustomGradient(nameof(ScaleGradient))]
                public static double Scale(double x, [NoDiff] double limit, int n) => x * limit * n;

                public static double ScaleGradient(double x, double limit, int n, out double dx, out double dlimit)
                {
                    dx = limit * n;
                    dlimit = x * n;
                    return x * limit * n;
                }
            }
            """, "CustomGradient(nameof(ScaleGradient))");
        Assert.Contains("'static double ScaleGradient(double x, double limit, int n, out double dx)'", d.GetMessage());
    }

    [Fact]
    public void A_rule_on_a_method_with_span_parameters_is_DG0025()
    {
        var d = DiagnosticTests.Expect("DG0025", """
            public static partial class Model
            {
                [CustomGradient(nameof(SumGradient))]
                public static double Sum(ReadOnlySpan<double> x) => x[0] + x[1];

                public static double SumGradient(ReadOnlySpan<double> x, Span<double> dx)
                {
                    dx.Fill(1.0);
                    return x[0] + x[1];
                }
            }
            """, "CustomGradient(nameof(SumGradient))");
        Assert.Contains("the parameter 'x' is a 'System.ReadOnlySpan<double>'", d.GetMessage());
    }

    [Fact]
    public void A_call_of_a_broken_rule_is_reported_at_the_attribute_and_at_the_call_and_nothing_is_generated()
    {
        string source = Usings + """
            public static partial class Model
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a, double b) => a * b;

                public static int SolveGradient(double a, double b, out double da, out double db)
                {
                    da = b;
                    db = a;
                    return 0;
                }

                [Differentiable]
                public static double F(double x, double y) => Math.Exp(Solve(x, y));
            }
            """;
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        var diagnostics = result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("DG0024", d.Id));
        Assert.StartsWith("CustomGradient(nameof(SolveGradient))", source.Substring(diagnostics[0].Location.SourceSpan.Start));
        Assert.StartsWith("Solve(x, y)", source.Substring(diagnostics[1].Location.SourceSpan.Start));
        Assert.Contains("returns 'int' instead of the value as a 'double'", diagnostics[1].GetMessage());
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void A_private_gradient_method_called_from_another_type_is_DG0024_at_the_call()
    {
        var d = DiagnosticTests.Expect("DG0024", """
            public static class Solvers
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a) => a * a;

                private static double SolveGradient(double a, out double da)
                {
                    da = 2 * a;
                    return a * a;
                }
            }

            public static partial class Model
            {
                [Differentiable]
                public static double F(double x) => Solvers.Solve(x) + x;
            }
            """, "Solvers.Solve(x)");
        Assert.Contains("is not accessible from 'Model'", d.GetMessage());
    }

    [Fact]
    public void A_Hessian_through_a_rule_is_DG0026_at_the_call()
    {
        var d = DiagnosticTests.Expect("DG0026", """
            public static partial class Model
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a, double b) => a * b;

                public static double SolveGradient(double a, double b, out double da, out double db)
                {
                    da = b;
                    db = a;
                    return a * b;
                }

                [Differentiable(Hessian = true)]
                public static double F(double x, double y) => Math.Sin(x) * Solve(x, y);
            }
            """, "Solve(x, y)");
        Assert.Contains("The Hessian of 'F' needs second derivatives of 'Solve'", d.GetMessage());
    }

    [Fact]
    public void A_Hessian_through_a_rule_in_a_loop_over_a_span_is_DG0026_at_the_call()
    {
        DiagnosticTests.Expect("DG0026", """
            public static partial class Model
            {
                [CustomGradient(nameof(SolveGradient))]
                public static double Solve(double a) => a * a;

                public static double SolveGradient(double a, out double da)
                {
                    da = 2 * a;
                    return a * a;
                }

                [Differentiable(Hessian = true)]
                public static double F(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += Solve(x[i]);
                    }

                    return s;
                }
            }
            """, "Solve(x[i])");
    }

    [Fact]
    public void A_sound_rule_in_another_type_is_called_by_its_qualified_name_and_compiles_without_warnings()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(Usings + """
            namespace Lib
            {
                public static class Solvers
                {
                    [CustomGradient(nameof(SolveGradient))]
                    public static double Solve(double a, int n) => Math.Pow(a, n);

                    public static double SolveGradient(double a, int n, out double da)
                    {
                        da = n * Math.Pow(a, n - 1);
                        return Math.Pow(a, n);
                    }
                }
            }

            public static partial class Model
            {
                [Differentiable]
                public static double F(double x) => Lib.Solvers.Solve(x, 3) * x;
            }
            """));
        Assert.Empty(result.Diagnostics);
        var generated = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("global::Lib.Solvers.SolveGradient(x, 3, out double", generated);
        var type = GeneratorHarness.Load(output).GetType("Model")!;
        var args = new object?[] { 2.0, null };
        double value = (double)type.GetMethod("FGradient")!.Invoke(null, args)!;
        Assert.Equal(16.0, value);
        Assert.Equal(32.0, (double)args[1]!); // d/dx x⁴ at 2
    }
}
