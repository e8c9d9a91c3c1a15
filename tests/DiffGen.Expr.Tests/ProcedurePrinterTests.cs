using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Text;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>Printed procedures (value, gradient, tangent, Hessian-vector) compile and equal the interpreter bit for bit.</summary>
public class ProcedurePrinterTests
{
    private static string Signature(Procedure p, bool complex)
    {
        string real = complex ? "Complex" : "double";
        return string.Join(", ", p.Parameters.Select(x => x.Kind switch
        {
            ValueKind.Integer => "int " + x.Name,
            ValueKind.Array when x.IsOutput => $"Span<{real}> {x.Name}",
            ValueKind.Array => $"ReadOnlySpan<{real}> {x.Name}",
            _ when x.IsOutput => $"out {real} {x.Name}",
            _ => $"{real} {x.Name}",
        }));
    }

    private static string Method(Procedure p, string name, bool complex = false)
    {
        var printer = new ProcedurePrinter(p, new NameBuilder(), complex);
        return $"    public static {(complex ? "Complex" : "double")} {name}({Signature(p, complex)})\n    {{\n{printer.PrintBody()}    }}\n";
    }

    private static Assembly Build(IEnumerable<(Procedure P, string Name, bool Complex)> methods)
    {
        var source = new StringBuilder("using System;\nusing System.Numerics;\npublic static class Printed\n{\n");
        foreach (var (p, name, complex) in methods)
        {
            source.Append(Method(p, name, complex));
        }

        source.Append("}\n");
        return EmittedCodeTests.Compile(source.ToString());
    }

    // Reflection cannot pass spans, so each test calls through a small printed adapter taking arrays.
    private static object?[] Arguments(Procedure p, Dictionary<string, double> scalars, Dictionary<string, double[]> arrays) =>
        p.Parameters.Select(x => x.Kind switch
        {
            ValueKind.Integer => (object)(int)scalars[x.Name],
            ValueKind.Array => arrays[x.Name],
            _ when x.IsOutput => 0.0,
            _ => scalars[x.Name],
        }).ToArray();

    private static string Adapter(Procedure p, string name)
    {
        var parameters = string.Join(", ", p.Parameters.Select(x => x.Kind switch
        {
            ValueKind.Integer => "int " + x.Name,
            ValueKind.Array => $"double[] {x.Name}",
            _ when x.IsOutput => $"out double {x.Name}",
            _ => $"double {x.Name}",
        }));
        var arguments = string.Join(", ", p.Parameters.Select(x => x.Kind == ValueKind.Real && x.IsOutput ? "out " + x.Name : x.Name));
        return $"    public static double {name}Array({parameters}) => {name}({arguments});\n";
    }

    [Theory]
    [MemberData(nameof(ProcedureTests.Cases), MemberType = typeof(ProcedureTests))]
    public void Printed_value_gradient_tangent_and_hessian_vector_equal_the_interpreter(string name)
    {
        var (p, scalars, arrays) = ProcedureTests.Case(name);
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var tangent = ProcedureDerivatives.Tangent(p, n => "t" + n);
        var hvp = ProcedureDerivatives.Tangent(gradient, n => "t" + n);
        var kinds = new[] { (p, "F"), (gradient, "G"), (tangent, "T"), (hvp, "H") };

        var source = new StringBuilder("using System;\nusing System.Numerics;\npublic static class Printed\n{\n");
        foreach (var (proc, n) in kinds)
        {
            source.Append(Method(proc, n)).Append(Adapter(proc, n));
        }

        source.Append(Method(p, "C", complex: true));
        source.Append("}\n");
        var type = EmittedCodeTests.Compile(source.ToString()).GetType("Printed")!;

        if (name == "batch")
        {
            // the batch's products are computed, and its weight updates applied, a block of samples at a time
            Assert.Contains("LoopKernels.RowDots(w, 0, 20, 6, x,", source.ToString(), StringComparison.Ordinal);
            Assert.Contains("LoopKernels.AddOuterProducts(dw, 0, 20, 6,", source.ToString(), StringComparison.Ordinal);
        }

        // Loops printed as vectorized kernels sum in another order: equal to rounding, not to the bit.
        bool reassociated = source.ToString().Contains("LoopKernels.", StringComparison.Ordinal);
        void Same(double expected, double actual)
        {
            if (reassociated)
            {
                Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Max(1.0, Math.Abs(expected)), $"{actual:R} vs {expected:R}");
            }
            else
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
            }
        }

        var random = new Random(3);
        foreach (var (proc, n) in kinds)
        {
            var s = new Dictionary<string, double>(scalars);
            var a = arrays.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
            foreach (var x in proc.Parameters.Where(x => !p.Parameters.Contains(x)))
            {
                if (x.Kind == ValueKind.Array)
                {
                    a[x.Name] = x.IsOutput ? new double[arrays[x.Name.Substring(x.Name.StartsWith("td", StringComparison.Ordinal) ? 2 : 1)].Length]
                        : arrays[x.Name.Substring(1)].Select(_ => random.NextDouble() - 0.5).ToArray();
                }
                else if (!x.IsOutput)
                {
                    s[x.Name] = random.NextDouble() - 0.5;
                }
            }

            var printedArrays = a.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
            var args = Arguments(proc, s, printedArrays);
            double printed = (double)type.GetMethod(n + "Array")!.Invoke(null, args)!;
            double interpreted = ProcedureInterpreter.Run(proc, s, a);

            Same(interpreted, printed);
            for (int k = 0; k < proc.Parameters.Count; k++)
            {
                var x = proc.Parameters[k];
                if (!x.IsOutput)
                {
                    continue;
                }

                if (x.Kind == ValueKind.Array)
                {
                    for (int i = 0; i < a[x.Name].Length; i++)
                    {
                        Same(a[x.Name][i], printedArrays[x.Name][i]);
                    }
                }
                else
                {
                    Same(s[x.Name], (double)args[k]!);
                }
            }
        }

        // The complex-step overload: the same procedure over Complex.
        var cs = scalars.ToDictionary(kv => kv.Key, kv => new Complex(kv.Value, 0.25));
        var ca = arrays.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => new Complex(v, 1e-20)).ToArray());
        var expected = ProcedureInterpreter.Run(p, cs, ca);
        Assert.NotNull(type.GetMethod("C"));
        Assert.False(double.IsNaN(expected.Imaginary));
    }

    [Fact]
    public void Gradient_code_keeps_loops_as_loops_whatever_the_trip_count()
    {
        var gradient = ProcedureDerivatives.Gradient(ProcedureTests.Rosenbrock(), n => "d" + n);
        string code = new ProcedurePrinter(gradient, new NameBuilder()).PrintBody();
        // one loop: the reverse loop runs inside the forward loop (ReverseFusion), its iterations being independent
        Assert.Equal(1, code.Split("for (int i").Length - 1);
        Assert.Contains("for (int i = 0; i < x.Length - 1; i++)", code);
        Assert.Contains("dx.Clear();", code);
        // each element stored once by its trip, dx[i + 1]'s part carried in a local (AdjointSimplification)
        Assert.Contains("dx[i] = ", code);
    }
}
