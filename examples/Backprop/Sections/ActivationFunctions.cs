using System;
using System.Collections.Generic;
using System.Globalization;
using DiffGen.Nn;
using DiffGen.Plotting;

namespace DiffGen.Examples.Backprop;

/// <summary>What section 3 computed.</summary>
/// <param name="Points">The x values of the table.</param>
/// <param name="Rows">One row per activation: its name, f and f' at <paramref name="Points"/>.</param>
/// <param name="LargestDisagreement">max |closed-form f' − generated f'| over a fine grid on [−4, 4], all activations.</param>
/// <param name="SvgPath">out/activations.svg (also activations.png).</param>
public sealed record ActivationsResult(double[] Points, IReadOnlyList<ActivationRow> Rows, double LargestDisagreement, string SvgPath);

/// <summary>One activation in the table.</summary>
public sealed record ActivationRow(string Name, double[] Values, double[] Derivatives);

/// <summary>Section 3: the activations, their derivatives, and a picture of both.</summary>
public static class ActivationFunctions
{
    private delegate double GeneratedGradient(double x, out double dx);

    private sealed record Activation(string Name, string Formula, Func<double, double> F, Func<double, double> Derivative, GeneratedGradient Generated);

    private static readonly Activation[] All =
    {
        new("sigmoid", "σ(x) = 1/(1+e⁻ˣ);  σ' = σ(1−σ)", Activations.Sigmoid, Activations.SigmoidDerivative, ActivationModels.SigmoidGradient),
        new("tanh", "tanh x;  tanh' = 1 − tanh²", Activations.Tanh, Activations.TanhDerivative, ActivationModels.TanhGradient),
        new("relu", "max(0, x);  relu' = [x > 0]", Activations.Relu, Activations.ReluDerivative, ActivationModels.ReluGradient),
        new("leaky relu", "x>0 ? x : 0.1x;  ' = x>0 ? 1 : 0.1", x => Activations.LeakyRelu(x, 0.1), x => Activations.LeakyReluDerivative(x, 0.1), ActivationModels.LeakyReluGradient),
        new("elu", "x>0 ? x : eˣ−1;  ' = x>0 ? 1 : eˣ", x => Activations.Elu(x), x => Activations.EluDerivative(x), ActivationModels.EluGradient),
        new("gelu", "x·Φ(x) = ½x(1 + erf(x/√2))", Activations.Gelu, Activations.GeluDerivative, ActivationModels.GeluGradient),
        new("softplus", "log(1+eˣ);  ' = σ(x)", Activations.Softplus, Activations.SoftplusDerivative, ActivationModels.SoftplusGradient),
        new("swish", "x·σ(x);  ' = σ + x·σ(1−σ)", Activations.Swish, Activations.SwishDerivative, ActivationModels.SwishGradient),
    };

    /// <summary>Runs the section.</summary>
    public static ActivationsResult Run(SectionContext context)
    {
        context.Heading("3. Activation functions and their derivatives");
        double[] points = { -2, -1, 0, 1, 2 };
        var rows = new List<ActivationRow>();
        var cells = new List<IReadOnlyList<string>>();
        double largestDisagreement = 0;
        foreach (var activation in All)
        {
            var values = new double[points.Length];
            var derivatives = new double[points.Length];
            var row = new List<string> { activation.Name };
            for (int i = 0; i < points.Length; i++)
            {
                values[i] = activation.F(points[i]);
                derivatives[i] = activation.Derivative(points[i]);
                row.Add($"{values[i],7:F3} │ {derivatives[i]:F3}");
            }

            // The generated derivative and the library's closed form are independent; they must agree.
            for (double x = -4; x <= 4; x += 0.01)
            {
                activation.Generated(x, out double generated);
                largestDisagreement = Math.Max(largestDisagreement, Math.Abs(generated - activation.Derivative(x)));
            }

            rows.Add(new ActivationRow(activation.Name, values, derivatives));
            cells.Add(row);
        }

        var headers = new List<string> { "f(x) │ f'(x)" };
        foreach (double p in points)
        {
            headers.Add("x = " + p.ToString(CultureInfo.InvariantCulture));
        }

        context.Table(headers, cells);
        foreach (var activation in All)
        {
            context.Line($"  {activation.Name,-10} {activation.Formula}");
        }

        context.Line("relu'(0) = 0 and leaky relu'(0) = α, as in PyTorch: at a kink the library picks one side.");
        context.Line($"Closed-form derivative vs the generator's derivative, 801 points on [−4, 4]: largest |difference| = {Numbers.Sci(largestDisagreement)}");

        string svgPath = context.WriteFigure("activations", Plot());
        return new ActivationsResult(points, rows, largestDisagreement, svgPath);
    }

    /// <summary>One small panel per activation: f solid blue, f' dashed red.</summary>
    private static Figure Plot()
    {
        var plots = new List<ScottPlot.Plot>();
        foreach (var activation in All)
        {
            var plot = new ScottPlot.Plot();
            var f = Line(plot, Sample(activation.F), ScottPlot.Colors.SteelBlue, "f");
            var derivative = Line(plot, Sample(activation.Derivative), ScottPlot.Colors.Crimson, "f'");
            derivative.LinePattern = ScottPlot.LinePattern.Dashed;
            plot.Title(activation.Name);
            plot.Axes.SetLimits(-3, 3, -1.5, 3);
            plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray);
            plot.Add.VerticalLine(0, 1, ScottPlot.Colors.Gray);
            plots.Add(plot);
        }

        plots[0].ShowLegend(ScottPlot.Alignment.UpperLeft);
        return Figure.Grid(plots, columns: 4, panelWidth: 300, panelHeight: 230);
    }

    private static ScottPlot.Plottables.Scatter Line(ScottPlot.Plot plot, IEnumerable<(double X, double Y)> points, ScottPlot.Color color, string label)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var (x, y) in points)
        {
            xs.Add(x);
            ys.Add(y);
        }

        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.LegendText = label;
        return line;
    }

    private static IEnumerable<(double, double)> Sample(Func<double, double> f)
    {
        // Step through 0 exactly twice (from each side) so the jumps of relu' and step' draw as vertical lines.
        for (int i = -300; i <= 300; i++)
        {
            double x = i / 100.0;
            if (i == 0)
            {
                yield return (0, f(-1e-12));
                yield return (0, f(1e-12));
                continue;
            }

            yield return (x, f(x));
        }
    }
}
