using System;
using System.Collections.Generic;
using System.Globalization;
using DiffGen.Expr;

namespace DiffGen.Examples.Backprop;

/// <summary>What section 4 computed.</summary>
/// <param name="Point">(x1, x2, x3).</param>
/// <param name="ForwardGradient">The gradient assembled from one Tangent call per unit vector.</param>
/// <param name="ReverseGradient">The gradient from one Gradient call.</param>
/// <param name="Costs">Operation counts of both modes for neurons with more and more weights.</param>
public sealed record ForwardVersusReverseResult(double[] Point, double[] ForwardGradient, double[] ReverseGradient, IReadOnlyList<ModeCost> Costs);

/// <summary>How many operations a full gradient costs in each mode, for a function of <paramref name="Inputs"/> variables.</summary>
/// <param name="Inputs">Number of inputs n.</param>
/// <param name="Primal">Operations to evaluate f once.</param>
/// <param name="ForwardMode">n forward sweeps, each evaluating f and one directional derivative.</param>
/// <param name="ReverseMode">One forward and one backward sweep, giving all n partials.</param>
public sealed record ModeCost(int Inputs, int Primal, int ForwardMode, int ReverseMode);

/// <summary>Section 4: forward mode (tangents) against reverse mode (adjoints).</summary>
public static class ForwardVersusReverse
{
    /// <summary>Runs the section.</summary>
    public static ForwardVersusReverseResult Run(SectionContext context)
    {
        context.Heading("4. Forward mode vs reverse mode: f = (x1·x2·sin x3 + e^(x1·x2)) / x3");
        double[] p = { 1.0, 2.0, 3.0 };
        context.Line($"At x = ({p[0]}, {p[1]}, {p[2]}).");
        context.Line("Forward mode pushes a tangent ẋ along with x: one sweep gives ∇f·ẋ, one directional derivative.");
        context.Line("To get the whole gradient it needs one sweep per unit vector e1, e2, e3:");

        var forward = new double[3];
        for (int i = 0; i < 3; i++)
        {
            double t1 = i == 0 ? 1 : 0, t2 = i == 1 ? 1 : 0, t3 = i == 2 ? 1 : 0;
            Models.LectureTangent(p[0], p[1], p[2], t1, t2, t3, out forward[i]);
            context.Line($"  LectureTangent(x, e{i + 1}) = ∂f/∂x{i + 1} = {forward[i]:F6}");
        }

        context.Line("Reverse mode runs forward once, then sweeps adjoints back from f: one call, every partial:");
        double value = Models.LectureGradient(p[0], p[1], p[2], out double d1, out double d2, out double d3);
        double[] reverse = { d1, d2, d3 };
        context.Line($"  LectureGradient(x) = ({d1:F6}, {d2:F6}, {d3:F6}),  f = {value:F6}");
        context.Line($"  largest |forward − reverse| = {Numbers.Sci(MaxDifference(forward, reverse))}");

        context.Line();
        context.Line("Why reverse mode wins when there are many inputs (a loss has millions of weights, one output):");
        context.Line("operation counts for a neuron σ(Σ wᵢxᵢ) with n weights, from the engine's schedules.");
        var costs = new List<ModeCost>();
        foreach (int n in new[] { 3, 10, 100, 1000 })
        {
            costs.Add(Cost(n));
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in costs)
        {
            rows.Add(new[]
            {
                c.Inputs.ToString(CultureInfo.InvariantCulture),
                c.Primal.ToString("N0", CultureInfo.InvariantCulture),
                c.ForwardMode.ToString("N0", CultureInfo.InvariantCulture),
                c.ReverseMode.ToString("N0", CultureInfo.InvariantCulture),
                ((double)c.ReverseMode / c.Primal).ToString("F1", CultureInfo.InvariantCulture) + "×",
                ((double)c.ForwardMode / c.ReverseMode).ToString("F0", CultureInfo.InvariantCulture) + "×",
            });
        }

        context.Table(new[] { "n inputs", "f alone", "forward: n sweeps", "reverse: 1 sweep", "reverse / f", "forward / reverse" }, rows);
        context.Line("Reverse mode costs a small constant times f, whatever n is; forward mode costs n times f.");
        context.Line("Forward mode wins the other way round: few inputs, many outputs (a Jacobian column per sweep).");
        return new ForwardVersusReverseResult(p, forward, reverse, costs);
    }

    /// <summary>Counts the operations (schedule instructions) of f, of n tangent sweeps and of one reverse sweep.</summary>
    public static ModeCost Cost(int n)
    {
        var graph = new Graph();
        var weights = new Node[n];
        var tangents = new Node?[n];
        var terms = new Node[n];
        for (int i = 0; i < n; i++)
        {
            weights[i] = graph.Var("w" + i);
            tangents[i] = graph.Var("t" + i);
            terms[i] = weights[i] * (1.0 + i / (double)n);
        }

        Node f = graph.Sigmoid(graph.Sum(terms));
        int primal = new Schedule(new[] { f }, weights).Length;

        // One sweep of forward mode: f and its directional derivative along a symbolic tangent t.
        Node tangent = Derivatives.Tangent(f, weights, tangents);
        var allInputs = new List<Node>(graph.Variables);
        int oneTangentSweep = new Schedule(new[] { f, tangent }, allInputs).Length;

        // Reverse mode: f and all n partials in one schedule.
        var outputs = new List<Node> { f };
        outputs.AddRange(Derivatives.Gradient(f, weights));
        int reverse = new Schedule(outputs, weights).Length;
        return new ModeCost(n, primal, n * oneTangentSweep, reverse);
    }

    private static double MaxDifference(double[] a, double[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
