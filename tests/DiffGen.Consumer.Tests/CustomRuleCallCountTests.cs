using System.Linq;
using System.Numerics;
using M = DiffGen.Consumer.Tests.CustomRuleCallCountModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// A call site of a hand-written rule calls the user's gradient method once per sweep, value and partials from
/// that one call, however many statements of the sweep need them (loops kept as loops).
/// </summary>
public class CustomRuleCallCountTests
{
    private static readonly double[] W = { 0.5, -1.5, 2.0 };
    private const double S = 0.75;

    [Fact]
    public void The_gradient_calls_the_rule_once_per_iteration()
    {
        // f = s·Σwᵢ²: ∂f/∂wᵢ = 2wᵢs, ∂f/∂s = Σwᵢ². The reverse loop runs inside the forward loop (ReverseFusion), and
        // its statements reuse the forward statement's call: one call per iteration (3n before the call cache, 2n before fusion).
        var dw = new double[W.Length];
        M.CountedProductCalls = 0;
        double value = M.SumOfCountedProductsGradient(W, S, dw, out double ds);
        Assert.Equal(W.Length, M.CountedProductCalls);
        Assert.Equal(S * W.Sum(v => v * v), value, 1e-15);
        Assert.Equal(W.Select(v => 2 * v * S), dw);
        Assert.Equal(W.Sum(v => v * v), ds, 1e-15);
    }

    [Fact]
    public void The_tangent_calls_the_rule_once_per_iteration()
    {
        double[] direction = { 0.25, 1.0, -0.5 };
        const double directionS = 2.0;
        M.CountedProductCalls = 0;
        M.SumOfCountedProductsTangent(W, S, direction, directionS, out double tangent);
        Assert.Equal(W.Length, M.CountedProductCalls);
        Assert.Equal(W.Select((v, i) => 2 * v * S * direction[i]).Sum() + W.Sum(v => v * v) * directionS, tangent, 1e-14);

        // The Complex overload (complex step) too, and it agrees.
        M.CountedProductCalls = 0;
        var z = W.Select((v, i) => new Complex(v, 1e-20 * direction[i])).ToArray();
        Assert.Equal(tangent, M.SumOfCountedProducts(z, new Complex(S, 1e-20 * directionS)).Imaginary / 1e-20, 1e-14);
        Assert.Equal(W.Length, M.CountedProductCalls);
    }
}
