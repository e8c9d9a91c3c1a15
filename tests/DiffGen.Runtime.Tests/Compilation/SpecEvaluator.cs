using System;
using DiffGen.Expr.Tests;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests.Compilation;

/// <summary>The arithmetic a random <see cref="Spec"/> needs, over some number type T (Dual, Var, …).</summary>
internal interface IScalarOps<T>
{
    double Value(T x);
    T Const(double c);
    T Add(T a, T b);
    T Sub(T a, T b);
    T Mul(T a, T b);
    T Div(T a, T b);
    T Neg(T a);
    T Exp(T a);
    T Log(T a);
    T Log10(T a);
    T Log2(T a);
    T Log1p(T a);
    T Expm1(T a);
    T Sqrt(T a);
    T Cbrt(T a);
    T Sin(T a);
    T Cos(T a);
    T Tan(T a);
    T Asin(T a);
    T Acos(T a);
    T Atan(T a);
    T Sinh(T a);
    T Cosh(T a);
    T Tanh(T a);
    T Abs(T a);
    T Sign(T a);
    T Floor(T a);
    T Round(T a);
    T Pow(T a, T b);
    T Pow(T a, double p);
    T Atan2(T y, T x);
    T Min(T a, T b);
    T Max(T a, T b);
    T Fma(T a, T b, T c);

    /// <summary>f(a) with the local derivative f'(a): the ops the number type lacks are built from this.</summary>
    T Unary(T a, double value, double derivative);

    /// <summary>f(a, b) with the local partials.</summary>
    T Binary(T a, T b, double value, double da, double db);
}

/// <summary>
/// Evaluates a random <see cref="Spec"/> over any number type, mirroring <see cref="Spec.Build"/>
/// (the same domain wrappers: log of a² + 0.5, arcsin of 0.9·tanh a, …). Functions that Dual/VarMath
/// have are called directly; the network activations take their value and derivative from
/// <see cref="Activations"/>; asinh, acosh and atanh (missing from DualMath and VarMath) and
/// log-sum-exp are built from their closed forms.
/// </summary>
internal static class SpecEvaluator
{
    public static T Evaluate<T>(Spec s, T[] vars, IScalarOps<T> o)
    {
        T A(int i) => Evaluate(s.Args[i], vars, o);
        T Positive(int i)
        {
            var a = A(i);
            return o.Add(o.Mul(a, a), o.Const(0.5));
        }

        T Unit(int i) => o.Mul(o.Const(0.9), o.Tanh(A(i)));
        T U(T a, Func<double, double> f, Func<double, double> df)
        {
            double v = o.Value(a);
            return o.Unary(a, f(v), df(v));
        }

        switch (s.Kind)
        {
            case "const": return o.Const(s.Constant);
            case "var": return vars[s.Variable];
            case "neg": return o.Neg(A(0));
            case "exp": return o.Exp(A(0));
            case "log": return o.Log(Positive(0));
            case "log10": return o.Log10(Positive(0));
            case "log2": return o.Log2(Positive(0));
            case "log1p": { var a = A(0); return o.Log1p(o.Mul(a, a)); }
            case "expm1": return o.Expm1(A(0));
            case "sqrt": return o.Sqrt(Positive(0));
            case "cbrt": return o.Cbrt(A(0));
            case "sin": return o.Sin(A(0));
            case "cos": return o.Cos(A(0));
            case "tan": return o.Tan(A(0));
            case "asin": return o.Asin(Unit(0));
            case "acos": return o.Acos(Unit(0));
            case "atan": return o.Atan(A(0));
            case "sinh": return o.Sinh(A(0));
            case "cosh": return o.Cosh(A(0));
            case "tanh": return o.Tanh(A(0));
            case "asinh": return U(A(0), Math.Asinh, x => 1.0 / Math.Sqrt(x * x + 1.0));
            case "acosh": { var a = A(0); return U(o.Add(o.Mul(a, a), o.Const(1.1)), Math.Acosh, x => 1.0 / Math.Sqrt(x * x - 1.0)); }
            case "atanh": return U(Unit(0), Math.Atanh, x => 1.0 / (1.0 - x * x));
            case "abs": return o.Abs(A(0));
            case "sign": { var a = A(0); return o.Mul(o.Sign(a), a); }
            case "floor": { var a = A(0); return o.Add(o.Floor(a), a); }
            case "round": { var a = A(0); return o.Mul(o.Round(a), a); }
            case "sigmoid": return U(A(0), Activations.Sigmoid, Activations.SigmoidDerivative);
            case "softplus": return U(A(0), Activations.Softplus, Activations.SoftplusDerivative);
            case "relu": return U(A(0), Activations.Relu, Activations.ReluDerivative);
            case "leaky_relu": return U(A(0), x => Activations.LeakyRelu(x, 0.1), x => Activations.LeakyReluDerivative(x, 0.1));
            case "elu": return U(A(0), x => Activations.Elu(x, 0.7), x => Activations.EluDerivative(x, 0.7));
            case "gelu": return U(A(0), Activations.Gelu, Activations.GeluDerivative);
            case "swish": return U(A(0), Activations.Swish, Activations.SwishDerivative);
            case "mish": return U(A(0), Activations.Mish, Activations.MishDerivative);
            case "softsign": return U(A(0), Activations.Softsign, Activations.SoftsignDerivative);
            case "add": return o.Add(A(0), A(1));
            case "sub": return o.Sub(A(0), A(1));
            case "mul": return o.Mul(A(0), A(1));
            case "div": return o.Div(A(0), Positive(1));
            case "pow": return o.Pow(Positive(0), o.Mul(o.Tanh(A(1)), o.Const(2.0)));
            case "powi": return o.Pow(A(0), 3.0);
            case "powf": return o.Pow(Positive(0), -1.5);
            case "atan2": return o.Atan2(A(0), A(1));
            case "min": return o.Min(A(0), A(1));
            case "max": return o.Max(A(0), A(1));
            case "select":
            {
                var a = A(0);
                var b = A(1);
                return o.Value(a) < o.Value(b) ? o.Mul(a, b) : o.Sub(b, a);
            }

            case "prelu":
            {
                var x = A(0);
                var alpha = A(1);
                double xv = o.Value(x), av = o.Value(alpha);
                return o.Binary(x, alpha, Activations.LeakyRelu(xv, av), Activations.LeakyReluDerivative(xv, av), Activations.LeakyReluDerivativeAlpha(xv, av));
            }

            case "lse":
            {
                // m + ln(e^(a−m) + e^(b−m) + e^(c−m)) with the shift m = max held constant.
                var a = A(0);
                var b = A(1);
                var c = A(2);
                var m = o.Const(Math.Max(o.Value(a), Math.Max(o.Value(b), o.Value(c))));
                var sum = o.Add(o.Add(o.Exp(o.Sub(a, m)), o.Exp(o.Sub(b, m))), o.Exp(o.Sub(c, m)));
                return o.Add(m, o.Log(sum));
            }

            case "fma": return o.Fma(A(0), A(1), A(2));
            default: throw new InvalidOperationException("unknown kind " + s.Kind);
        }
    }
}

/// <summary>Forward mode with <see cref="Dual"/> and <see cref="DualMath"/>.</summary>
internal sealed class DualOps : IScalarOps<Dual>
{
    public static readonly DualOps Instance = new();

    public double Value(Dual x) => x.Value;
    public Dual Const(double c) => Dual.Constant(c);
    public Dual Add(Dual a, Dual b) => a + b;
    public Dual Sub(Dual a, Dual b) => a - b;
    public Dual Mul(Dual a, Dual b) => a * b;
    public Dual Div(Dual a, Dual b) => a / b;
    public Dual Neg(Dual a) => -a;
    public Dual Exp(Dual a) => DualMath.Exp(a);
    public Dual Log(Dual a) => DualMath.Log(a);
    public Dual Log10(Dual a) => DualMath.Log10(a);
    public Dual Log2(Dual a) => DualMath.Log2(a);
    public Dual Log1p(Dual a) => DualMath.Log1p(a);
    public Dual Expm1(Dual a) => DualMath.Expm1(a);
    public Dual Sqrt(Dual a) => DualMath.Sqrt(a);
    public Dual Cbrt(Dual a) => DualMath.Cbrt(a);
    public Dual Sin(Dual a) => DualMath.Sin(a);
    public Dual Cos(Dual a) => DualMath.Cos(a);
    public Dual Tan(Dual a) => DualMath.Tan(a);
    public Dual Asin(Dual a) => DualMath.Asin(a);
    public Dual Acos(Dual a) => DualMath.Acos(a);
    public Dual Atan(Dual a) => DualMath.Atan(a);
    public Dual Sinh(Dual a) => DualMath.Sinh(a);
    public Dual Cosh(Dual a) => DualMath.Cosh(a);
    public Dual Tanh(Dual a) => DualMath.Tanh(a);
    public Dual Abs(Dual a) => DualMath.Abs(a);
    public Dual Sign(Dual a) => DualMath.Sign(a);
    public Dual Floor(Dual a) => DualMath.Floor(a);
    public Dual Round(Dual a) => DualMath.Round(a);
    public Dual Pow(Dual a, Dual b) => DualMath.Pow(a, b);
    public Dual Pow(Dual a, double p) => DualMath.Pow(a, p);
    public Dual Atan2(Dual y, Dual x) => DualMath.Atan2(y, x);
    public Dual Min(Dual a, Dual b) => DualMath.Min(a, b);
    public Dual Max(Dual a, Dual b) => DualMath.Max(a, b);
    public Dual Fma(Dual a, Dual b, Dual c) => DualMath.FusedMultiplyAdd(a, b, c);
    public Dual Unary(Dual a, double value, double derivative) => new(value, derivative * a.Derivative);
    public Dual Binary(Dual a, Dual b, double value, double da, double db) => new(value, da * a.Derivative + db * b.Derivative);
}

/// <summary>Reverse mode with <see cref="Tape"/>, <see cref="Var"/> and <see cref="VarMath"/>.</summary>
internal sealed class VarOps : IScalarOps<Var>
{
    private readonly Tape _tape;

    public VarOps(Tape tape) => _tape = tape;

    public double Value(Var x) => x.Value;
    public Var Const(double c) => _tape.Variable(c);
    public Var Add(Var a, Var b) => a + b;
    public Var Sub(Var a, Var b) => a - b;
    public Var Mul(Var a, Var b) => a * b;
    public Var Div(Var a, Var b) => a / b;
    public Var Neg(Var a) => -a;
    public Var Exp(Var a) => VarMath.Exp(a);
    public Var Log(Var a) => VarMath.Log(a);
    public Var Log10(Var a) => VarMath.Log10(a);
    public Var Log2(Var a) => VarMath.Log2(a);
    public Var Log1p(Var a) => VarMath.Log1p(a);
    public Var Expm1(Var a) => VarMath.Expm1(a);
    public Var Sqrt(Var a) => VarMath.Sqrt(a);
    public Var Cbrt(Var a) => VarMath.Cbrt(a);
    public Var Sin(Var a) => VarMath.Sin(a);
    public Var Cos(Var a) => VarMath.Cos(a);
    public Var Tan(Var a) => VarMath.Tan(a);
    public Var Asin(Var a) => VarMath.Asin(a);
    public Var Acos(Var a) => VarMath.Acos(a);
    public Var Atan(Var a) => VarMath.Atan(a);
    public Var Sinh(Var a) => VarMath.Sinh(a);
    public Var Cosh(Var a) => VarMath.Cosh(a);
    public Var Tanh(Var a) => VarMath.Tanh(a);
    public Var Abs(Var a) => VarMath.Abs(a);
    public Var Sign(Var a) => VarMath.Sign(a);
    public Var Floor(Var a) => VarMath.Floor(a);
    public Var Round(Var a) => VarMath.Round(a);
    public Var Pow(Var a, Var b) => VarMath.Pow(a, b);
    public Var Pow(Var a, double p) => VarMath.Pow(a, p);
    public Var Atan2(Var y, Var x) => VarMath.Atan2(y, x);
    public Var Min(Var a, Var b) => VarMath.Min(a, b);
    public Var Max(Var a, Var b) => VarMath.Max(a, b);
    public Var Fma(Var a, Var b, Var c) => VarMath.FusedMultiplyAdd(a, b, c);

    // The tape's public operations record a custom op exactly: (a − a₀)·f' + f(a₀) has value f(a₀)
    // (since (a₀ − a₀)·f' = 0) and partial f' with respect to a.
    public Var Unary(Var a, double value, double derivative) => (a - a.Value) * derivative + value;

    public Var Binary(Var a, Var b, double value, double da, double db) => (a - a.Value) * da + (b - b.Value) * db + value;
}
