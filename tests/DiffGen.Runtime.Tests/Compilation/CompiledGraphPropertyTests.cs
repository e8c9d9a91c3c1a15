using System;
using System.Globalization;
using System.Numerics;
using DiffGen.Compilation;
using DiffGen.Expr;
using DiffGen.Expr.Tests;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DiffGen.Runtime.Tests.Compilation;

/// <summary>
/// Compiled graphs on random expression graphs (the Expr tests' generators): equal to the
/// <see cref="Schedule"/> interpreter bit for bit, equal to complex step, and — with Dual and the tape —
/// equal to Expr's reverse-mode gradient. A failure prints the case and the seed to replay it with.
/// </summary>
public class CompiledGraphPropertyTests
{
    private readonly Tape _tape = new();

    /// <summary>f and ∇f from the interpreter: the reference every compiled delegate must reproduce.</summary>
    internal static (double Value, double[] Gradient) Interpreted(Node f, Node[] vars, double[] point)
    {
        var outputs = new Node[vars.Length + 1];
        outputs[0] = f;
        Derivatives.Gradient(f, vars).CopyTo(outputs, 1);
        var values = new double[outputs.Length];
        new Schedule(outputs, vars).Evaluate(point, values);
        return (values[0], values[1..]);
    }

    private static void AssertSameBits(double expected, double actual, string what)
    {
        bool same = BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)
            || (double.IsNaN(expected) && double.IsNaN(actual));
        Assert.True(same, string.Create(CultureInfo.InvariantCulture, $"{what}: interpreter {expected:R}, compiled {actual:R}"));
    }

    private static bool CompiledEqualsInterpreter(ExprCase c, GraphBackend backend)
    {
        var (_, f, vars) = c.Build();
        var (value, gradient) = Interpreted(f, vars, c.Point);
        var compiled = backend.CompileGradient(f, vars);
        var actual = new double[vars.Length];
        double actualValue = compiled.Evaluate(c.Point, actual);
        AssertSameBits(value, actualValue, $"{c}: f");
        for (int i = 0; i < vars.Length; i++)
        {
            AssertSameBits(gradient[i], actual[i], $"{c}: ∂f/∂x{i}");
        }

        return true;
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 500, QuietOnSuccess = true)]
    public bool Expression_trees_equal_the_interpreter_bit_for_bit(ExprCase c)
    {
        return CompiledEqualsInterpreter(c, GraphBackend.ExpressionTrees);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 40, QuietOnSuccess = true)]
    public bool Roslyn_equals_the_interpreter_bit_for_bit(ExprCase c)
    {
        // Each case is a Roslyn compilation (tens of milliseconds), so fewer cases.
        return CompiledEqualsInterpreter(c, RoslynBackend.Instance);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 200, QuietOnSuccess = true)]
    public void Multi_output_function_equals_the_interpreter_bit_for_bit(ExprCase c)
    {
        var (g, f, vars) = c.Build();
        // f, its gradient and a second function sharing f's subexpressions.
        var outputs = new Node[vars.Length + 2];
        outputs[0] = f;
        Derivatives.Gradient(f, vars).CopyTo(outputs, 1);
        outputs[^1] = g.Sin(f) * vars[0];
        var expected = new double[outputs.Length];
        new Schedule(outputs, vars).Evaluate(c.Point, expected);
        var actual = new double[outputs.Length];
        GraphBackend.ExpressionTrees.Compile(outputs, vars).Evaluate(c.Point, actual);
        for (int i = 0; i < outputs.Length; i++)
        {
            AssertSameBits(expected[i], actual[i], $"{c}: output {i}");
        }
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 500, QuietOnSuccess = true)]
    public void Compiled_gradient_equals_complex_step(ExprCase c)
    {
        var (_, f, vars) = c.Build();
        var gradient = new double[vars.Length];
        GraphBackend.ExpressionTrees.CompileGradient(f, vars).Evaluate(c.Point, gradient);

        // Im f(x + ih·eⱼ)/h through Expr's Schedule over Complex (ComplexPrimitives), h = 1e-20.
        var schedule = new Schedule(new[] { f }, vars);
        var z = new Complex[vars.Length];
        var result = new Complex[1];
        for (int j = 0; j < vars.Length; j++)
        {
            for (int k = 0; k < z.Length; k++)
            {
                z[k] = new Complex(c.Point[k], k == j ? Oracles.ComplexStep : 0.0);
            }

            schedule.Evaluate(z, result);
            double complexStep = result[0].Imaginary / Oracles.ComplexStep;
            // the same bar as the Expr engine's own complex-step property: 1e-10 relative, floor 1
            Oracles.AssertClose(complexStep, gradient[j], 1e-10, 1e-10, $"{c}: ∂f/∂x{j}");
        }
    }

    /// <summary>
    /// |a − b| ≤ tol·max(1, |a|, |b|). Dual and the tape use their own (equivalent) derivative formulas
    /// (σ' as e^−|x|/(1 + e^−|x|)² rather than σ(x)σ(−x), GELU through Activations, …), so they agree
    /// with the engine to rounding amplified by the random graph's conditioning: 1e−12 fails about one
    /// run in four at a few ulps over; 1e−10 is the bar the complex-step checks use too.
    /// </summary>
    private static void AssertAgree(double expected, double actual, string what)
    {
        const double tolerance = 1e-10;
        double scale = Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale,
            string.Create(CultureInfo.InvariantCulture, $"{what}: Expr reverse mode {expected:R}, got {actual:R}, difference {Math.Abs(expected - actual):G3}"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, QuietOnSuccess = true)]
    public void Dual_tape_and_compiled_graphs_agree_with_the_Expr_engine(ExprCase c)
    {
        var (_, f, vars) = c.Build();
        var (value, reverse) = Interpreted(f, vars, c.Point);
        int n = vars.Length;

        // Forward mode: one Dual pass per variable.
        for (int j = 0; j < n; j++)
        {
            var x = new Dual[n];
            for (int k = 0; k < n; k++)
            {
                x[k] = new Dual(c.Point[k], k == j ? 1.0 : 0.0);
            }

            var y = SpecEvaluator.Evaluate(c.Spec, x, DualOps.Instance);
            AssertAgree(value, y.Value, $"{c}: Dual f");
            AssertAgree(reverse[j], y.Derivative, $"{c}: Dual ∂f/∂x{j}");
        }

        // Reverse mode on the _tape: one pass, one backward sweep.
        _tape.Reset();
        var v = new Var[n];
        for (int k = 0; k < n; k++)
        {
            v[k] = _tape.Variable(c.Point[k]);
        }

        var output = SpecEvaluator.Evaluate(c.Spec, v, new VarOps(_tape));
        _tape.Backward(output);
        AssertAgree(value, output.Value, $"{c}: _tape f");
        for (int j = 0; j < n; j++)
        {
            AssertAgree(reverse[j], _tape.Grad(v[j]), $"{c}: _tape ∂f/∂x{j}");
        }

        // The compiled delegate (bit-identical to the interpreter, see above; checked here to the same tolerance).
        var compiled = new double[n];
        double compiledValue = GraphBackend.ExpressionTrees.CompileGradient(f, vars).Evaluate(c.Point, compiled);
        AssertAgree(value, compiledValue, $"{c}: compiled f");
        for (int j = 0; j < n; j++)
        {
            AssertAgree(reverse[j], compiled[j], $"{c}: compiled ∂f/∂x{j}");
        }
    }
}
