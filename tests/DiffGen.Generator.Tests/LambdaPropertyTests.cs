using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Diff.Compile (a lambda differentiated at run time) against the generator: one random expression is
/// written twice in one in-memory compilation, as a [Differentiable(Hessian = true)] method and as an
/// Expression&lt;Func&lt;…&gt;&gt; field, so the C# compiler builds the expression tree a user's lambda
/// would have. The generated members and the lambda give the same bits for value, gradient, tangent
/// and Hessian, and ToCSharp prints the generated Gradient body line for line.
/// </summary>
public class LambdaPropertyTests
{
    private const int BatchSize = 40;
    private const int Batches = 5;
    private static int _checkedPrograms;
    private static int _finitePrograms;
    private static int _samePrintedPrograms;
    private static readonly string[] InexactFolds = { "Math.Cbrt(", "Math.Log2(", "Math.Asinh(", "Math.Acosh(", "Math.Atanh(", "Math.FusedMultiplyAdd(" };

    public sealed record LambdaProgram(int Arity, string Body, double[] Point, double[] Direction);

    private static Gen<LambdaProgram> Program =>
        from arity in Gen.Choose(1, 3)
        let variables = Enumerable.Range(0, arity).Select(k => "x" + k).ToArray()
        from body in Arbitraries.Expression(variables, 4).Select(ExplicitOptionalArguments)
        from point in Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(k => k / 1000.0), arity)
        from direction in Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(k => k / 1000.0), arity)
        select new LambdaProgram(arity, body, point, direction);

    /// <summary>Expression trees cannot use optional arguments (CS0854): Elu(x) becomes Elu(x, 1.0), its default.</summary>
    private static string ExplicitOptionalArguments(string body)
    {
        const string elu = "Activations.Elu(";
        var text = new StringBuilder(body);
        for (int at = body.LastIndexOf(elu, StringComparison.Ordinal); at >= 0; at = at == 0 ? -1 : body.LastIndexOf(elu, at - 1, StringComparison.Ordinal))
        {
            int depth = 0, i = at + elu.Length - 1, commas = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                commas += c == ',' && depth == 1 ? 1 : 0;
                if (depth == 0)
                {
                    break;
                }
            }

            if (commas == 0)
            {
                text.Insert(i, ", 1.0");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void Lambdas_give_the_generated_codes_bits_and_print_its_gradient()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(Batches).WithStartSize(20).WithEndSize(20);
        Check.One(config, Prop.ForAll(Gen.ArrayOf(Program, BatchSize).ToArbitrary(), CheckBatch));
        Assert.Equal(Batches * BatchSize, _checkedPrograms);
        Assert.True(_samePrintedPrograms >= _checkedPrograms / 2, $"ToCSharp printed the generated body for only {_samePrintedPrograms} of {_checkedPrograms} programs");
        Assert.True(_finitePrograms >= _checkedPrograms / 2, $"only {_finitePrograms} of {_checkedPrograms} programs had finite values");
    }

    private static bool CheckBatch(LambdaProgram[] programs)
    {
        var source = new StringBuilder("using System;\nusing System.Linq.Expressions;\nusing DiffGen;\n\npublic static partial class Batch\n{\n");
        for (int k = 0; k < programs.Length; k++)
        {
            var p = programs[k];
            string parameters = string.Join(", ", Enumerable.Range(0, p.Arity).Select(i => "double x" + i));
            string names = string.Join(", ", Enumerable.Range(0, p.Arity).Select(i => "x" + i));
            string func = "Func<" + string.Join(", ", Enumerable.Repeat("double", p.Arity + 1)) + ">";
            source.Append($"    [Differentiable(Hessian = true)]\n    public static double M{k}({parameters}) => {p.Body};\n");
            source.Append($"    public static readonly Expression<{func}> L{k} = ({names}) => {p.Body};\n\n");
        }

        source.Append("}\n");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source.ToString()));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics) + "\n" + source);
        var generated = string.Join("\n", output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        var type = GeneratorHarness.Load(output).GetType("Batch")!;
        for (int k = 0; k < programs.Length; k++)
        {
            CheckProgram(type, k, programs[k], generated);
            _checkedPrograms++;
        }

        return true;
    }

    private static void CheckProgram(Type type, int k, LambdaProgram p, string generated)
    {
        int n = p.Arity;
        var lambda = (LambdaExpression)type.GetField("L" + k)!.GetValue(null)!;
        var f = Diff.Compile(lambda);
        string where = $"M{k}({string.Join(", ", p.Point)}) => {p.Body}";

        var gradientArgs = p.Point.Cast<object>().Concat(Enumerable.Repeat<object>(0.0, n)).ToArray();
        double value = (double)type.GetMethod($"M{k}Gradient")!.Invoke(null, gradientArgs)!;
        var gradient = new double[n];
        double lambdaValue = f.Gradient(p.Point, gradient);
        Same(value, lambdaValue, "value", where);
        Same(value, f.Evaluate(p.Point), "Evaluate", where);
        for (int i = 0; i < n; i++)
        {
            Same((double)gradientArgs[n + i], gradient[i], $"∂/∂x{i}", where);
        }

        var tangentArgs = p.Point.Cast<object>().Concat(p.Direction.Cast<object>()).Append(0.0).ToArray();
        type.GetMethod($"M{k}Tangent")!.Invoke(null, tangentArgs);
        Same((double)tangentArgs[^1], f.Tangent(p.Point, p.Direction), "tangent", where);

        var hessianMethod = type.GetMethod($"M{k}Hessian")!;
        var expected = HessianOfGenerated(hessianMethod, p.Point);
        var actual = f.Hessian(p.Point);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Same(expected[i * n + j], actual[i, j], $"H[{i},{j}]", where);
            }
        }

        var generatedBody = Body(generated, $"M{k}Gradient(");
        var printedBody = Body(f.ToCSharp($"M{k}"), $"M{k}Gradient(");
        if (generatedBody.SequenceEqual(printedBody))
        {
            _samePrintedPrograms++;
        }
        else
        {
            // The generator's netstandard2.0 engine cannot fold these calls on constants exactly; the runtime's can.
            Assert.True(generatedBody.Count >= printedBody.Count && InexactFolds.Any(name => string.Join("\n", generatedBody).Contains(name, StringComparison.Ordinal)),
                $"ToCSharp differs from the generated code:\n{string.Join("\n", generatedBody)}\n---\n{string.Join("\n", printedBody)}\n{where}");
        }

        if (double.IsFinite(value))
        {
            _finitePrograms++;
        }
    }

    /// <summary>Calls a generated …Hessian (its span parameters cannot go through reflection) via a delegate.</summary>
    private delegate double HessianMember(ReadOnlySpan<double> x, Span<double> gradient, Span<double> hessian);

    private static double[] HessianOfGenerated(MethodInfo method, double[] point)
    {
        int n = point.Length;
        var x = Expression.Parameter(typeof(ReadOnlySpan<double>), "x");
        var g = Expression.Parameter(typeof(Span<double>), "g");
        var h = Expression.Parameter(typeof(Span<double>), "h");
        var args = new List<Expression>();
        var at = typeof(KernelReader).GetMethod(nameof(KernelReader.At))!;
        for (int i = 0; i < n; i++)
        {
            args.Add(Expression.Call(at, x, Expression.Constant(i)));
        }

        args.Add(g);
        args.Add(h);
        var call = Expression.Lambda<HessianMember>(Expression.Call(method, args), x, g, h).Compile();
        var hessian = new double[n * n];
        call(point, new double[n], hessian);
        return hessian;
    }

    public static class KernelReader
    {
        public static double At(ReadOnlySpan<double> x, int i) => x[i];
    }

    /// <summary>The statements of a member, trimmed, without comments and the return.</summary>
    private static List<string> Body(string text, string signature)
    {
        int start = text.IndexOf(signature, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{signature}' not found in\n{text}");
        var lines = text.Substring(start).Split('\n').Skip(1).Select(l => l.Trim()).ToList();
        var body = new List<string>();
        foreach (var line in lines.SkipWhile(l => l == "{"))
        {
            if (line.StartsWith("return ", StringComparison.Ordinal))
            {
                break;
            }

            if (line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
            {
                body.Add(line);
            }
        }

        return body;
    }

    /// <summary>
    /// The same bits, or both NaN, or both zero: the sign of a zero is not part of a derivative's value (a Hessian
    /// entry printed as −(a·0) in one and a·0 in the other is +0 against −0, which made this test fail at random seeds).
    /// </summary>
    private static void Same(double expected, double actual, string what, string where) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual))
            || (expected == 0.0 && actual == 0.0),
            $"{what}: generated {expected:R}, lambda {actual:R}. {where}");
}
