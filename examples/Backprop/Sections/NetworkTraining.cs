using System;
using System.Collections.Generic;
using System.Globalization;
using DiffGen.Data;
using DiffGen.Nn;
using DiffGen.Plotting;

namespace DiffGen.Examples.Backprop;

/// <summary>Accuracy after some epochs.</summary>
public sealed record EpochReport(int Epoch, double Loss, double TrainAccuracy, double TestAccuracy);

/// <summary>What section 8 computed.</summary>
/// <param name="Dataset">Which playground data set.</param>
/// <param name="ParameterCount">Weights and biases of the network.</param>
/// <param name="History">Loss and accuracies every few epochs (the last entry is the final model).</param>
/// <param name="GradientCheckError">Largest relative |tape − central difference| over a sample of parameters, on one batch.</param>
/// <param name="SvgPath">out/decision.svg (also decision.png).</param>
public sealed record NetworkTrainingResult(PlaygroundDataset Dataset, int ParameterCount, IReadOnlyList<EpochReport> History,
    double GradientCheckError, string SvgPath)
{
    /// <summary>Test accuracy of the final model.</summary>
    public double FinalTestAccuracy => History[^1].TestAccuracy;

    /// <summary>Training accuracy of the final model.</summary>
    public double FinalTrainAccuracy => History[^1].TrainAccuracy;
}

/// <summary>Section 8: a 2-hidden-layer network trained by backpropagation on the reverse-mode tape.</summary>
public static class NetworkTraining
{
    /// <summary>Settings of the run (defaults are what the example prints).</summary>
    public sealed record Settings(PlaygroundDataset Dataset = PlaygroundDataset.Spiral, int Samples = 500, double Noise = 0.0,
        int Hidden = 16, int Epochs = 120, int BatchSize = 16, double LearningRate = 0.03, int ReportEvery = 20, int Seed = 1);

    /// <summary>Runs the section with the default settings.</summary>
    public static NetworkTrainingResult Run(SectionContext context) => Run(context, new Settings());

    /// <summary>Runs the section.</summary>
    public static NetworkTrainingResult Run(SectionContext context, Settings settings)
    {
        context.Heading($"8. Training a 2-hidden-layer network on the playground's {settings.Dataset} data");
        var split = Playground.Generate(settings.Dataset, settings.Samples, settings.Noise, trainRatio: 0.8, seed: settings.Seed);
        var network = new Mlp(settings.Hidden, settings.Seed);
        context.Line($"{split.Train.Count} training and {split.Test.Count} test points; network 2 → {settings.Hidden} tanh → {settings.Hidden} tanh → 1 logit, {network.ParameterCount} parameters.");
        context.Line("Loss: binary cross-entropy on the logit z, ℓ = log(1 + eᶻ) − y·z (written stably); p = σ(z).");
        context.Line($"Each mini-batch of {settings.BatchSize} is recorded on a DiffGen.Tape, Backward() gives ∂ℓ/∂θ for all parameters in one sweep, Adam(η = {settings.LearningRate}) updates θ.");

        var tape = new Tape(1 << 16);
        var gradient = new double[network.ParameterCount];
        var optimizer = new Adam(network.ParameterCount, settings.LearningRate);
        var batches = new BatchIterator(split.Train, settings.BatchSize, settings.Seed);
        double gradientCheckError = CheckGradient(network, tape, split.Train);
        context.Line($"Before training, tape gradient vs central differences on one batch: largest relative difference {Numbers.Sci(gradientCheckError)}.");

        var history = new List<EpochReport>();
        var rows = new List<IReadOnlyList<string>>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            double lossSum = 0;
            int batchCount = 0;
            foreach (var batch in batches.NextEpoch())
            {
                lossSum += network.LossAndGradient(tape, batch.Features, batch.Labels, gradient);
                optimizer.Step(network.Parameters, gradient);
                batchCount++;
            }

            if (epoch == 1 || epoch % settings.ReportEvery == 0 || epoch == settings.Epochs)
            {
                var report = new EpochReport(epoch, lossSum / batchCount, network.Accuracy(split.Train), network.Accuracy(split.Test));
                history.Add(report);
                rows.Add(new[]
                {
                    epoch.ToString(CultureInfo.InvariantCulture),
                    report.Loss.ToString("F4", CultureInfo.InvariantCulture),
                    report.TrainAccuracy.ToString("P1", CultureInfo.InvariantCulture),
                    report.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture),
                });
            }
        }

        context.Table(new[] { "epoch", "mean batch loss", "train accuracy", "test accuracy" }, rows);
        context.Line($"Trained in {started.Elapsed.TotalSeconds:F1} s.");
        string svgPath = context.WriteFigure("decision", Plot(network, split, settings.Dataset));
        return new NetworkTrainingResult(settings.Dataset, network.ParameterCount, history, gradientCheckError, svgPath);
    }

    /// <summary>
    /// Compares the tape's gradient with central differences of the loss for a few parameters of each
    /// layer, on the first 16 training points: backpropagation's own gradient check.
    /// </summary>
    private static double CheckGradient(Mlp network, Tape tape, Dataset train)
    {
        int rows = Math.Min(16, train.Count);
        var features = train.Features.Slice(0, 2 * rows).ToArray();
        var labels = train.Labels.Slice(0, rows).ToArray();
        var gradient = new double[network.ParameterCount];
        network.LossAndGradient(tape, features, labels, gradient);
        double worst = 0;
        for (int k = 0; k < network.ParameterCount; k += 7)
        {
            double saved = network.Parameters[k];
            double h = GradCheck.CentralStep(saved);
            network.Parameters[k] = saved + h;
            double plus = network.Loss(features, labels);
            network.Parameters[k] = saved - h;
            double minus = network.Loss(features, labels);
            network.Parameters[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            worst = Math.Max(worst, Math.Abs(numeric - gradient[k]) / Math.Max(1e-6, Math.Abs(numeric) + Math.Abs(gradient[k])));
        }

        return worst;
    }

    /// <summary>Decision regions (blue where p &gt; ½, orange elsewhere, paler near ½) with the points on top; test points ringed in black.</summary>
    private static Figure Plot(Mlp network, TrainTestSplit split, PlaygroundDataset dataset)
    {
        const int cells = 120;
        const double extent = 6;
        var probability = new double[cells, cells];
        for (int j = 0; j < cells; j++)
        {
            for (int i = 0; i < cells; i++)
            {
                double x = -extent + (i + 0.5) * 2 * extent / cells, y = extent - (j + 0.5) * 2 * extent / cells;
                probability[j, i] = network.Probability(x, y);
            }
        }

        var plot = new ScottPlot.Plot();
        var regions = plot.Add.Heatmap(probability);
        regions.Extent = new ScottPlot.CoordinateRect(-extent, extent, -extent, extent);
        regions.Colormap = PlaygroundColors;
        regions.ManualRange = new ScottPlot.Range(0, 1);
        var blue = ScottPlot.Color.FromHex("#0877bd");
        var orange = ScottPlot.Color.FromHex("#f59322");
        Points(plot, split.Train, blue, orange, ScottPlot.MarkerShape.FilledCircle, "train");
        Points(plot, split.Test, blue, orange, ScottPlot.MarkerShape.OpenCircle, "test (rings)");
        plot.Title($"{dataset}: decision regions (blue: label 1, orange: label 0)");
        plot.Axes.SetLimits(-extent, extent, -extent, extent);
        plot.Axes.SquareUnits();
        return new Figure(plot, 640, 660);
    }

    /// <summary>Playground colours: orange (#f59322) for p → 0, white at ½, blue (#0877bd) for p → 1, pale so points show.</summary>
    private static readonly ScottPlot.IColormap PlaygroundColors = new ScottPlot.Colormaps.CustomInterpolated(new[]
    {
        ScottPlot.Color.FromHex("#fbd3a7"), ScottPlot.Colors.White, ScottPlot.Color.FromHex("#9fc8e6"),
    });

    private static void Points(ScottPlot.Plot plot, Dataset data, ScottPlot.Color one, ScottPlot.Color zero, ScottPlot.MarkerShape shape, string label)
    {
        foreach (bool positive in new[] { true, false })
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int k = 0; k < data.Count; k++)
            {
                if (data.Label(k) > 0.5 == positive)
                {
                    var row = data.Row(k);
                    xs.Add(row[0]);
                    ys.Add(row[1]);
                }
            }

            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), shape, 6, positive ? one : zero);
            markers.LegendText = positive ? label : "";
        }
    }

    /// <summary>
    /// A 2 → H → H → 1 multilayer perceptron with tanh hidden units. The parameters live in one flat
    /// array, so the optimizer updates them all with one call.
    /// </summary>
    private sealed class Mlp
    {
        // Raw coordinates (about ±6) on purpose: large inputs let first-layer tanh units turn sharply, which the
        // spiral's tight turns need. Scaled to ±1, the same network stalled near 60 % accuracy for 300 epochs.
        private const double InputScale = 1.0;

        private readonly int hidden;
        private readonly int w1, b1, w2, b2, w3, b3;
        private readonly Var[] parameterVars;
        private readonly Var[] layer1;
        private readonly Var[] layer2;
        private readonly double[] hidden1;
        private readonly double[] hidden2;

        public Mlp(int hidden, int seed)
        {
            this.hidden = hidden;
            w1 = 0;
            b1 = w1 + 2 * hidden;
            w2 = b1 + hidden;
            b2 = w2 + hidden * hidden;
            w3 = b2 + hidden;
            b3 = w3 + hidden;
            ParameterCount = b3 + 1;
            Parameters = new double[ParameterCount];
            var random = new Random(seed);
            Initializers.XavierUniform(Parameters.AsSpan(w1, 2 * hidden), 2, hidden, random);
            Initializers.XavierUniform(Parameters.AsSpan(w2, hidden * hidden), hidden, hidden, random);
            Initializers.XavierUniform(Parameters.AsSpan(w3, hidden), hidden, 1, random);
            parameterVars = new Var[ParameterCount];
            layer1 = new Var[hidden];
            layer2 = new Var[hidden];
            hidden1 = new double[hidden];
            hidden2 = new double[hidden];
        }

        public int ParameterCount { get; }

        public double[] Parameters { get; }

        /// <summary>Mean loss over the batch, and its gradient with respect to every parameter (one backward sweep).</summary>
        public double LossAndGradient(Tape tape, ReadOnlySpan<double> features, ReadOnlySpan<double> labels, double[] gradient)
        {
            tape.Reset();
            for (int k = 0; k < ParameterCount; k++)
            {
                parameterVars[k] = tape.Variable(Parameters[k]);
            }

            Var total = tape.Variable(0);
            for (int n = 0; n < labels.Length; n++)
            {
                double x = features[2 * n] * InputScale, y = features[2 * n + 1] * InputScale;
                for (int j = 0; j < hidden; j++)
                {
                    layer1[j] = VarMath.Tanh(parameterVars[w1 + 2 * j] * x + parameterVars[w1 + 2 * j + 1] * y + parameterVars[b1 + j]);
                }

                for (int j = 0; j < hidden; j++)
                {
                    Var sum = parameterVars[b2 + j];
                    for (int i = 0; i < hidden; i++)
                    {
                        sum += parameterVars[w2 + j * hidden + i] * layer1[i];
                    }

                    layer2[j] = VarMath.Tanh(sum);
                }

                Var logit = parameterVars[b3];
                for (int i = 0; i < hidden; i++)
                {
                    logit += parameterVars[w3 + i] * layer2[i];
                }

                total += CrossEntropyWithLogit(logit, labels[n]);
            }

            Var mean = total / labels.Length;
            tape.Backward(mean);
            for (int k = 0; k < ParameterCount; k++)
            {
                gradient[k] = parameterVars[k].Grad;
            }

            return mean.Value;
        }

        /// <summary>log(1 + eᶻ) − y·z without overflow: for z &gt; 0 it is z + log(1 + e⁻ᶻ) − y·z.</summary>
        private static Var CrossEntropyWithLogit(Var z, double y) =>
            (z.Value > 0 ? z + VarMath.Log1p(VarMath.Exp(-z)) : VarMath.Log1p(VarMath.Exp(z))) - y * z;

        /// <summary>The logit in plain doubles (no tape): for predictions and pictures.</summary>
        public double Logit(double px, double py)
        {
            double x = px * InputScale, y = py * InputScale;
            for (int j = 0; j < hidden; j++)
            {
                hidden1[j] = Math.Tanh(Parameters[w1 + 2 * j] * x + Parameters[w1 + 2 * j + 1] * y + Parameters[b1 + j]);
            }

            for (int j = 0; j < hidden; j++)
            {
                double sum = Parameters[b2 + j];
                for (int i = 0; i < hidden; i++)
                {
                    sum += Parameters[w2 + j * hidden + i] * hidden1[i];
                }

                hidden2[j] = Math.Tanh(sum);
            }

            double logit = Parameters[b3];
            for (int i = 0; i < hidden; i++)
            {
                logit += Parameters[w3 + i] * hidden2[i];
            }

            return logit;
        }

        public double Probability(double x, double y) => Activations.Sigmoid(Logit(x, y));

        /// <summary>Mean loss in plain doubles, for the finite-difference check.</summary>
        public double Loss(ReadOnlySpan<double> features, ReadOnlySpan<double> labels)
        {
            double total = 0;
            for (int n = 0; n < labels.Length; n++)
            {
                double z = Logit(features[2 * n], features[2 * n + 1]);
                total += Activations.Softplus(z) - labels[n] * z;
            }

            return total / labels.Length;
        }

        public double Accuracy(Dataset data)
        {
            int correct = 0;
            for (int k = 0; k < data.Count; k++)
            {
                var row = data.Row(k);
                bool predicted = Logit(row[0], row[1]) > 0;
                correct += predicted == data.Label(k) > 0.5 ? 1 : 0;
            }

            return (double)correct / data.Count;
        }
    }
}
