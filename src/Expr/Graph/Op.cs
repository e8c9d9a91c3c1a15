namespace DiffGen.Expr;

/// <summary>
/// The operations of the expression graph. Every operation has exactly one entry in
/// <see cref="OpTable"/>: its arity, how to evaluate it, its derivative rule and how it prints.
/// </summary>
public enum Op : byte
{
    /// <summary>A literal constant (<see cref="Node.Value"/>).</summary>
    Const,
    /// <summary>An input variable (<see cref="Node.Name"/>, <see cref="Node.Index"/>).</summary>
    Var,

    /// <summary>a + b</summary>
    Add,
    /// <summary>a − b</summary>
    Sub,
    /// <summary>a · b</summary>
    Mul,
    /// <summary>a / b</summary>
    Div,
    /// <summary>−a</summary>
    Neg,
    /// <summary>a^b (Math.Pow)</summary>
    Pow,
    /// <summary>a·b + c, rounded once (Math.FusedMultiplyAdd)</summary>
    Fma,

    /// <summary>eˣ</summary>
    Exp,
    /// <summary>ln x</summary>
    Log,
    /// <summary>log₁₀ x</summary>
    Log10,
    /// <summary>log₂ x</summary>
    Log2,
    /// <summary>ln(1 + x), accurate near 0</summary>
    Log1p,
    /// <summary>eˣ − 1, accurate near 0</summary>
    Expm1,
    /// <summary>√x</summary>
    Sqrt,
    /// <summary>∛x (real cube root)</summary>
    Cbrt,
    /// <summary>sin x</summary>
    Sin,
    /// <summary>cos x</summary>
    Cos,
    /// <summary>tan x</summary>
    Tan,
    /// <summary>arcsin x</summary>
    Asin,
    /// <summary>arccos x</summary>
    Acos,
    /// <summary>arctan x</summary>
    Atan,
    /// <summary>atan2(y, x)</summary>
    Atan2,
    /// <summary>sinh x</summary>
    Sinh,
    /// <summary>cosh x</summary>
    Cosh,
    /// <summary>tanh x</summary>
    Tanh,
    /// <summary>arsinh x</summary>
    Asinh,
    /// <summary>arcosh x</summary>
    Acosh,
    /// <summary>artanh x</summary>
    Atanh,
    /// <summary>|x|</summary>
    Abs,
    /// <summary>sign x ∈ {−1, 0, 1}</summary>
    Sign,
    /// <summary>min(a, b)</summary>
    Min,
    /// <summary>max(a, b)</summary>
    Max,
    /// <summary>⌊x⌋</summary>
    Floor,
    /// <summary>⌈x⌉</summary>
    Ceiling,
    /// <summary>x rounded to the nearest integer, ties to even (Math.Round)</summary>
    Round,
    /// <summary>x truncated toward zero (Math.Truncate)</summary>
    Truncate,

    /// <summary>a &lt; b (1 or 0)</summary>
    Less,
    /// <summary>a ≤ b (1 or 0)</summary>
    LessEqual,
    /// <summary>a &gt; b (1 or 0)</summary>
    Greater,
    /// <summary>a ≥ b (1 or 0)</summary>
    GreaterEqual,
    /// <summary>a = b (1 or 0)</summary>
    Equal,
    /// <summary>a ≠ b (1 or 0)</summary>
    NotEqual,
    /// <summary>a ∧ b on conditions</summary>
    And,
    /// <summary>a ∨ b on conditions</summary>
    Or,
    /// <summary>¬a on a condition</summary>
    Not,
    /// <summary>c ? a : b</summary>
    Select,

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ)</summary>
    Sigmoid,
    /// <summary>softplus(x) = ln(1 + eˣ)</summary>
    Softplus,
    /// <summary>relu(x) = max(x, 0)</summary>
    Relu,
    /// <summary>leaky relu(x, α) = x if x &gt; 0 else αx</summary>
    LeakyRelu,
    /// <summary>elu(x, α) = x if x &gt; 0 else α(eˣ − 1)</summary>
    Elu,
    /// <summary>log-sum-exp over any number of arguments, max-shifted</summary>
    LogSumExp,

    /// <summary>Element <c>Args[0]</c> (an integer index) of the array named <see cref="Node.Name"/> (in procedures).</summary>
    Load,
    /// <summary>Integer division a / b, truncated toward zero (C#'s <c>int / int</c>).</summary>
    IntDiv,
    /// <summary>Integer remainder a % b (C#'s <c>int % int</c>).</summary>
    Mod,

    /// <summary>A call of an external differentiable function (<see cref="Node.Name"/>).</summary>
    Call,
    /// <summary>∂/∂arg[<see cref="Node.Index"/>] of the external function <see cref="Node.Name"/>.</summary>
    CallPartial,

    // Operations added later go here, so the values above keep their numbers.

    /// <summary>√(a² + b²) without overflow (double.Hypot)</summary>
    Hypot,
    /// <summary>erf x, the error function (Primitives.Erf)</summary>
    Erf,
    /// <summary>erfc x = 1 − erf x, accurate for large x (Primitives.Erfc)</summary>
    Erfc,
    /// <summary>|a| with the sign of b (Math.CopySign)</summary>
    CopySign,
    /// <summary>a·2ⁿ for an integer n (Math.ScaleB)</summary>
    ScaleB,
    /// <summary>x rounded to n digits with a MidpointRounding mode (Math.Round(x, n, mode)); derivative 0</summary>
    RoundTo,
    /// <summary>the next double above x (Math.BitIncrement); derivative 0</summary>
    BitIncrement,
    /// <summary>the next double below x (Math.BitDecrement); derivative 0</summary>
    BitDecrement,
    /// <summary>x, with derivative 0 (Diff.StopGradient): the value flows on, the gradient stops</summary>
    StopGradient,
    /// <summary>
    /// A call of a function with a hand-written derivative ([CustomGradient]): <see cref="Node.Name"/> is the rule's
    /// gradient method, which returns the value and writes the partials; <see cref="Node.Value"/> marks (bit i) the
    /// arguments that get no partial (int and [NoDiff] parameters).
    /// </summary>
    CustomCall,
    /// <summary>∂/∂arg[<see cref="Node.Index"/>] of a <see cref="CustomCall"/>: the gradient method's out parameter for that argument.</summary>
    CustomPartial,
}
