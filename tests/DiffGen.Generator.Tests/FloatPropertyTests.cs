using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck.Xunit;

namespace DiffGen.Generator.Tests;

/// <summary>
/// The random programs of <see cref="PropertyTests"/>, written over float (float parameters, locals and
/// literals, MathF, PrimitivesF), through the generator. Bit equality of values is the sharp property: the
/// members' values must be the primal's bits, which holds only where every operation, literal, fold and
/// function is float as in C#. Derivatives use the same rules as double (checked to 1e-9 there); here they
/// are checked against complex step to a looser bound than the consumer tests' 1e-5, since random bodies nest 4 deep through exp and pow
/// and their float rounding is amplified by the programs' own condition (the precise float tolerance is in
/// the consumer tests, on models of known condition).
/// </summary>
public class FloatPropertyTests
{
    private const int Batches = 3;
    private const double H = 1e-20;

    /// <summary>
    /// Relative to max(1, |complex step|): about 840 float ulps, past the rounding of these bodies (1.1e-6 at
    /// worst over the 108 programs of the fixed seeds) and far below a wrong rule or a wrongly wired input (O(1)).
    /// </summary>
    private const double SanityBound = 1e-4;

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FloatPropertyTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    /// <summary>The same program over float: the types, literals and functions C# has for float.</summary>
    internal static string? ToFloat(string source)
    {
        if (source.Contains("Swish", StringComparison.Ordinal) || source.Contains("Mish", StringComparison.Ordinal)
            || source.Contains("Activations.Elu", StringComparison.Ordinal))
        {
            return null; // no float twin in MathF or PrimitivesF
        }

        string text = Regex.Replace(source, @"\bdouble\b", "float")
            .Replace("Math.", "MathF.", StringComparison.Ordinal)
            .Replace("MathF.Clamp", "Math.Clamp", StringComparison.Ordinal) // MathF has no Clamp; Math.Clamp(float, …) is float
            .Replace("DiffGen.Nn.Activations.Tanh", "MathF.Tanh", StringComparison.Ordinal)
            .Replace("DiffGen.Nn.Activations.", "DiffGen.Expr.PrimitivesF.", StringComparison.Ordinal);
        return Regex.Replace(text, @"(?<![\w.])(\d+\.\d+)(?![\w.])", "$1f");
    }

    [Property(Arbitrary = new[] { typeof(ProgramBatches) }, MaxTest = Batches, StartSize = 20, EndSize = 20, Replay = "(20261130,20261201)")]
    public void Float_programs_generate_with_values_bit_equal_to_the_primal(RandomProgram[] programs)
    {
        var source = new StringBuilder("using System;\nusing DiffGen;\n\npublic static partial class FloatBatch\n{\n");
        var kept = new List<(string Name, RandomProgram Program, string Source)>();
        for (int k = 0; k < programs.Length; k++)
        {
            if (ToFloat(programs[k].Source("M" + k)) is { } text)
            {
                source.Append(text);
                kept.Add(("M" + k, programs[k], text));
            }
        }

        source.Append("}\n");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source.ToString()));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics) + "\n" + source);
        var type = GeneratorHarness.Load(output).GetType("FloatBatch")!;
        var errors = new List<double>();
        foreach (var (name, program, text) in kept)
        {
            if (Check(type, name, program, text) is { } error)
            {
                errors.Add(error);
            }
        }

        errors.Sort();
        Assert.NotEmpty(errors);
        _output.WriteLine($"{kept.Count} float programs; gradient vs complex step, relative to max(1, |∂|): median {errors[errors.Count / 2]:E1}, largest {errors[^1]:E1}");
    }

    /// <summary>
    /// The random loop programs of <see cref="LoopPropertyTests"/> over float spans (a stack span, accumulations,
    /// recurrences, branches, loops kept as loops and the reverse sweep's saved values): the values of Gradient,
    /// Tangent and HessianVector equal the primal's bits, and the gradient is within the bound of complex step.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(LoopProgramBatches) }, MaxTest = 2, StartSize = 20, EndSize = 20, Replay = "(20261130,20261201)")]
    public void Float_loop_programs_generate_with_values_bit_equal_to_the_primal(RandomLoopProgram[] programs)
    {
        var source = new StringBuilder("using System;\nusing System.Numerics;\nusing DiffGen;\n\npublic static partial class FloatLoops\n{\n");
        var kept = new List<int>();
        for (int k = 0; k < programs.Length; k++)
        {
            if (ToFloat(programs[k].Source("M" + k)) is { } text)
            {
                source.Append(text).Append($"    public static float M{k}_P(float[] x, float y) => M{k}(x, y);\n");
                kept.Add(k);
            }
        }

        source.Append("}\n");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source.ToString()));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics) + "\n" + source);
        var type = GeneratorHarness.Load(output).GetType("FloatLoops")!;
        double worst = 0;
        int judged = 0;
        foreach (int k in kept)
        {
            var p = programs[k];
            var x = p.X.Select(v => (float)v).ToArray();
            float y = (float)p.Y;
            float value = (float)type.GetMethod($"M{k}_P")!.Invoke(null, new object[] { x, y })!;
            if (!float.IsFinite(value))
            {
                continue;
            }

            string where = $"M{k} at x = [{string.Join(", ", x)}], y = {y}:\n{ToFloat(p.Source("M" + k))}";
            var dx = new float[x.Length];
            var g = new object[] { x, y, dx, 0f };
            var vx = p.Vx.Select(v => (float)v).ToArray();
            var t = new object[] { x, y, vx, (float)p.Vy, 0f };
            var h = new object[] { x, y, vx, (float)p.Vy, new float[x.Length], 0f };
            foreach (var (member, args) in new[] { ("_G", g), ("_T", t), ("_H", h) })
            {
                float other = (float)type.GetMethod($"M{k}{member}")!.Invoke(null, args)!;
                Assert.True(BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(other), $"{member}'s value {other:R} is not the primal's {value:R}: {where}");
            }

            // As in LoopPropertyTests, recurrences (s *= …, s += s²) can grow values without bound, and float
            // rounding grows with them: the gradient is judged only where the value and the gradient are tame.
            if (!(Math.Abs(value) < 1e6 && dx.All(d => Math.Abs(d) < 1e6) && Math.Abs((float)g[3]) < 1e6))
            {
                continue;
            }

            var zx = new Complex[x.Length];
            for (int i = 0; i <= x.Length; i++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    zx[j] = new Complex(x[j], i == j ? H : 0.0);
                }

                double exact = ((Complex)type.GetMethod($"M{k}_C")!.Invoke(null, new object[] { zx, new Complex(y, i == x.Length ? H : 0.0) })!).Imaginary / H;
                double actual = i < x.Length ? dx[i] : (float)g[3];
                double error = Math.Abs(actual - exact) / Math.Max(1.0, Math.Abs(exact));
                Assert.True(error <= SanityBound, $"∂/∂input {i}: complex step {exact:R}, float gradient {actual:R}: {where}");
                worst = Math.Max(worst, error);
            }

            judged++;
        }

        Assert.True(2 * judged >= kept.Count, $"only {judged} of {kept.Count} programs were judged");
        _output.WriteLine($"{kept.Count} float loop programs, values bit-equal; {judged} judged against complex step, relative to max(1, |∂|): largest {worst:E1}");
    }

    /// <summary>Asserts the bit equality and the sanity bound; returns the gradient's error, or null where the value is not finite.</summary>
    private static double? Check(Type type, string name, RandomProgram p, string text)
    {
        int n = p.Arity;
        var constants = new List<object>();
        if (p.HasNoDiff)
        {
            constants.Add(0.7f);
        }

        if (p.HasInt)
        {
            constants.Add(2);
        }

        var point = p.Point.Select(v => (object)(float)v).ToArray();
        var direction = p.Direction.Select(v => (object)(float)v).ToArray();
        var primal = type.GetMethod(name, Types(n, p, typeof(float)))!;
        float value = (float)primal.Invoke(null, point.Concat(constants).ToArray())!;
        if (!float.IsFinite(value))
        {
            return null;
        }

        var gradientArgs = point.Concat(constants).Concat(Enumerable.Repeat<object>(0f, n)).ToArray();
        float gValue = (float)type.GetMethod(name + "Gradient")!.Invoke(null, gradientArgs)!;
        var tangentArgs = point.Concat(constants).Concat(direction).Append(0f).ToArray();
        float tValue = (float)type.GetMethod(name + "Tangent")!.Invoke(null, tangentArgs)!;
        string where = $"{name} at ({string.Join(", ", point)}):\n{text}";
        Assert.True(BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(gValue), $"Gradient's value {gValue:R} is not the primal's {value:R}: {where}");
        Assert.True(BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(tValue), $"Tangent's value {tValue:R} is not the primal's {value:R}: {where}");
        if (type.GetMethod(name + "HessianVector") is { } hvp)
        {
            var hvpArgs = point.Concat(constants).Concat(direction).Concat(Enumerable.Repeat<object>(0f, n)).ToArray();
            float hValue = (float)hvp.Invoke(null, hvpArgs)!;
            Assert.True(BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(hValue), $"HessianVector's value {hValue:R} is not the primal's {value:R}: {where}");
        }

        var complex = type.GetMethod(name, Types(n, p, typeof(Complex)))!;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            var z = new object[n];
            for (int j = 0; j < n; j++)
            {
                z[j] = new Complex((float)p.Point[j], i == j ? H : 0.0);
            }

            var fz = (Complex)complex.Invoke(null, z.Concat(constants.Select(c => c is float f ? (object)new Complex(f, 0) : c)).ToArray())!;
            double exact = fz.Imaginary / H, actual = (float)gradientArgs[gradientArgs.Length - n + i];
            if (!double.IsFinite(exact))
            {
                return null;
            }

            double error = Math.Abs(actual - exact) / Math.Max(1.0, Math.Abs(exact));
            Assert.True(error <= SanityBound, $"∂/∂x{i}: complex step {exact:R}, float gradient {actual:R}: {where}");
            worst = Math.Max(worst, error);
        }

        return worst;
    }

    private static Type[] Types(int n, RandomProgram p, Type element)
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

        return types.ToArray();
    }

    [Fact]
    public void Programs_are_written_over_float()
    {
        string text = ToFloat("    public static double M(double x0, int n)\n    {\n        double v0 = Math.Sin(x0) * 2.5 + DiffGen.Nn.Activations.Sigmoid(x0 - 1.0);\n        for (int i0 = 0; i0 < 3; i0++) v0 = Math.Clamp(v0, -1.0, 2.0);\n        return v0;\n    }")!;
        Assert.Equal("    public static float M(float x0, int n)\n    {\n        float v0 = MathF.Sin(x0) * 2.5f + DiffGen.Expr.PrimitivesF.Sigmoid(x0 - 1.0f);\n        for (int i0 = 0; i0 < 3; i0++) v0 = Math.Clamp(v0, -1.0f, 2.0f);\n        return v0;\n    }", text);
        Assert.Null(ToFloat("=> DiffGen.Nn.Activations.Mish(x0);"));
    }
}
