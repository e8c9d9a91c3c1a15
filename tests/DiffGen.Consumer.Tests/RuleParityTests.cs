using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DiffGen.Compilation;
using DiffGen.Expr;
using DiffGen.Nn;
using M = DiffGen.Consumer.Tests.RuleParityModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Every operation's value and partials, by every road DiffGen computes them — the OpTable rule
/// interpreted (Schedule), the compiled graph, generated code, Dual, DualVector, the Tape and the
/// activations' own derivatives — at 0, kinks, ±1e3, ±1e300, subnormals, NaN and ±∞: the same bits.
/// Two numbers agree when their bits are equal, or both are NaN (payloads are not compared), or both are
/// zero (forward mode adds a symbolic 0 for an argument that does not move, and −0 + 0 = +0).
/// </summary>
public class RuleParityTests
{
    private delegate double Generated(double[] x, double[] gradient);

    private sealed record Case(
        string Name,
        int Arity,
        Func<Graph, Node[], Node> Build,
        Generated Code,
        Func<Dual[], Dual>? Dual = null,
        Func<DualVector[], DualVector>? DualVector = null,
        Func<Var[], Var>? Tape = null,
        Func<double[], double[], double>? Activation = null);

    private static Case Unary(string name, Func<Graph, Node, Node> build, Func<double, (double, double)> code,
        Func<Dual, Dual>? dual = null, Func<DualVector, DualVector>? vector = null, Func<Var, Var>? tape = null,
        Func<double, double>? activation = null, Func<double, double>? activationDerivative = null) =>
        new(name, 1, (g, v) => build(g, v[0]), (x, d) =>
            {
                var (value, dx) = code(x[0]);
                d[0] = dx;
                return value;
            },
            dual is null ? null : v => dual(v[0]),
            vector is null ? null : v => vector(v[0]),
            tape is null ? null : v => tape(v[0]),
            activation is null ? null : (x, d) =>
            {
                d[0] = activationDerivative!(x[0]);
                return activation(x[0]);
            });

    private static Case Binary(string name, Func<Graph, Node, Node, Node> build, Func<double, double, (double, double, double)> code,
        Func<Dual, Dual, Dual>? dual = null, Func<DualVector, DualVector, DualVector>? vector = null, Func<Var, Var, Var>? tape = null,
        Func<double[], double[], double>? activation = null) =>
        new(name, 2, (g, v) => build(g, v[0], v[1]), (x, d) =>
            {
                var (value, dx, dy) = code(x[0], x[1]);
                d[0] = dx;
                d[1] = dy;
                return value;
            },
            dual is null ? null : v => dual(v[0], v[1]),
            vector is null ? null : v => vector(v[0], v[1]),
            tape is null ? null : v => tape(v[0], v[1]),
            activation);

    private static (double, double) G1(double value, double dx) => (value, dx);

    private static (double, double, double) G2(double value, double dx, double dy) => (value, dx, dy);

    private static readonly Case[] Cases =
    {
        Binary("add", (g, a, b) => g.Add(a, b), (x, y) => G2(M.AddGradient(x, y, out var dx, out var dy), dx, dy), (a, b) => a + b, (a, b) => a + b, (a, b) => a + b),
        Binary("sub", (g, a, b) => g.Sub(a, b), (x, y) => G2(M.SubGradient(x, y, out var dx, out var dy), dx, dy), (a, b) => a - b, (a, b) => a - b, (a, b) => a - b),
        Binary("mul", (g, a, b) => g.Mul(a, b), (x, y) => G2(M.MulGradient(x, y, out var dx, out var dy), dx, dy), (a, b) => a * b, (a, b) => a * b, (a, b) => a * b),
        Binary("div", (g, a, b) => g.Div(a, b), (x, y) => G2(M.DivGradient(x, y, out var dx, out var dy), dx, dy), (a, b) => a / b, (a, b) => a / b, (a, b) => a / b),
        new("fma", 3, (g, v) => g.Fma(v[0], v[1], v[2]), (x, d) => M.FmaGradient(x[0], x[1], x[2], out d[0], out d[1], out d[2]),
            v => DualMath.FusedMultiplyAdd(v[0], v[1], v[2]), v => DualVectorMath.FusedMultiplyAdd(v[0], v[1], v[2]), v => VarMath.FusedMultiplyAdd(v[0], v[1], v[2])),
        Unary("neg", (g, a) => g.Neg(a), x => G1(M.NegGradient(x, out var d), d), a => -a, a => -a, a => -a),
        Binary("pow", (g, a, b) => g.Pow(a, b), (x, y) => G2(M.PowGradient(x, y, out var dx, out var dy), dx, dy), DualMath.Pow, (a, b) => DualVectorMath.Pow(a, b), VarMath.Pow),
        Binary("atan2", (g, a, b) => g.Atan2(a, b), (x, y) => G2(M.Atan2Gradient(x, y, out var dx, out var dy), dx, dy), DualMath.Atan2, (a, b) => DualVectorMath.Atan2(a, b), VarMath.Atan2),
        Binary("hypot", (g, a, b) => g.Hypot(a, b), (x, y) => G2(M.HypotGradient(x, y, out var dx, out var dy), dx, dy), DualMath.Hypot, (a, b) => DualVectorMath.Hypot(a, b), VarMath.Hypot),
        Binary("max", (g, a, b) => g.Max(a, b), (x, y) => G2(M.MaxGradient(x, y, out var dx, out var dy), dx, dy), DualMath.Max, (a, b) => DualVectorMath.Max(a, b), VarMath.Max),
        Binary("min", (g, a, b) => g.Min(a, b), (x, y) => G2(M.MinGradient(x, y, out var dx, out var dy), dx, dy), DualMath.Min, (a, b) => DualVectorMath.Min(a, b), VarMath.Min),
        Binary("leaky_relu", (g, a, b) => g.LeakyRelu(a, b), (x, y) => G2(M.LeakyReluGradient(x, y, out var dx, out var dy), dx, dy),
            activation: (x, d) =>
            {
                d[0] = Activations.LeakyReluDerivative(x[0], x[1]);
                d[1] = Activations.LeakyReluDerivativeAlpha(x[0], x[1]);
                return Activations.LeakyRelu(x[0], x[1]);
            }),
        Binary("elu", (g, a, b) => g.Elu(a, b), (x, y) => G2(M.EluGradient(x, y, out var dx, out var dy), dx, dy)),
        Unary("exp", (g, a) => g.Exp(a), x => G1(M.ExpGradient(x, out var d), d), DualMath.Exp, a => DualVectorMath.Exp(a), VarMath.Exp),
        Unary("log", (g, a) => g.Log(a), x => G1(M.LogGradient(x, out var d), d), DualMath.Log, a => DualVectorMath.Log(a), VarMath.Log),
        Unary("log10", (g, a) => g.Log10(a), x => G1(M.Log10Gradient(x, out var d), d), DualMath.Log10, a => DualVectorMath.Log10(a), VarMath.Log10),
        Unary("log2", (g, a) => g.Log2(a), x => G1(M.Log2Gradient(x, out var d), d), DualMath.Log2, a => DualVectorMath.Log2(a), VarMath.Log2),
        Unary("sqrt", (g, a) => g.Sqrt(a), x => G1(M.SqrtGradient(x, out var d), d), DualMath.Sqrt, a => DualVectorMath.Sqrt(a), VarMath.Sqrt),
        Unary("cbrt", (g, a) => g.Cbrt(a), x => G1(M.CbrtGradient(x, out var d), d), DualMath.Cbrt, a => DualVectorMath.Cbrt(a), VarMath.Cbrt),
        Unary("sin", (g, a) => g.Sin(a), x => G1(M.SinGradient(x, out var d), d), DualMath.Sin, a => DualVectorMath.Sin(a), VarMath.Sin),
        Unary("cos", (g, a) => g.Cos(a), x => G1(M.CosGradient(x, out var d), d), DualMath.Cos, a => DualVectorMath.Cos(a), VarMath.Cos),
        Unary("tan", (g, a) => g.Tan(a), x => G1(M.TanGradient(x, out var d), d), DualMath.Tan, a => DualVectorMath.Tan(a), VarMath.Tan),
        Unary("asin", (g, a) => g.Asin(a), x => G1(M.AsinGradient(x, out var d), d), DualMath.Asin, a => DualVectorMath.Asin(a), VarMath.Asin),
        Unary("acos", (g, a) => g.Acos(a), x => G1(M.AcosGradient(x, out var d), d), DualMath.Acos, a => DualVectorMath.Acos(a), VarMath.Acos),
        Unary("atan", (g, a) => g.Atan(a), x => G1(M.AtanGradient(x, out var d), d), DualMath.Atan, a => DualVectorMath.Atan(a), VarMath.Atan),
        Unary("sinh", (g, a) => g.Sinh(a), x => G1(M.SinhGradient(x, out var d), d), DualMath.Sinh, a => DualVectorMath.Sinh(a), VarMath.Sinh),
        Unary("cosh", (g, a) => g.Cosh(a), x => G1(M.CoshGradient(x, out var d), d), DualMath.Cosh, a => DualVectorMath.Cosh(a), VarMath.Cosh),
        Unary("tanh", (g, a) => g.Tanh(a), x => G1(M.TanhGradient(x, out var d), d), DualMath.Tanh, a => DualVectorMath.Tanh(a), VarMath.Tanh, Activations.Tanh, Activations.TanhDerivative),
        Unary("asinh", (g, a) => g.Asinh(a), x => G1(M.AsinhGradient(x, out var d), d), DualMath.Asinh, a => DualVectorMath.Asinh(a), VarMath.Asinh),
        Unary("acosh", (g, a) => g.Acosh(a), x => G1(M.AcoshGradient(x, out var d), d), DualMath.Acosh, a => DualVectorMath.Acosh(a), VarMath.Acosh),
        Unary("atanh", (g, a) => g.Atanh(a), x => G1(M.AtanhGradient(x, out var d), d), DualMath.Atanh, a => DualVectorMath.Atanh(a), VarMath.Atanh),
        Unary("abs", (g, a) => g.Abs(a), x => G1(M.AbsGradient(x, out var d), d), DualMath.Abs, a => DualVectorMath.Abs(a), VarMath.Abs),
        Unary("sign", (g, a) => g.Sign(a), x => G1(M.SignGradient(x, out var d), d), DualMath.Sign, a => DualVectorMath.Sign(a), VarMath.Sign),
        Unary("floor", (g, a) => g.Floor(a), x => G1(M.FloorGradient(x, out var d), d), DualMath.Floor, a => DualVectorMath.Floor(a), VarMath.Floor),
        Unary("ceiling", (g, a) => g.Ceiling(a), x => G1(M.CeilingGradient(x, out var d), d), DualMath.Ceiling, a => DualVectorMath.Ceiling(a), VarMath.Ceiling),
        Unary("round", (g, a) => g.Round(a), x => G1(M.RoundGradient(x, out var d), d), DualMath.Round, a => DualVectorMath.Round(a), VarMath.Round),
        Unary("truncate", (g, a) => g.Truncate(a), x => G1(M.TruncateGradient(x, out var d), d), DualMath.Truncate, a => DualVectorMath.Truncate(a), VarMath.Truncate),
        Unary("sigmoid", (g, a) => g.Sigmoid(a), x => G1(M.SigmoidGradient(x, out var d), d), activation: Activations.Sigmoid, activationDerivative: Activations.SigmoidDerivative),
        Unary("softplus", (g, a) => g.Softplus(a), x => G1(M.SoftplusGradient(x, out var d), d), activation: Activations.Softplus, activationDerivative: Activations.SoftplusDerivative),
        Unary("relu", (g, a) => g.Relu(a), x => G1(M.ReluGradient(x, out var d), d), activation: Activations.Relu, activationDerivative: Activations.ReluDerivative),
        Unary("gelu", (g, a) => g.Gelu(a), x => G1(M.GeluGradient(x, out var d), d), activation: Activations.Gelu, activationDerivative: Activations.GeluDerivative),
        Unary("selu", (g, a) => g.Selu(a), x => G1(M.SeluGradient(x, out var d), d), activation: Activations.Selu, activationDerivative: Activations.SeluDerivative),
        Unary("swish", (g, a) => g.Swish(a), x => G1(M.SwishGradient(x, out var d), d), activation: Activations.Swish, activationDerivative: Activations.SwishDerivative),
        Unary("mish", (g, a) => g.Mish(a), x => G1(M.MishGradient(x, out var d), d), activation: Activations.Mish, activationDerivative: Activations.MishDerivative),
        Unary("softsign", (g, a) => g.Softsign(a), x => G1(M.SoftsignGradient(x, out var d), d), activation: Activations.Softsign, activationDerivative: Activations.SoftsignDerivative),
        Unary("log_sigmoid", (g, a) => g.LogSigmoid(a), x => G1(M.LogSigmoidGradient(x, out var d), d), activation: Activations.LogSigmoid, activationDerivative: Activations.LogSigmoidDerivative),
        Unary("step", (g, a) => g.Step(a), x => G1(M.StepGradient(x, out var d), d), activation: Activations.Step, activationDerivative: Activations.StepDerivative),
        Unary("gelu_tanh", (g, a) => g.GeluTanh(a), x => G1(M.GeluTanhGradient(x, out var d), d), activation: Activations.GeluTanh, activationDerivative: Activations.GeluTanhDerivative),
        Unary("sinc", (g, a) => g.Sinc(a), x => G1(M.SincGradient(x, out var d), d), activation: Activations.Sinc, activationDerivative: Activations.SincDerivative),
        Unary("log1p", (g, a) => g.Log1p(a), x => G1(M.Log1pGradient(x, out var d), d), DualMath.Log1p, a => DualVectorMath.Log1p(a), VarMath.Log1p),
        Unary("expm1", (g, a) => g.Expm1(a), x => G1(M.Expm1Gradient(x, out var d), d), DualMath.Expm1, a => DualVectorMath.Expm1(a), VarMath.Expm1),
        Unary("erf", (g, a) => g.Apply(Op.Erf, a), x => G1(M.ErfGradient(x, out var d), d), DualMath.Erf, a => DualVectorMath.Erf(a), VarMath.Erf),
        Unary("erfc", (g, a) => g.Apply(Op.Erfc, a), x => G1(M.ErfcGradient(x, out var d), d), DualMath.Erfc, a => DualVectorMath.Erfc(a), VarMath.Erfc),
        Binary("copysign", (g, a, b) => g.Apply(Op.CopySign, a, b), (x, y) => G2(M.CopySignGradient(x, y, out var dx, out var dy), dx, dy)),
        Unary("scaleb", (g, a) => g.Apply(Op.ScaleB, a, g.Const(3)), x => G1(M.ScaleBGradient(x, out var d), d)),
        Unary("round_to", (g, a) => g.Apply(Op.RoundTo, a, g.Const(2), g.Const((double)MidpointRounding.AwayFromZero)), x => G1(M.RoundToGradient(x, out var d), d)),
        Unary("bit_increment", (g, a) => g.Apply(Op.BitIncrement, a), x => G1(M.BitIncrementGradient(x, out var d), d)),
        Unary("bit_decrement", (g, a) => g.Apply(Op.BitDecrement, a), x => G1(M.BitDecrementGradient(x, out var d), d)),
    };

    /// <summary>0, kinks and branch points, large and huge magnitudes, the smallest subnormal and normal, NaN and ±∞.</summary>
    private static readonly double[] Points =
    {
        0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, 1e3, -1e3, 1e300, -1e300,
        double.Epsilon, -double.Epsilon, 2.2250738585072014e-308, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
    };

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_road_gives_the_same_bits(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        var g = new Graph();
        var variables = g.Vars(new[] { "x", "y", "z" }.Take(c.Arity).ToArray());
        var f = c.Build(g, variables);
        var partials = Derivatives.Gradient(f, variables);
        var schedule = new Schedule(new[] { f }.Concat(partials).ToArray(), variables);
        var compiled = GraphCompiler.CompileGradient(f, variables);

        var failures = new StringBuilder();
        int compared = 0;
        foreach (var x in Arguments(c.Arity))
        {
            var expected = new double[c.Arity + 1];
            schedule.Evaluate(x, expected);
            var roads = new List<(string Road, double[] Result)>
            {
                ("compiled graph", Run((x, d) => compiled.Evaluate(x, d), x)),
                ("generated code", Run((x, d) => c.Code(x, d), x)),
            };
            if (c.Dual is not null)
            {
                roads.Add(("Dual", RunDual(c.Dual, x)));
            }

            if (c.DualVector is not null)
            {
                roads.Add(("DualVector", RunDualVector(c.DualVector, x)));
            }

            if (c.Tape is not null)
            {
                roads.Add(("Tape", RunTape(c.Tape, x)));
            }

            if (c.Activation is not null)
            {
                roads.Add(("Activations", Run((x, d) => c.Activation(x, d), x)));
            }

            foreach (var (road, actual) in roads)
            {
                for (int i = 0; i < expected.Length; i++)
                {
                    compared++;
                    if (!Same(expected[i], actual[i]))
                    {
                        failures.Append(CultureInfo.InvariantCulture, $"{c.Name}({string.Join(", ", x.Select(Show))}): {road} {(i == 0 ? "value" : "∂/∂" + variables[i - 1].Name)} = {Show(actual[i])}, OpTable {Show(expected[i])}\n");
                    }
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
        Assert.True(compared >= Points.Length * 3, $"only {compared} numbers compared");
    }

    private static IEnumerable<double[]> Arguments(int arity) =>
        arity == 1 ? Points.Select(p => new[] { p })
        : arity == 2 ? Points.SelectMany(a => Points.Select(b => new[] { a, b }))
        : Points.SelectMany(a => Points.SelectMany(b => Points.Select(c => new[] { a, b, c })));

    private static double[] Run(Func<double[], double[], double> road, double[] x)
    {
        var result = new double[x.Length + 1];
        var gradient = new double[x.Length];
        result[0] = road(x, gradient);
        gradient.CopyTo(result, 1);
        return result;
    }

    private static double[] RunDual(Func<Dual[], Dual> f, double[] x)
    {
        var result = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++)
        {
            var d = f(x.Select((v, k) => new Dual(v, k == i ? 1.0 : 0.0)).ToArray());
            result[0] = d.Value;
            result[i + 1] = d.Derivative;
        }

        return result;
    }

    private static double[] RunDualVector(Func<DualVector[], DualVector> f, double[] x)
    {
        var d = f(x.Select((v, k) => DualVector.Variable(v, k, x.Length)).ToArray());
        var result = new double[x.Length + 1];
        result[0] = d.Value;
        for (int i = 0; i < x.Length; i++)
        {
            result[i + 1] = d.Tangent(i);
        }

        return result;
    }

    private static double[] RunTape(Func<Var[], Var> f, double[] x)
    {
        var tape = new Tape();
        var inputs = x.Select(tape.Variable).ToArray();
        var output = f(inputs);
        tape.Backward(output);
        var result = new double[x.Length + 1];
        result[0] = output.Value;
        for (int i = 0; i < x.Length; i++)
        {
            result[i + 1] = tape.Grad(inputs[i]);
        }

        return result;
    }

    private static bool Same(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || (a == 0 && b == 0) || BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
