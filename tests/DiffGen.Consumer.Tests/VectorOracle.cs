using System;
using System.Linq;
using System.Numerics;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Checks a vector-output method's generated members over its differentiable inputs flattened into one
/// vector u (parameter order, as the Jacobian's columns): every Jacobian entry against complex step through
/// the generated Complex overload (1e-10 relative, floor 1) and against MathNet's central differences
/// (1e-6); the VJP against Jᵀȳ and the JVP against J u̇ with J the complex-step Jacobian; each member
/// writes the values into y and overwrites its outputs (they start as NaN).
/// </summary>
internal sealed class VectorOracle
{
    /// <summary>The number of outputs (y.Length).</summary>
    public required int Outputs { get; init; }

    /// <summary>The source method: (u, y).</summary>
    public required Action<double[], double[]> Primal { get; init; }

    /// <summary>The generated Complex overload: (u, y).</summary>
    public required Action<Complex[], Complex[]> Complex { get; init; }

    /// <summary>The generated Jacobian: (u, y, jacobian).</summary>
    public required Action<double[], double[], double[]> Jacobian { get; init; }

    /// <summary>The generated VJP: (u, y, ȳ, ū), ū flattened like u.</summary>
    public required Action<double[], double[], double[], double[]> Vjp { get; init; }

    /// <summary>The generated JVP: (u, y, u̇, ẏ).</summary>
    public required Action<double[], double[], double[], double[]> Jvp { get; init; }

    public static void Close(double expected, double actual, double relative, string what, double absolute = 0.0)
    {
        double tolerance = Math.Max(relative * Math.Max(1.0, Math.Abs(expected)), absolute);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>Runs every check at <paramref name="u"/> and returns the generated Jacobian (row-major).</summary>
    public double[] Check(double[] u)
    {
        int n = u.Length, m = Outputs;
        var y = new double[m];
        Primal(u, y);

        var jacobian = Filled(m * n);
        var yJ = Filled(m);
        Jacobian(u, yJ, jacobian);
        AssertValues(y, yJ, "the Jacobian's values");

        // Complex step, Im f(u + ih eᵢ)/h with h = 1e-20: exact to rounding, an independent oracle.
        const double h = 1e-20;
        var exact = new double[m * n];
        var z = new Complex[n];
        var yz = new Complex[m];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                z[k] = new Complex(u[k], k == i ? h : 0.0);
            }

            Complex(z, yz);
            for (int r = 0; r < m; r++)
            {
                Close(y[r], yz[r].Real, 1e-13, $"complex overload's y[{r}]");
                exact[r * n + i] = yz[r].Imaginary / h;
                Close(exact[r * n + i], jacobian[r * n + i], 1e-10, $"J[{r},{i}] vs complex step");
            }
        }

        // MathNet central differences of each output.
        var numerical = new NumericalDerivative(5, 2);
        for (int r = 0; r < m; r++)
        {
            int row = r;
            double Output(double[] v)
            {
                var yv = new double[m];
                Primal(v, yv);
                return yv[row];
            }

            for (int i = 0; i < n; i++)
            {
                double fd = numerical.EvaluatePartialDerivative(Output, (double[])u.Clone(), i, 1);
                Close(fd, jacobian[r * n + i], 1e-6, $"J[{r},{i}] vs MathNet central difference", absolute: 1e-7);
            }
        }

        // Reverse mode: ū = Jᵀȳ.
        var seed = Enumerable.Range(0, m).Select(r => 0.4 + 0.9 * Math.Cos(1.7 * r + 0.3)).ToArray();
        var ubar = Filled(n);
        var yV = Filled(m);
        Vjp(u, yV, seed, ubar);
        AssertValues(y, yV, "the VJP's values");
        for (int i = 0; i < n; i++)
        {
            int column = i;
            CloseToSum(m, r => exact[r * n + column] * seed[r], ubar[i], $"(Jᵀȳ)[{i}]");
        }

        // Forward mode: ẏ = J u̇.
        var direction = Enumerable.Range(0, n).Select(i => 0.3 + 0.7 * Math.Sin(1.3 * i + 1.0)).ToArray();
        var ty = Filled(m);
        var yT = Filled(m);
        Jvp(u, yT, direction, ty);
        AssertValues(y, yT, "the JVP's values");
        for (int r = 0; r < m; r++)
        {
            int row = r;
            CloseToSum(n, i => exact[row * n + i] * direction[i], ty[r], $"(J u̇)[{r}]");
        }

        return jacobian;
    }

    /// <summary>Σ term(k) for k &lt; count against <paramref name="actual"/>, to 1e-10 of Σ|term(k)| (floor 1).</summary>
    private static void CloseToSum(int count, Func<int, double> term, double actual, string what)
    {
        double expected = 0, scale = 0;
        for (int k = 0; k < count; k++)
        {
            expected += term(k);
            scale += Math.Abs(term(k));
        }

        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1.0, scale), $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>NaN everywhere: an output the member fails to write shows.</summary>
    private static double[] Filled(int length) => Enumerable.Repeat(double.NaN, length).ToArray();

    private static void AssertValues(double[] expected, double[] actual, string what)
    {
        for (int r = 0; r < expected.Length; r++)
        {
            Close(expected[r], actual[r], 1e-13, $"{what}: y[{r}]");
        }
    }
}
