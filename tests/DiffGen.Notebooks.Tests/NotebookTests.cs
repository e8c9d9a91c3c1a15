using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace DiffGen.Notebooks.Tests;

/// <summary>
/// Every notebook runs cell by cell with the C# kernel (any failing cell fails its test), then its key
/// numbers are read from the kernel's state and checked against the lectures and closed forms.
/// </summary>
[Collection(nameof(NotebookTests))]
public sealed class NotebookTests
{
    private readonly ITestOutputHelper _output;

    public NotebookTests(ITestOutputHelper output) => _output = output;

    private async Task<NotebookRun> Run(string fileName)
    {
        var run = await NotebookRun.ExecuteAsync(fileName);
        _output.WriteLine($"{fileName}: {run.CodeCells} code cells in {run.Elapsed.TotalSeconds:F1} s");
        return run;
    }

    /// <summary>When rewriting the notebooks, also refresh the README's pictures (notebooks/images).</summary>
    private static async Task SaveImage(NotebookRun run, string figureExpression, string fileName)
    {
        if (NotebookRun.WriteOutputs)
        {
            string path = System.IO.Path.Combine(NotebookRun.NotebooksDirectory, "images", fileName);
            await run.ValueAsync<string>($"{figureExpression}.Save(@\"{path}\")");
        }
    }

    [Fact]
    public async Task Chain_rule_and_neuron()
    {
        using var run = await Run("01-chain-rule-and-neuron.ipynb");
        Assert.Equal(new[] { -4.0, -4.0, 3.0 }, await run.ValueAsync<double[]>("circuitGradient"));
        var neuron = await run.ValueAsync<double[]>("neuronGradient");
        double[] lecture = { -0.20, -0.39, 0.20, 0.39, -0.59 };
        for (int i = 0; i < lecture.Length; i++)
        {
            Assert.Equal(lecture[i], Math.Round(neuron[i], 2));
        }

        // σ(1)(1 − σ(1)) times the inputs and weights, in closed form.
        double s = 1 / (1 + Math.Exp(-1.0)), local = s * (1 - s);
        double[] exact = { -local, -2 * local, local, 2 * local, -3 * local };
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.Equal(exact[i], neuron[i], 1e-15);
        }

        Assert.True(await run.ValueAsync<double>("largestDifference") < 1e-15);
        await SaveImage(run, "circuit.ToFigure(-2, 5, -4)", "circuit.png");
    }

    [Fact]
    public async Task Activation_functions()
    {
        using var run = await Run("02-activation-functions.ipynb");
        Assert.True(await run.ValueAsync<double>("worstDisagreement") < 1e-12);
        // σ′(10) = e⁻¹⁰/(1 + e⁻¹⁰)², without the cancellation of σ(1 − σ).
        double e = Math.Exp(-10.0);
        Assert.Equal(e / ((1 + e) * (1 + e)), await run.ValueAsync<double>("sigmoidSlopeAt10"), 1e-19);
        var chain = await run.ValueAsync<double[]>("chainGradient");
        for (int n = 1; n <= chain.Length; n++)
        {
            Assert.InRange(chain[n - 1], 0, Math.Pow(0.25, n));
        }

        var dead = await run.ValueAsync<double[]>("deadFraction");
        Assert.True(dead[0] < 0.2, $"b = 1: {dead[0]}");
        Assert.Equal(1.0, dead[^1]);
        Assert.Equal(new[] { 0.25, -2.0 }, await run.ValueAsync<double[]>("preluAtMinus2"));
        Assert.True(await run.ValueAsync<double>("largestRowSum") < 1e-15);
        Assert.True(await run.ValueAsync<double>("worstJacobianError") < 1e-15);
    }

    [Fact]
    public async Task Forward_and_reverse_mode()
    {
        using var run = await Run("03-forward-and-reverse-mode.ipynb");
        Assert.True(await run.ValueAsync<double>("modesDisagree") < 1e-14);
        Assert.True(await run.ValueAsync<double>("handDisagrees") < 1e-13);
        var reverse = await run.ValueAsync<double[]>("reverse");
        Assert.Equal(reverse[2], await run.ValueAsync<double>("dualDerivative"), 1e-14);
        // The cheap gradient principle: reverse mode within a small constant of f, forward mode about n times.
        Assert.InRange(await run.ValueAsync<double>("reverseRatioAt200"), 1.0, 6.0);
        Assert.True(await run.ValueAsync<double>("forwardRatioAt200") > 100);
    }

    [Fact]
    public async Task Numerical_derivatives()
    {
        using var run = await Run("04-numerical-derivatives.ipynb");
        Assert.True(await run.ValueAsync<double>("complexStepWorstBelow1e8") < 1e-14);
        var oneSided = await run.ValueAsync<double[]>("oneSided");
        var central = await run.ValueAsync<double[]>("central");
        // The sweet spots: one-sided near √ε (h = 1e-7 … 1e-9), central near ∛ε (1e-4 … 1e-6).
        int bestOneSided = Array.IndexOf(oneSided, oneSided.Min()) + 1, bestCentral = Array.IndexOf(central, central.Min()) + 1;
        Assert.InRange(bestOneSided, 7, 9);
        Assert.InRange(bestCentral, 4, 6);
        Assert.False(await run.ValueAsync<bool>("buggyPassed"));
        Assert.Equal(1, await run.ValueAsync<int>("caughtIndex"));
        Assert.True(await run.ValueAsync<bool>("automaticPassed"));
        Assert.True(await run.ValueAsync<double>("automaticComplexError") < 1e-14);
    }

    [Fact]
    public async Task Optimizers()
    {
        using var run = await Run("06-optimizers.ipynb");
        var final = await run.ValueAsync<System.Collections.Generic.Dictionary<string, double>>("finalLoss");
        // From f(−1.2, 1) = 24.2: every method descends; momentum and Adam end near the minimum, SGD is still in the valley.
        Assert.All(final.Values, v => Assert.True(v < 24.2));
        Assert.True(final["momentum η=5e−4, μ=0.9"] < 1e-3, $"momentum: {final["momentum η=5e−4, μ=0.9"]}");
        Assert.True(final["Adam η=2e−2"] < 1e-3, $"Adam: {final["Adam η=2e−2"]}");
        Assert.True(final["SGD η=1e−3"] > 10 * final["momentum η=5e−4, μ=0.9"]);
        var escape = await run.ValueAsync<System.Collections.Generic.Dictionary<string, int>>("escapeStep");
        Assert.True(escape["Adam η=0.05"] > 0 && escape["Adam η=0.05"] < escape["SGD η=0.05"], $"Adam {escape["Adam η=0.05"]}, SGD {escape["SGD η=0.05"]}");
        Assert.True(escape["momentum η=0.05, μ=0.9"] > 0 && escape["momentum η=0.05, μ=0.9"] < escape["SGD η=0.05"]);
    }

    [Fact]
    public async Task Playground()
    {
        using var run = await Run("07-playground.ipynb");
        Assert.True(await run.ValueAsync<double>("spiralTestAccuracy") >= 0.95);
        await SaveImage(run, "Picture(\"spiral\", spiralNet, spiralSplit, spiralHistory)", "spiral.png");
        Assert.True(await run.ValueAsync<double>("xorLinearAccuracy") < 0.75);
        Assert.True(await run.ValueAsync<double>("xorHiddenAccuracy") >= 0.95);
        Assert.True(await run.ValueAsync<double>("fitWorstError") < 0.1);
    }

    [Fact]
    public async Task Matrix_calculus()
    {
        using var run = await Run("05-matrix-calculus.ipynb");
        Assert.True(await run.ValueAsync<double>("quadraticProductError") < 1e-12);
        Assert.True(await run.ValueAsync<double>("symmetricFormulaError") > 0.1);
        Assert.True(await run.ValueAsync<double>("cubeGradientError") < 1e-14);
        Assert.True(await run.ValueAsync<double>("cubeHessianError") < 1e-14);
        Assert.True(await run.ValueAsync<double>("detGradientError") < 1e-12 * Math.Max(1, await run.ValueAsync<double>("detScale")));
    }

    [Fact]
    public async Task Regularization()
    {
        using var run = await Run("08-regularization.ipynb");
        double plain = await run.ValueAsync<double>("plainTest");
        Assert.True(await run.ValueAsync<double>("l2Test") < plain);
        Assert.True(await run.ValueAsync<double>("l1Test") < plain);
        Assert.True(await run.ValueAsync<int>("l1Small") > 0);
        Assert.True(await run.ValueAsync<double>("bestTest") < plain);
        Assert.True(await run.ValueAsync<int>("bestStep") < await run.ValueAsync<int>("stoppedAt"));
        Assert.True(await run.ValueAsync<double>("dropoutTest") < plain);
        Assert.True(await run.ValueAsync<double>("maxNormLength") <= 5 + 1e-12);
        Assert.True(await run.ValueAsync<double>("maxNormTest") < plain);
        Assert.True(await run.ValueAsync<double>("normalizedFinal") < 1e-3 * await run.ValueAsync<double>("rawFinal"));
        Assert.True(await run.ValueAsync<int>("blewUpAt") >= 0);
        Assert.True(await run.ValueAsync<double>("clippedFinal") < 1e-3);
    }
}
