using System;
using System.Collections.Generic;
using System.Globalization;
using DiffGen.Nn;
using DiffGen.Plotting;

namespace DiffGen.Examples.Backprop;

/// <summary>One optimizer's run on Rosenbrock.</summary>
/// <param name="Name">Optimizer and settings.</param>
/// <param name="LossAfter">f after each of <see cref="GradientDescent.Checkpoints"/> steps.</param>
/// <param name="Final">(x, y) after the last step.</param>
/// <param name="Checkpoints">(x, y) after each of <see cref="GradientDescent.Checkpoints"/> steps.</param>
public sealed record DescentRun(string Name, double[] LossAfter, (double X, double Y) Final, (double X, double Y)[] Checkpoints);

/// <summary>What section 6 computed.</summary>
/// <param name="Checkpoints">The step counts reported.</param>
/// <param name="Runs">One run per optimizer.</param>
/// <param name="SvgPath">out/descent.svg (also descent.png).</param>
public sealed record GradientDescentResult(int[] Checkpoints, IReadOnlyList<DescentRun> Runs, string SvgPath);

/// <summary>Section 6: gradient descent and its variants on Rosenbrock's valley, with a generated gradient.</summary>
public static class GradientDescent
{
    /// <summary>Step counts at which the loss is reported.</summary>
    public static readonly int[] Checkpoints = { 10, 100, 1000, 5000 };

    private static readonly (double X, double Y) Start = (-1.2, 1.0);

    private static readonly string[] Colors = { "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628" };


    /// <summary>Runs the section.</summary>
    public static GradientDescentResult Run(SectionContext context)
    {
        context.Heading("6. Gradient descent and its variants on Rosenbrock: f = (1 − x)² + 100(y − x²)²");
        context.Line($"Start ({Start.X}, {Start.Y}), f = {Models.Rosenbrock(Start.X, Start.Y):F1}; minimum f = 0 at (1, 1) at the end of a long curved valley.");
        context.Line("Each step calls the generated RosenbrockGradient, then the optimizer's update rule:");
        context.Line("  SGD       θ ← θ − η·g");
        context.Line("  Momentum  v ← μv + g;  θ ← θ − η·v                 (rolls along the valley)");
        context.Line("  Nesterov  the same, with the gradient taken after the look-ahead step");
        context.Line("  AdaGrad   s ← s + g²;  θ ← θ − η·g/√s               (per-coordinate steps that shrink)");
        context.Line("  RMSProp   s ← ρs + (1−ρ)g²;  θ ← θ − η·g/√s         (a forgetting AdaGrad)");
        context.Line("  Adam      momentum of g and of g², bias-corrected   (the default in deep learning)");

        var optimizers = new (string Name, Func<IOptimizer> Create)[]
        {
            ("SGD η=1e−3", () => new Sgd(2, 1e-3)),
            ("Momentum η=5e−4 μ=0.9", () => new Momentum(2, 5e-4)),
            ("Nesterov η=5e−4 μ=0.9", () => new Nesterov(2, 5e-4)),
            ("AdaGrad η=0.5", () => new AdaGrad(2, 0.5)),
            ("RMSProp η=1e−2·0.999ᵗ", () => new RmsProp(2, new ExponentialDecay(1e-2, 0.999))),
            ("Adam η=2e−2", () => new Adam(2, 2e-2)),
        };

        var runs = new List<DescentRun>();
        var paths = new List<List<(double, double)>>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, create) in optimizers)
        {
            var (run, path) = Descend(name, create());
            runs.Add(run);
            paths.Add(path);
            var row = new List<string> { name };
            foreach (double loss in run.LossAfter)
            {
                row.Add(Numbers.Sci(loss, 2));
            }

            row.Add($"({run.Final.X:F4}, {run.Final.Y:F4})");
            rows.Add(row);
        }

        var headers = new List<string> { "optimizer" };
        foreach (int n in Checkpoints)
        {
            headers.Add($"f after {n}");
        }

        headers.Add("(x, y) at the end");
        context.Table(headers, rows);
        context.Line("SGD's step is limited by the steep walls (η·curvature < 2), so it crawls along the flat valley floor;");
        context.Line("momentum and the adaptive methods take much longer strides there.");
        string svgPath = context.WriteFigure("descent", Plot(runs, paths));
        return new GradientDescentResult(Checkpoints, runs, svgPath);
    }

    private static (DescentRun Run, List<(double, double)> Path) Descend(string name, IOptimizer optimizer)
    {
        double[] theta = { Start.X, Start.Y };
        double[] gradient = new double[2];
        var losses = new double[Checkpoints.Length];
        var positions = new (double, double)[Checkpoints.Length];
        var path = new List<(double, double)> { (theta[0], theta[1]) };
        int last = Checkpoints[^1];
        for (int step = 1; step <= last; step++)
        {
            Models.RosenbrockGradient(theta[0], theta[1], out gradient[0], out gradient[1]);
            optimizer.Step(theta, gradient);
            // Every step early on (where the paths differ most), then every tenth.
            if (step <= 200 || step % 10 == 0)
            {
                path.Add((theta[0], theta[1]));
            }

            int checkpoint = Array.IndexOf(Checkpoints, step);
            if (checkpoint >= 0)
            {
                losses[checkpoint] = Models.Rosenbrock(theta[0], theta[1]);
                positions[checkpoint] = (theta[0], theta[1]);
            }
        }

        return (new DescentRun(name, losses, (theta[0], theta[1]), positions), path);
    }

    private static Figure Plot(IReadOnlyList<DescentRun> runs, List<List<(double, double)>> paths)
    {
        const double xMin = -1.6, xMax = 1.4, yMin = -0.4, yMax = 2.0;
        var plot = new ScottPlot.Plot();

        // Background: log(1 + f), so the curved valley shows; row 0 of a heatmap is its top.
        const int cellsX = 150, cellsY = 120;
        var shade = new double[cellsY, cellsX];
        for (int j = 0; j < cellsY; j++)
        {
            for (int i = 0; i < cellsX; i++)
            {
                double x = xMin + (i + 0.5) * (xMax - xMin) / cellsX, y = yMax - (j + 0.5) * (yMax - yMin) / cellsY;
                shade[j, i] = Math.Log(1 + Models.Rosenbrock(x, y));
            }
        }

        var heatmap = plot.Add.Heatmap(shade);
        heatmap.Extent = new ScottPlot.CoordinateRect(xMin, xMax, yMin, yMax);
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.Opacity = 0.45;

        for (int k = 0; k < runs.Count; k++)
        {
            var color = ScottPlot.Color.FromHex(Colors[k % Colors.Length]);
            var xs = paths[k].ConvertAll(p => p.Item1).ToArray();
            var ys = paths[k].ConvertAll(p => p.Item2).ToArray();
            var path = plot.Add.ScatterLine(xs, ys, color);
            path.LineWidth = 1.8f;
            path.LegendText = runs[k].Name;
            foreach (var (x, y) in runs[k].Checkpoints)
            {
                plot.Add.Marker(x, y, ScottPlot.MarkerShape.FilledCircle, 7, color);
            }
        }

        plot.Add.Marker(Start.X, Start.Y, ScottPlot.MarkerShape.FilledCircle, 10, ScottPlot.Colors.Black);
        plot.Add.Marker(1, 1, ScottPlot.MarkerShape.FilledDiamond, 12, ScottPlot.Colors.Gold);
        plot.Title("Rosenbrock: 5000 steps from (−1.2, 1) towards (1, 1); dots after 10, 100, 1000 steps");
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return new Figure(plot, 800, 640);
    }
}
