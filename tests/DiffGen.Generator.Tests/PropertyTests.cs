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

namespace DiffGen.Generator.Tests;

/// <summary>A random [Differentiable] method: its parameters, its body as C# source, a point and a direction.</summary>
public sealed record RandomProgram(int Arity, bool HasNoDiff, bool HasInt, string Body, double[] Point, double[] Direction)
{
    public string Source(string name)
    {
        var parameters = Enumerable.Range(0, Arity).Select(i => "double x" + i).ToList();
        if (HasNoDiff)
        {
            parameters.Add("[NoDiff] double c");
        }

        if (HasInt)
        {
            parameters.Add("int n");
        }

        return $"    [Differentiable]\n    public static double {name}({string.Join(", ", parameters)})\n{Body}\n";
    }

    public override string ToString() => Source("M");
}

/// <summary>
/// FsCheck generators of random method bodies: expressions over the parameters built from every
/// supported operation (kept inside their domains: logs of positives, bounded exponents), and statement
/// bodies with locals, compound assignment, if/else, early returns and unrolled loops.
/// </summary>
public static class Arbitraries
{
    internal static readonly string[] Unary =
    {
        "Math.Sin({0})", "Math.Cos({0})", "Math.Tanh({0})", "Math.Atan({0})", "Math.Exp(Math.Sin({0}))",
        "Math.Log(1.0 + {0} * {0})", "Math.Sqrt(2.0 + Math.Cos({0}))", "Math.Abs({0})", "(-({0}))",
        "DiffGen.Nn.Activations.Sigmoid({0})", "DiffGen.Nn.Activations.Softplus({0})", "DiffGen.Nn.Activations.Swish({0})",
        "DiffGen.Nn.Activations.Tanh({0})", "DiffGen.Nn.Activations.Elu({0})", "DiffGen.Nn.Activations.Mish({0})",
        "Math.Cbrt(2.0 + Math.Sin({0}))", "Math.Sinh(Math.Sin({0}))", "Math.Cosh(Math.Sin({0}))", "Math.Asinh({0})",
        "Math.Acos(0.5 * Math.Sin({0}))", "Math.Asin(0.5 * Math.Cos({0}))", "Math.Log2(3.0 + Math.Cos({0}))",
        "Math.Log10(3.0 + Math.Sin({0}))", "Math.Tan(0.5 * Math.Sin({0}))", "Math.Atanh(0.5 * Math.Sin({0}))",
        "Math.Acosh(2.0 + Math.Sin({0}))", "({0} * {0})",
    };

    internal static readonly string[] BinaryCalls =
    {
        "Math.Max({0}, {1})", "Math.Min({0}, {1})", "Math.Atan2({0}, 1.0 + {1} * {1})", "Math.Pow(2.0 + Math.Sin({0}), {1})",
        "Math.FusedMultiplyAdd({0}, {1}, 0.5)", "Math.Clamp({0}, -1.0, {1} * {1})", "Math.Log(2.0 + Math.Sin({0}), 3.0 + Math.Cos({1}))",
        "DiffGen.Nn.Activations.LeakyRelu({0}, 0.1) * {1}",
    };

    private static Gen<string> Literal =>
        Gen.Choose(-30, 30).Select(i => (i / 10.0).ToString("0.0#", CultureInfo.InvariantCulture));

    public static Gen<string> Expression(string[] variables, int depth)
    {
        var leaf = Gen.Frequency((3, Gen.Elements(variables)), (1, Literal));
        if (depth <= 0)
        {
            return leaf;
        }

        var sub = Expression(variables, depth - 1);
        return Gen.Frequency(
            (2, leaf),
            (4, from a in sub from b in sub from op in Gen.Elements("+", "-", "*") select $"({a} {op} {b})"),
            (1, from a in sub from b in sub select $"({a} / (1.5 + Math.Sin({b})))"),
            (4, from f in Gen.Elements(Unary) from a in sub select string.Format(CultureInfo.InvariantCulture, f, a)),
            (2, from f in Gen.Elements(BinaryCalls) from a in sub from b in sub select string.Format(CultureInfo.InvariantCulture, f, a, b)),
            (1, from a in sub from b in sub from c in sub from d in sub from cmp in Gen.Elements("<", ">", "<=", ">=")
                select $"({a} {cmp} {b} ? {c} : {d})"));
    }

    /// <summary>A block body: statements over growing sets of locals, then a return.</summary>
    private static Gen<string> Statements(string[] parameters, List<string> locals, int remaining, int loopId)
    {
        var readable = parameters.Concat(locals).ToArray();
        var ret = Expression(readable, 2).Select(e => $"        return {e};\n");
        if (remaining == 0)
        {
            return ret;
        }

        var expr = Expression(readable, 2);
        string newLocal = "v" + locals.Count;
        var withLocal = new List<string>(locals) { newLocal };
        Gen<string> Then(string text, List<string> next) => Statements(parameters, next, remaining - 1, loopId + 1).Select(rest => text + rest);

        var declare = expr.SelectMany(e => Then($"        double {newLocal} = {e};\n", withLocal));
        if (locals.Count == 0)
        {
            return declare;
        }

        var target = Gen.Elements(locals.ToArray());
        var assign = from t in target from e in expr from op in Gen.Elements("=", "+=", "-=", "*=") select $"        {t} {op} {e};\n";
        var ifElse = from t in target from a in expr from b in expr from c in expr from d in expr
                     select $"        if ({a} < {b})\n        {{\n            {t} = {c};\n        }}\n        else\n        {{\n            {t} += {d};\n        }}\n";
        var earlyReturn = from a in expr from b in expr from c in expr select $"        if ({a} > {b})\n        {{\n            return {c};\n        }}\n";
        string i = "i" + loopId;
        var loop = from t in target from k in Gen.Choose(1, 4) from e in Expression(readable.Append(i).ToArray(), 1)
                   select $"        for (int {i} = 0; {i} < {k}; {i}++)\n        {{\n            {t} = {t} * 0.5 + Math.Sin({t} + {e});\n        }}\n";
        var statement = Gen.Frequency((3, assign), (2, ifElse), (1, earlyReturn), (2, loop));
        return Gen.Frequency(
            (2, declare),
            (5, statement.SelectMany(s => Then(s, locals))));
    }

    private static Gen<double[]> Vector(int n) =>
        Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(k => k / 1000.0), n);

    public static Gen<RandomProgram> Program =>
        from arity in Gen.Choose(1, 3)
        from noDiff in Gen.Elements(false, true)
        from hasInt in Gen.Elements(false, true)
        let variables = Enumerable.Range(0, arity).Select(k => "x" + k)
            .Concat(noDiff ? new[] { "c" } : Array.Empty<string>())
            .Concat(hasInt ? new[] { "n" } : Array.Empty<string>()).ToArray()
        from block in Gen.Elements(false, true)
        from count in Gen.Choose(1, 5)
        from body in block
            ? Statements(variables, new List<string>(), count, 0).Select(s => "    {\n" + s + "    }")
            : Expression(variables, 4).Select(e => "        => " + e + ";")
        from point in Vector(arity)
        from direction in Vector(arity)
        select new RandomProgram(arity, noDiff, hasInt, body, point, direction);

    /// <summary>A batch of programs, compiled together into one assembly.</summary>
    public static Arbitrary<RandomProgram[]> Batch(int size) => Gen.ArrayOf(Program, size).ToArbitrary();
}

/// <summary>The batches of the property below, registered with FsCheck.</summary>
public static class ProgramBatches
{
    public const int Size = 50;

    public static Arbitrary<RandomProgram[]> Batch() => Arbitraries.Batch(Size);
}

public class PropertyTests
{
    private const int Batches = 11;
    private const double H = 1e-20;

    /// <summary>
    /// Random methods → generator → Roslyn compilation in memory → load → for each method at a random
    /// point: gradient = complex step of the generated Complex overload (1e-9 relative) and
    /// tangent = gradient · direction. 11 batches of 50 methods: 550 programs. A failure prints the
    /// batch and the seed to replay it with.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(ProgramBatches) }, MaxTest = Batches, StartSize = 20, EndSize = 20, Replay = "(20261130,20261201)")]
    public void Generated_gradients_equal_complex_step_and_tangents_equal_gradient_dot_direction(RandomProgram[] programs)
    {
        Assert.Equal(ProgramBatches.Size, programs.Length);
        CheckBatch(programs);
    }

    private static void CheckBatch(RandomProgram[] programs)
    {
        var source = new StringBuilder("using System;\nusing DiffGen;\n\npublic static partial class Batch\n{\n");
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

        var type = GeneratorHarness.Load(output).GetType("Batch")!;
        for (int k = 0; k < programs.Length; k++)
        {
            CheckProgram(type, "M" + k, programs[k]);
        }
    }

    private static void CheckProgram(Type type, string name, RandomProgram p)
    {
        int n = p.Arity;
        var constants = new List<object>();
        if (p.HasNoDiff)
        {
            constants.Add(0.7);
        }

        if (p.HasInt)
        {
            constants.Add(2);
        }

        object[] Args(IEnumerable<object> head, int tail) => head.Concat(constants).Concat(Enumerable.Repeat<object>(0.0, tail)).ToArray();

        var primal = Find(type, name, n, p, typeof(double));
        double value = (double)primal.Invoke(null, Args(p.Point.Cast<object>(), 0))!;

        var gradientMethod = type.GetMethod(name + "Gradient")!;
        var gradientArgs = Args(p.Point.Cast<object>(), n);
        double gValue = (double)gradientMethod.Invoke(null, gradientArgs)!;
        var gradient = gradientArgs.Skip(gradientArgs.Length - n).Select(o => (double)o).ToArray();

        var tangentMethod = type.GetMethod(name + "Tangent")!;
        var tangentArgs = p.Point.Cast<object>().Concat(constants).Concat(p.Direction.Cast<object>()).Append(0.0).ToArray();
        double tValue = (double)tangentMethod.Invoke(null, tangentArgs)!;
        double tangent = (double)tangentArgs[^1];

        if (!double.IsFinite(value))
        {
            return; // outside the domain at this point (e.g. a large power): nothing to compare
        }

        string where = $"{name} at ({string.Join(", ", p.Point)}):\n{p.Source(name)}";
        Close(value, gValue, 1e-12, "value of Gradient", where);
        Close(value, tValue, 1e-12, "value of Tangent", where);

        var complex = Find(type, name, n, p, typeof(Complex));
        double dot = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            var z = new object[n];
            for (int j = 0; j < n; j++)
            {
                z[j] = new Complex(p.Point[j], i == j ? H : 0.0);
            }

            var fz = (Complex)complex.Invoke(null, z.Concat(constants.Select(c => c is double d ? (object)new Complex(d, 0) : c)).ToArray())!;
            Close(fz.Imaginary / H, gradient[i], 1e-9, $"∂/∂x{i} vs complex step", where);
            dot += gradient[i] * p.Direction[i];
            scale += Math.Abs(gradient[i] * p.Direction[i]);
        }

        Assert.True(Math.Abs(dot - tangent) <= 1e-10 * Math.Max(1.0, scale), $"tangent {tangent:R} vs gradient·direction {dot:R}: {where}");
    }

    private static MethodInfo Find(Type type, string name, int n, RandomProgram p, Type element)
    {
        var types = Enumerable.Repeat(element, n).ToList();
        if (p.HasNoDiff)
        {
            types.Add(element);
        }

        if (p.HasInt)
        {
            types.Add(typeof(int));
        }

        return type.GetMethod(name, types.ToArray()) ?? throw new MissingMethodException(name);
    }

    private static void Close(double expected, double actual, double relative, string what, string where)
    {
        double tolerance = relative * Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance || expected == actual,
            $"{what}: expected {expected:R}, got {actual:R}. {where}");
    }
}
