using System;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// float vector-output methods (issue 12, item 6): the values the generated Jacobian, VJP and JVP write equal
/// the method's bit for bit; the Jacobian matches complex step through the Complex overload (double) within
/// the float tolerance of <see cref="FloatTests"/>, and the VJP and JVP are its transpose and its product.
/// </summary>
public class FloatVectorOutputTests
{
    private const double H = 1e-20;

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FloatVectorOutputTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void Float_polar_Jacobian_VJP_and_JVP_match_the_primal_and_complex_step()
    {
        var random = new Random(11);
        double worst = 0;
        var y = new float[2];
        var members = new float[2];
        var jacobian = new float[4];
        for (int k = 0; k < 100; k++)
        {
            float r = FloatTests.Draw(random, 3f), theta = FloatTests.Draw(random, 3f);
            FloatVectorModels.Polar(r, theta, y);
            FloatVectorModels.PolarJacobian(r, theta, members, jacobian);
            AssertSameBits(y, members, "Jacobian");

            var exact = new double[4];
            var zy = new Complex[2];
            for (int input = 0; input < 2; input++)
            {
                FloatVectorModels.Polar(new Complex(r, input == 0 ? H : 0), new Complex(theta, input == 1 ? H : 0), zy);
                exact[input] = zy[0].Imaginary / H;
                exact[2 + input] = zy[1].Imaginary / H;
            }

            worst = Math.Max(worst, FloatTests.Relative(exact, Array.ConvertAll(jacobian, v => (double)v)));

            float[] ybar = { FloatTests.Draw(random, 1f), FloatTests.Draw(random, 1f) };
            FloatVectorModels.PolarVjp(r, theta, members, ybar, out float rbar, out float thetabar);
            AssertSameBits(y, members, "VJP");
            worst = Math.Max(worst, FloatTests.Relative(
                new[] { exact[0] * ybar[0] + exact[2] * ybar[1], exact[1] * ybar[0] + exact[3] * ybar[1] }, new double[] { rbar, thetabar }));

            var ty = new float[2];
            float tr = FloatTests.Draw(random, 1f), ttheta = FloatTests.Draw(random, 1f);
            FloatVectorModels.PolarJvp(r, theta, members, tr, ttheta, ty);
            AssertSameBits(y, members, "JVP");
            worst = Math.Max(worst, FloatTests.Relative(
                new[] { exact[0] * tr + exact[1] * ttheta, exact[2] * tr + exact[3] * ttheta }, new double[] { ty[0], ty[1] }));
        }

        _output.WriteLine($"largest relative error of the float polar Jacobian, VJP and JVP: {worst:E2}");
        Assert.InRange(worst, 0.0, FloatTests.Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void Float_softmax_Jacobian_matches_the_primal_and_complex_step(int n)
    {
        var random = new Random(20 + n);
        var z = new float[n];
        var p = new float[n];
        var members = new float[n];
        var jacobian = new float[n * n];
        var zz = new Complex[n];
        var zp = new Complex[n];
        double worst = 0;
        for (int k = 0; k < 40; k++)
        {
            for (int i = 0; i < n; i++)
            {
                z[i] = FloatTests.Draw(random, 4f);
            }

            FloatVectorModels.Softmax(z, p);
            FloatVectorModels.SoftmaxJacobian(z, members, jacobian);
            AssertSameBits(p, members, "Jacobian");
            var exact = new double[n * n];
            for (int input = 0; input < n; input++)
            {
                for (int i = 0; i < n; i++)
                {
                    zz[i] = new Complex(z[i], i == input ? H : 0);
                }

                FloatVectorModels.Softmax(zz, zp);
                for (int row = 0; row < n; row++)
                {
                    exact[row * n + input] = zp[row].Imaginary / H;
                }
            }

            worst = Math.Max(worst, FloatTests.Relative(exact, Array.ConvertAll(jacobian, v => (double)v)));
        }

        _output.WriteLine($"n = {n}: largest relative error of the float softmax Jacobian: {worst:E2}");
        Assert.InRange(worst, 0.0, FloatTests.Tolerance);
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            FloatTests.AssertSameBits(expected[i], actual[i], $"{what}'s value {i}");
        }
    }
}
