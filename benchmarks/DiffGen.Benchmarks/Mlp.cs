using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Benchmarks;

/// <summary>
/// The benchmark graph: a 2-layer perceptron 4 → 16 (tanh) → 1 (sigmoid) with a squared-error loss on
/// one sample, differentiated with respect to its 97 weights and biases — the graph a training loop
/// whose network shape is chosen at run time would compile.
/// </summary>
public static class Mlp
{
    public const int Inputs = 4;
    public const int Hidden = 16;

    public static readonly double[] Sample = { 0.5, -1.25, 2.0, 0.75 };
    public const double Target = 1.0;

    /// <summary>Loss over the parameters, in a fresh graph.</summary>
    public static (Node Loss, Node[] Parameters) Build()
    {
        var g = new Graph();
        var parameters = new List<Node>();
        var hidden = new Node[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            Node sum = g.Var($"b1_{j}");
            parameters.Add(sum);
            for (int i = 0; i < Inputs; i++)
            {
                var w = g.Var($"w1_{j}_{i}");
                parameters.Add(w);
                sum = sum + w * Sample[i];
            }

            hidden[j] = g.Tanh(sum);
        }

        Node output = g.Var("b2");
        parameters.Add(output);
        for (int j = 0; j < Hidden; j++)
        {
            var w = g.Var($"w2_{j}");
            parameters.Add(w);
            output = output + w * hidden[j];
        }

        var error = g.Sigmoid(output) - Target;
        return (error * error, parameters.ToArray());
    }

    /// <summary>The same loss on the tape, for comparison.</summary>
    public static Var Loss(Tape tape, ReadOnlySpan<double> p, Span<Var> vars, Span<Var> hidden)
    {
        for (int k = 0; k < p.Length; k++)
        {
            vars[k] = tape.Variable(p[k]);
        }

        int at = 0;
        for (int j = 0; j < Hidden; j++)
        {
            Var sum = vars[at++];
            for (int i = 0; i < Inputs; i++)
            {
                sum = sum + vars[at++] * Sample[i];
            }

            hidden[j] = VarMath.Tanh(sum);
        }

        Var output = vars[at++];
        for (int j = 0; j < Hidden; j++)
        {
            output = output + vars[at++] * hidden[j];
        }

        // σ through its closed form on the tape: 1/(1 + e^−x).
        var sigma = 1.0 / (1.0 + VarMath.Exp(-output));
        var error = sigma - Target;
        return error * error;
    }
}
