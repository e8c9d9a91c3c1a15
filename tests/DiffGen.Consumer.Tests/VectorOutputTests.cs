using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// Vector-output methods (issue 12 item 3): the generated Jacobian, VJP and JVP of <see cref="VectorOutputModels"/>
/// against complex step and MathNet central differences (<see cref="VectorOracle"/>), closed forms where there
/// are some, both Jacobian strategies, argument checks and allocation.
/// </summary>
public class VectorOutputTests
{
    private static VectorOracle Polar() => new()
    {
        Outputs = 2,
        Primal = (u, y) => VectorOutputModels.Polar(u[0], u[1], y),
        Complex = (u, y) => VectorOutputModels.Polar(u[0], u[1], y),
        Jacobian = (u, y, j) => VectorOutputModels.PolarJacobian(u[0], u[1], y, j),
        Vjp = (u, y, ybar, ubar) =>
        {
            VectorOutputModels.PolarVjp(u[0], u[1], y, ybar, out ubar[0], out ubar[1]);
        },
        Jvp = (u, y, tu, ty) => VectorOutputModels.PolarJvp(u[0], u[1], y, tu[0], tu[1], ty),
    };

    [Theory]
    [InlineData(2.0, 0.7)]
    [InlineData(0.5, -2.4)]
    [InlineData(3.0, 0.0)]
    public void Polar_Jacobian_is_the_rotation_matrix(double r, double theta)
    {
        var j = Polar().Check([r, theta]);
        // closed form [[cos θ, −r sin θ], [sin θ, r cos θ]]
        VectorOracle.Close(Math.Cos(theta), j[0], 1e-15, "∂x/∂r");
        VectorOracle.Close(-r * Math.Sin(theta), j[1], 1e-15, "∂x/∂θ");
        VectorOracle.Close(Math.Sin(theta), j[2], 1e-15, "∂y/∂r");
        VectorOracle.Close(r * Math.Cos(theta), j[3], 1e-15, "∂y/∂θ");
    }

    private static VectorOracle Softmax(int n) => new()
    {
        Outputs = n,
        Primal = (u, y) => VectorOutputModels.Softmax(u, y),
        Complex = (u, y) => VectorOutputModels.Softmax(u, y),
        Jacobian = (u, y, j) => VectorOutputModels.SoftmaxJacobian(u, y, j),
        Vjp = (u, y, ybar, ubar) => VectorOutputModels.SoftmaxVjp(u, y, ybar, ubar),
        Jvp = (u, y, tu, ty) => VectorOutputModels.SoftmaxJvp(u, y, tu, ty),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Softmax_Jacobian_is_diag_p_minus_p_pT(int n)
    {
        var z = Enumerable.Range(0, n).Select(i => 1.5 * Math.Sin(2.1 * i + 0.4)).ToArray();
        var j = Softmax(n).Check(z);
        var p = new double[n];
        VectorOutputModels.Softmax(z, p);
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                VectorOracle.Close((r == c ? p[r] : 0.0) - p[r] * p[c], j[r * n + c], 1e-14, $"J[{r},{c}]");
            }
        }
    }

    private static double[] Matrix(int rows, int columns) =>
        Enumerable.Range(0, rows * columns).Select(k => 0.8 * Math.Cos(0.9 * k + 0.2)).ToArray();

    private static VectorOracle MatVec(double[] a, int rows) => new()
    {
        Outputs = rows,
        Primal = (u, y) => VectorOutputModels.MatVec(a, u, y),
        Complex = (u, y) => VectorOutputModels.MatVec(a, u, y),
        Jacobian = (u, y, j) => VectorOutputModels.MatVecJacobian(a, u, y, j),
        Vjp = (u, y, ybar, ubar) => VectorOutputModels.MatVecVjp(a, u, y, ybar, ubar),
        Jvp = (u, y, tu, ty) => VectorOutputModels.MatVecJvp(a, u, y, tu, ty),
    };

    /// <summary>Wide (3×5: reverse mode, a VJP per row) and tall (7×2: forward mode, a JVP per column) shapes of tanh(A x).</summary>
    [Theory]
    [InlineData(3, 5)]
    [InlineData(7, 2)]
    [InlineData(4, 4)]
    public void MatVec_Jacobian_is_diag_tanh_prime_times_A_in_both_strategies(int rows, int columns)
    {
        var a = Matrix(rows, columns);
        var x = Enumerable.Range(0, columns).Select(i => 0.5 - 0.3 * i).ToArray();
        var j = MatVec(a, rows).Check(x);
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < columns; c++)
            {
                s += a[r * columns + c] * x[c];
            }

            double slope = 1.0 - Math.Tanh(s) * Math.Tanh(s);
            for (int c = 0; c < columns; c++)
            {
                VectorOracle.Close(slope * a[r * columns + c], j[r * columns + c], 1e-14, $"J[{r},{c}]");
            }
        }
    }

    private const double Dt = 0.1;

    private static VectorOracle LotkaVolterra() => new()
    {
        Outputs = 2,
        Primal = (u, y) => VectorOutputModels.LotkaVolterraStep(u.AsSpan(0, 2), u.AsSpan(2, 4), Dt, y),
        Complex = (u, y) => VectorOutputModels.LotkaVolterraStep(u.AsSpan(0, 2), u.AsSpan(2, 4), Dt, y),
        Jacobian = (u, y, j) => VectorOutputModels.LotkaVolterraStepJacobian(u.AsSpan(0, 2), u.AsSpan(2, 4), Dt, y, j),
        Vjp = (u, y, ybar, ubar) => VectorOutputModels.LotkaVolterraStepVjp(u.AsSpan(0, 2), u.AsSpan(2, 4), Dt, y, ybar, ubar.AsSpan(0, 2), ubar.AsSpan(2, 4)),
        Jvp = (u, y, tu, ty) => VectorOutputModels.LotkaVolterraStepJvp(u.AsSpan(0, 2), u.AsSpan(2, 4), Dt, y, tu.AsSpan(0, 2), tu.AsSpan(2, 4), ty),
    };

    [Fact]
    public void Lotka_Volterra_RK4_step_Jacobian_over_state_and_parameters()
    {
        double[] u = [10.0, 5.0, 1.1, 0.4, 0.1, 0.4];
        var j = LotkaVolterra().Check(u);
        // a short step is close to the identity on the state: ∂next/∂state ≈ I + dt·∂f/∂state
        VectorOracle.Close(1.0 + Dt * (1.1 - 0.4 * 5.0), j[0], 0.05, "∂prey'/∂prey");
        VectorOracle.Close(1.0 + Dt * (0.1 * 10.0 - 0.4), j[6 + 1], 0.05, "∂predator'/∂predator");
    }

    private static VectorOracle Features(int n) => new()
    {
        Outputs = 3 * n,
        Primal = (u, y) => VectorOutputModels.Features(u[0], u.AsSpan(1), y),
        Complex = (u, y) => VectorOutputModels.Features(u[0], u.AsSpan(1), y),
        Jacobian = (u, y, j) => VectorOutputModels.FeaturesJacobian(u[0], u.AsSpan(1), y, j),
        Vjp = (u, y, ybar, ubar) => VectorOutputModels.FeaturesVjp(u[0], u.AsSpan(1), y, ybar, out ubar[0], ubar.AsSpan(1)),
        Jvp = (u, y, tu, ty) => VectorOutputModels.FeaturesJvp(u[0], u.AsSpan(1), y, tu[0], tu.AsSpan(1), ty),
    };

    /// <summary>A scalar and a span in, 3n outputs: tall, so the Jacobian takes forward mode; the scalar is column 0.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Features_of_a_scalar_and_a_span(int n)
    {
        var u = new double[n + 1];
        u[0] = 1.3;
        for (int i = 0; i < n; i++)
        {
            u[i + 1] = 0.7 - 0.45 * i;
        }

        var j = Features(n).Check(u);
        VectorOracle.Close(u[1], j[0], 1e-15, "∂(s·x₀)/∂s");
        VectorOracle.Close(1.3, j[1], 1e-15, "∂(s·x₀)/∂x₀");
    }

    /// <summary>An instance method with branches, a double[] input (the weights, first columns) and an int size; 3 rows, 2 columns.</summary>
    [Fact]
    public void Leaky_layer_with_branches_and_an_array_input()
    {
        const int rows = 3, columns = 2;
        var layer = new LeakyLayer();
        VectorOracle oracle = new()
        {
            Outputs = rows,
            Primal = (u, y) => layer.Forward(u[..6], u.AsSpan(6), 0.1, columns, y),
            Complex = (u, y) => layer.Forward(u.AsSpan(0, 6), u.AsSpan(6), 0.1, columns, y),
            Jacobian = (u, y, j) => layer.ForwardJacobian(u[..6], u.AsSpan(6), 0.1, columns, y, j),
            Vjp = (u, y, ybar, ubar) => layer.ForwardVjp(u[..6], u.AsSpan(6), 0.1, columns, y, ybar, ubar.AsSpan(0, 6), ubar.AsSpan(6)),
            Jvp = (u, y, tu, ty) => layer.ForwardJvp(u[..6], u.AsSpan(6), 0.1, columns, y, tu.AsSpan(0, 6), tu.AsSpan(6), ty),
        };
        // rows 0 and 2 positive, row 1 negative: both branches
        double[] u = [0.5, 0.25, -0.75, -0.5, 1.0, -0.125, 1.5, 0.8];
        var j = oracle.Check(u);
        // ∂y₁/∂w₁₀ = slope·x₀ on the negative row
        VectorOracle.Close(0.1 * 1.5, j[1 * 8 + 2], 1e-15, "∂y₁/∂w₁₀");
        VectorOracle.Close(0.8, j[0 * 8 + 1], 1e-15, "∂y₀/∂w₀₁");
    }

    /// <summary><c>y.Clear()</c> writes every element, so accumulating into the output afterwards is accepted (not DG0021); 5 + 5 inputs, 3 outputs.</summary>
    [Fact]
    public void Output_cleared_then_accumulated()
    {
        VectorOracle oracle = new()
        {
            Outputs = 3,
            Primal = (u, y) => ScatterModels.PairSums(u.AsSpan(0, 5), u.AsSpan(5), y),
            Complex = (u, y) => ScatterModels.PairSums(u.AsSpan(0, 5), u.AsSpan(5), y),
            Jacobian = (u, y, j) => ScatterModels.PairSumsJacobian(u.AsSpan(0, 5), u.AsSpan(5), y, j),
            Vjp = (u, y, ybar, ubar) => ScatterModels.PairSumsVjp(u.AsSpan(0, 5), u.AsSpan(5), y, ybar, ubar.AsSpan(0, 5), ubar.AsSpan(5)),
            Jvp = (u, y, tu, ty) => ScatterModels.PairSumsJvp(u.AsSpan(0, 5), u.AsSpan(5), y, tu.AsSpan(0, 5), tu.AsSpan(5), ty),
        };
        double[] u = [0.3, -0.6, 0.9, 0.1, -1.2, 1.0, 2.0, -0.5, 0.7, 1.5];
        var j = oracle.Check(u);
        // y₂ = w₄·exp(−x₄²) alone: ∂y₂/∂w₄ = exp(−x₄²), ∂y₂/∂w₀ = 0
        VectorOracle.Close(Math.Exp(-1.44), j[2 * 10 + 9], 1e-15, "∂y₂/∂w₄");
        Assert.Equal(0.0, j[2 * 10 + 5]);
    }

    /// <summary>Early <c>return;</c> inside a loop and at the top level: the rest of the method is skipped, as in the source.</summary>
    [Theory]
    [InlineData(new[] { 0.2, -0.4, 0.9, 1.3, -0.2 }, 0.5)]
    [InlineData(new[] { 11.0, 0.3, 0.7 }, 0.5)]
    [InlineData(new[] { 0.1, 0.2 }, 5.0)]
    public void Early_return(double[] x, double limit)
    {
        VectorOracle oracle = new()
        {
            Outputs = x.Length,
            Primal = (u, y) => EarlyExitModels.Leading(u, limit, y),
            Complex = (u, y) => EarlyExitModels.Leading(u, limit, y),
            Jacobian = (u, y, j) => EarlyExitModels.LeadingJacobian(u, limit, y, j),
            Vjp = (u, y, ybar, ubar) => EarlyExitModels.LeadingVjp(u, limit, y, ybar, ubar),
            Jvp = (u, y, tu, ty) => EarlyExitModels.LeadingJvp(u, limit, y, tu, ty),
        };
        var j = oracle.Check(x);
        int n = x.Length;
        // the Jacobian is diagonal: 2 (returned at the top), 2x before the limit, eˣ from it on
        bool top = x[0] > 10.0;
        int first = Array.FindIndex(x, v => v >= limit);
        for (int i = 0; i < n; i++)
        {
            double expected = top ? 2.0 : first >= 0 && i >= first ? Math.Exp(x[i]) : 2.0 * x[i];
            VectorOracle.Close(expected, j[i * n + i], 1e-15, $"∂y{i}/∂x{i}");
        }
    }

    [Fact]
    public void Expression_bodied_vector_output()
    {
        var y = new double[1];
        var j = new double[1];
        LeakyLayer.SquareJacobian(3.0, y, j);
        Assert.Equal(9.0, y[0]);
        Assert.Equal(6.0, j[0]);
        LeakyLayer.SquareVjp(3.0, y, [2.0], out double dx);
        Assert.Equal(12.0, dx);
        var ty = new double[1];
        LeakyLayer.SquareJvp(3.0, y, 0.5, ty);
        Assert.Equal(3.0, ty[0]);
    }

    [Fact]
    public void Length_mismatches_name_the_argument()
    {
        double[] z = [0.1, 0.2, 0.3];
        var p = new double[3];
        var wrongP = new double[2];
        Assert.Equal("jacobian", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxJacobian(z, p, new double[8])).ParamName);
        Assert.Equal("pbar", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxVjp(z, p, new double[2], new double[3])).ParamName);
        Assert.Equal("dz", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxVjp(z, p, new double[3], new double[4])).ParamName);
        Assert.Equal("tz", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxJvp(z, p, new double[2], new double[3])).ParamName);
        Assert.Equal("tp", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxJvp(z, p, new double[3], new double[4])).ParamName);
        // a shorter output than the input gives a shorter seed and Jacobian: checked against y, not x
        Assert.Equal("pbar", Assert.Throws<ArgumentException>(() => VectorOutputModels.SoftmaxVjp(z, wrongP, new double[3], new double[3])).ParamName);
        Assert.Equal("jacobian", Assert.Throws<ArgumentException>(() => VectorOutputModels.PolarJacobian(1.0, 2.0, new double[2], new double[3])).ParamName);
    }

    /// <summary>600 outputs: the seed, the scratch spans and the saved values come from pools, not the heap.</summary>
    [Fact]
    public void Products_and_Jacobian_allocate_nothing_in_steady_state()
    {
        const int n = 600;
        var z = Enumerable.Range(0, n).Select(i => Math.Sin(0.37 * i)).ToArray();
        var p = new double[n];
        var seed = Enumerable.Range(0, n).Select(i => Math.Cos(0.11 * i)).ToArray();
        var dz = new double[n];
        var tp = new double[n];
        var a = Matrix(n, 3);
        double[] x = [0.2, -0.1, 0.4];
        var y = new double[n];
        var tall = new double[n * 3];
        var wide = new double[4 * n];
        var a2 = Matrix(4, n);
        var y4 = new double[4];
        void Run()
        {
            VectorOutputModels.SoftmaxVjp(z, p, seed, dz);
            VectorOutputModels.SoftmaxJvp(z, p, seed, tp);
            VectorOutputModels.MatVecJacobian(a, x, y, tall);
            VectorOutputModels.MatVecJacobian(a2, z, y4, wide);
        }

        for (int k = 0; k < 5; k++)
        {
            Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 50; k++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
