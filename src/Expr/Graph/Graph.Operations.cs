using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

// Named constructors for every operation, and the composite operations that lower to primitives.
public sealed partial class Graph
{
    /// <summary>√(a² + b²) without intermediate overflow</summary>
    public Node Hypot(Node a, Node b) => Apply(Op.Hypot, a, b);

    /// <summary>a + b</summary>
    public Node Add(Node a, Node b) => Apply(Op.Add, a, b);
    /// <summary>a − b</summary>
    public Node Sub(Node a, Node b) => Apply(Op.Sub, a, b);
    /// <summary>a · b</summary>
    public Node Mul(Node a, Node b) => Apply(Op.Mul, a, b);
    /// <summary>a / b</summary>
    public Node Div(Node a, Node b) => Apply(Op.Div, a, b);
    /// <summary>−a</summary>
    public Node Neg(Node a) => Apply(Op.Neg, a);
    /// <summary>aᵇ</summary>
    public Node Pow(Node a, Node b) => Apply(Op.Pow, a, b);
    /// <summary>aᶜ for a constant exponent.</summary>
    public Node Pow(Node a, double exponent) => Apply(Op.Pow, a, Const(exponent));
    /// <summary>a·b + c with one rounding.</summary>
    public Node Fma(Node a, Node b, Node c) => Apply(Op.Fma, a, b, c);
    /// <summary>eˣ</summary>
    public Node Exp(Node x) => Apply(Op.Exp, x);
    /// <summary>ln x</summary>
    public Node Log(Node x) => Apply(Op.Log, x);
    /// <summary>log₁₀ x</summary>
    public Node Log10(Node x) => Apply(Op.Log10, x);
    /// <summary>log₂ x</summary>
    public Node Log2(Node x) => Apply(Op.Log2, x);
    /// <summary>ln(1 + x)</summary>
    public Node Log1p(Node x) => Apply(Op.Log1p, x);
    /// <summary>eˣ − 1</summary>
    public Node Expm1(Node x) => Apply(Op.Expm1, x);
    /// <summary>√x</summary>
    public Node Sqrt(Node x) => Apply(Op.Sqrt, x);
    /// <summary>∛x</summary>
    public Node Cbrt(Node x) => Apply(Op.Cbrt, x);
    /// <summary>sin x</summary>
    public Node Sin(Node x) => Apply(Op.Sin, x);
    /// <summary>cos x</summary>
    public Node Cos(Node x) => Apply(Op.Cos, x);
    /// <summary>tan x</summary>
    public Node Tan(Node x) => Apply(Op.Tan, x);
    /// <summary>arcsin x</summary>
    public Node Asin(Node x) => Apply(Op.Asin, x);
    /// <summary>arccos x</summary>
    public Node Acos(Node x) => Apply(Op.Acos, x);
    /// <summary>arctan x</summary>
    public Node Atan(Node x) => Apply(Op.Atan, x);
    /// <summary>atan2(y, x)</summary>
    public Node Atan2(Node y, Node x) => Apply(Op.Atan2, y, x);
    /// <summary>sinh x</summary>
    public Node Sinh(Node x) => Apply(Op.Sinh, x);
    /// <summary>cosh x</summary>
    public Node Cosh(Node x) => Apply(Op.Cosh, x);
    /// <summary>tanh x</summary>
    public Node Tanh(Node x) => Apply(Op.Tanh, x);
    /// <summary>arsinh x</summary>
    public Node Asinh(Node x) => Apply(Op.Asinh, x);
    /// <summary>arcosh x</summary>
    public Node Acosh(Node x) => Apply(Op.Acosh, x);
    /// <summary>artanh x</summary>
    public Node Atanh(Node x) => Apply(Op.Atanh, x);
    /// <summary>|x|</summary>
    public Node Abs(Node x) => Apply(Op.Abs, x);
    /// <summary>sign x</summary>
    public Node Sign(Node x) => Apply(Op.Sign, x);
    /// <summary>min(a, b)</summary>
    public Node Min(Node a, Node b) => Apply(Op.Min, a, b);
    /// <summary>max(a, b)</summary>
    public Node Max(Node a, Node b) => Apply(Op.Max, a, b);
    /// <summary>⌊x⌋</summary>
    public Node Floor(Node x) => Apply(Op.Floor, x);
    /// <summary>⌈x⌉</summary>
    public Node Ceiling(Node x) => Apply(Op.Ceiling, x);
    /// <summary>x rounded, ties to even</summary>
    public Node Round(Node x) => Apply(Op.Round, x);
    /// <summary>x truncated toward zero</summary>
    public Node Truncate(Node x) => Apply(Op.Truncate, x);
    /// <summary>a &lt; b</summary>
    public Node Less(Node a, Node b) => Apply(Op.Less, a, b);
    /// <summary>a ≤ b</summary>
    public Node LessEqual(Node a, Node b) => Apply(Op.LessEqual, a, b);
    /// <summary>a &gt; b</summary>
    public Node Greater(Node a, Node b) => Apply(Op.Greater, a, b);
    /// <summary>a ≥ b</summary>
    public Node GreaterEqual(Node a, Node b) => Apply(Op.GreaterEqual, a, b);
    /// <summary>a = b</summary>
    public Node Equal(Node a, Node b) => Apply(Op.Equal, a, b);
    /// <summary>a ≠ b</summary>
    public Node NotEqual(Node a, Node b) => Apply(Op.NotEqual, a, b);
    /// <summary>a ∧ b</summary>
    public Node And(Node a, Node b) => Apply(Op.And, a, b);
    /// <summary>a ∨ b</summary>
    public Node Or(Node a, Node b) => Apply(Op.Or, a, b);
    /// <summary>¬a</summary>
    public Node Not(Node a) => Apply(Op.Not, a);
    /// <summary>condition ? a : b</summary>
    public Node Select(Node condition, Node a, Node b) => Apply(Op.Select, condition, a, b);
    /// <summary>σ(x) = 1/(1 + e⁻ˣ)</summary>
    public Node Sigmoid(Node x) => Apply(Op.Sigmoid, x);
    /// <summary>ln(1 + eˣ)</summary>
    public Node Softplus(Node x) => Apply(Op.Softplus, x);
    /// <summary>max(x, 0)</summary>
    public Node Relu(Node x) => Apply(Op.Relu, x);
    /// <summary>x if x &gt; 0 else αx</summary>
    public Node LeakyRelu(Node x, Node alpha) => Apply(Op.LeakyRelu, x, alpha);
    /// <summary>x if x &gt; 0 else αx, with a constant α (default 0.01)</summary>
    public Node LeakyRelu(Node x, double alpha = 0.01) => Apply(Op.LeakyRelu, x, Const(alpha));
    /// <summary>x if x &gt; 0 else α(eˣ − 1)</summary>
    public Node Elu(Node x, Node alpha) => Apply(Op.Elu, x, alpha);
    /// <summary>x if x &gt; 0 else α(eˣ − 1), with a constant α (default 1)</summary>
    public Node Elu(Node x, double alpha = 1.0) => Apply(Op.Elu, x, Const(alpha));
    /// <summary>a / b truncated toward zero (integers)</summary>
    public Node IntDiv(Node a, Node b) => Apply(Op.IntDiv, a, b);
    /// <summary>a % b (integers)</summary>
    public Node Mod(Node a, Node b) => Apply(Op.Mod, a, b);
    /// <summary>ln Σ e^xᵢ, max-shifted</summary>
    public Node LogSumExp(params Node[] x) => Apply(Op.LogSumExp, x);
    /// <summary>x, with derivative 0: the value flows on, the gradient stops</summary>
    public Node StopGradient(Node x) => Apply(Op.StopGradient, x);

    // ---- composites: they lower to primitives, so they need no rules of their own ----------

    /// <summary>x² = x·x</summary>
    public Node Square(Node x) => Mul(x, x);

    /// <summary>Σ xᵢ, summed left to right.</summary>
    public Node Sum(IReadOnlyList<Node> terms)
    {
        if (terms is null || terms.Count == 0)
        {
            throw new ArgumentException("A sum needs at least one term.", nameof(terms));
        }

        Node sum = terms[0];
        for (int i = 1; i < terms.Count; i++)
        {
            sum = Add(sum, terms[i]);
        }

        return sum;
    }

    /// <summary>swish(x) = x·σ(x)</summary>
    public Node Swish(Node x) => Mul(x, Sigmoid(x));

    /// <summary>
    /// GELU, exact: x·Φ(x) = ½x(1 + erf(x/√2)), evaluated as ½x·erfc(−x/√2), which does not cancel for x ≪ 0.
    /// </summary>
    public Node Gelu(Node x) => Mul(Mul(Const(0.5), x), Apply(Op.Erfc, Mul(x, Const(-0.70710678118654752440))));

    /// <summary>
    /// GELU, tanh approximation (PyTorch's approximate="tanh"): ½x(1 + tanh u) = x·σ(2u), u = √(2/π)(x + 0.044715x³).
    /// The σ form has no cancellation in 1 + tanh u for x ≪ 0.
    /// </summary>
    public Node GeluTanh(Node x)
    {
        Node inner = Mul(Const(GeluScale), Add(x, Mul(Mul(Mul(Const(0.044715), x), x), x)));
        return Mul(x, Sigmoid(Mul(Const(2.0), inner)));
    }

    /// <summary>√(2/π), the tanh-approximate GELU's constant.</summary>
    public const double GeluScale = 0.79788456080286535588;

    /// <summary>SELU: λ·elu(x, α) with λ ≈ 1.0507, α ≈ 1.6733 (Klambauer et al.)</summary>
    public Node Selu(Node x) => Mul(Const(SeluScale), Elu(x, SeluAlpha));

    /// <summary>SELU's λ.</summary>
    public const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>SELU's α.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>mish(x) = x·tanh(softplus x)</summary>
    public Node Mish(Node x) => Mul(x, Tanh(Softplus(x)));

    /// <summary>softsign(x) = x/(1 + |x|)</summary>
    public Node Softsign(Node x) => Div(x, Add(One, Abs(x)));

    /// <summary>log σ(x) = −softplus(−x)</summary>
    public Node LogSigmoid(Node x) => Neg(Softplus(Neg(x)));

    /// <summary>step(x) = [x &gt; 0] (derivative 0)</summary>
    public Node Step(Node x) => Select(Greater(x, Zero), One, Zero);

    /// <summary>
    /// sinc(x) = sin(x)/x, 1 at 0. Below |x| = 0.1 its Taylor polynomial 1 − x²/6 + x⁴/120 − x⁶/5040 + x⁸/362880
    /// (exact to rounding there), whose derivatives do not cancel as (x·cos x − sin x)/x² does; the division
    /// sees 1 in place of such an x, so the branch not taken is never 0/0 and sends no NaN into a gradient.
    /// </summary>
    public Node Sinc(Node x)
    {
        Node small = Less(Abs(x), Const(0.1));
        Node x2 = Mul(x, x);
        Node series = Add(One, Mul(x2, Add(Const(-1.0 / 6), Mul(x2, Add(Const(1.0 / 120), Mul(x2, Add(Const(-1.0 / 5040), Mul(x2, Const(1.0 / 362880)))))))));
        Node away = Select(small, One, x);
        return Select(small, series, Div(Sin(away), away));
    }
}
