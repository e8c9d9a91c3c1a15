using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>Every entry of the rule table, one at a time, against complex step and central differences.</summary>
public class OpTableTests
{
    public static IEnumerable<object[]> Kinds() =>
        new[]
        {
            "neg", "exp", "log", "log10", "log2", "log1p", "expm1", "sqrt", "cbrt", "sin", "cos", "tan", "asin",
            "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "abs", "sign", "floor", "round",
            "sigmoid", "softplus", "relu", "leaky_relu", "elu", "gelu", "swish", "mish", "softsign", "powi", "powf",
            "add", "sub", "mul", "div", "pow", "atan2", "min", "max", "select", "prelu", "lse", "fma",
        }.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Rule_matches_complex_step_and_finite_differences(string kind)
    {
        int arity = kind is "lse" or "fma" ? 3 : new[] { "add", "sub", "mul", "div", "pow", "atan2", "min", "max", "select", "prelu" }.Contains(kind) ? 2 : 1;
        var spec = new Spec(kind, 0, 0, Enumerable.Range(0, arity).Select(i => new Spec("var", variable: i)).ToArray());
        foreach (var point in new[] { new[] { 0.7, -0.4, 1.3 }, new[] { -1.2, 0.9, -0.2 }, new[] { 1.9, 1.1, 0.45 } })
        {
            var c = new ExprCase(spec, point.Take(arity).ToArray());
            var (g, f, vars) = c.Build();
            var reverse = Oracles.Evaluate(Derivatives.Gradient(f, vars), vars, c.Point);
            var schedule = new Schedule(new[] { f }, vars);
            Oracles.AssertClose(Oracles.ComplexStepGradient(schedule, c.Point), reverse, 1e-13, c + " vs complex step");
            Oracles.AssertClose(Oracles.FiniteDifferenceGradient(x => schedule.Evaluate(x), c.Point), reverse, 1e-7, c + " vs finite differences");
        }
    }

    [Fact]
    public void Every_operation_has_an_entry_with_a_rule()
    {
        foreach (Op op in Enum.GetValues(typeof(Op)))
        {
            var info = OpTable.Get(op);
            Assert.Equal(op, info.Op);
            if (op is not (Op.Const or Op.Var))
            {
                Assert.NotNull(info.Partial);
            }
        }
    }
}
