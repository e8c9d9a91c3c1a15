using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

public class ActivationTests
{
    public sealed record Activation(string Name, Func<double, double> F, Func<Complex, Complex> ComplexF, Func<double, double> Derivative, bool KinkAtZero)
    {
        public override string ToString() => Name;
    }

    private const double LeakyAlpha = 0.2;
    private const double EluAlpha = 0.7;

    public static readonly Activation[] All =
    {
        new("Sigmoid", Activations.Sigmoid, Activations.Sigmoid, Activations.SigmoidDerivative, false),
        new("Tanh", Activations.Tanh, Activations.Tanh, Activations.TanhDerivative, false),
        new("Relu", Activations.Relu, Activations.Relu, Activations.ReluDerivative, true),
        new("LeakyRelu default", x => Activations.LeakyRelu(x), z => Activations.LeakyRelu(z), x => Activations.LeakyReluDerivative(x), true),
        new("LeakyRelu 0.2", x => Activations.LeakyRelu(x, LeakyAlpha), z => Activations.LeakyRelu(z, LeakyAlpha), x => Activations.LeakyReluDerivative(x, LeakyAlpha), true),
        new("Elu default", x => Activations.Elu(x), z => Activations.Elu(z), x => Activations.EluDerivative(x), true),
        new("Elu 0.7", x => Activations.Elu(x, EluAlpha), z => Activations.Elu(z, EluAlpha), x => Activations.EluDerivative(x, EluAlpha), true),
        new("Selu", Activations.Selu, Activations.Selu, Activations.SeluDerivative, true),
        new("Gelu", Activations.Gelu, Activations.Gelu, Activations.GeluDerivative, false),
        new("GeluTanh", Activations.GeluTanh, Activations.GeluTanh, Activations.GeluTanhDerivative, false),
        new("Softplus", Activations.Softplus, Activations.Softplus, Activations.SoftplusDerivative, false),
        new("Softsign", Activations.Softsign, Activations.Softsign, Activations.SoftsignDerivative, true),
        new("Swish", Activations.Swish, Activations.Swish, Activations.SwishDerivative, false),
        new("Mish", Activations.Mish, Activations.Mish, Activations.MishDerivative, false),
        new("LogSigmoid", Activations.LogSigmoid, Activations.LogSigmoid, Activations.LogSigmoidDerivative, false),
        new("Sinc", Activations.Sinc, Activations.Sinc, Activations.SincDerivative, false),
        new("Step", Activations.Step, Activations.Step, Activations.StepDerivative, true),
    };

    private static readonly double[] Grid = { 0.0, 1e-3, -1e-3, 1.0, -1.0, 10.0, -10.0, 1000.0, -1000.0, 0.37, -2.5, 3.7, 25.0, -25.0, 40.0, -40.0 };

    public static IEnumerable<object[]> Cases => All.Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derivative_matches_complex_step_on_the_grid(Activation activation)
    {
        foreach (double x in Grid)
        {
            if (x == 0 && activation.KinkAtZero)
            {
                continue; // the convention at the kink is tested separately
            }

            double expected = Oracles.ComplexStepDerivative(activation.ComplexF, x);
            double actual = activation.Derivative(x);
            Oracles.AssertClose(expected, actual, 1e-12, Oracles.DerivativeAbsolute(activation.Name), $"{activation.Name}'({x})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Complex_overload_agrees_with_the_real_function_on_the_real_axis(Activation activation)
    {
        foreach (double x in Grid)
        {
            Complex z = activation.ComplexF(new Complex(x, 0.0));
            Oracles.AssertClose(activation.F(x), z.Real, 1e-14, 1e-300, $"Re {activation.Name}({x})");
            Assert.Equal(0.0, z.Imaginary);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derivative_matches_MathNet_central_differences_loosely(Activation activation)
    {
        foreach (double x in Grid)
        {
            if (Math.Abs(x) < 1e-2 && activation.KinkAtZero)
            {
                continue; // a central difference straddling the kink averages both sides
            }

            double expected = Oracles.MathNetDerivative(activation.F, x);
            Oracles.AssertClose(expected, activation.Derivative(x), 1e-6, 1e-8, $"{activation.Name}'({x}) vs MathNet");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Everything_is_finite_at_large_magnitudes(Activation activation)
    {
        foreach (double x in new[] { 1000.0, -1000.0, 700.0, -700.0, 1e6, -1e6, 40.0, -40.0 })
        {
            Assert.True(double.IsFinite(activation.F(x)), $"{activation.Name}({x}) = {activation.F(x)}");
            Assert.True(double.IsFinite(activation.Derivative(x)), $"{activation.Name}'({x}) = {activation.Derivative(x)}");
            Complex z = activation.ComplexF(new Complex(x, Oracles.ComplexStep));
            Assert.True(double.IsFinite(z.Real) && double.IsFinite(z.Imaginary), $"{activation.Name}({x} + ih) = {z}");
        }
    }

    [Fact]
    public void Kinks_follow_the_PyTorch_convention()
    {
        Assert.Equal(0.0, Activations.ReluDerivative(0.0));
        Assert.Equal(0.01, Activations.LeakyReluDerivative(0.0));
        Assert.Equal(LeakyAlpha, Activations.LeakyReluDerivative(0.0, LeakyAlpha));
        Assert.Equal(0.0, Activations.LeakyReluDerivativeAlpha(0.0, LeakyAlpha));
        Assert.Equal(EluAlpha, Activations.EluDerivative(0.0, EluAlpha));
        Assert.Equal(Activations.SeluScale * Activations.SeluAlpha, Activations.SeluDerivative(0.0), 15);
        Assert.Equal(1.0, Activations.SoftsignDerivative(0.0));
        Assert.Equal(0.0, Activations.Step(0.0));
        Assert.Equal(0.0, Activations.StepDerivative(0.0));
        Assert.Equal(0.0, Activations.Relu(0.0));
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.5)]
    [InlineData(2.0)]
    [InlineData(1000.0)]
    public void PReLU_gradient_into_alpha_matches_complex_step_in_alpha(double x)
    {
        // Differentiate α ↦ leaky relu(x, α) by complex step in α: α·x is linear in α.
        double expected = x > 0 ? 0.0 : (new Complex(0.3, Oracles.ComplexStep) * x).Imaginary / Oracles.ComplexStep;
        Assert.Equal(expected, Activations.LeakyReluDerivativeAlpha(x, 0.3), 14);
    }

    [Fact]
    public void Closed_form_values()
    {
        Assert.Equal(0.5, Activations.Sigmoid(0.0));
        Assert.Equal(1.0, Activations.Sigmoid(1000.0));
        Assert.Equal(0.0, Activations.Sigmoid(-1000.0));
        Assert.Equal(1000.0, Activations.Softplus(1000.0));
        Assert.Equal(Math.Log(2.0), Activations.Softplus(0.0), 15);
        Assert.Equal(-1000.0, Activations.LogSigmoid(-1000.0));
        Assert.Equal(1000.0, Activations.Mish(1000.0));
        Assert.Equal(1.0, Activations.Sinc(0.0));
        Assert.Equal(Math.Sin(2.0) / 2.0, Activations.Sinc(2.0));
        Assert.Equal(-0.5, Activations.Softsign(-1.0));
        Assert.Equal(Math.Exp(-1.0) - 1.0, Activations.Elu(-1.0), 15);
        // Tiny arguments keep full relative precision (a naive e^x − 1 would lose 8 digits here).
        Oracles.AssertClose(-1e-9 + 0.5e-18, Activations.Elu(-1e-9), 1e-15, 0, "elu(-1e-9)");
        Oracles.AssertClose(Math.Log(2.0) + 0.5e-9, Activations.Softplus(1e-9), 1e-15, 0, "softplus(1e-9)");
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.75)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void GeluTanh_is_the_tanh_approximation(double x)
    {
        double textbook = 0.5 * x * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)));
        Oracles.AssertClose(textbook, Activations.GeluTanh(x), 1e-14, 1e-300, $"gelu_tanh({x})");
    }

    [Fact]
    public void GeluTanh_of_one_matches_PyTorch_tanh_approximation()
        => Assert.Equal(0.8411919906082768, Activations.GeluTanh(1.0), 14);

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.75)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Gelu_is_x_times_the_normal_cdf(double x)
    {
        // Independent oracle: MathNet's normal CDF Φ(x).
        double textbook = x * MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, x);
        Oracles.AssertClose(textbook, Activations.Gelu(x), 1e-14, 1e-300, $"gelu({x})");
    }

    [Fact]
    public void Gelu_of_one_matches_PyTorch_exact_gelu()
        => Assert.Equal(0.8413447460685429, Activations.Gelu(1.0), 15);

    [Theory]
    [InlineData(-5.0)]
    [InlineData(-1.0)]
    [InlineData(0.3)]
    [InlineData(4.0)]
    public void Selu_matches_its_definition(double x)
    {
        const double alpha = 1.6732632423543772848170429916717;
        const double scale = 1.0507009873554804934193349852946;
        double expected = scale * (x > 0 ? x : alpha * (Math.Exp(x) - 1.0));
        Oracles.AssertClose(expected, Activations.Selu(x), 1e-13, 0, $"selu({x})");
    }
}
