using System;
using System.Numerics;
using C = DiffGen.Expr.ComplexPrimitives;
using P = DiffGen.Expr.Primitives;

namespace DiffGen.Expr;

/// <summary>
/// The one table of operations: for each, how it evaluates (double and complex), its derivative rule
/// with the formula beside it, and how it prints. Forward mode, reverse mode and second order all use
/// these rules; the traversals themselves contain no math. A rule returns the local partial
/// ∂node/∂arg, or null for a symbolic zero (no term is built). Rules may reuse the node itself
/// (eˣ' = eˣ), so derivatives share the primal's values instead of recomputing them.
/// </summary>
internal static class OpTable
{
    private const string MathType = "global::System.Math.";
    private const string PrimitivesType = "global::DiffGen.Expr.Primitives.";
    private const string ComplexType = "global::DiffGen.Expr.ComplexPrimitives.";

    private static readonly OpInfo[] Entries = Build();

    /// <summary>The entry of an operation.</summary>
    public static OpInfo Get(Op op) => Entries[(int)op];

    /// <summary>True when <paramref name="op"/> has an entry (every value of <see cref="Op"/> does).</summary>
    internal static bool IsDefined(Op op) => (int)op < Entries.Length;

    private static Node X(Node n) => n.ArgArray[0];
    private static Node Y(Node n) => n.ArgArray[1];

    private static OpInfo[] Build()
    {
        // Op is a byte: room for every value; trimmed after the last entry (OpTableTests checks each Op has one).
        var t = new OpInfo[byte.MaxValue + 1];
        int count = 0;
        void Add(OpInfo info)
        {
            t[(int)info.Op] = info;
            count = Math.Max(count, (int)info.Op + 1);
        }


        Add(new OpInfo(Op.Const, "const", 0) { Form = CSharpForm.Leaf });
        Add(new OpInfo(Op.Var, "var", 0) { Form = CSharpForm.Leaf });

        // ---- arithmetic -------------------------------------------------------------------
        // ∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1
        Add(Infix(Op.Add, "add", "+", 11, (a, b) => a + b, (a, b) => a + b, commutative: true,
            partial: (g, n, i) => g.One));
        // ∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1
        Add(Infix(Op.Sub, "sub", "-", 11, (a, b) => a - b, (a, b) => a - b,
            partial: (g, n, i) => i == 0 ? g.One : g.MinusOne));
        // ∂(ab)/∂a = b, ∂(ab)/∂b = a
        Add(Infix(Op.Mul, "mul", "*", 12, (a, b) => a * b, (a, b) => a * b, commutative: true,
            partial: (g, n, i) => i == 0 ? Y(n) : X(n)));
        // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² = −(a/b)/b
        Add(Infix(Op.Div, "div", "/", 12, (a, b) => a / b, (a, b) => a / b,
            partial: (g, n, i) => i == 0 ? g.Div(g.One, Y(n)) : g.Neg(g.Div(n, Y(n)))));
        // ∂(−a)/∂a = −1
        Add(new OpInfo(Op.Neg, "neg", 1)
        {
            Form = CSharpForm.Prefix, CSharp = "-", Precedence = 13, Latex = "-{0}",
            Real1 = a => -a, Complex1 = a => -a,
            Partial = (g, n, i) => g.MinusOne,
        });
        // ∂aᵇ/∂a = b·aᵇ⁻¹, and exactly 0 where b = 0 (a⁰ = 1 is constant; b·aᵇ⁻¹ would be 0·∞ at a = 0);
        // ∂aᵇ/∂b = aᵇ·ln a, and 0 where a = 0 and b ≥ 0 (0·ln 0 = 0, as PyTorch). Both masks are selects,
        // so their own derivatives (the Hessian) are masked too.
        Add(Binary(Op.Pow, "pow", MathType + "Pow", "Pow", "{{{0}}}^{{{1}}}", Math.Pow, C.Pow,
            (g, n, i) => i == 0
                ? g.Select(g.Equal(Y(n), g.Zero), g.Zero, g.Mul(Y(n), g.Pow(X(n), g.Sub(Y(n), g.One))))
                : g.Select(g.And(g.Equal(X(n), g.Zero), g.GreaterEqual(Y(n), g.Zero)), g.Zero, g.Mul(n, g.Log(X(n))))));
        // ∂(ab+c)/∂a = b, ∂/∂b = a, ∂/∂c = 1
        Add(new OpInfo(Op.Fma, "fma", 3)
        {
            CSharp = MathType + "FusedMultiplyAdd", CSharpComplex = ComplexType + "Fma", Latex = "{0} \\cdot {1} + {2}",
            Real3 = MathCompat.FusedMultiplyAdd, Complex3 = C.Fma, Foldable = MathCompat.Exact,
            Partial = (g, n, i) => i == 0 ? n.ArgArray[1] : i == 1 ? n.ArgArray[0] : g.One,
        });

        // ---- elementary functions ------------------------------------------------------------
        // (eˣ)' = eˣ
        Add(Unary(Op.Exp, "exp", MathType + "Exp", "Exp", "e^{{{0}}}", Math.Exp, C.Exp, (g, n, i) => n));
        // (ln x)' = 1/x
        Add(Unary(Op.Log, "log", MathType + "Log", "Log", "\\ln\\left({0}\\right)", Math.Log, C.Log,
            (g, n, i) => g.Div(g.One, X(n))));
        // (log₁₀ x)' = 1/(x ln 10)
        Add(Unary(Op.Log10, "log10", MathType + "Log10", "Log10", "\\log_{{10}}\\left({0}\\right)", Math.Log10, C.Log10,
            (g, n, i) => g.Div(g.One, g.Mul(X(n), g.Const(Math.Log(10.0))))));
        // (log₂ x)' = 1/(x ln 2)
        Add(Unary(Op.Log2, "log2", MathType + "Log2", "Log2", "\\log_{{2}}\\left({0}\\right)", MathCompat.Log2, C.Log2,
            (g, n, i) => g.Div(g.One, g.Mul(X(n), g.Const(Math.Log(2.0)))), foldable: MathCompat.Exact));
        // (ln(1+x))' = 1/(1+x)
        Add(Unary(Op.Log1p, "log1p", PrimitivesType + "Log1p", "Log1p", "\\ln\\left(1 + {0}\\right)", P.Log1p, C.Log1p,
            (g, n, i) => g.Div(g.One, g.Add(g.One, X(n)))));
        // (eˣ − 1)' = eˣ  (not (eˣ − 1) + 1, which cancels for x ≪ 0)
        Add(Unary(Op.Expm1, "expm1", PrimitivesType + "Expm1", "Expm1", "\\left(e^{{{0}}} - 1\\right)", P.Expm1, C.Expm1,
            (g, n, i) => g.Exp(X(n))));
        // (√x)' = 1/(2√x) = 0.5/√x
        Add(Unary(Op.Sqrt, "sqrt", MathType + "Sqrt", "Sqrt", "\\sqrt{{{0}}}", Math.Sqrt, C.Sqrt,
            (g, n, i) => g.Div(g.Const(0.5), n)));
        // (∛x)' = 1/(3 ∛x²)
        Add(Unary(Op.Cbrt, "cbrt", MathType + "Cbrt", "Cbrt", "\\sqrt[3]{{{0}}}", MathCompat.Cbrt, C.Cbrt,
            (g, n, i) => g.Div(g.One, g.Mul(g.Const(3.0), g.Mul(n, n))), foldable: MathCompat.Exact));
        // (sin x)' = cos x
        Add(Unary(Op.Sin, "sin", MathType + "Sin", "Sin", "\\sin\\left({0}\\right)", Math.Sin, C.Sin,
            (g, n, i) => g.Cos(X(n))));
        // (cos x)' = −sin x
        Add(Unary(Op.Cos, "cos", MathType + "Cos", "Cos", "\\cos\\left({0}\\right)", Math.Cos, C.Cos,
            (g, n, i) => g.Neg(g.Sin(X(n)))));
        // (tan x)' = 1 + tan² x
        Add(Unary(Op.Tan, "tan", MathType + "Tan", "Tan", "\\tan\\left({0}\\right)", Math.Tan, C.Tan,
            (g, n, i) => g.Add(g.One, g.Mul(n, n))));
        // (arcsin x)' = 1/√(1 − x²) = 1/√((1 − x)(1 + x))  (the product does not cancel near ±1)
        Add(Unary(Op.Asin, "asin", MathType + "Asin", "Asin", "\\arcsin\\left({0}\\right)", Math.Asin, C.Asin,
            (g, n, i) => g.Div(g.One, g.Sqrt(OneMinusSquare(g, X(n))))));
        // (arccos x)' = −1/√((1 − x)(1 + x))
        Add(Unary(Op.Acos, "acos", MathType + "Acos", "Acos", "\\arccos\\left({0}\\right)", Math.Acos, C.Acos,
            (g, n, i) => g.Div(g.MinusOne, g.Sqrt(OneMinusSquare(g, X(n))))));
        // (arctan x)' = 1/(1 + x²)
        Add(Unary(Op.Atan, "atan", MathType + "Atan", "Atan", "\\arctan\\left({0}\\right)", Math.Atan, C.Atan,
            (g, n, i) => g.Div(g.One, g.Add(g.One, g.Mul(X(n), X(n))))));
        // ∂atan2(y,x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
        Add(Binary(Op.Atan2, "atan2", MathType + "Atan2", "Atan2", "\\operatorname{{atan2}}\\left({0}, {1}\\right)", Math.Atan2, C.Atan2,
            (g, n, i) =>
            {
                Node r2 = g.Add(g.Mul(X(n), X(n)), g.Mul(Y(n), Y(n)));
                return i == 0 ? g.Div(Y(n), r2) : g.Neg(g.Div(X(n), r2));
            }));
        // (sinh x)' = cosh x
        Add(Unary(Op.Sinh, "sinh", MathType + "Sinh", "Sinh", "\\sinh\\left({0}\\right)", Math.Sinh, C.Sinh,
            (g, n, i) => g.Cosh(X(n))));
        // (cosh x)' = sinh x
        Add(Unary(Op.Cosh, "cosh", MathType + "Cosh", "Cosh", "\\cosh\\left({0}\\right)", Math.Cosh, C.Cosh,
            (g, n, i) => g.Sinh(X(n))));
        // (tanh x)' = 1 − tanh² x, read from the value (as PyTorch and JAX): no second transcendental, and a
        // stored tanh serves the reverse sweep. From |x| ≈ 19 on it rounds to 0, an absolute error below 1e−16.
        Add(Unary(Op.Tanh, "tanh", MathType + "Tanh", "Tanh", "\\tanh\\left({0}\\right)", Math.Tanh, C.Tanh,
            (g, n, i) => g.Sub(g.One, g.Mul(n, n))));
        // (arsinh x)' = 1/√(x² + 1) = 1/hypot(x, 1)  (x² overflows from |x| ≈ 1e154 on)
        Add(Unary(Op.Asinh, "asinh", MathType + "Asinh", "Asinh", "\\operatorname{{arsinh}}\\left({0}\\right)", MathCompat.Asinh, C.Asinh,
            (g, n, i) => g.Div(g.One, g.Hypot(X(n), g.One)), foldable: MathCompat.Exact));
        // (arcosh x)' = 1/√(x² − 1) = 1/(√(x − 1)·√(x + 1))  (no cancellation near 1, no overflow)
        Add(Unary(Op.Acosh, "acosh", MathType + "Acosh", "Acosh", "\\operatorname{{arcosh}}\\left({0}\\right)", MathCompat.Acosh, C.Acosh,
            (g, n, i) => g.Div(g.One, g.Mul(g.Sqrt(g.Sub(X(n), g.One)), g.Sqrt(g.Add(X(n), g.One)))), foldable: MathCompat.Exact));
        // (artanh x)' = 1/(1 − x²) = 1/((1 − x)(1 + x))
        Add(Unary(Op.Atanh, "atanh", MathType + "Atanh", "Atanh", "\\operatorname{{artanh}}\\left({0}\\right)", MathCompat.Atanh, C.Atanh,
            (g, n, i) => g.Div(g.One, OneMinusSquare(g, X(n))), foldable: MathCompat.Exact));
        // ∂hypot(a,b)/∂a = a/hypot(a,b), ∂/∂b = b/hypot(a,b); 0 at the origin (as |x|'(0) = 0)
        Add(Binary(Op.Hypot, "hypot", "global::System.Double.Hypot", "Hypot", "\\sqrt{{{0}^2 + {1}^2}}", MathCompat.Hypot, C.Hypot,
            (g, n, i) => g.Select(g.Equal(n, g.Zero), g.Zero, g.Div(n.ArgArray[i], n)), foldable: MathCompat.Exact));

        // erf'(x) = (2/√π)·e^(−x²),  erfc'(x) = −(2/√π)·e^(−x²)
        Add(Unary(Op.Erf, "erf", PrimitivesType + "Erf", "Erf", "\\operatorname{{erf}}\\left({0}\\right)", P.Erf, C.Erf,
            (g, n, i) => g.Mul(g.Const(P.TwoOverSqrtPi), g.Exp(g.Neg(g.Mul(X(n), X(n))))), foldable: MathCompat.Exact));
        Add(Unary(Op.Erfc, "erfc", PrimitivesType + "Erfc", "Erfc", "\\operatorname{{erfc}}\\left({0}\\right)", P.Erfc, C.Erfc,
            (g, n, i) => g.Mul(g.Const(-P.TwoOverSqrtPi), g.Exp(g.Neg(g.Mul(X(n), X(n))))), foldable: MathCompat.Exact));

        // ---- piecewise functions (PyTorch's conventions at the kinks) --------------------------
        // |x|' = sign x  (0 at 0)
        Add(Unary(Op.Abs, "abs", MathType + "Abs", "Abs", "\\left|{0}\\right|", Math.Abs, C.Abs,
            (g, n, i) => g.Sign(X(n))));
        // sign, floor, ceiling, round, truncate: derivative 0 (symbolic zero)
        Add(Unary(Op.Sign, "sign", PrimitivesType + "Sign", "Sign", "\\operatorname{{sign}}\\left({0}\\right)", P.Sign, C.Sign, Zero));
        Add(Unary(Op.Floor, "floor", MathType + "Floor", "Floor", "\\lfloor {0} \\rfloor", Math.Floor, C.Floor, Zero));
        Add(Unary(Op.Ceiling, "ceiling", MathType + "Ceiling", "Ceiling", "\\lceil {0} \\rceil", Math.Ceiling, C.Ceiling, Zero));
        Add(Unary(Op.Round, "round", MathType + "Round", "Round", "\\operatorname{{round}}\\left({0}\\right)", Math.Round, C.Round, Zero));
        Add(Unary(Op.Truncate, "truncate", MathType + "Truncate", "Truncate", "\\operatorname{{trunc}}\\left({0}\\right)", Math.Truncate, C.Truncate, Zero));
        // ∂copysign(a,b)/∂a = sign a · copysign(1, b)  (0 at a = 0, as PyTorch);  ∂/∂b = 0
        Add(Binary(Op.CopySign, "copysign", MathType + "CopySign", "CopySign", "\\operatorname{{copysign}}\\left({0}, {1}\\right)", MathCompat.CopySign, C.CopySign,
            (g, n, i) => i == 0 ? g.Mul(g.Sign(X(n)), g.Apply(Op.CopySign, g.One, Y(n))) : null, foldable: MathCompat.Exact));
        // ∂(a·2ⁿ)/∂a = 2ⁿ = scaleb(1, n);  n is an integer: 0
        Add(Binary(Op.ScaleB, "scaleb", PrimitivesType + "ScaleB", "ScaleB", "{0} \\cdot 2^{{{1}}}", P.ScaleB, C.ScaleB,
            (g, n, i) => i == 0 ? g.Apply(Op.ScaleB, g.One, Y(n)) : null, foldable: MathCompat.Exact));
        // Math.Round(x, digits, mode), BitIncrement, BitDecrement: piecewise constant, derivative 0
        Add(new OpInfo(Op.RoundTo, "round_to", 3)
        {
            CSharp = PrimitivesType + "Round", CSharpComplex = ComplexType + "Round", Latex = "\\operatorname{{round}}_{{{1}}}\\left({0}\\right)",
            Real3 = P.Round, Complex3 = C.Round, Partial = Zero,
        });
        Add(Unary(Op.BitIncrement, "bit_increment", MathType + "BitIncrement", "BitIncrement", "{0}^{{+}}", MathCompat.BitIncrement, C.BitIncrement, Zero, foldable: MathCompat.Exact));
        Add(Unary(Op.BitDecrement, "bit_decrement", MathType + "BitDecrement", "BitDecrement", "{0}^{{-}}", MathCompat.BitDecrement, C.BitDecrement, Zero, foldable: MathCompat.Exact));
        // max and min pass the gradient to the argument taken. At a tie (a = b) each argument gets ½,
        // as torch.maximum and jax.numpy.maximum do: it is the only rule that does not depend on
        // argument order (Max(x, 0) and Max(0, x) agree) and keeps max(x, x)' = 1. (Relu is its own
        // op with relu'(0) = 0.) Where an argument is NaN both get the gradient (as PyTorch), so a
        // NaN value gives a NaN gradient when the NaN argument's own derivative is NaN.
        // ∂max(a,b)/∂a = a < b ? 0 : a = b ? ½ : 1,  ∂/∂b = b < a ? 0 : a = b ? ½ : 1
        Add(Binary(Op.Max, "max", MathType + "Max", "Max", "\\max\\left({0}, {1}\\right)", Math.Max, C.Max,
            (g, n, i) => TieSplit(g, i == 0 ? g.Less(X(n), Y(n)) : g.Less(Y(n), X(n)), n)));
        // ∂min(a,b)/∂a = a > b ? 0 : a = b ? ½ : 1,  ∂/∂b = b > a ? 0 : a = b ? ½ : 1
        Add(Binary(Op.Min, "min", MathType + "Min", "Min", "\\min\\left({0}, {1}\\right)", Math.Min, C.Min,
            (g, n, i) => TieSplit(g, i == 0 ? g.Greater(X(n), Y(n)) : g.Greater(Y(n), X(n)), n)));

        // ---- conditions and selection (derivative 0 through a condition) -------------------
        Add(Condition(Op.Less, "lt", "<", 9, "<", (a, b) => a < b));
        Add(Condition(Op.LessEqual, "le", "<=", 9, "\\le", (a, b) => a <= b));
        Add(Condition(Op.Greater, "gt", ">", 9, ">", (a, b) => a > b));
        Add(Condition(Op.GreaterEqual, "ge", ">=", 9, "\\ge", (a, b) => a >= b));
        Add(Condition(Op.Equal, "eq", "==", 8, "=", (a, b) => a == b));
        Add(Condition(Op.NotEqual, "ne", "!=", 8, "\\ne", (a, b) => a != b));
        Add(Condition(Op.And, "and", "&&", 4, "\\land", (a, b) => a != 0 && b != 0));
        Add(Condition(Op.Or, "or", "||", 3, "\\lor", (a, b) => a != 0 || b != 0));
        Add(new OpInfo(Op.Not, "not", 1)
        {
            Form = CSharpForm.Prefix, CSharp = "!", Precedence = 13, Latex = "\\lnot {0}", IsCondition = true,
            Real1 = a => a != 0 ? 0.0 : 1.0, Complex1 = a => a.Real != 0 ? 0.0 : 1.0, Partial = Zero,
        });
        // ∂(c ? a : b)/∂a = [c], ∂/∂b = [¬c], ∂/∂c = 0
        Add(new OpInfo(Op.Select, "select", 3)
        {
            Form = CSharpForm.Conditional, Precedence = 2, Latex = "\\begin{{cases}} {1} & {0} \\\\ {2} & \\text{{otherwise}} \\end{{cases}}",
            Real3 = (c, a, b) => c != 0 ? a : b, Complex3 = (c, a, b) => c.Real != 0 ? a : b,
            Partial = (g, n, i) => i == 0 ? null : Indicator(g, n.ArgArray[0], i == 1),
        });

        // ---- network primitives, with derivatives that stay finite at |x| = 1000 ------------
        // σ'(x) = σ(x)·σ(−x)   (not σ(1−σ): 1−σ loses all digits once σ rounds to 1)
        Add(Unary(Op.Sigmoid, "sigmoid", PrimitivesType + "Sigmoid", "Sigmoid", "\\sigma\\left({0}\\right)", P.Sigmoid, C.Sigmoid,
            (g, n, i) => g.Mul(n, g.Sigmoid(g.Neg(X(n))))));
        // softplus'(x) = σ(x)
        Add(Unary(Op.Softplus, "softplus", PrimitivesType + "Softplus", "Softplus", "\\operatorname{{softplus}}\\left({0}\\right)", P.Softplus, C.Softplus,
            (g, n, i) => g.Sigmoid(X(n))));
        // relu'(x) = [relu(x) > 0] = [x > 0]  (0 at 0), read from the value as tanh's: a stored relu serves the reverse sweep
        Add(Unary(Op.Relu, "relu", PrimitivesType + "Relu", "Relu", "\\operatorname{{relu}}\\left({0}\\right)", P.Relu, C.Relu,
            (g, n, i) => Indicator(g, g.Greater(n, g.Zero), true)));
        // ∂lrelu(x,α)/∂x = x > 0 ? 1 : α;  ∂/∂α = x > 0 ? 0 : x   (PReLU learns α)
        Add(Binary(Op.LeakyRelu, "leaky_relu", PrimitivesType + "LeakyRelu", "LeakyRelu", "\\operatorname{{lrelu}}_{{{1}}}\\left({0}\\right)", P.LeakyRelu, C.LeakyRelu,
            (g, n, i) => i == 0
                ? g.Select(g.Greater(X(n), g.Zero), g.One, Y(n))
                : g.Select(g.Greater(X(n), g.Zero), g.Zero, X(n))));
        // ∂elu(x,α)/∂x = x > 0 ? 1 : α·eˣ;  ∂/∂α = x > 0 ? 0 : eˣ − 1
        Add(Binary(Op.Elu, "elu", PrimitivesType + "Elu", "Elu", "\\operatorname{{elu}}_{{{1}}}\\left({0}\\right)", P.Elu, C.Elu,
            (g, n, i) => i == 0
                ? g.Select(g.Greater(X(n), g.Zero), g.One, g.Mul(Y(n), g.Exp(X(n))))
                : g.Select(g.Greater(X(n), g.Zero), g.Zero, g.Expm1(X(n)))));
        // ∂lse(x)/∂xᵢ = e^(xᵢ − lse(x))  (softmax; the exponent is ≤ 0, so it cannot overflow)
        Add(new OpInfo(Op.LogSumExp, "logsumexp", -1)
        {
            CSharp = PrimitivesType + "LogSumExp", CSharpComplex = ComplexType + "LogSumExp",
            Latex = "\\operatorname{{lse}}\\left({0}\\right)",
            RealN = P.LogSumExp, ComplexN = C.LogSumExp,
            Partial = (g, n, i) => g.Exp(g.Sub(n.ArgArray[i], n)),
        });

        // ---- arrays and integer arithmetic of procedures (indices carry no derivative) --------
        // ∂a[i]/∂i = 0: the element itself is what procedures differentiate (see Procedures)
        Add(new OpInfo(Op.Load, "load", 1)
        {
            Form = CSharpForm.Leaf, Latex = "{{name}}_{{{0}}}", Foldable = false,
            Partial = Zero,
        });
        Add(new OpInfo(Op.IntDiv, "idiv", 2)
        {
            Form = CSharpForm.Infix, CSharp = "/", Precedence = 12, Latex = "\\lfloor {0} / {1} \\rfloor",
            Real2 = (a, b) => Math.Truncate(a / b), Complex2 = (a, b) => Math.Truncate(a.Real / b.Real), Partial = Zero,
        });
        Add(new OpInfo(Op.Mod, "mod", 2)
        {
            Form = CSharpForm.Infix, CSharp = "%", Precedence = 12, Latex = "{0} \\bmod {1}",
            Real2 = (a, b) => a % b, Complex2 = (a, b) => a.Real % b.Real, Partial = Zero,
        });

        // ---- external differentiable functions -----------------------------------------------
        // ∂f(x₁…xₙ)/∂xᵢ = the function's own i-th partial (its generated gradient)
        Add(new OpInfo(Op.Call, "call", -1)
        {
            Latex = "\\operatorname{{{name}}}\\left({0}\\right)", Foldable = false,
            Partial = (g, n, i) => g.CallPartial(n.Name!, i, n.ArgArray),
        });
        // second derivatives of external functions are not available
        Add(new OpInfo(Op.CallPartial, "call_partial", -1)
        {
            Latex = "\\partial_{{{index}}}\\operatorname{{{name}}}\\left({0}\\right)", Foldable = false,
            Partial = (g, n, i) => throw new DifferentiationException(
                $"The second derivative of '{n.Name}' is not available: it is an external function with only first derivatives."),
        });

        // ---- stop-gradient and hand-written rules ---------------------------------------------
        // stop_gradient(x) = x with derivative 0 (Diff.StopGradient); over Complex it keeps the real part, so complex step agrees
        Add(Unary(Op.StopGradient, "stop_gradient", PrimitivesType + "StopGradient", "StopGradient", "\\operatorname{{sg}}\\left({0}\\right)",
            P.StopGradient, C.StopGradient, Zero));
        // ∂f(x₁…xₙ)/∂xᵢ = the i-th out parameter of the user's gradient method ([CustomGradient]); int and [NoDiff] arguments: 0
        Add(new OpInfo(Op.CustomCall, "custom_call", -1)
        {
            Latex = "\\operatorname{{{name}}}\\left({0}\\right)", Foldable = false,
            Partial = (g, n, i) => Graph.HasNoPartial(n, i) ? null : g.CustomPartial(n, i),
        });
        // a hand-written rule gives first derivatives only
        Add(new OpInfo(Op.CustomPartial, "custom_partial", -1)
        {
            Latex = "\\partial_{{{index}}}\\operatorname{{{name}}}\\left({0}\\right)", Foldable = false,
            Partial = (g, n, i) => throw new DifferentiationException(
                $"The second derivative through the hand-written rule '{n.Name}' is not available: a custom rule gives first derivatives only."),
        });

        // Values that can be ±∞ at finite arguments (poles, overflow): a derivative term whose partial holds one
        // is guarded against an exactly-zero seed (ZeroSeed), so that 0·∞ gives 0 as a symbolic zero would.
        foreach (var op in new[]
        {
            Op.Div, Op.Pow, Op.Log, Op.Log10, Op.Log2, Op.Log1p, Op.Exp, Op.Expm1, Op.Sinh, Op.Cosh, Op.Tan, Op.ScaleB,
            Op.Call, Op.CallPartial, Op.CustomCall, Op.CustomPartial,
        })
        {
            t[(int)op].CanBeInfinite = true;
        }

        Array.Resize(ref t, count);
        foreach (var info in t)
        {
            if (info is null)
            {
                throw new InvalidOperationException("OpTable: an operation has no entry.");
            }
        }

        return t;
    }

    private static Node? Zero(Graph g, Node n, int i) => null;

    /// <summary>1 − x² as (1 − x)(1 + x), exact to rounding near ±1 where 1 − x·x cancels.</summary>
    private static Node OneMinusSquare(Graph g, Node x) => g.Mul(g.Sub(g.One, x), g.Add(g.One, x));

    /// <summary>The partial of max/min for one argument: 0 where the other is taken, ½ at a tie, else 1.</summary>
    private static Node TieSplit(Graph g, Node otherTaken, Node n) =>
        g.Select(otherTaken, g.Zero, g.Select(g.Equal(X(n), Y(n)), g.Const(0.5), g.One));

    /// <summary>[c] as 1 or 0 (or [¬c] when <paramref name="whenTrue"/> is false).</summary>
    private static Node Indicator(Graph g, Node condition, bool whenTrue) =>
        whenTrue ? g.Select(condition, g.One, g.Zero) : g.Select(condition, g.Zero, g.One);

    private static OpInfo Unary(Op op, string name, string csharp, string complexName, string latex,
        Func<double, double> real, Func<Complex, Complex> complex, PartialRule partial, bool foldable = true) =>
        new(op, name, 1)
        {
            CSharp = csharp, CSharpComplex = ComplexType + complexName, Latex = latex,
            Real1 = real, Complex1 = complex, Partial = partial, Foldable = foldable,
        };

    private static OpInfo Binary(Op op, string name, string csharp, string complexName, string latex,
        Func<double, double, double> real, Func<Complex, Complex, Complex> complex, PartialRule partial, bool foldable = true) =>
        new(op, name, 2)
        {
            CSharp = csharp, CSharpComplex = ComplexType + complexName, Latex = latex,
            Real2 = real, Complex2 = complex, Partial = partial, Foldable = foldable,
        };

    private static OpInfo Infix(Op op, string name, string token, int precedence,
        Func<double, double, double> real, Func<Complex, Complex, Complex> complex, PartialRule partial, bool commutative = false) =>
        new(op, name, 2)
        {
            Form = CSharpForm.Infix, CSharp = token, Precedence = precedence, IsCommutative = commutative,
            Real2 = real, Complex2 = complex, Partial = partial,
        };

    private static OpInfo Condition(Op op, string name, string token, int precedence, string latex, Func<double, double, bool> test) =>
        new(op, name, 2)
        {
            Form = CSharpForm.Infix, CSharp = token, Precedence = precedence, Latex = "{0} " + latex + " {1}",
            IsCondition = true, IsCommutative = op is Op.Equal or Op.NotEqual or Op.And or Op.Or,
            Real2 = (a, b) => test(a, b) ? 1.0 : 0.0,
            Complex2 = (a, b) => test(a.Real, b.Real) ? 1.0 : 0.0,
            Partial = Zero,
        };
}

/// <summary>Thrown when a graph cannot be differentiated (for example, second derivatives of an external function).</summary>
public sealed class DifferentiationException : Exception
{
    /// <summary>Creates the exception with a message saying what cannot be differentiated.</summary>
    public DifferentiationException(string message) : base(message)
    {
    }
}
