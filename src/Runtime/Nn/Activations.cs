using System;
using System.Numerics;
using DiffGen.Expr;
using DiffGen.Numerics;

namespace DiffGen.Nn;

/// <summary>
/// Scalar activation functions, each in three forms: <c>F(double)</c>, its analytic continuation
/// <c>F(Complex)</c> for complex-step checks (branches are decided on the real part, as the real
/// function decides them on x), and the closed-form derivative <c>FDerivative(double)</c>.
/// Every form stays finite at |x| = 1000 wherever the function is finite. Non-differentiable
/// points follow PyTorch: relu'(0) = 0, leaky relu'(0) = α.
/// The DiffGen generator maps calls to these names onto its own derivative rules, so the names
/// and double signatures are part of the contract. The values and derivatives are those rules:
/// the primitives of <see cref="OpTable"/> and the composites of <see cref="Graph"/>, through the
/// generated <c>ScalarRules</c> (nothing here restates a formula).
/// </summary>
public static partial class Activations
{
    /// <summary>Logistic sigmoid σ(x) = 1/(1 + e^−x), evaluated through e^−|x|.</summary>
    public static double Sigmoid(double x) => Primitives.Sigmoid(x);

    /// <summary>σ(z) = 1/(1 + e^−z), branch on Re z as in the real form.</summary>
    public static Complex Sigmoid(Complex x) => ComplexPrimitives.Sigmoid(x);

    /// <summary>σ'(x) = σ(x)·σ(−x), which does not cancel as σ(1 − σ) does.</summary>
    public static double SigmoidDerivative(double x) => ScalarRules.SigmoidDerivative(x);

    /// <summary>Hyperbolic tangent tanh(x) = (e^x − e^−x)/(e^x + e^−x).</summary>
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>tanh(z), written to stay finite for large |Re z| (unlike <see cref="Complex.Tanh"/>).</summary>
    public static Complex Tanh(Complex x) => ComplexPrimitives.Tanh(x);

    /// <summary>tanh'(x) = sech²(x) = (1/cosh x)², which keeps its digits where 1 − tanh² rounds to 0.</summary>
    public static double TanhDerivative(double x) => ScalarRules.TanhDerivative(x);

    /// <summary>Rectified linear unit relu(x) = max(x, 0).</summary>
    public static double Relu(double x) => Primitives.Relu(x);

    /// <summary>relu(z) = z if Re z &gt; 0, else 0.</summary>
    public static Complex Relu(Complex x) => ComplexPrimitives.Relu(x);

    /// <summary>relu'(x) = 1 if x &gt; 0, else 0 (relu'(0) = 0, as PyTorch).</summary>
    public static double ReluDerivative(double x) => ScalarRules.ReluDerivative(x);

    /// <summary>Leaky relu (PReLU with a given α): x if x &gt; 0, else α·x.</summary>
    public static double LeakyRelu(double x, double alpha = 0.01) => Primitives.LeakyRelu(x, alpha);

    /// <summary>Leaky relu: z if Re z &gt; 0, else α·z.</summary>
    public static Complex LeakyRelu(Complex x, double alpha = 0.01) => ComplexPrimitives.LeakyRelu(x, alpha);

    /// <summary>∂/∂x leaky relu = 1 if x &gt; 0, else α (α at 0, as PyTorch).</summary>
    public static double LeakyReluDerivative(double x, double alpha = 0.01)
    {
        ScalarRules.LeakyRelu(x, alpha, out double dx, out _);
        return dx;
    }

    /// <summary>PReLU's gradient into its slope: ∂/∂α leaky relu(x, α) = 0 if x &gt; 0, else x.</summary>
    public static double LeakyReluDerivativeAlpha(double x, double alpha = 0.01)
    {
        ScalarRules.LeakyRelu(x, alpha, out _, out double dalpha);
        return dalpha;
    }

    /// <summary>Exponential linear unit: x if x &gt; 0, else α(e^x − 1) (computed with expm1).</summary>
    public static double Elu(double x, double alpha = 1.0) => Primitives.Elu(x, alpha);

    /// <summary>elu(z) = z if Re z &gt; 0, else α·expm1(z).</summary>
    public static Complex Elu(Complex x, double alpha = 1.0) => ComplexPrimitives.Elu(x, alpha);

    /// <summary>elu'(x) = 1 if x &gt; 0, else α·e^x (α at 0, as PyTorch).</summary>
    public static double EluDerivative(double x, double alpha = 1.0)
    {
        ScalarRules.Elu(x, alpha, out double dx, out _);
        return dx;
    }

    /// <summary>SELU's α = 1.6732632423543772 (Klambauer et al. 2017).</summary>
    public const double SeluAlpha = Graph.SeluAlpha;

    /// <summary>SELU's scale λ = 1.0507009873554805 (Klambauer et al. 2017).</summary>
    public const double SeluScale = Graph.SeluScale;

    /// <summary>Scaled elu: selu(x) = λ·x if x &gt; 0, else λα(e^x − 1), with <see cref="SeluScale"/> λ and <see cref="SeluAlpha"/> α.</summary>
    public static double Selu(double x) => ScalarRules.Selu(x);

    /// <summary>selu(z) = λ·elu(z, α).</summary>
    public static Complex Selu(Complex x) => ScalarRules.Selu(x);

    /// <summary>selu'(x) = λ if x &gt; 0, else λα·e^x.</summary>
    public static double SeluDerivative(double x) => ScalarRules.SeluDerivative(x);

    /// <summary>
    /// GELU (Hendrycks &amp; Gimpel), exact: gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default),
    /// evaluated as ½x·erfc(−x/√2), which does not cancel for x ≪ 0.
    /// </summary>
    public static double Gelu(double x) => ScalarRules.Gelu(x);

    /// <summary>gelu(z) = ½z·erfc(−z/√2).</summary>
    public static Complex Gelu(Complex x) => ScalarRules.Gelu(x);

    /// <summary>gelu'(x) = Φ(x) + x·φ(x), with φ the standard normal density.</summary>
    public static double GeluDerivative(double x) => ScalarRules.GeluDerivative(x);

    /// <summary>
    /// GELU, tanh approximation (PyTorch's approximate="tanh"): ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
    /// evaluated as the identical x·σ(2u) with u = √(2/π)(x + 0.044715x³), which does not cancel for x ≪ 0.
    /// </summary>
    public static double GeluTanh(double x) => ScalarRules.GeluTanh(x);

    /// <summary>gelu(z) = z·σ(2u(z)), u(z) = √(2/π)(z + 0.044715z³).</summary>
    public static Complex GeluTanh(Complex x) => ScalarRules.GeluTanh(x);

    /// <summary>gelu'(x) = σ(2u) + x·σ'(2u)·2u', with u = √(2/π)(x + 0.044715x³) (NaN past |x| ≈ 1e102, where x³ overflows).</summary>
    public static double GeluTanhDerivative(double x) => ScalarRules.GeluTanhDerivative(x);

    /// <summary>softplus(x) = log(1 + e^x), evaluated as max(x, 0) + log1p(e^−|x|).</summary>
    public static double Softplus(double x) => Primitives.Softplus(x);

    /// <summary>softplus(z) = z + log1p(e^−z) if Re z &gt; 0, else log1p(e^z).</summary>
    public static Complex Softplus(Complex x) => ComplexPrimitives.Softplus(x);

    /// <summary>softplus'(x) = σ(x).</summary>
    public static double SoftplusDerivative(double x) => ScalarRules.SoftplusDerivative(x);

    /// <summary>softsign(x) = x/(1 + |x|).</summary>
    public static double Softsign(double x) => ScalarRules.Softsign(x);

    /// <summary>softsign(z) = z/(1 + |z|), |z| continued by the sign of Re z.</summary>
    public static Complex Softsign(Complex x) => ScalarRules.Softsign(x);

    /// <summary>softsign'(x) = 1/(1 + |x|)².</summary>
    public static double SoftsignDerivative(double x) => ScalarRules.SoftsignDerivative(x);

    /// <summary>Swish / SiLU with β = 1: swish(x) = x·σ(x).</summary>
    public static double Swish(double x) => ScalarRules.Swish(x);

    /// <summary>swish(z) = z·σ(z).</summary>
    public static Complex Swish(Complex x) => ScalarRules.Swish(x);

    /// <summary>swish'(x) = σ(x) + x·σ'(x).</summary>
    public static double SwishDerivative(double x) => ScalarRules.SwishDerivative(x);

    /// <summary>Mish (Misra 2019): mish(x) = x·tanh(softplus(x)).</summary>
    public static double Mish(double x) => ScalarRules.Mish(x);

    /// <summary>mish(z) = z·tanh(softplus(z)).</summary>
    public static Complex Mish(Complex x) => ScalarRules.Mish(x);

    /// <summary>mish'(x) = tanh(sp) + x·sech²(sp)·σ(x), where sp = softplus(x).</summary>
    public static double MishDerivative(double x) => ScalarRules.MishDerivative(x);

    /// <summary>log σ(x) = −softplus(−x), finite for every finite x.</summary>
    public static double LogSigmoid(double x) => ScalarRules.LogSigmoid(x);

    /// <summary>log σ(z) = −softplus(−z).</summary>
    public static Complex LogSigmoid(Complex x) => ScalarRules.LogSigmoid(x);

    /// <summary>(log σ)'(x) = σ(−x) = 1 − σ(x).</summary>
    public static double LogSigmoidDerivative(double x) => ScalarRules.LogSigmoidDerivative(x);

    /// <summary>Unnormalized sinc: sinc(x) = sin(x)/x, sinc(0) = 1 (below |x| = 0.1 its Taylor polynomial, exact to rounding).</summary>
    public static double Sinc(double x) => ScalarRules.Sinc(x);

    /// <summary>sinc(z) = sin(z)/z, by the Taylor polynomial where |Re z| &lt; 0.1, whose imaginary part does not cancel.</summary>
    public static Complex Sinc(Complex x) => ScalarRules.Sinc(x);

    /// <summary>sinc'(x) = (x·cos x − sin x)/x², by the polynomial's derivative below |x| = 0.1 (sinc'(0) = 0).</summary>
    public static double SincDerivative(double x) => ScalarRules.SincDerivative(x);

    /// <summary>Heaviside step: 1 if x &gt; 0, else 0 (so that relu' = step, with step(0) = 0).</summary>
    public static double Step(double x) => ScalarRules.Step(x);

    /// <summary>step(z) = 1 if Re z &gt; 0, else 0 (constant on each side: zero imaginary part).</summary>
    public static Complex Step(Complex x) => ScalarRules.Step(x);

    /// <summary>step'(x) = 0 everywhere (the impulse at 0 is dropped, as autograd frameworks do).</summary>
    public static double StepDerivative(double x) => ScalarRules.StepDerivative(x);
}
