using System;
using System.Linq;
using DiffGen.Examples.Backprop;

namespace DiffGen.Examples.Tests;

/// <summary>The numbers each section prints are the numbers the lectures promise.</summary>
[Collection(SectionCollection.Name)]
public sealed class SectionTests
{
    private readonly SectionFixture run;

    public SectionTests(SectionFixture run) => this.run = run;

    [Fact]
    public void Chain_rule_gives_the_circuit_gradient_of_the_slides()
    {
        Assert.Equal(-12.0, run.ChainRule.Value);
        Assert.Equal(new[] { -4.0, -4.0, 3.0 }, run.ChainRule.Gradient);
        Assert.Equal(run.ChainRule.Gradient, run.ChainRule.GraphGradient);
    }

    [Fact]
    public void Sigmoid_neuron_gradient_matches_the_slides()
    {
        double sigma = 1 / (1 + Math.Exp(-1.0));
        Assert.Equal(sigma, run.Neuron.Output, 15);
        Assert.Equal(sigma * (1 - sigma), run.Neuron.SigmoidSlope, 15);
        // Slides: dw ≈ (−0.20, −0.39, 0.20), dx ≈ (0.39, −0.59).
        AssertClose(new[] { -0.196612, -0.393224, 0.196612 }, run.Neuron.WeightGradient, 1e-6);
        AssertClose(new[] { 0.393224, -0.589836 }, run.Neuron.InputGradient, 1e-6);
        // ∂f/∂wᵢ = σ'(z)·xᵢ exactly as the text explains.
        AssertClose(new[] { -1 * run.Neuron.SigmoidSlope, -2 * run.Neuron.SigmoidSlope, run.Neuron.SigmoidSlope }, run.Neuron.WeightGradient, 1e-15);
        Assert.StartsWith("\\frac{1}{1 + e^{", run.Neuron.Latex);
        Assert.Contains("dw0 = ", run.Neuron.GradientCode);
        Assert.Contains("dx1 = ", run.Neuron.GradientCode);
    }

    [Fact]
    public void Activation_table_uses_the_library_derivatives_and_the_generator_agrees()
    {
        Assert.True(run.Activations.LargestDisagreement < 1e-12, $"closed form vs generated: {run.Activations.LargestDisagreement:G3}");
        int zero = Array.IndexOf(run.Activations.Points, 0.0);
        var byName = run.Activations.Rows.ToDictionary(r => r.Name);
        Assert.Equal(0.25, byName["sigmoid"].Derivatives[zero], 15);
        Assert.Equal(1.0, byName["tanh"].Derivatives[zero], 15);
        Assert.Equal(0.0, byName["relu"].Derivatives[zero]);          // PyTorch's convention at the kink
        Assert.Equal(0.1, byName["leaky relu"].Derivatives[zero], 15);
        Assert.Equal(Math.Log(2), byName["softplus"].Values[zero], 15);
    }

    [Fact]
    public void Forward_mode_per_unit_vector_equals_one_reverse_call_and_reverse_mode_scales()
    {
        AssertClose(run.Modes.ReverseGradient, run.Modes.ForwardGradient, 1e-12);
        foreach (var cost in run.Modes.Costs)
        {
            // Reverse mode: a small constant times f, independent of n.
            Assert.True(cost.ReverseMode <= 2 * cost.Primal, $"n = {cost.Inputs}: reverse {cost.ReverseMode} vs f {cost.Primal}");
            // Forward mode: n sweeps, each at least as long as f.
            Assert.True(cost.ForwardMode >= cost.Inputs * cost.Primal, $"n = {cost.Inputs}: forward {cost.ForwardMode}");
        }

        var largest = run.Modes.Costs.Last();
        Assert.Equal(1000, largest.Inputs);
        Assert.True(largest.ForwardMode > 500 * largest.ReverseMode);
    }

    [Fact]
    public void Numerical_derivatives_have_the_textbook_optimal_steps_and_complex_step_is_flat()
    {
        Assert.True(Math.Abs(run.Numerical.Generated - run.Numerical.Exact) < 1e-14);
        var at = run.Numerical.Errors.ToDictionary(e => e.Step);
        Assert.True(at[1e-20].ComplexStep < 1e-15, $"complex step at 1e−20: {at[1e-20].ComplexStep:G3}");
        foreach (var e in run.Numerical.Errors.Where(e => e.Step <= 1e-8))
        {
            Assert.True(e.ComplexStep < 1e-14, $"complex step at {e.Step:G1}: {e.ComplexStep:G3}");
        }

        // One-sided best near √ε ≈ 1.5e−8, central near ∛ε ≈ 6e−6 (within a decade).
        Assert.InRange(run.Numerical.BestOneSidedStep, 1e-9, 1e-7);
        Assert.InRange(run.Numerical.BestCentralStep, 1e-7, 1e-4);
        Assert.True(at[run.Numerical.BestCentralStep].Central < at[run.Numerical.BestOneSidedStep].OneSided / 100);
        // Past h ≈ 1e−16, x + h == x: the one-sided difference is 0 and the error is |f'| itself.
        Assert.Equal(run.Numerical.Exact, at[1e-20].OneSided);
        Assert.True(run.Numerical.LibraryErrors.ComplexStep < 1e-15);
        Assert.True(run.Numerical.LibraryErrors.Central < 1e-9);
        Assert.True(run.Numerical.LibraryErrors.Forward < 1e-6);
    }

    [Fact]
    public void Momentum_and_Adam_reach_the_bottom_of_Rosenbrock_and_SGD_crawls()
    {
        var runs = run.Descent.Runs.ToDictionary(r => r.Name.Split(' ')[0]);
        int last = run.Descent.Checkpoints.Length - 1;
        // Measured after 5000 steps: Adam 1e−23, Momentum 2e−10, Nesterov 2e−10, RMSProp 3e−6, AdaGrad 1e−4, SGD 4e−3.
        Assert.True(runs["Adam"].LossAfter[last] < 1e-15, $"Adam: {runs["Adam"].LossAfter[last]:G3}");
        Assert.True(runs["Momentum"].LossAfter[last] < 1e-8);
        Assert.True(runs["Nesterov"].LossAfter[last] < 1e-8);
        Assert.True(runs["RMSProp"].LossAfter[last] < 1e-4);
        Assert.True(runs["AdaGrad"].LossAfter[last] < 1e-3);
        Assert.InRange(runs["SGD"].LossAfter[last], 1e-4, 1e-1);
        Assert.Equal(1.0, runs["Adam"].Final.X, 6);
        Assert.Equal(1.0, runs["Adam"].Final.Y, 6);
        foreach (var r in run.Descent.Runs)
        {
            Assert.True(r.LossAfter[last] < r.LossAfter[0], $"{r.Name} did not descend");
        }
    }

    [Fact]
    public void Matrix_identity_matches_the_graph_gradient_and_needs_symmetry()
    {
        double scale = run.Matrix.ClosedForm.Max(Math.Abs);
        Assert.True(run.Matrix.LargestDifference < 1e-13 * scale, $"difference {run.Matrix.LargestDifference:G3}");
        Assert.True(run.Matrix.NonSymmetricNaiveError > 1, $"naive formula error {run.Matrix.NonSymmetricNaiveError:G3}");
        Assert.True(run.Matrix.NonSymmetricGeneralError < 1e-12, $"general formula error {run.Matrix.NonSymmetricGeneralError:G3}");
    }

    [Fact]
    public void Network_learns_the_two_spirals()
    {
        var network = run.Network;
        Assert.Equal(337, network.ParameterCount);
        Assert.True(network.GradientCheckError < 1e-5, $"tape vs central differences: {network.GradientCheckError:G3}");
        // Measured with the default settings (seed 1, 120 epochs): train 99.8 %, test 100 % of 100 points.
        Assert.True(network.FinalTrainAccuracy >= 0.97, $"train accuracy {network.FinalTrainAccuracy:P1}");
        Assert.True(network.FinalTestAccuracy >= 0.95, $"test accuracy {network.FinalTestAccuracy:P1}");
        // It starts near chance, so the accuracy really comes from training.
        Assert.True(network.History[0].TestAccuracy < 0.75);
        Assert.True(network.History[^1].Loss < network.History[0].Loss / 10);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
