using System;
using System.Globalization;
using System.Text;

namespace DiffGen.Expr.Tests;

/// <summary>What printing and folding in float (a float [Differentiable] method) rests on: float literals, float folds, MathF names.</summary>
public class FloatPrintingTests
{
    [Theory]
    [InlineData(0.5, "0.5f")]
    [InlineData(0.1, "0.1f")]
    [InlineData(1.0, "1f")]
    [InlineData(-2.5, "-2.5f")]
    [InlineData(1e-5, "1E-05f")]
    [InlineData(1e39, "float.PositiveInfinity")]
    [InlineData(-1e39, "float.NegativeInfinity")]
    [InlineData(double.NaN, "float.NaN")]
    [InlineData(-0.0, "-0f")]
    public void Float_literals_are_the_nearest_float(double value, string literal) => Assert.Equal(literal, CSharpLiteral.OfSingle(value));

    [Fact]
    public void Float_literals_round_trip()
    {
        var random = new Random(1);
        for (int k = 0; k < 10_000; k++)
        {
            double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 39));
            string literal = CSharpLiteral.OfSingle(value);
            Assert.EndsWith("f", literal);
            float parsed = float.Parse(literal.TrimEnd('f'), CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.SingleToInt32Bits((float)value), BitConverter.SingleToInt32Bits(parsed));
        }
    }

    [Fact]
    public void A_float_graph_folds_arithmetic_rounded_to_float_and_leaves_functions_of_constants_to_MathF()
    {
        var g = new Graph { FoldsInSingle = true };
        var c = g.Const(1.1f);
        var product = g.Const(1.0);
        float expected = 1f;
        for (int i = 0; i < 5; i++)
        {
            product = g.Mul(product, c);
            expected *= 1.1f;
        }

        Assert.True(product.IsConstant);
        Assert.Equal(expected, (float)product.Value);
        Assert.Equal((double)expected, product.Value); // each fold rounded, as C# rounds each float product

        var tanh = g.Tanh(g.Const(0.3f));
        Assert.Equal(Op.Tanh, tanh.Op); // MathF.Tanh(0.3f) is not (float)Math.Tanh(0.3): it runs as a call

        var doubleGraph = new Graph();
        Assert.True(doubleGraph.Tanh(doubleGraph.Const(0.3)).IsConstant);
        // an int beyond 2^24 (an index) is not rounded to float
        Assert.Equal(16777217.0, g.Add(g.Const(16777216.0), g.One).Value);
    }

    [Fact]
    public void The_float_emitter_prints_float_temporaries_literals_and_MathF()
    {
        var g = new Graph { FoldsInSingle = true };
        var x = g.Var("x");
        var shared = g.Exp(g.Mul(x, g.Const(0.5)));
        var value = g.Add(g.Mul(shared, shared), g.Hypot(x, g.Const(2.0)));
        var output = new StringBuilder();
        new CSharpEmitter(n => n.Name!, new NameBuilder(new[] { "x" })) { IsSingle = true, Indent = "" }
            .Emit(output, new[] { new Assignment("y", value, declare: true) });
        string text = output.ToString();
        Assert.Contains("float _t0 = global::System.MathF.Exp(x * 0.5f);", text);
        Assert.Contains("float y = _t0 * _t0 + global::System.Single.Hypot(x, 2f);", text);
        Assert.DoesNotContain("double", text);
    }
}
