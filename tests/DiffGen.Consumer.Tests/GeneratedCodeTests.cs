using System;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// The generated members of real [Differentiable] methods, compiled by the generator as users get it,
/// against the Expr interpreter, complex step, MathNet central differences and each other.
/// </summary>
public class GeneratedCodeTests
{
    private static readonly double[] Points = { -2.3, -0.4, 0.7, 3.1 };

    [Fact]
    public void Circuit_matches_the_slides()
    {
        double f = Lectures.CircuitGradient(-2, 5, -4, out double dx, out double dy, out double dz);
        Assert.Equal(-12.0, f);
        Assert.Equal(-4.0, dx);
        Assert.Equal(-4.0, dy);
        Assert.Equal(3.0, dz);
        CircuitOracle.Check(-2, 5, -4);
        CircuitOracle.Check(0.3, -1.7, 2.2);
    }

    private static readonly Oracle CircuitOracle = new()
    {
        Name = "Circuit",
        Primal = x => Lectures.Circuit(x[0], x[1], x[2]),
        Gradient = (x, g) => Lectures.CircuitGradient(x[0], x[1], x[2], out g[0], out g[1], out g[2]),
        Tangent = (x, t) => (Lectures.CircuitTangent(x[0], x[1], x[2], t[0], t[1], t[2], out double d), d),
        Complex = z => Lectures.Circuit(z[0], z[1], z[2]),
        Hessian = (x, g, h) => Lectures.CircuitHessian(x[0], x[1], x[2], g, h),
        Build = (g, v) => (v[0] + v[1]) * v[2],
    };

    [Fact]
    public void Sigmoid_neuron_matches_the_slides()
    {
        double f = Lectures.NeuronGradient(2, -3, -3, -1, -2, out double dw0, out double dw1, out double dw2, out double dx0, out double dx1);
        Assert.Equal(0.73, f, 2);
        Assert.Equal(-0.20, dw0, 2);
        Assert.Equal(-0.39, dw1, 2);
        Assert.Equal(0.20, dw2, 2);
        Assert.Equal(0.39, dx0, 2);
        Assert.Equal(-0.59, dx1, 2);
        var neuron = new Oracle
        {
            Name = "Neuron",
            Primal = x => Lectures.Neuron(x[0], x[1], x[2], x[3], x[4]),
            Gradient = (x, g) => Lectures.NeuronGradient(x[0], x[1], x[2], x[3], x[4], out g[0], out g[1], out g[2], out g[3], out g[4]),
            Tangent = (x, t) => (Lectures.NeuronTangent(x[0], x[1], x[2], x[3], x[4], t[0], t[1], t[2], t[3], t[4], out double d), d),
            Complex = z => Lectures.Neuron(z[0], z[1], z[2], z[3], z[4]),
            Hessian = (x, g, h) => Lectures.NeuronHessian(x[0], x[1], x[2], x[3], x[4], g, h),
            Build = (g, v) => 1.0 / (1.0 + g.Exp(-(v[0] * v[3] + v[1] * v[4] + v[2]))),
        };
        neuron.Check(2, -3, -3, -1, -2);
        neuron.Check(0.1, 0.5, -0.2, 1.5, 0.8);
    }

    [Fact]
    public void Lecture_function_agrees_with_every_oracle()
    {
        var oracle = new Oracle
        {
            Name = "Lecture",
            Primal = x => Lectures.Lecture(x[0], x[1], x[2]),
            Gradient = (x, g) => Lectures.LectureGradient(x[0], x[1], x[2], out g[0], out g[1], out g[2]),
            Tangent = (x, t) => (Lectures.LectureTangent(x[0], x[1], x[2], t[0], t[1], t[2], out double d), d),
            Complex = z => Lectures.Lecture(z[0], z[1], z[2]),
            Hessian = (x, g, h) => Lectures.LectureHessian(x[0], x[1], x[2], g, h),
            Build = (g, v) => (v[0] * v[1] * g.Sin(v[2]) + g.Exp(v[0] * v[1])) / v[2],
        };
        oracle.Check(1.0, 2.0, 0.5);
        oracle.Check(-0.7, 0.4, -2.5);
    }

    public static TheoryData<string> ActivationNames() => new()
    {
        "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu", "Selu", "Gelu", "Softplus", "Softsign", "Swish", "Mish", "LogSigmoid", "Sinc", "Step",
    };

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Activation_agrees_with_every_oracle(string name)
    {
        var oracle = Activation(name);
        foreach (var x in Points)
        {
            oracle.Check(x);
        }
    }

    [Fact]
    public void Generated_activation_values_equal_the_runtime_functions_bit_for_bit()
    {
        // The generator lowers activations to graph nodes; their values must be the runtime's own (found by the fuzzer for Gelu).
        var pairs = new (string Name, Func<double, double> Runtime, Func<double, double> Generated)[]
        {
            ("Gelu", ActivationModels.Gelu, x => ActivationModels.GeluGradient(x, out _)),
            ("Selu", ActivationModels.Selu, x => ActivationModels.SeluGradient(x, out _)),
            ("Swish", ActivationModels.Swish, x => ActivationModels.SwishGradient(x, out _)),
            ("Mish", ActivationModels.Mish, x => ActivationModels.MishGradient(x, out _)),
            ("Softsign", ActivationModels.Softsign, x => ActivationModels.SoftsignGradient(x, out _)),
            ("LogSigmoid", ActivationModels.LogSigmoid, x => ActivationModels.LogSigmoidGradient(x, out _)),
            ("Softplus", ActivationModels.Softplus, x => ActivationModels.SoftplusGradient(x, out _)),
            ("Sigmoid", ActivationModels.Sigmoid, x => ActivationModels.SigmoidGradient(x, out _)),
        };
        foreach (var (name, runtime, generated) in pairs)
        {
            foreach (double x in new[] { -2.1, -0.7853981633974483, -1e-3, 0.3, 1.7, 12.5 })
            {
                Assert.True(BitConverter.DoubleToInt64Bits(runtime(x)) == BitConverter.DoubleToInt64Bits(generated(x)),
                    $"{name}({x}): runtime {runtime(x):R}, generated {generated(x):R}");
            }
        }
    }

    [Fact]
    public void Sigmoid_and_softplus_derivatives_stay_finite_at_1000()
    {
        foreach (double x in new[] { -1000.0, 1000.0 })
        {
            ActivationModels.SigmoidGradient(x, out double ds);
            ActivationModels.SoftplusGradient(x, out double dp);
            ActivationModels.LogSigmoidGradient(x, out double dl);
            Assert.True(double.IsFinite(ds) && double.IsFinite(dp) && double.IsFinite(dl), $"x = {x}");
        }
    }

    [Fact]
    public void Relu_gradient_at_zero_is_zero_as_in_PyTorch()
    {
        ActivationModels.ReluGradient(0.0, out double d);
        Assert.Equal(0.0, d);
    }

    private static Oracle Activation(string name) => name switch
    {
        "Sigmoid" => One(name, ActivationModels.Sigmoid, (double x, out double d) => ActivationModels.SigmoidGradient(x, out d), (x, t) => (ActivationModels.SigmoidTangent(x, t, out double d), d), ActivationModels.Sigmoid, ActivationModels.SigmoidHessian, (g, v) => g.Sigmoid(v)),
        "Tanh" => One(name, ActivationModels.Tanh, (double x, out double d) => ActivationModels.TanhGradient(x, out d), (x, t) => (ActivationModels.TanhTangent(x, t, out double d), d), ActivationModels.Tanh, ActivationModels.TanhHessian, (g, v) => g.Tanh(v)),
        "Relu" => One(name, ActivationModels.Relu, (double x, out double d) => ActivationModels.ReluGradient(x, out d), (x, t) => (ActivationModels.ReluTangent(x, t, out double d), d), ActivationModels.Relu, ActivationModels.ReluHessian, (g, v) => g.Relu(v)),
        "LeakyRelu" => One(name, ActivationModels.LeakyRelu, (double x, out double d) => ActivationModels.LeakyReluGradient(x, out d), (x, t) => (ActivationModels.LeakyReluTangent(x, t, out double d), d), ActivationModels.LeakyRelu, ActivationModels.LeakyReluHessian, (g, v) => g.LeakyRelu(v)),
        "Elu" => One(name, ActivationModels.Elu, (double x, out double d) => ActivationModels.EluGradient(x, out d), (x, t) => (ActivationModels.EluTangent(x, t, out double d), d), ActivationModels.Elu, ActivationModels.EluHessian, (g, v) => g.Elu(v, 0.7)),
        "Selu" => One(name, ActivationModels.Selu, (double x, out double d) => ActivationModels.SeluGradient(x, out d), (x, t) => (ActivationModels.SeluTangent(x, t, out double d), d), ActivationModels.Selu, ActivationModels.SeluHessian, (g, v) => g.Selu(v)),
        "Gelu" => One(name, ActivationModels.Gelu, (double x, out double d) => ActivationModels.GeluGradient(x, out d), (x, t) => (ActivationModels.GeluTangent(x, t, out double d), d), ActivationModels.Gelu, ActivationModels.GeluHessian, (g, v) => g.Gelu(v)),
        "Softplus" => One(name, ActivationModels.Softplus, (double x, out double d) => ActivationModels.SoftplusGradient(x, out d), (x, t) => (ActivationModels.SoftplusTangent(x, t, out double d), d), ActivationModels.Softplus, ActivationModels.SoftplusHessian, (g, v) => g.Softplus(v)),
        "Softsign" => One(name, ActivationModels.Softsign, (double x, out double d) => ActivationModels.SoftsignGradient(x, out d), (x, t) => (ActivationModels.SoftsignTangent(x, t, out double d), d), ActivationModels.Softsign, ActivationModels.SoftsignHessian, (g, v) => g.Softsign(v)),
        "Swish" => One(name, ActivationModels.Swish, (double x, out double d) => ActivationModels.SwishGradient(x, out d), (x, t) => (ActivationModels.SwishTangent(x, t, out double d), d), ActivationModels.Swish, ActivationModels.SwishHessian, (g, v) => g.Swish(v)),
        "Mish" => One(name, ActivationModels.Mish, (double x, out double d) => ActivationModels.MishGradient(x, out d), (x, t) => (ActivationModels.MishTangent(x, t, out double d), d), ActivationModels.Mish, ActivationModels.MishHessian, (g, v) => g.Mish(v)),
        "LogSigmoid" => One(name, ActivationModels.LogSigmoid, (double x, out double d) => ActivationModels.LogSigmoidGradient(x, out d), (x, t) => (ActivationModels.LogSigmoidTangent(x, t, out double d), d), ActivationModels.LogSigmoid, ActivationModels.LogSigmoidHessian, (g, v) => g.LogSigmoid(v)),
        "Sinc" => One(name, ActivationModels.Sinc, (double x, out double d) => ActivationModels.SincGradient(x, out d), (x, t) => (ActivationModels.SincTangent(x, t, out double d), d), ActivationModels.Sinc, ActivationModels.SincHessian, (g, v) => g.Sinc(v)),
        "Step" => One(name, ActivationModels.Step, (double x, out double d) => ActivationModels.StepGradient(x, out d), (x, t) => (ActivationModels.StepTangent(x, t, out double d), d), ActivationModels.Step, ActivationModels.StepHessian, (g, v) => g.Step(v)),
        _ => throw new ArgumentException(name),
    };

    private delegate double Gradient1(double x, out double d);

    private delegate double Hessian1(double x, Span<double> g, Span<double> h);

    private static Oracle One(string name, Func<double, double> primal, Gradient1 gradient, Func<double, double, (double, double)> tangent,
        Func<Complex, Complex> complex, Hessian1 hessian, Func<Graph, Node, Node> build) => new()
        {
            Name = name,
            Primal = x => primal(x[0]),
            Gradient = (x, g) => gradient(x[0], out g[0]),
            Tangent = (x, t) => tangent(x[0], t[0]),
            Complex = z => complex(z[0]),
            Hessian = (x, g, h) => hessian(x[0], g, h),
            Build = (g, v) => build(g, v[0]),
        };

    [Fact]
    public void Control_flow_selects_the_taken_branch_and_masks_the_other()
    {
        var oracle = new Oracle
        {
            Name = "Piecewise",
            Primal = x => Programs.Piecewise(x[0], x[1]),
            Gradient = (x, g) => Programs.PiecewiseGradient(x[0], x[1], out g[0], out g[1]),
            Tangent = (x, t) => (Programs.PiecewiseTangent(x[0], x[1], t[0], t[1], out double d), d),
            Complex = z => Programs.Piecewise(z[0], z[1]),
            Hessian = (x, g, h) => Programs.PiecewiseHessian(x[0], x[1], g, h),
            Build = (g, v) => g.Select(g.Less(v[0], g.Zero), g.Sqrt(-v[0]) * v[1],
                (g.Select(g.Greater(v[0], g.One), g.Log(v[0]), v[0] * v[0]) + v[1] * v[1]) * 0.5),
        };
        oracle.Check(-2.0, 1.5);
        oracle.Check(0.5, -0.7);
        oracle.Check(2.5, 0.3);

        // √(−x) is NaN for x > 0 and its derivative too: the untaken branch must not leak into the gradient.
        Programs.PiecewiseGradient(2.5, 0.3, out double dx, out double dy);
        Assert.True(double.IsFinite(dx) && double.IsFinite(dy));
    }

    [Fact]
    public void Unrolled_loop_agrees_with_every_oracle()
    {
        var oracle = new Oracle
        {
            Name = "Series",
            Primal = x => Programs.Series(x[0]),
            Gradient = (x, g) => Programs.SeriesGradient(x[0], out g[0]),
            Tangent = (x, t) => (Programs.SeriesTangent(x[0], t[0], out double d), d),
            Complex = z => Programs.Series(z[0]),
            Hessian = (x, g, h) => Programs.SeriesHessian(x[0], g, h),
            Build = (g, v) =>
            {
                Node sum = g.Zero, term = g.One;
                for (int k = 1; k <= 6; k++)
                {
                    sum += term;
                    term = term * v[0] / k;
                }

                return sum;
            },
        };
        foreach (var x in Points)
        {
            oracle.Check(x);
        }
    }

    [Fact]
    public void Int_and_NoDiff_parameters_are_constants_without_outputs()
    {
        double f = Programs.ScaledGradient(1.5, 2.0, 3, out double dx);
        Assert.Equal(2.0 * 1.5 * 1.5 * 1.5 + 3 * 1.5, f, 14);
        Assert.Equal(2.0 * 3 * 1.5 * 1.5 + 3, dx, 13);
        Programs.ScaledTangent(1.5, 2.0, 3, 2.0, out double t);
        Assert.Equal(2 * dx, t, 13);
        var z = Programs.Scaled(new Complex(1.5, 1e-20), 2.0, 3);
        Assert.Equal(dx, z.Imaginary / 1e-20, 12);
    }

    [Fact]
    public void Calls_reuse_the_callees_generated_gradient()
    {
        var oracle = new Oracle
        {
            Name = "Composite",
            Primal = x => Programs.Composite(x[0], x[1]),
            Gradient = (x, g) => Programs.CompositeGradient(x[0], x[1], out g[0], out g[1]),
            Tangent = (x, t) => (Programs.CompositeTangent(x[0], x[1], t[0], t[1], out double d), d),
            Complex = z => Programs.Composite(z[0], z[1]),
        };
        oracle.Check(0.8, 0.3);
        oracle.Check(-1.3, 2.2);
        oracle.Check(0.4, -0.6);
    }

    [Fact]
    public void Hessian_through_a_call_inlines_the_callee()
    {
        var oracle = new Oracle
        {
            Name = "CallsWithHessian",
            Primal = x => Programs.CallsWithHessian(x[0], x[1]),
            Gradient = (x, g) => Programs.CallsWithHessianGradient(x[0], x[1], out g[0], out g[1]),
            Tangent = (x, t) => (Programs.CallsWithHessianTangent(x[0], x[1], t[0], t[1], out double d), d),
            Complex = z => Programs.CallsWithHessian(z[0], z[1]),
            Hessian = (x, g, h) => Programs.CallsWithHessianHessian(x[0], x[1], g, h),
            Build = (g, v) => (v[0] + v[1]) * v[0] * g.Sin(v[1]),
        };
        oracle.Check(0.8, 0.3);
        oracle.Check(-1.1, 2.0);
    }

    [Fact]
    public void Instance_methods_and_nested_types()
    {
        var p = new Programs();
        var instance = new Oracle
        {
            Name = "Instance",
            Primal = x => p.Instance(x[0]),
            Gradient = (x, g) => p.InstanceGradient(x[0], out g[0]),
            Tangent = (x, t) => (p.InstanceTangent(x[0], t[0], out double d), d),
            Complex = z => p.Instance(z[0]),
            Build = (g, v) => 2.0 * g.Sinh(v[0]) + g.Cosh(v[0]) * g.Tanh(v[0]),
        };
        instance.Check(0.3);
        instance.Check(-1.2);
        var nested = new Oracle
        {
            Name = "Nested.Inner",
            Primal = x => Programs.Nested.Inner(x[0], x[1]),
            Gradient = (x, g) => Programs.Nested.InnerGradient(x[0], x[1], out g[0], out g[1]),
            Tangent = (x, t) => (Programs.Nested.InnerTangent(x[0], x[1], t[0], t[1], out double d), d),
            Complex = z => Programs.Nested.Inner(z[0], z[1]),
            Hessian = (x, g, h) => Programs.Nested.InnerHessian(x[0], x[1], g, h),
            Build = (g, v) => g.Exp(v[0]) * g.Cos(v[1]) + g.Asinh(v[0]) - g.Atan(v[1]) / 3.0,
        };
        nested.Check(0.3, -0.9);
    }

    [Fact]
    public void Hessian_rejects_spans_of_the_wrong_length_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => Lectures.CircuitHessian(1, 2, 3, new double[2], new double[9]));
        Assert.Equal("gradient", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Lectures.CircuitHessian(1, 2, 3, new double[3], new double[8]));
        Assert.Equal("hessian", e.ParamName);
    }

    [Fact]
    public void Ten_thousand_gradient_calls_allocate_nothing()
    {
        double sink = 0;
        for (int i = 0; i < 100; i++)
        {
            sink += Lectures.NeuronGradient(i * 1e-3, -3, -3, -1, -2, out double a, out _, out _, out _, out _) + a;
            sink += Programs.CompositeGradient(0.8, 0.3 + i * 1e-4, out double b, out _) + b;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            sink += Lectures.NeuronGradient(i * 1e-4, -3, -3, -1, -2, out double a, out _, out _, out _, out _) + a;
            sink += Programs.CompositeGradient(0.8, 0.3 + i * 1e-5, out double b, out _) + b;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(double.IsFinite(sink));
        Assert.Equal(0L, allocated);
    }
}
