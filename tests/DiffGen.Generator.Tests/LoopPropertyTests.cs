using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace DiffGen.Generator.Tests;

/// <summary>A random method over a span: a loop body of random statements, then a return; a point and a direction.</summary>
public sealed record RandomLoopProgram(string Body, double[] X, double Y, double[] Vx, double Vy)
{
    public string Source(string name) =>
        $"    [Differentiable]\n    public static double {name}(ReadOnlySpan<double> x, double y)\n    {{\n{Body}    }}\n" +
        // reflection cannot pass spans: adapters over arrays
        $"    public static double {name}_G(double[] x, double y, double[] dx, out double dy) => {name}Gradient(x, y, dx, out dy);\n" +
        $"    public static double {name}_T(double[] x, double y, double[] tx, double ty, out double t) => {name}Tangent(x, y, tx, ty, out t);\n" +
        $"    public static double {name}_H(double[] x, double y, double[] vx, double vy, double[] hx, out double hy) => {name}HessianVector(x, y, vx, vy, hx, out hy);\n" +
        $"    public static Complex {name}_C(Complex[] x, Complex y) => {name}(x, y);\n";

    public override string ToString() => Source("M") + $"x = [{string.Join(", ", X)}], y = {Y}";
}

/// <summary>Random loop bodies over spans: accumulations, recurrences, branches, a local span written then read, the counter in expressions.</summary>
public static class LoopArbitraries
{
    private static Gen<string> Statement(string[] readable) =>
        Gen.Frequency(
            (4, Arbitraries.Expression(readable, 2).Select(e => $"            s += {e};\n")),
            (3, Arbitraries.Expression(readable, 2).Select(e => $"            t = 0.5 * t + Math.Sin({e});\n")),
            (1, Arbitraries.Expression(readable, 1).Select(e => $"            s *= 0.5 + 0.25 * Math.Tanh({e});\n")),
            (2, from a in Arbitraries.Expression(readable, 1) from b in Arbitraries.Expression(readable, 1)
                from c in Arbitraries.Expression(readable, 2) from d in Arbitraries.Expression(readable, 2)
                select $"            if ({a} < {b})\n            {{\n                s += {c};\n            }}\n            else\n            {{\n                t = t * 0.5 + Math.Tanh({d});\n            }}\n"),
            (2, Arbitraries.Expression(readable, 2).Select(e => $"            h[i] = {e};\n")));

    public static Gen<RandomLoopProgram> Program =>
        from n in Gen.Choose(1, 6)
        from init in Arbitraries.Expression(new[] { "y" }, 2)
        from count in Gen.Choose(1, 4)
        from statements in Gen.ArrayOf(Statement(new[] { "x[i]", "y", "t", "s", "h[i]", "(0.25 * i)", "x[(i + 1) % x.Length]" }), count)
        from after in Arbitraries.Expression(new[] { "x[i]", "h[i]", "y", "t" }, 1)
        from result in Arbitraries.Expression(new[] { "s", "t", "y" }, 2)
        from x in Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(k => k / 1000.0), n)
        from y in Gen.Choose(-2000, 2000).Select(k => k / 1000.0)
        from vx in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(k => k / 1000.0), n)
        from vy in Gen.Choose(-1000, 1000).Select(k => k / 1000.0)
        let body =
            "        Span<double> h = stackalloc double[x.Length];\n" +
            $"        double s = {init};\n" +
            "        double t = 0.0;\n" +
            "        for (int i = 0; i < x.Length; i++)\n        {\n" + string.Concat(statements) + "        }\n\n" +
            "        for (int i = x.Length - 1; i >= 0; i--)\n        {\n" + $"            s += 0.5 * Math.Sin({after});\n" + "        }\n\n" +
            $"        return {result} + 0.125 * Math.Sin(t + s);\n"
        select new RandomLoopProgram(body, x, y, vx, vy);

    public static Arbitrary<RandomLoopProgram[]> Batch(int size) => Gen.ArrayOf(Program, size).ToArbitrary();
}

/// <summary>The batches of the property below, registered with FsCheck.</summary>
public static class LoopProgramBatches
{
    public const int Size = 45;

    public static Arbitrary<RandomLoopProgram[]> Batch() => LoopArbitraries.Batch(Size);
}

public class LoopPropertyTests(ITestOutputHelper output)
{
    private const int Batches = 6;
    private const double H = 1e-20;
    private static int _judgedHv;
    private static int _unjudgedHv;

    /// <summary>
    /// Random loop bodies over spans → generator → compiled in memory → for each method: gradient (span and
    /// scalar) = complex step of the generated Complex overload (1e-9 relative, floor 1), tangent = gradient·v,
    /// Hessian-vector product = central differences of the generated gradient. 6 batches of 45: 270 programs;
    /// in each batch at least three in four must land where the oracles can judge them, and finite
    /// differences must judge at least four H·v components for each one they cannot. A failure prints the
    /// batch and the seed to replay it with.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(LoopProgramBatches) }, MaxTest = Batches, StartSize = 20, EndSize = 20, Replay = "(20261130,20261201)")]
    public void Generated_loop_gradients_equal_complex_step(RandomLoopProgram[] programs)
    {
        _judgedHv = 0;
        _unjudgedHv = 0;
        int judged = CheckBatch(programs);
        output.WriteLine($"{judged} of {programs.Length} programs judged; H·v components judged {_judgedHv}, not {_unjudgedHv}");
        Assert.True(4 * judged >= 3 * programs.Length, $"only {judged} of {programs.Length} programs were checked");
        Assert.True(_judgedHv >= 4 * _unjudgedHv, $"finite differences judged only {_judgedHv} H·v components ({_unjudgedHv} not)");
    }

    /// <summary>Compiles the batch and checks every program; returns how many could be judged.</summary>
    private static int CheckBatch(RandomLoopProgram[] programs)
    {
        var source = new StringBuilder("using System;\nusing System.Numerics;\nusing DiffGen;\n\npublic static partial class Loops\n{\n");
        for (int k = 0; k < programs.Length; k++)
        {
            source.Append(programs[k].Source("M" + k));
        }

        source.Append("}\n");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source.ToString()));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics) + "\n" + source);
        if (Environment.GetEnvironmentVariable("DIFFGEN_DUMP") is { } dump)
        {
            System.IO.File.WriteAllText(dump, string.Join("\n", output.SyntaxTrees.Select(t => "//// " + t.FilePath + "\n" + t)));
        }

        var type = GeneratorHarness.Load(output).GetType("Loops")!;
        int judged = 0;
        for (int k = 0; k < programs.Length; k++)
        {
            if (CheckProgram(type, "M" + k, programs[k]))
            {
                judged++;
            }
        }

        return judged;
    }

    /// <summary>Checks one program; false when the point is outside the program's tame domain (nothing asserted).</summary>
    private static bool CheckProgram(Type type, string name, RandomLoopProgram p)
    {
        int n = p.X.Length;
        string where = p.Source(name) + $"\nx = [{string.Join(", ", p.X.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], y = {p.Y:R}, vx = [{string.Join(", ", p.Vx.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], vy = {p.Vy:R}";
        var dx = new double[n];
        var gArgs = new object[] { p.X, p.Y, dx, 0.0 };
        double value = (double)type.GetMethod(name + "_G")!.Invoke(null, gArgs)!;
        double dy = (double)gArgs[3];
        // Outside the domain, or values so large (s += s² recurrences reach 1e30) that complex arithmetic
        // overflows where doubles do not: no oracle can judge such a point.
        if (!Tame(value) || dx.Any(d => !Tame(d)) || !Tame(dy))
        {
            return false;
        }

        var complex = type.GetMethod(name + "_C")!;
        Complex Run(Complex[] x, Complex y) => (Complex)complex.Invoke(null, new object[] { x, y })!;
        var z = p.X.Select(v => new Complex(v, 0)).ToArray();
        // the Complex overload's real part follows the double code through ComplexPrimitives, whose
        // rounding differs from Math's by ulps; ill-conditioned random programs amplify that
        Close(value, Run(z, p.Y).Real, 1e-9, "complex overload's value", where);
        for (int i = 0; i < n; i++)
        {
            var zi = (Complex[])z.Clone();
            zi[i] = new Complex(p.X[i], H);
            Close(Run(zi, p.Y).Imaginary / H, dx[i], 1e-9, $"∂/∂x[{i}] vs complex step", where);
        }

        Close(Run(z, new Complex(p.Y, H)).Imaginary / H, dy, 1e-9, "∂/∂y vs complex step", where);

        var tArgs = new object[] { p.X, p.Y, p.Vx, p.Vy, 0.0 };
        double tValue = (double)type.GetMethod(name + "_T")!.Invoke(null, tArgs)!;
        Close(value, tValue, 1e-12, "tangent's value", where);
        double dot = dy * p.Vy, scale = Math.Abs(dy * p.Vy);
        for (int i = 0; i < n; i++)
        {
            dot += dx[i] * p.Vx[i];
            scale += Math.Abs(dx[i] * p.Vx[i]);
        }

        Assert.True(Math.Abs(dot - (double)tArgs[4]) <= 1e-10 * Math.Max(1.0, scale), $"tangent {(double)tArgs[4]:R} vs gradient·v {dot:R}: {where}");

        // H·v against central differences of the gradient (loose: finite differences)
        var hx = new double[n];
        var hArgs = new object[] { p.X, p.Y, p.Vx, p.Vy, hx, 0.0 };
        Close(value, (double)type.GetMethod(name + "_H")!.Invoke(null, hArgs)!, 1e-12, "Hessian-vector product's value", where);
        const double e = 1e-6;
        double[] Gradient(double sign, out double gy)
        {
            var x = p.X.Select((v, i) => v + sign * e * p.Vx[i]).ToArray();
            var d = new double[n];
            var args = new object[] { x, p.Y + sign * e * p.Vy, d, 0.0 };
            type.GetMethod(name + "_G")!.Invoke(null, args);
            gy = (double)args[3];
            return d;
        }

        var plus = Gradient(1, out double gyPlus);
        var minus = Gradient(-1, out double gyMinus);
        var plus2 = Gradient(2, out double gyPlus2);
        var minus2 = Gradient(-2, out double gyMinus2);
        double hvScale = Math.Max(Math.Abs((double)hArgs[5]), hx.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < n; i++)
        {
            FdClose(plus[i], minus[i], plus2[i], minus2[i], dx[i], e, hx[i], hvScale, $"(Hv)[{i}]", where);
        }

        FdClose(gyPlus, gyMinus, gyPlus2, gyMinus2, dy, e, (double)hArgs[5], hvScale, "(Hv)_y", where);
        return true;
    }

    private static bool Tame(double v) => double.IsFinite(v) && Math.Abs(v) < 1e8;

    /// <summary>
    /// H·v against the central difference of the gradient g along v. Finite differences are judged only where
    /// they are consistent: central differences at steps ε and 2ε agree, and so do the one-sided differences
    /// (g(x + εv) − g(x))/ε and (g(x) − g(x − εv))/ε. Where they are not (a branch switches, or the point sits
    /// on a kink of min/max/relu, where the central difference averages the two one-sided slopes and H·v
    /// takes the branch's), finite differences say nothing and the component is not judged.
    /// </summary>
    private static void FdClose(double plus, double minus, double plus2, double minus2, double at, double e,
        double actual, double scale, string what, string where)
    {
        double fd = (plus - minus) / (2 * e), fd2 = (plus2 - minus2) / (4 * e);
        double forward = (plus - at) / e, backward = (at - minus) / e;
        double tolerance = 1e-4 * Math.Max(1.0, scale);
        if (!double.IsFinite(fd) || !double.IsFinite(fd2) || Math.Abs(fd - fd2) > tolerance / 4
            || Math.Abs(forward - backward) > tolerance / 4)
        {
            _unjudgedHv++;
            return;
        }

        _judgedHv++;
        Assert.True(Math.Abs(fd - actual) <= tolerance, $"{what}: {actual:R} vs central difference {fd:R}. {where}");
    }

    private static void Close(double expected, double actual, double relative, string what, string where)
    {
        double tolerance = relative * Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance || expected == actual, $"{what}: expected {expected:R}, got {actual:R}. {where}");
    }
}
