using System;
using System.Numerics;
using DiffGen.Expr;
using MathNet.Numerics.Differentiation;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// One generated method and its oracles: the user's method, the generated members, the same function
/// built as an Expr graph (interpreted by <see cref="Schedule"/>), complex step and MathNet's central
/// differences. <see cref="Check"/> asserts that all of them agree at a point.
/// </summary>
internal sealed class Oracle
{
    public required string Name { get; init; }
    public required Func<double[], double> Primal { get; init; }
    public required Func<double[], double[], double> Gradient { get; init; }
    public required Func<double[], double[], (double Value, double Tangent)> Tangent { get; init; }
    public required Func<Complex[], Complex> Complex { get; init; }
    public Func<double[], double[], double[], double>? Hessian { get; init; }
    public Func<Graph, Node[], Node>? Build { get; init; }

    public void Check(params double[] x)
    {
        int n = x.Length;
        double value = Primal(x);
        var gradient = new double[n];
        double gValue = Gradient(x, gradient);
        Close(value, gValue, 1e-13, "gradient's value"); // composites such as GELU use the engine's formula: equal to rounding

        // Complex step: Im f(x + ih)/h, exact to rounding for analytic code.
        const double h = 1e-20;
        var z = new Complex[n];
        for (int i = 0; i < n; i++)
        {
            Array.Fill(z, default);
            for (int k = 0; k < n; k++)
            {
                z[k] = new Complex(x[k], k == i ? h : 0.0);
            }

            var fz = Complex(z);
            Close(value, fz.Real, 1e-13, "complex overload's value");
            Close(fz.Imaginary / h, gradient[i], 1e-11, $"∂/∂x{i} vs complex step");
        }

        // MathNet central differences, an independent oracle.
        var numerical = new NumericalDerivative(5, 2);
        for (int i = 0; i < n; i++)
        {
            double fd = numerical.EvaluatePartialDerivative(Primal, (double[])x.Clone(), i, 1);
            Close(fd, gradient[i], 1e-6, $"∂/∂x{i} vs MathNet central difference", absolute: 1e-7);
        }

        // Forward mode = gradient · direction.
        var direction = new double[n];
        for (int i = 0; i < n; i++)
        {
            direction[i] = 0.3 + 0.7 * Math.Sin(i + 1.0);
        }

        var (tValue, tangent) = Tangent(x, direction);
        Close(value, tValue, 1e-13, "tangent's value");
        double dot = 0;
        for (int i = 0; i < n; i++)
        {
            dot += gradient[i] * direction[i];
        }

        Close(dot, tangent, 1e-12, "tangent vs gradient·direction", absolute: 1e-13);

        if (Build is not null)
        {
            var g = new Graph(simplify: true);
            var vars = new Node[n];
            for (int i = 0; i < n; i++)
            {
                vars[i] = g.Var("v" + i);
            }

            var f = Build(g, vars);
            var outputs = new Node[n + 1];
            outputs[0] = f;
            Array.Copy(Derivatives.Gradient(f, vars), 0, outputs, 1, n);
            var schedule = new Schedule(outputs, vars);
            var result = new double[n + 1];
            schedule.Evaluate(x, result);
            Close(result[0], value, 1e-14, "interpreter's value");
            for (int i = 0; i < n; i++)
            {
                Close(result[i + 1], gradient[i], 1e-12, $"∂/∂x{i} vs interpreter");
            }
        }

        if (Hessian is not null)
        {
            var hg = new double[n];
            var hessian = new double[n * n];
            double hValue = Hessian(x, hg, hessian);
            Close(value, hValue, 1e-13, "Hessian's value");
            for (int i = 0; i < n; i++)
            {
                Close(gradient[i], hg[i], 1e-14, "Hessian member's gradient");
            }

            // Each Hessian column is the complex-step derivative of the gradient... approximated by
            // central differences of the generated gradient (an independent check of the second order).
            for (int j = 0; j < n; j++)
            {
                double step = 1e-5 * Math.Max(1.0, Math.Abs(x[j]));
                var xp = (double[])x.Clone();
                var xm = (double[])x.Clone();
                xp[j] += step;
                xm[j] -= step;
                var gp = new double[n];
                var gm = new double[n];
                Gradient(xp, gp);
                Gradient(xm, gm);
                for (int i = 0; i < n; i++)
                {
                    Close((gp[i] - gm[i]) / (2 * step), hessian[i * n + j], 1e-5, $"H[{i},{j}] vs differences of the gradient", absolute: 1e-6);
                    Close(hessian[i * n + j], hessian[j * n + i], 1e-12, $"H[{i},{j}] symmetric", absolute: 1e-14);
                }
            }
        }
    }

    private void Close(double expected, double actual, double relative, string what, double absolute = 1e-300)
    {
        double tolerance = Math.Max(absolute, relative * Math.Max(Math.Abs(expected), Math.Abs(actual)));
        if (!(Math.Abs(expected - actual) <= tolerance) && !(expected == actual))
        {
            Assert.Fail($"{Name}: {what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:G3})");
        }
    }
}
