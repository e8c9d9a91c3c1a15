using System;
using System.Linq;
using System.Numerics;
using MathNet.Numerics.Differentiation;
using M = DiffGen.Consumer.Tests.FloatStaticsModels;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// float's INumber statics in float methods (issue 12): the generated value keeps the method's bits, and the
/// gradient and tangent match closed forms, complex step and MathNet's central differences of the double
/// evaluation to float accuracy (1e-5 relative to the largest component, as FloatTests).
/// </summary>
public class FloatStaticsTests
{
    private const double Tolerance = 1e-5;

    private static void Close(double expected, double actual, double scale, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * scale, $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(0.7f, 1.3f)]
    [InlineData(1.9f, -0.4f)]
    [InlineData(2.5f, 0.2f)]
    public void Float_statics_keep_the_value_bits_and_match_the_closed_form(float x, float y)
    {
        float value = M.FloatStatics(x, y);
        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(M.FloatStaticsGradient(x, y, out float gx, out float gy)));
        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(M.FloatStaticsTangent(x, y, 0.3f, -0.8f, out float tangent)));

        double r2 = (double)x * x + (double)y * y, sech2 = 1 / Math.Pow(Math.Cosh((double)x * y), 2);
        double dx = Math.Exp(x) + Math.Sin(y) / x + 0.5 / Math.Sqrt(x) - y / r2 + 1 / (1.0 + x) + y * sech2
            + (x > y ? 1 : 0) + x / Math.Sqrt(r2) + (x > 0 && x < 2 ? 1 : 0);
        double dy = Math.Log(x) * Math.Cos(y) + x / r2 + Math.Exp(y) + x * sech2 + 1 / (3 * Math.Cbrt(y) * Math.Cbrt(y))
            + (y > x ? 1 : 0) + y / Math.Sqrt(r2) + 1 / Math.Sqrt((double)y * y + 1);
        double scale = Math.Max(Math.Abs(dx), Math.Abs(dy));
        Close(dx, gx, scale, "∂/∂x");
        Close(dy, gy, scale, "∂/∂y");
        Close(0.3 * dx - 0.8 * dy, tangent, scale, "tangent");

        const double h = 1e-20;
        Close(dx, M.FloatStatics(new Complex(x, h), y).Imaginary / h, scale, "complex step ∂/∂x");
        Close(dy, M.FloatStatics(x, new Complex(y, h)).Imaginary / h, scale, "complex step ∂/∂y");
    }

    [Fact]
    public void Float_statics_in_a_loop_match_MathNet_differences_of_the_double_form()
    {
        float[] x = { 0.3f, -1.2f, 0.9f, 2.1f, -0.05f };
        var gradient = new float[x.Length];
        float value = M.SpanStaticsGradient(x, gradient);
        Assert.Equal(BitConverter.SingleToInt32Bits(M.SpanStatics(x)), BitConverter.SingleToInt32Bits(value));

        double Double(double[] v) => v.Sum(t => Math.Exp(-t * t) + Math.Log(Math.Abs(t) + 1) * Math.Cos(t));
        var point = x.Select(v => (double)v).ToArray();
        var differences = new NumericalDerivative(5, 2);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = differences.EvaluatePartialDerivative(Double, (double[])point.Clone(), i, 1);
            Close(expected, gradient[i], 1.0, $"∂/∂x{i}");
        }
    }

    [Theory]
    [InlineData(0.37)]
    [InlineData(-0.8)]
    [InlineData(1.6)]
    public void Exp2_Exp10_and_their_log_twins_keep_the_bits_and_match_the_closed_form(double x)
    {
        double ln2 = Math.Log(2), ln10 = Math.Log(10);
        double derivative = 2 * Math.Pow(2, x) * ln2 + 2 * Math.Pow(10, x) * ln10 + 1 / ((x + 1) * ln2) + 1 / ((x + 1) * ln10);

        double value = M.PowerStaticsGradient(x, out double dx);
        Assert.Equal(BitConverter.DoubleToInt64Bits(M.PowerStatics(x)), BitConverter.DoubleToInt64Bits(value));
        Assert.True(Math.Abs(derivative - dx) <= 1e-13 * Math.Abs(derivative), $"double: expected {derivative:R}, got {dx:R}");
        double fd = new NumericalDerivative().EvaluateDerivative(M.PowerStatics, x, 1);
        Assert.True(Math.Abs(fd - dx) <= 1e-8 * Math.Abs(derivative), $"double vs MathNet: {fd:R}, got {dx:R}");

        float xf = (float)x;
        float valueF = M.PowerStaticsFGradient(xf, out float dxf);
        Assert.Equal(BitConverter.SingleToInt32Bits(M.PowerStaticsF(xf)), BitConverter.SingleToInt32Bits(valueF));
        double derivativeF = 2 * Math.Pow(2, xf) * ln2 + 2 * Math.Pow(10, xf) * ln10 + 1 / ((xf + 1.0) * ln2) + 1 / ((xf + 1.0) * ln10);
        Close(derivativeF, dxf, Math.Abs(derivativeF), "float");
    }
}
