using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>Regression tests of issue 8 through the generator driver: each construct gets its members or a located DG, never a silent copy or a crash.</summary>
public class ReliabilityTests
{
    [Fact]
    public void A_ref_local_to_a_scalar_is_reported_not_copied()
    {
        var d = DiagnosticTests.Expect("DG0005", """
            public static partial class Model
            {
                [Differentiable] public static double F(double x)
                {
                    double y = x;
                    ref double r = ref y;
                    r = r * r;
                    return y;
                }
            }
            """, "r = ref y");
        Assert.Contains("ref locals are not supported", d.GetMessage());
    }

    [Fact]
    public void A_ref_local_to_a_span_element_is_reported_not_copied() => DiagnosticTests.Expect("DG0005", """
        public static partial class Model
        {
            [Differentiable] public static double F(ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[x.Length];
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    ref double e = ref h[i];
                    e = x[i] * x[i];
                    s += h[i];
                }

                return s;
            }
        }
        """, "e = ref h[i]");
}

public class HintNameTests
{
    [Fact]
    public void Types_whose_old_hint_names_collided_each_get_their_members()
    {
        const string source = """
            using DiffGen;

            namespace N
            {
                public partial class G<T> { [Differentiable] public static double F(double x) => x * x; }
                public partial class G_T_ { [Differentiable] public static double F(double x) => 3 * x; }
                public partial class G__T__ { [Differentiable] public static double F(double x) => 5 * x; }
                public partial class Outer { public partial class Inner { [Differentiable] public static double F(double x) => 7 * x; } }
            }

            namespace N.Outer2
            {
                public partial class Inner { [Differentiable] public static double F(double x) => 11 * x; }
            }

            namespace N
            {
                public partial class Outer2_Inner { [Differentiable] public static double F(double x) => 13 * x; }
                public partial class Overloads
                {
                    [Differentiable] public static double F(double x) => 17 * x;
                    [Differentiable] public static double F(double x, int n) => n * x;
                    [Differentiable] public static double F(double[] x) => 19 * x[0];
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(9, hints.Count);
        Assert.Equal(hints.Count, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var assembly = GeneratorHarness.Load(output);
        double Gradient(Type type, bool withInt = false)
        {
            var parameters = withInt
                ? new[] { typeof(double), typeof(int), typeof(double).MakeByRefType() }
                : new[] { typeof(double), typeof(double).MakeByRefType() };
            var args = withInt ? new object?[] { 2.0, 23, null } : new object?[] { 2.0, null };
            type.GetMethod("FGradient", parameters)!.Invoke(null, args);
            return (double)args[^1]!;
        }

        Assert.Equal(4.0, Gradient(assembly.GetType("N.G`1")!.MakeGenericType(typeof(int))));
        Assert.Equal(3.0, Gradient(assembly.GetType("N.G_T_")!));
        Assert.Equal(5.0, Gradient(assembly.GetType("N.G__T__")!));
        Assert.Equal(7.0, Gradient(assembly.GetType("N.Outer+Inner")!));
        Assert.Equal(11.0, Gradient(assembly.GetType("N.Outer2.Inner")!));
        Assert.Equal(13.0, Gradient(assembly.GetType("N.Outer2_Inner")!));
        Assert.Equal(17.0, Gradient(assembly.GetType("N.Overloads")!));
        Assert.Equal(23.0, Gradient(assembly.GetType("N.Overloads")!, withInt: true));
    }
}

public class DepthTests
{
    private static string Sum(string term, int terms) => string.Join(" + ", Enumerable.Repeat(term, terms));

    [Fact]
    public void A_sum_of_20000_terms_is_differentiated_on_the_loop_free_path()
    {
        string source = "using DiffGen;\npublic static partial class Deep\n{\n    [Differentiable] public static double F(double x) => "
            + Sum("x", 20000) + ";\n}\n";
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var args = new object?[] { 0.5, null };
        double value = (double)GeneratorHarness.Load(output).GetType("Deep")!.GetMethod("FGradient")!.Invoke(null, args)!;
        Assert.Equal(10000.0, value);
        Assert.Equal(20000.0, (double)args[1]!);
    }

    [Fact]
    public void A_sum_of_20000_span_elements_is_differentiated_on_the_loop_path()
    {
        string source = "using System;\nusing DiffGen;\npublic static partial class Deep\n{\n    [Differentiable] public static double F(ReadOnlySpan<double> x)\n    {\n        for (int i = 0; i < x.Length; i++) { }\n        return "
            + Sum("x[0]", 20000) + ";\n    }\n}\n";
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(GeneratorHarness.Load(output).GetType("Deep")!.GetMethod("FGradient"));
    }

    [Fact]
    public void Twenty_thousand_early_returns_in_a_span_method_are_a_located_DG0017_not_a_crash()
    {
        // Each early return nests the rest of the block one level deeper (once a stack overflow, at 3,000 an out-of-memory).
        string body = string.Concat(Enumerable.Range(0, 20000).Select(k => $"        if (x[0] > {k}) {{ return x[0] * {k}; }}\n"));
        var d = DiagnosticTests.Expect("DG0017", "public static partial class Deep\n{\n    [Differentiable] public static double F(ReadOnlySpan<double> x)\n    {\n"
            + body + "        return x[0];\n    }\n}\n", "return x[0] * 500;");
        Assert.Contains("more than 500 levels", d.GetMessage());
    }

    /// <summary>Nesting as deep as the C# compiler accepts in a method (at 20,000 levels it reports CS8078 itself).</summary>
    [Theory]
    [InlineData("ifs")]
    [InlineData("calls")]
    public void Nesting_2000_deep_is_differentiated(string kind)
    {
        const int depth = 2000;
        string body = kind switch
        {
            "ifs" => "{\n double y = x;\n" + string.Concat(Enumerable.Repeat("if (x > 0) {\n", depth)) + "y = y * x;\n" + new string('}', depth) + "\nreturn y;\n}",
            _ => "=> " + string.Concat(Enumerable.Repeat("Math.Sin(", depth)) + "x" + new string(')', depth) + ";",
        };
        string source = "using System;\nusing DiffGen;\npublic static partial class Deep\n{\n    [Differentiable] public static double F(double x)\n" + body + "\n}\n";
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var args = new object?[] { 0.5, null };
        double value = (double)GeneratorHarness.Load(output).GetType("Deep")!.GetMethod("FGradient")!.Invoke(null, args)!;
        double expected = 0.25, slope = 1.0;
        if (kind == "calls")
        {
            expected = 0.5;
            for (int i = 0; i < depth; i++)
            {
                slope *= Math.Cos(expected);
                expected = Math.Sin(expected);
            }
        }

        Assert.Equal(expected, value, 1e-15);
        Assert.Equal(slope, (double)args[1]!, 1e-12);
    }
}

public class OverrideDiagnosticTests
{
    [Fact]
    public void An_unmarked_override_of_a_differentiable_method_is_reported() => DiagnosticTests.Expect("DG0018", """
        public partial class Base
        {
            [Differentiable] public virtual double F(double x) => x * x;
        }

        public partial class Derived : Base
        {
            public override double F(double x) => x * x * x;
        }
        """, "F(double x) => x * x * x");

    [Fact]
    public void A_marked_sealed_override_compiles_without_warnings()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using DiffGen;
            public partial class Base { [Differentiable] public virtual double F(double x) => x * x; }
            public partial class Derived : Base { [Differentiable] public sealed override double F(double x) => x * x * x; }
            """));
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }
}

public class InternalErrorTests
{
    private static System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics(string body) =>
        GeneratorHarness.GeneratorDiagnostics("using System;\nusing DiffGen;\n\n" + body);

    [Fact]
    public void Hessian_through_a_callee_with_a_long_loop_is_reported_at_the_call() => DiagnosticTests.Expect("DG0032", """
        public static partial class Model
        {
            [Differentiable] public static double G(double x)
            {
                double s = 0;
                for (int i = 0; i < 2000; i++) { s += x * x; }
                return s;
            }

            [Differentiable(Hessian = true)] public static double F(double x) => G(x) * x;
        }
        """, "G(x) * x");

    [Fact]
    public void A_callee_with_an_int_parameter_and_a_runtime_loop_is_reported_at_the_call() => DiagnosticTests.Expect("DG0016", """
        public static partial class Model
        {
            [Differentiable] public static double Power(double x, int n)
            {
                double p = 1;
                for (int i = 0; i < n; i++) { p *= x; }
                return p;
            }

            [Differentiable] public static double F(double x, int n) => Power(x, n) + x;
        }
        """, "Power(x, n) + x", after: "F(");

    [Fact]
    public void DivRem_with_an_out_argument_is_reported_at_the_call()
    {
        var d = DiagnosticTests.Expect("DG0005", """
            public static partial class Model
            {
                [Differentiable] public static double F(double x)
                {
                    int q = Math.DivRem(7, 2, out int r);
                    return x * q + r;
                }
            }
            """, "Math.DivRem");
        Assert.Contains("ref/out", d.GetMessage());
    }

    [Fact]
    public void A_nested_tuple_deconstruction_is_reported() => DiagnosticTests.Expect("DG0005", """
        public static partial class Model
        {
            [Differentiable] public static double F(double x)
            {
                var (a, (b, c)) = (x, (x * x, 2.0));
                return a + b + c;
            }
        }
        """, "var (a, (b, c))");
}

public class DroppedMethodTests
{
    [Fact]
    public void A_differentiable_local_function_is_reported() => DiagnosticTests.Expect("DG0012", """
        public static partial class Model
        {
            public static double F(double x)
            {
                return Square(x);

                [Differentiable] static double Square(double y) => y * y;
            }
        }
        """, "Square(double y)");

    [Fact]
    public void A_call_of_an_instance_method_of_another_object_is_reported_at_the_call() => DiagnosticTests.Expect("DG0016", """
        public partial class Layer
        {
            private double _scale = 2;
            [Differentiable] public double Apply(double x) => _scale * x;
        }

        public partial class Model
        {
            private readonly Layer _layer = new();
            [Differentiable] public double F(double x) => _layer.Apply(x) + x;
        }
        """, "_layer.Apply(x)");

    [Fact]
    public void A_nodiff_callee_reading_an_instance_field_is_reported_at_the_call() => DiagnosticTests.Expect("DG0016", """
        public partial class Model
        {
            private double _scale = 2;
            [Differentiable] public double Scaled(double x, [NoDiff] double bias) => _scale * x + bias;
            [Differentiable] public double F(double x) => Scaled(x, 1.0) + x;
        }
        """, "Scaled(x, 1.0)");
}

public class AdviceTests
{
    [Fact]
    public void Break_in_a_constant_bound_loop_is_differentiated()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using DiffGen;
            public static partial class Model
            {
                [Differentiable] public static double F(double x)
                {
                    double y = x;
                    for (int i = 0; i < 10; i++)
                    {
                        if (y > 5) { break; }
                        y = y * x;
                    }

                    return y;
                }
            }
            """));
        Assert.Empty(result.Diagnostics);
        var args = new object?[] { 1.5, null };
        double value = (double)GeneratorHarness.Load(output).GetType("Model")!.GetMethod("FGradient")!.Invoke(null, args)!;
        Assert.Equal(Math.Pow(1.5, 4), value, 1e-14); // 1.5⁴ = 5.06 > 5 stops the loop
        Assert.Equal(4 * Math.Pow(1.5, 3), (double)args[1]!, 1e-13);
    }

    [Fact]
    public void A_throw_expression_is_not_called_a_conversion()
    {
        var d = DiagnosticTests.Expect("DG0005", """
            public static partial class Model
            {
                [Differentiable] public static double F(double x) => x > 0 ? x : throw new ArgumentException("x");
            }
            """, "throw");
        Assert.Contains("throw expressions are not supported", d.GetMessage());
    }

    [Fact]
    public void A_primary_constructor_parameter_is_named_as_such()
    {
        var d = DiagnosticTests.Expect("DG0005", """
            public partial class Model(double scale)
            {
                [Differentiable] public double F(double x) => scale * x;
            }
            """, "scale * x");
        Assert.Contains("primary-constructor parameters", d.GetMessage());
    }
}

public class ParallelDriverTests
{
    [Fact]
    public void Eight_parallel_runs_of_one_driver_give_identical_output()
    {
        var compilation = GeneratorHarness.Compilation("""
            using System;
            using DiffGen;
            public static partial class Model
            {
                [Differentiable(Hessian = true)]
                public static double Rosenbrock(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length - 1; i++) { double a = 1 - x[i]; double b = x[i + 1] - x[i] * x[i]; s += a * a + 100 * b * b; }
                    return s;
                }

                [Differentiable(Hessian = true)] public static double F(double x, double y) => Math.Exp(x * y) / (1 + y * y);
            }
            """);
        var driver = GeneratorHarness.Driver();
        string Run()
        {
            var result = driver.RunGenerators(compilation).GetRunResult();
            Assert.Empty(result.Diagnostics);
            Assert.All(result.Results, r => Assert.Null(r.Exception));
            return string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        }

        string expected = Run();
        var outputs = new string[8];
        System.Threading.Tasks.Parallel.For(0, outputs.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => outputs[i] = Run());
        Assert.All(outputs, o => Assert.Equal(expected, o));

        // The models the pipeline caches are shared by later runs (and IDE threads): emitted again on 8
        // threads at once, each gives the source the driver wrote and is left as it was.
        var models = driver.RunGenerators(compilation).GetRunResult().Results.Single().TrackedSteps[TrackingNames.Models]
            .SelectMany(step => step.Outputs).Select(o => (Models.MethodModel)o.Value).ToList();
        Assert.Equal(2, models.Count);
        var procedure = Assert.IsType<Models.MethodBody.Statements>(Assert.Single(models, m => m.Body is Models.MethodBody.Statements).Body).Procedure;
        int nodes = procedure.Graph.NodeCount;
        foreach (var model in models)
        {
            var emitted = new string[8];
            System.Threading.Tasks.Parallel.For(0, emitted.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 },
                i => emitted[i] = Emitting.MethodEmitter.Emit(model));
            Assert.All(emitted, e => Assert.Contains(e, expected));
        }

        Assert.Equal(nodes, procedure.Graph.NodeCount);
    }
}

public class KeywordNameTests
{
    [Fact]
    public void Keyword_names_compile_on_both_paths()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System;
            using DiffGen;
            namespace @checked;
            public static partial class @class
            {
                [Differentiable(Hessian = true)]
                public static double @in(ReadOnlySpan<double> @in, double @double, int @int)
                {
                    double @out = 0;
                    for (int @for = 0; @for < @in.Length; @for++) { @out += @in[@for] * @double * @int; }
                    return @out;
                }

                [Differentiable(Hessian = true)]
                public static double @return(double @in, double @double, int @int) => @in * @double * @int;
            }
            """));
        Assert.Empty(result.Diagnostics);
        var type = GeneratorHarness.Load(output).GetType("checked.class")!;
        var args = new object?[] { 2.0, 3.0, 4, null, null };
        Assert.Equal(24.0, (double)type.GetMethod("returnGradient")!.Invoke(null, args)!);
        Assert.Equal(12.0, (double)args[3]!);
        Assert.Equal(8.0, (double)args[4]!);
    }
}

public class OverrideHessianTests
{
    [Fact]
    public void An_override_may_add_a_Hessian_the_base_lacks_and_overrides_the_one_the_base_has()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System;
            using DiffGen;
            public partial class Base { [Differentiable] public virtual double F(double x) => x * x; }
            public partial class Derived : Base { [Differentiable(Hessian = true)] public override double F(double x) => x * x * x; }
            public partial class WithHessian { [Differentiable(Hessian = true)] public virtual double G(double x) => x * x; }
            public partial class Cubic : WithHessian { [Differentiable] public override double G(double x) => x * x * x; }
            public static class Probe
            {
                public static double SecondDerivative(WithHessian w, double x)
                {
                    Span<double> g = stackalloc double[1];
                    Span<double> h = stackalloc double[1];
                    w.GHessian(x, g, h);
                    return h[0];
                }

                public static double SecondDerivative(Derived d, double x)
                {
                    Span<double> g = stackalloc double[1];
                    Span<double> h = stackalloc double[1];
                    d.FHessian(x, g, h);
                    return h[0];
                }
            }
            """));
        Assert.Empty(result.Diagnostics);
        var assembly = GeneratorHarness.Load(output);
        var probe = assembly.GetType("Probe")!;
        double Second(string type) =>
            (double)probe.GetMethod("SecondDerivative", new[] { assembly.GetType(type == "Derived" ? "Derived" : "WithHessian")!, typeof(double) })!
                .Invoke(null, new[] { Activator.CreateInstance(assembly.GetType(type)!)!, 2.0 })!;
        Assert.Equal(12.0, Second("Cubic"));       // through the base's member: the override's (x³)'' = 6x
        Assert.Equal(2.0, Second("WithHessian"));  // the base's own: (x²)'' = 2
        Assert.Equal(12.0, Second("Derived"));     // a Hessian the base lacks
    }
}
