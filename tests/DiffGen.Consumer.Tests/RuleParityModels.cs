using System;
using DiffGen.Nn;

namespace DiffGen.Consumer.Tests;

/// <summary>One [Differentiable] method per operation, for <see cref="RuleParityTests"/>: the generator's rule in generated code.</summary>
public static partial class RuleParityModels
{
    [Differentiable] public static double Add(double x, double y) => x + y;
    [Differentiable] public static double Sub(double x, double y) => x - y;
    [Differentiable] public static double Mul(double x, double y) => x * y;
    [Differentiable] public static double Div(double x, double y) => x / y;
    [Differentiable] public static double Neg(double x) => -x;
    [Differentiable] public static double Fma(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z);
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double Hypot(double x, double y) => double.Hypot(x, y);
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    [Differentiable] public static double Exp(double x) => Math.Exp(x);
    [Differentiable] public static double Log(double x) => Math.Log(x);
    [Differentiable] public static double Log10(double x) => Math.Log10(x);
    [Differentiable] public static double Log2(double x) => Math.Log2(x);
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x);
    [Differentiable] public static double Sin(double x) => Math.Sin(x);
    [Differentiable] public static double Cos(double x) => Math.Cos(x);
    [Differentiable] public static double Tan(double x) => Math.Tan(x);
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    [Differentiable] public static double Acos(double x) => Math.Acos(x);
    [Differentiable] public static double Atan(double x) => Math.Atan(x);
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
    [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
    [Differentiable] public static double Acosh(double x) => Math.Acosh(x);
    [Differentiable] public static double Atanh(double x) => Math.Atanh(x);
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    [Differentiable] public static double Sign(double x) => Math.Sign(x);
    [Differentiable] public static double Floor(double x) => Math.Floor(x);
    [Differentiable] public static double Ceiling(double x) => Math.Ceiling(x);
    [Differentiable] public static double Round(double x) => Math.Round(x);
    [Differentiable] public static double Truncate(double x) => Math.Truncate(x);
    [Differentiable] public static double Sigmoid(double x) => Activations.Sigmoid(x);
    [Differentiable] public static double Softplus(double x) => Activations.Softplus(x);
    [Differentiable] public static double Relu(double x) => Activations.Relu(x);
    [Differentiable] public static double LeakyRelu(double x, double alpha) => Activations.LeakyRelu(x, alpha);
    [Differentiable] public static double Elu(double x, double alpha) => Activations.Elu(x, alpha);
    [Differentiable] public static double Gelu(double x) => Activations.Gelu(x);
    [Differentiable] public static double Selu(double x) => Activations.Selu(x);
    [Differentiable] public static double Swish(double x) => Activations.Swish(x);
    [Differentiable] public static double Mish(double x) => Activations.Mish(x);
    [Differentiable] public static double Softsign(double x) => Activations.Softsign(x);
    [Differentiable] public static double LogSigmoid(double x) => Activations.LogSigmoid(x);
    [Differentiable] public static double Step(double x) => Activations.Step(x);
    [Differentiable] public static double GeluTanh(double x) => Activations.GeluTanh(x);
    [Differentiable] public static double Sinc(double x) => Activations.Sinc(x);
    [Differentiable] public static double Log1p(double x) => double.LogP1(x);
    [Differentiable] public static double Expm1(double x) => double.ExpM1(x);
    [Differentiable] public static double Erf(double x) => DiffGen.Expr.Primitives.Erf(x);
    [Differentiable] public static double Erfc(double x) => DiffGen.Expr.Primitives.Erfc(x);
    [Differentiable] public static double CopySign(double x, double y) => Math.CopySign(x, y);
    [Differentiable] public static double ScaleB(double x) => Math.ScaleB(x, 3);
    [Differentiable] public static double RoundTo(double x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);
    [Differentiable] public static double BitIncrement(double x) => Math.BitIncrement(x);
    [Differentiable] public static double BitDecrement(double x) => Math.BitDecrement(x);
}
