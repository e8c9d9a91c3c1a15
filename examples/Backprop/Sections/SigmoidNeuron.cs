using System;
using System.Collections.Generic;
using System.Text;
using DiffGen.Expr;

namespace DiffGen.Examples.Backprop;

/// <summary>What section 2 computed.</summary>
/// <param name="Output">σ(w0·x0 + w1·x1 + w2) = σ(1) ≈ 0.731.</param>
/// <param name="WeightGradient">(∂f/∂w0, ∂f/∂w1, ∂f/∂w2) ≈ (−0.20, −0.39, 0.20).</param>
/// <param name="InputGradient">(∂f/∂x0, ∂f/∂x1) ≈ (0.39, −0.59).</param>
/// <param name="SigmoidSlope">σ(1)(1 − σ(1)) ≈ 0.197, the one number the backward pass multiplies by.</param>
/// <param name="Latex">The neuron as LaTeX (from the Expr graph).</param>
/// <param name="GradientCode">C# emitted by the engine for the gradient of the graph.</param>
public sealed record SigmoidNeuronResult(double Output, double[] WeightGradient, double[] InputGradient,
    double SigmoidSlope, string Latex, string GradientCode);

/// <summary>Section 2: the 2-input sigmoid neuron of the slides.</summary>
public static class SigmoidNeuron
{
    /// <summary>Runs the section.</summary>
    public static SigmoidNeuronResult Run(SectionContext context)
    {
        context.Heading("2. A sigmoid neuron: f = σ(w0·x0 + w1·x1 + w2)");
        double[] w = { 2, -3, -3 };
        double[] x = { -1, -2 };

        double f = Models.NeuronGradient(w[0], w[1], w[2], x[0], x[1],
            out double dw0, out double dw1, out double dw2, out double dx0, out double dx1);
        double z = w[0] * x[0] + w[1] * x[1] + w[2];
        double slope = f * (1 - f);

        context.Line($"w = ({w[0]}, {w[1]}, {w[2]}),  x = ({x[0]}, {x[1]})  →  z = w0·x0 + w1·x1 + w2 = {z},  f = σ(z) = {f:F4}");
        context.Line("σ(z) = 1/(1 + e⁻ᶻ) has the derivative σ'(z) = e⁻ᶻ/(1 + e⁻ᶻ)² = σ(z)·(1 − σ(z)):");
        context.Line($"the backward pass needs only the forward value: σ'(z) = {f:F4}·(1 − {f:F4}) = {slope:F4}.");
        context.Line($"Then ∂f/∂wᵢ = σ'(z)·xᵢ (x2 = 1 for the bias) and ∂f/∂xᵢ = σ'(z)·wᵢ:");
        context.Line($"Generated NeuronGradient:  dw = ({dw0:F4}, {dw1:F4}, {dw2:F4}),  dx = ({dx0:F4}, {dx1:F4})");

        // The same neuron as an Expr graph, to print it and to show the code the engine writes for its gradient.
        var graph = new Graph();
        Node[] v = graph.Vars("w0", "w1", "w2", "x0", "x1");
        Node neuron = 1.0 / (1.0 + graph.Exp(-(v[0] * v[3] + v[1] * v[4] + v[2])));
        string latex = LatexPrinter.Print(neuron);
        context.Line();
        context.Line("LaTeX of the expression (LatexPrinter):");
        context.Line("  " + latex);

        Node[] gradient = Derivatives.Gradient(neuron, v);
        var assignments = new List<Assignment>();
        for (int i = 0; i < v.Length; i++)
        {
            assignments.Add(new Assignment("d" + v[i].Name, gradient[i]));
        }

        var code = new StringBuilder();
        var emitter = new CSharpEmitter(node => node.Name!, new NameBuilder(new[] { "w0", "w1", "w2", "x0", "x1" })) { Indent = "  " };
        emitter.Emit(code, assignments);
        context.Line();
        context.Line("The gradient code the engine emits for it (the generator writes code of this shape into NeuronGradient):");
        context.Line(code.ToString().TrimEnd());
        context.Line("Note how one shared temporary carries σ'(z) and every partial is that temporary times one factor.");
        return new SigmoidNeuronResult(f, new[] { dw0, dw1, dw2 }, new[] { dx0, dx1 }, slope, latex, code.ToString());
    }
}
