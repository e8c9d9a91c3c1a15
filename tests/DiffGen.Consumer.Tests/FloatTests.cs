using System;
using System.Numerics;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Generated members of float methods (issue 12, item 6). The primal compiled by C# is the oracle for
/// values: every member's value must equal it bit for bit, which holds only if the generated code computes
/// in float exactly as C# does. Derivatives are checked against complex step through the Complex overload,
/// which computes the same program in double at the same float inputs, so it gives the exact derivative to
/// about 1e-15; the float members differ from it by their own rounding only.
/// </summary>
/// <remarks>
/// The tolerance, <see cref="Tolerance"/> = 1e-5 relative to the largest component: float's unit roundoff
/// is u = 2⁻²⁴ ≈ 6.0e-8 (machine epsilon 1.19e-7). A derivative of these models is computed in at most
/// about 40 roundings along any path, each within u, plus MathF's functions (within about 1 ulp), so its
/// error is bounded to first order by about 40u ≈ 2.4e-6 of the terms it sums; the bound is taken relative
/// to the largest gradient component because a component that is a difference of larger terms is accurate
/// to those terms, not to itself. 1e-5 (≈ 84 ulps) leaves a factor of four over that bound and is still
/// about 1e-6 of double's accuracy away from accepting a wrong rule (a wrong derivative is off by O(1)).
/// </remarks>
public class FloatTests
{
    /// <summary>The documented float tolerance (see the remarks).</summary>
    internal const double Tolerance = 1e-5;

    private const int Points = 200;

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FloatTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private delegate float GradientOf(float[] x, float[] gradient);

    private delegate float TangentOf(float[] x, float[] direction, out float tangent);

    [Fact]
    public void Neuron_value_is_the_primal_bit_for_bit_and_its_gradient_and_tangent_match_complex_step()
    {
        var worst = Check(5, x => FloatModels.Neuron(x[0], x[1], x[2], x[3], x[4]),
            (x, g) => FloatModels.NeuronGradient(x[0], x[1], x[2], x[3], x[4], out g[0], out g[1], out g[2], out g[3], out g[4]),
            (float[] x, float[] t, out float tangent) => FloatModels.NeuronTangent(x[0], x[1], x[2], x[3], x[4], t[0], t[1], t[2], t[3], t[4], out tangent),
            z => FloatModels.Neuron(z[0], z[1], z[2], z[3], z[4]),
            scale: 3f, seed: 1);
        Assert.InRange(worst, 0.0, Tolerance);

        // Bit equality has teeth: the same formula computed in double and rounded once differs from the
        // float primal at some of the points (computing in double, as before, would fail this test).
        var random = new Random(1);
        int differing = 0;
        for (int k = 0; k < Points; k++)
        {
            float w0 = Draw(random, 3f), w1 = Draw(random, 3f), b = Draw(random, 3f), x0 = Draw(random, 3f), x1 = Draw(random, 3f);
            float inDouble = (float)(1.0 / (1.0 + Math.Exp(-((double)w0 * x0 + (double)w1 * x1 + b))));
            differing += inDouble == FloatModels.Neuron(w0, w1, b, x0, x1) ? 0 : 1;
        }

        _output.WriteLine($"the neuron computed in double and rounded differs from the float primal at {differing} of {Points} points");
        Assert.True(differing > 0);
    }

    [Fact]
    public void Rosenbrock_with_MathF_Pow_matches_the_primal_and_complex_step()
    {
        var worst = Check(2, x => FloatModels.Rosenbrock(x[0], x[1]),
            (x, g) => FloatModels.RosenbrockGradient(x[0], x[1], out g[0], out g[1]),
            (float[] x, float[] t, out float tangent) => FloatModels.RosenbrockTangent(x[0], x[1], t[0], t[1], out tangent),
            z => FloatModels.Rosenbrock(z[0], z[1]),
            scale: 2f, seed: 2);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Layer_with_float_locals_branches_and_an_int_matches_the_primal_and_complex_step(int n)
    {
        const float scale = 0.75f;
        var worst = Check(2, x => FloatModels.Layer(x[0], x[1], scale, n),
            (x, g) => FloatModels.LayerGradient(x[0], x[1], scale, n, out g[0], out g[1]),
            (float[] x, float[] t, out float tangent) => FloatModels.LayerTangent(x[0], x[1], scale, n, t[0], t[1], out tangent),
            z => FloatModels.Layer(z[0], z[1], scale, n),
            scale: 2f, seed: 3 + n, smooth: false);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    /// <remarks>
    /// The target is 1.5, beyond the neuron's range (0, 1), so that p − target never cancels: where p ≈ target
    /// the float residual itself carries the relative error u·p/|p − target| of p's rounding, which every
    /// derivative inherits (the problem's conditioning, not the generated code's); at target 0.75 that gave
    /// 1.4e-5 at one of 200 points.
    /// </remarks>
    [Fact]
    public void A_float_loss_calling_a_float_method_reuses_its_float_gradient()
    {
        const float x0 = 0.5f, x1 = -1.25f, target = 1.5f;
        var worst = Check(3, w => FloatModels.NeuronLoss(w[0], w[1], w[2], x0, x1, target),
            (w, g) => FloatModels.NeuronLossGradient(w[0], w[1], w[2], x0, x1, target, out g[0], out g[1], out g[2]),
            (float[] w, float[] t, out float tangent) => FloatModels.NeuronLossTangent(w[0], w[1], w[2], x0, x1, target, t[0], t[1], t[2], out tangent),
            z => FloatModels.NeuronLoss(z[0], z[1], z[2], x0, x1, target),
            scale: 2f, seed: 6);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Fact]
    public void An_unrolled_float_loop_with_int_times_float_constants_matches_the_primal_and_complex_step()
    {
        var worst = Check(2, x => FloatModels.Polynomial(x[0], x[1]),
            (x, g) => FloatModels.PolynomialGradient(x[0], x[1], out g[0], out g[1]),
            (float[] x, float[] t, out float tangent) => FloatModels.PolynomialTangent(x[0], x[1], t[0], t[1], out tangent),
            z => FloatModels.Polynomial(z[0], z[1]),
            scale: 1.5f, seed: 7);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Fact]
    public void DiffGen_primitives_over_floats_match_the_primal_and_complex_step()
    {
        var worst = Check(2, x => FloatModels.Primitives(x[0], x[1]),
            (x, g) => FloatModels.PrimitivesGradient(x[0], x[1], out g[0], out g[1]),
            (float[] x, float[] t, out float tangent) => FloatModels.PrimitivesTangent(x[0], x[1], t[0], t[1], out tangent),
            z => FloatModels.Primitives(z[0], z[1]),
            scale: 2f, seed: 9, smooth: false);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Fact]
    public void Folded_constants_are_the_float_values_CSharp_computes()
    {
        var worst = Check(1, x => FloatModels.Constants(x[0]),
            (x, g) => FloatModels.ConstantsGradient(x[0], out g[0]),
            (float[] x, float[] t, out float tangent) => FloatModels.ConstantsTangent(x[0], t[0], out tangent),
            z => FloatModels.Constants(z[0]),
            scale: 2f, seed: 10); // |x| ≤ 2 keeps f' = 1.61 + 0.58x away from its zero at −2.77, where it would cancel
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Fact]
    public void More_of_MathF_matches_the_primal_and_complex_step()
    {
        var worst = Check(2, x => FloatModels.Surface(x[0], x[1]),
            (x, g) => FloatModels.SurfaceGradient(x[0], x[1], out g[0], out g[1]),
            (float[] x, float[] t, out float tangent) => FloatModels.SurfaceTangent(x[0], x[1], t[0], t[1], out tangent),
            z => FloatModels.Surface(z[0], z[1]),
            scale: 1.5f, seed: 12, smooth: false);
        Assert.InRange(worst, 0.0, Tolerance);
    }

    [Fact]
    public void Float_Hessians_and_Hessian_vector_products_match_central_differences_of_the_complex_step_gradient()
    {
        var random = new Random(8);
        double worst = 0;
        var gradient = new float[2];
        var hessian = new float[4];
        for (int k = 0; k < Points / 4; k++)
        {
            float x = Draw(random, 1.5f), y = Draw(random, 1.5f);
            float primal = FloatModels.Rosenbrock(x, y);
            AssertSameBits(primal, FloatModels.RosenbrockHessian(x, y, gradient, hessian), "Hessian's value");
            worst = Math.Max(worst, HessianError(new[] { x, y }, z => FloatModels.Rosenbrock(z[0], z[1]), hessian));

            AssertSameBits(primal, FloatModels.RosenbrockHessianVector(x, y, 0.5f, -2f, out float hx, out float hy), "Hessian-vector product's value");
            worst = Math.Max(worst, Relative(new[] { hessian[0] * 0.5 - hessian[1] * 2.0, hessian[2] * 0.5 - hessian[3] * 2.0 }, new double[] { hx, hy }));

            const float scale = 0.75f;
            primal = FloatModels.Layer(x, y, scale, 2);
            AssertSameBits(primal, FloatModels.LayerHessian(x, y, scale, 2, gradient, hessian), "Layer Hessian's value");
            worst = Math.Max(worst, HessianError(new[] { x, y }, z => FloatModels.Layer(z[0], z[1], scale, 2), hessian));
        }

        _output.WriteLine($"largest relative error of the float Hessians and Hessian-vector products: {worst:E2}");
        Assert.InRange(worst, 0.0, Tolerance);
    }

    // ---- the checks ------------------------------------------------------------------------

    /// <summary>
    /// At <see cref="Points"/> random points: the values of Gradient and Tangent equal the primal's bits; the
    /// gradient and the tangent are within <see cref="Tolerance"/> of complex step, and the gradient within 1e-4 of
    /// MathNet's central differences of the double evaluation. Returns the largest relative error seen.
    /// </summary>
    private double Check(int n, Func<float[], float> primal, GradientOf gradientOf, TangentOf tangentOf,
        Func<Complex[], Complex> complex, float scale, int seed, bool smooth = true,
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var random = new Random(seed);
        double worst = 0;
        var x = new float[n];
        var gradient = new float[n];
        var direction = new float[n];
        for (int k = 0; k < Points; k++)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = Draw(random, scale);
                direction[i] = Draw(random, 1f);
            }

            float value = primal(x);
            AssertSameBits(value, gradientOf(x, gradient), "gradient's value");
            AssertSameBits(value, tangentOf(x, direction, out float tangent), "tangent's value");

            var exact = ComplexStep(x, complex);
            worst = Math.Max(worst, Relative(exact, Array.ConvertAll(gradient, g => (double)g)));

            double directional = 0, magnitude = 0;
            for (int i = 0; i < n; i++)
            {
                directional += exact[i] * direction[i];
                magnitude += Math.Abs(exact[i] * direction[i]);
            }

            worst = Math.Max(worst, Math.Abs(tangent - directional) / Math.Max(magnitude, 1e-30));

            if (!smooth)
            {
                continue; // kinks (|x|, max, branches) within a difference step of a random point would fail the differences, not the code
            }

            // MathNet's central differences of the double evaluation: an oracle independent of complex step.
            var numerical = new NumericalDerivative(5, 2);
            double Real(double[] p) => complex(Array.ConvertAll(p, v => new Complex(v, 0))).Real;
            var point = Array.ConvertAll(x, v => (double)v);
            var fd = new double[n];
            for (int i = 0; i < n; i++)
            {
                fd[i] = numerical.EvaluatePartialDerivative(Real, (double[])point.Clone(), i, 1);
            }

            Assert.InRange(Relative(fd, exact), 0.0, 1e-4);
        }

        _output.WriteLine($"{test}: largest relative error of the float gradient and tangent against complex step: {worst:E2}");
        return worst;
    }

    /// <summary>∂f/∂xᵢ = Im f(x + ih eᵢ)/h with h = 1e-20, through the Complex overload (double).</summary>
    private static double[] ComplexStep(float[] x, Func<Complex[], Complex> complex)
    {
        const double h = 1e-20;
        var result = new double[x.Length];
        var z = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            for (int k = 0; k < x.Length; k++)
            {
                z[k] = new Complex(x[k], k == i ? h : 0.0);
            }

            result[i] = complex(z).Imaginary / h;
        }

        return result;
    }

    /// <summary>
    /// The float Hessian against H computed in double: central differences (step 1e-4) of the complex-step
    /// gradient, whose error (about 1e-8 · the third derivative, and 1e-12 of rounding) is far below float's.
    /// </summary>
    private static double HessianError(float[] x, Func<Complex[], Complex> complex, ReadOnlySpan<float> hessian)
    {
        int n = x.Length;
        const double step = 1e-4;
        var exact = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            var plus = GradientInDouble(x, j, step, complex);
            var minus = GradientInDouble(x, j, -step, complex);
            for (int i = 0; i < n; i++)
            {
                exact[i * n + j] = (plus[i] - minus[i]) / (2 * step);
            }
        }

        var actual = new double[n * n];
        for (int i = 0; i < actual.Length; i++)
        {
            actual[i] = hessian[i];
        }

        return Relative(exact, actual);
    }

    /// <summary>The complex-step gradient at x + offset·eⱼ, with the point in double (not rounded to float).</summary>
    private static double[] GradientInDouble(float[] x, int j, double offset, Func<Complex[], Complex> complex)
    {
        const double h = 1e-20;
        var result = new double[x.Length];
        var z = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            for (int k = 0; k < x.Length; k++)
            {
                z[k] = new Complex(x[k] + (k == j ? offset : 0.0), k == i ? h : 0.0);
            }

            result[i] = complex(z).Imaginary / h;
        }

        return result;
    }

    /// <summary>max |actual − expected| over the components, relative to the largest |expected| (see the class remarks).</summary>
    internal static double Relative(double[] expected, double[] actual)
    {
        double largest = 0, error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        }

        return error == 0 ? 0 : error / Math.Max(largest, 1e-30);
    }

    internal static void AssertSameBits(float expected, float actual, string what)
    {
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{what}: {actual:R} is not the primal's {expected:R}");
    }

    internal static float Draw(Random random, float scale) => (float)(random.NextDouble() * 2 - 1) * scale;
}
