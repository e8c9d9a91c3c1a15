using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Examples.Backprop;

/// <summary>What section 7 computed.</summary>
/// <param name="X">The point x.</param>
/// <param name="GraphGradient">∇f from the Expr graph (reverse mode), symmetric A and B.</param>
/// <param name="ClosedForm">2(xᵀBx)Ax + 2(xᵀAx)Bx at the same point.</param>
/// <param name="LargestDifference">max |graph − closed form|, symmetric case.</param>
/// <param name="NonSymmetricNaiveError">max |graph − naive formula| when A and B are not symmetric (large: the formula needs symmetry).</param>
/// <param name="NonSymmetricGeneralError">max |graph − ((A+Aᵀ)x·xᵀBx + (xᵀAx)(B+Bᵀ)x)| when A and B are not symmetric (rounding only).</param>
public sealed record MatrixCalculusResult(double[] X, double[] GraphGradient, double[] ClosedForm, double LargestDifference,
    double NonSymmetricNaiveError, double NonSymmetricGeneralError);

/// <summary>Section 7: a matrix-calculus identity checked against the engine.</summary>
public static class MatrixCalculus
{
    private const int N = 4;

    /// <summary>Runs the section.</summary>
    public static MatrixCalculusResult Run(SectionContext context)
    {
        context.Heading("7. Matrix calculus: ∇ₓ[(xᵀAx)(xᵀBx)] = 2(xᵀBx)Ax + 2(xᵀAx)Bx");
        var random = new Random(7);
        double[,] a = RandomMatrix(random, symmetric: true);
        double[,] b = RandomMatrix(random, symmetric: true);
        double[] x = new double[N];
        for (int i = 0; i < N; i++)
        {
            x[i] = Math.Round(random.NextDouble() * 2 - 1, 2);
        }

        context.Line($"Random symmetric 4×4 A and B (seed 7), x = ({string.Join(", ", x)}).");
        context.Line("Product rule: ∇(uv) = v∇u + u∇v, and ∇(xᵀAx) = (A + Aᵀ)x = 2Ax for symmetric A.");
        double[] graphGradient = GraphGradient(a, b, x);
        double[] closedForm = ClosedForm(a, b, x, symmetricFormula: true);
        context.Table(new[] { "component", "Expr graph, reverse mode", "closed form" }, Rows(graphGradient, closedForm));
        double difference = MaxDifference(graphGradient, closedForm);
        context.Line($"largest |difference| = {Numbers.Sci(difference)}  (rounding only)");

        // The identity leans on symmetry: with general matrices the graph still knows the right answer.
        double[,] c = RandomMatrix(random, symmetric: false);
        double[,] d = RandomMatrix(random, symmetric: false);
        double[] general = GraphGradient(c, d, x);
        double naiveError = MaxDifference(general, ClosedForm(c, d, x, symmetricFormula: true));
        double generalError = MaxDifference(general, ClosedForm(c, d, x, symmetricFormula: false));
        context.Line($"With non-symmetric A, B: the 2Ax formula is off by {naiveError:F3}; with (A + Aᵀ)x it agrees to {Numbers.Sci(generalError)}.");
        return new MatrixCalculusResult(x, graphGradient, closedForm, difference, naiveError, generalError);
    }

    /// <summary>Builds f = (Σᵢⱼ Aᵢⱼxᵢxⱼ)(Σᵢⱼ Bᵢⱼxᵢxⱼ) as a graph and evaluates its symbolic gradient at x.</summary>
    public static double[] GraphGradient(double[,] a, double[,] b, double[] x)
    {
        var graph = new Graph();
        var xs = new Node[N];
        for (int i = 0; i < N; i++)
        {
            xs[i] = graph.Var("x" + i);
        }

        Node f = QuadraticForm(graph, a, xs) * QuadraticForm(graph, b, xs);
        var schedule = new Schedule(Derivatives.Gradient(f, xs), xs);
        var gradient = new double[N];
        schedule.Evaluate(x, gradient);
        return gradient;
    }

    private static Node QuadraticForm(Graph graph, double[,] m, Node[] xs)
    {
        var terms = new List<Node>();
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                terms.Add(m[i, j] * xs[i] * xs[j]);
            }
        }

        return graph.Sum(terms);
    }

    /// <summary>2(xᵀBx)Ax + 2(xᵀAx)Bx, or with (A + Aᵀ) and (B + Bᵀ) in place of 2A and 2B.</summary>
    private static double[] ClosedForm(double[,] a, double[,] b, double[] x, bool symmetricFormula)
    {
        double[] ax = Multiply(a, x, transpose: false), bx = Multiply(b, x, transpose: false);
        double[] atx = symmetricFormula ? ax : Multiply(a, x, transpose: true);
        double[] btx = symmetricFormula ? bx : Multiply(b, x, transpose: true);
        double xax = Dot(x, ax), xbx = Dot(x, bx);
        var result = new double[N];
        for (int i = 0; i < N; i++)
        {
            result[i] = xbx * (ax[i] + atx[i]) + xax * (bx[i] + btx[i]);
        }

        return result;
    }

    private static double[,] RandomMatrix(Random random, bool symmetric)
    {
        var m = new double[N, N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                m[i, j] = Math.Round(random.NextDouble() * 4 - 2, 2);
            }
        }

        if (symmetric)
        {
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    m[i, j] = m[j, i];
                }
            }
        }

        return m;
    }

    private static double[] Multiply(double[,] m, double[] x, bool transpose)
    {
        var y = new double[N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                y[i] += (transpose ? m[j, i] : m[i, j]) * x[j];
            }
        }

        return y;
    }

    private static double Dot(double[] u, double[] v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++)
        {
            s += u[i] * v[i];
        }

        return s;
    }

    private static double MaxDifference(double[] u, double[] v)
    {
        double max = 0;
        for (int i = 0; i < u.Length; i++)
        {
            max = Math.Max(max, Math.Abs(u[i] - v[i]));
        }

        return max;
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(double[] graph, double[] closed)
    {
        for (int i = 0; i < graph.Length; i++)
        {
            yield return new[] { $"∂f/∂x{i}", graph[i].ToString("F10"), closed[i].ToString("F10") };
        }
    }
}
