using System;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Constant data read by index is a constant of the derivative: value, gradient and tangent against complex
/// step through hand-written complex versions of each model (h = 1e-20, to 1e-12 relative), the generated
/// Complex overload against the primal, and no allocation per call.
/// </summary>
public class ConstantDataTests
{
    private const double H = 1e-20;

    private static readonly double[] W = { 0.5, -1.25, 2.0, 0.75 };
    private static readonly double[] S = { 1.5, 0.25, -3.0, 0.125 };

    private static void Close(double expected, double actual, string what, double relative = 1e-12)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }

    private static Complex PolynomialByHand(Complex x) => 0.5 + x * (-1.25 + x * (2.0 + x * 0.75));

    private static Complex MixedByHand(Complex[] x)
    {
        double[] shift = { 0.1, -0.2, 0.3, -0.4 };
        Complex s = 0;
        for (int i = 0; i < 4; i++)
        {
            s += W[i] * Complex.Sin(x[i] + shift[i]) + S[i] * x[i] * x[i];
        }

        return S[0] > x[0].Real ? s * W[3] : s + S[2] * x[0];
    }

    private static Complex WeightedByHand(Complex[] x)
    {
        double[] shift = { 0.1, -0.2, 0.3, -0.4 };
        Complex s = W[0] + W[1] + W[2] + W[3];
        for (int i = 0; i < 4; i++)
        {
            s += W[i] * (x[i] - shift[i]) * (x[i] - shift[i]);
        }

        return s;
    }

    private static Complex FixedByHand(Complex x, Complex y) => W[0] * x * y + S[2] * Complex.Sin(y) + W[3] * Complex.Exp(S[3] * x);

    private static Complex PickByHand(Complex x, int k) => W[k] * x * x + S[k] * x + 1;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(-2.3)]
    public void Polynomial_from_a_stackalloc_initializer(double x)
    {
        double value = ConstantDataModels.PolynomialGradient(x, out double dx);
        Close(PolynomialByHand(x).Real, value, "value");
        Close(ConstantDataModels.Polynomial(x), value, "primal");
        Close(PolynomialByHand(new Complex(x, H)).Imaginary / H, dx, "∂/∂x vs complex step");
        Close(-1.25 + 4.0 * x + 2.25 * x * x, dx, "∂/∂x vs the derivative's closed form");
        double tangentValue = ConstantDataModels.PolynomialTangent(x, 0.6, out double tangent);
        Close(value, tangentValue, "tangent's value");
        Close(0.6 * dx, tangent, "tangent");
        Close(ConstantDataModels.Polynomial(new Complex(x, 0)).Real, value, "Complex overload");
    }

    [Theory]
    [InlineData(0.3, -0.8, 1.1, 0.4)]
    [InlineData(2.0, 0.5, -1.5, 0.9)] // the other branch: Scales[0] ≤ x₀
    public void Mixed_reads_a_collection_expression_a_static_array_and_a_span_property(double x0, double x1, double x2, double x3)
    {
        double[] x = { x0, x1, x2, x3 };
        var gradient = new double[4];
        double value = ConstantDataModels.MixedGradient(x, gradient);
        Close(MixedByHand(Array.ConvertAll(x, v => new Complex(v, 0))).Real, value, "value");
        Close(ConstantDataModels.Mixed(x), value, "primal");
        double[] v = { 0.3, -0.7, 0.2, 1.1 };
        double directional = 0;
        for (int i = 0; i < 4; i++)
        {
            var z = Array.ConvertAll(x, e => new Complex(e, 0));
            z[i] = new Complex(x[i], H);
            Close(MixedByHand(z).Imaginary / H, gradient[i], $"∂/∂x{i} vs complex step");
            directional += gradient[i] * v[i];
        }

        double tangentValue = ConstantDataModels.MixedTangent(x, v, out double tangent);
        Close(value, tangentValue, "tangent's value");
        var along = new Complex[4];
        for (int i = 0; i < 4; i++)
        {
            along[i] = new Complex(x[i], H * v[i]);
        }

        Close(MixedByHand(along).Imaginary / H, tangent, "tangent vs complex step along v");
        Close(directional, tangent, "tangent = gradient · v");
        Close(value, ConstantDataModels.Mixed(Array.ConvertAll(x, e => new Complex(e, 0))).Real, "Complex overload");
    }

    [Fact]
    public void Weighted_reads_a_collection_expression_and_a_static_array_in_foreach_and_for()
    {
        double[] x = { 0.3, -0.8, 1.1, 0.4 };
        var gradient = new double[4];
        double value = ConstantDataModels.WeightedGradient(x, gradient);
        Close(WeightedByHand(Array.ConvertAll(x, v => new Complex(v, 0))).Real, value, "value");
        double[] v = { 0.3, -0.7, 0.2, 1.1 };
        var along = new Complex[4];
        for (int i = 0; i < 4; i++)
        {
            var z = Array.ConvertAll(x, e => new Complex(e, 0));
            z[i] = new Complex(x[i], H);
            Close(WeightedByHand(z).Imaginary / H, gradient[i], $"∂/∂x{i} vs complex step");
            along[i] = new Complex(x[i], H * v[i]);
        }

        double tangentValue = ConstantDataModels.WeightedTangent(x, v, out double tangent);
        Close(value, tangentValue, "tangent's value");
        Close(WeightedByHand(along).Imaginary / H, tangent, "tangent vs complex step along v");
    }

    [Fact]
    public void Fixed_reads_table_entries_by_constant_index()
    {
        const double x = 0.9, y = -0.4;
        double value = ConstantDataModels.FixedGradient(x, y, out double dx, out double dy);
        Close(FixedByHand(x, y).Real, value, "value");
        Close(FixedByHand(new Complex(x, H), y).Imaginary / H, dx, "∂/∂x vs complex step");
        Close(FixedByHand(x, new Complex(y, H)).Imaginary / H, dy, "∂/∂y vs complex step");
        ConstantDataModels.FixedTangent(x, y, 1.5, -0.5, out double tangent);
        Close(FixedByHand(new Complex(x, 1.5 * H), new Complex(y, -0.5 * H)).Imaginary / H, tangent, "tangent vs complex step");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Pick_indexes_a_table_by_an_int_parameter(int k)
    {
        const double x = 1.3;
        double value = ConstantDataModels.PickGradient(x, k, out double dx);
        Close(PickByHand(x, k).Real, value, "value");
        Close(PickByHand(new Complex(x, H), k).Imaginary / H, dx, "∂/∂x vs complex step");
        ConstantDataModels.PickTangent(x, k, 2.0, out double tangent);
        Close(2.0 * dx, tangent, "tangent");
    }

    /// <summary>
    /// No allocation per call: local constant data lives on the stack, tables are read in place. (Not the
    /// models reading <c>Scales</c>: in a Debug build the C# compiler allocates a span property's array on
    /// every read, in Release it reads the assembly's data; generated code reads the property as the
    /// method does.)
    /// </summary>
    [Fact]
    public void Gradients_and_tangents_over_constant_data_allocate_nothing()
    {
        double[] x = { 0.3, -0.8, 1.1, 0.4 };
        var gradient = new double[4];
        double[] v = { 0.3, -0.7, 0.2, 1.1 };
        double sink = 0;
        for (int i = 0; i < 100; i++)
        {
            sink += ConstantDataModels.PolynomialGradient(0.7, out double d0) + d0 + ConstantDataModels.PolynomialTangent(0.7, 1, out double t0) + t0;
            sink += ConstantDataModels.WeightedGradient(x, gradient) + ConstantDataModels.WeightedTangent(x, v, out double t1) + t1;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            sink += ConstantDataModels.PolynomialGradient(0.7, out double d0) + d0 + ConstantDataModels.PolynomialTangent(0.7, 1, out double t0) + t0;
            sink += ConstantDataModels.WeightedGradient(x, gradient) + ConstantDataModels.WeightedTangent(x, v, out double t1) + t1;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(double.IsFinite(sink));
        Assert.Equal(0L, allocated);
    }
}
