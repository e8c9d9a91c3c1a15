using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Procedures that fill an output array (vector-output methods): the vector-Jacobian product seeds the
/// output's adjoint with ȳ and leaves the values in the output; the tangent procedure writes the output's
/// tangent array. Run by the interpreter, against complex step of the original procedure.
/// </summary>
public class VectorProcedureTests
{
    /// <summary>y[i] = xᵢ² · s for every i, then y[0] = sin(y[0]·y[1]): the output is overwritten after it is read.</summary>
    private static Procedure SquaresThenMix()
    {
        var g = new Graph();
        var i = g.Var("i");
        var y0 = g.Load("y", g.Zero);
        var y1 = g.Load("y", g.One);
        return new Procedure("SquaresThenMix", new[]
        {
            new Parameter("x", ValueKind.Array), new Parameter("s", ValueKind.Real),
            new Parameter("y", ValueKind.Array, Differentiable: false, IsOutput: true),
        }, new Block(new Statement[]
        {
            new For("i", g.Zero, g.Var("y.Length"), new Block(new Statement[] { new Store("y", i, g.Load("x", i) * g.Load("x", i) * g.Var("s")) })),
            new Store("y", g.Zero, g.Sin(y0 * y1)),
        }), g);
    }

    private static readonly double[] X = [0.7, -1.3, 0.4];
    private const double S = 1.7;

    /// <summary>J by complex step: column k from Im y(u + ih eₖ)/h, u = (x, s).</summary>
    private static double[,] ComplexStepJacobian()
    {
        const double h = 1e-20;
        int n = X.Length;
        var jacobian = new double[n, n + 1];
        for (int k = 0; k <= n; k++)
        {
            var x = X.Select((v, j) => new Complex(v, j == k ? h : 0.0)).ToArray();
            var y = new Complex[n];
            ProcedureInterpreter.Run(SquaresThenMix(), new Dictionary<string, Complex> { ["s"] = new Complex(S, k == n ? h : 0.0) },
                new Dictionary<string, Complex[]> { ["x"] = x, ["y"] = y });
            for (int r = 0; r < n; r++)
            {
                jacobian[r, k] = y[r].Imaginary / h;
            }
        }

        return jacobian;
    }

    [Fact]
    public void Vector_Jacobian_product_is_J_transpose_ybar_and_keeps_the_values()
    {
        var vjp = ProcedureDerivatives.VectorJacobianProduct(SquaresThenMix(), n => "d" + n, n => n + "bar");
        Assert.DoesNotContain(vjp.Body.Statements, s => s is Return);
        double[] ybar = [0.5, -2.0, 1.25];
        var y = new double[] { double.NaN, double.NaN, double.NaN };
        var dx = new double[3];
        var scalars = new Dictionary<string, double> { ["s"] = S };
        ProcedureInterpreter.Run(vjp, scalars, new Dictionary<string, double[]> { ["x"] = X, ["y"] = y, ["ybar"] = ybar, ["dx"] = dx });

        var expectedY = X.Select(v => v * v * S).ToArray();
        expectedY[0] = System.Math.Sin(expectedY[0] * expectedY[1]);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(expectedY[r], y[r], 14);
        }

        var j = ComplexStepJacobian();
        for (int k = 0; k < 3; k++)
        {
            double expected = Enumerable.Range(0, 3).Sum(r => j[r, k] * ybar[r]);
            Assert.Equal(expected, dx[k], 12);
        }

        Assert.Equal(Enumerable.Range(0, 3).Sum(r => j[r, 3] * ybar[r]), scalars["ds"], 12);
    }

    [Fact]
    public void Tangent_of_a_vector_procedure_writes_the_output_tangent()
    {
        var tangent = ProcedureDerivatives.Tangent(SquaresThenMix(), n => "t" + n);
        Assert.DoesNotContain(tangent.Parameters, p => p.Name == "tangent");
        double[] tx = [0.3, 1.1, -0.6];
        const double ts = 0.8;
        var y = new double[3];
        var ty = new double[3];
        ProcedureInterpreter.Run(tangent, new Dictionary<string, double> { ["s"] = S, ["ts"] = ts },
            new Dictionary<string, double[]> { ["x"] = X, ["tx"] = tx, ["y"] = y, ["ty"] = ty });
        var j = ComplexStepJacobian();
        for (int r = 0; r < 3; r++)
        {
            double expected = Enumerable.Range(0, 3).Sum(k => j[r, k] * tx[k]) + j[r, 3] * ts;
            Assert.Equal(expected, ty[r], 12);
        }
    }
}
