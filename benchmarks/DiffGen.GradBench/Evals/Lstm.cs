using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class LstmInput : RunSettings
{
    [JsonPropertyName("main_params")] public Matrix? MainParams { get; set; }
    [JsonPropertyName("extra_params")] public Matrix? ExtraParams { get; set; }
    [JsonPropertyName("state")] public Matrix? State { get; set; }
    [JsonPropertyName("sequence")] public Matrix? Sequence { get; set; }
}

/// <summary>
/// lstm: the loss of ADBench's LSTM language model over a bit sequence; the gradient w.r.t. the
/// main and extra parameters is generated. Every gate is elementwise (⊙), so each hidden unit j
/// runs its own recurrence and only the prediction's log-normaliser mixes the units.
/// </summary>
public static partial class Lstm
{
    /// <param name="mainParams">2l rows of 4b: layer i's weights [W_f | W_i | W_o | W_c] in row 2i, its biases in row 2i+1.</param>
    /// <param name="extraParams">3 rows of b: input weight, output weight, output bias.</param>
    /// <param name="state">2l rows of b: layer i's initial hidden state in row 2i, its cell in row 2i+1.</param>
    /// <param name="sequence">c rows of b bits.</param>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> mainParams, ReadOnlySpan<double> extraParams,
        [NoDiff] ReadOnlySpan<double> state, [NoDiff] ReadOnlySpan<double> sequence, int layers, int b, int c)
    {
        Span<double> hidden = stackalloc double[2 * layers * b];
        Span<double> z = stackalloc double[b];
        for (int i = 0; i < 2 * layers * b; i++)
        {
            hidden[i] = state[i];
        }

        double total = 0.0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int j = 0; j < b; j++)
            {
                z[j] = sequence[t * b + j] * extraParams[j];
            }

            for (int layer = 0; layer < layers; layer++)
            {
                int weights = 2 * layer * 4 * b;
                int biases = weights + 4 * b;
                int h = 2 * layer * b;
                int s = h + b;
                for (int j = 0; j < b; j++)
                {
                    double forget = Sigmoid(z[j] * mainParams[weights + j] + mainParams[biases + j]);
                    double ingate = Sigmoid(hidden[h + j] * mainParams[weights + b + j] + mainParams[biases + b + j]);
                    double outgate = Sigmoid(z[j] * mainParams[weights + 2 * b + j] + mainParams[biases + 2 * b + j]);
                    double change = Math.Tanh(hidden[h + j] * mainParams[weights + 3 * b + j] + mainParams[biases + 3 * b + j]);
                    hidden[s + j] = hidden[s + j] * forget + ingate * change;
                    hidden[h + j] = outgate * Math.Tanh(hidden[s + j]);
                    z[j] = hidden[h + j];
                }
            }

            double sumExp = 0.0;
            for (int j = 0; j < b; j++)
            {
                sumExp += Math.Exp(z[j] * extraParams[b + j] + extraParams[2 * b + j]);
            }

            double logNormalizer = Math.Log(2.0 + sumExp);
            for (int j = 0; j < b; j++)
            {
                total += sequence[(t + 1) * b + j] * (z[j] * extraParams[b + j] + extraParams[2 * b + j] - logNormalizer);
            }
        }

        return -total / ((c - 1) * b);
    }

    [Differentiable]
    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public sealed class Eval : IEval
    {
        public string Module => "lstm";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.LstmInput);
            Input.Require(input.MainParams is not null && input.ExtraParams is not null && input.State is not null && input.Sequence is not null,
                "lstm needs main_params, extra_params, state and sequence.");
            var main = input.MainParams!;
            var extra = input.ExtraParams!;
            var state = input.State!;
            var sequence = input.Sequence!;
            int layers = main.Rows / 2, b = main.Columns / 4, c = sequence.Rows;
            Input.Require(layers >= 1 && main.Rows == 2 * layers && main.Columns == 4 * b && b >= 1,
                $"lstm: main_params is {main.Rows}×{main.Columns}, expected 2l×4b.");
            Input.Require(extra.Rows == 3 && extra.Columns == b, $"lstm: extra_params is {extra.Rows}×{extra.Columns}, expected 3×{b}.");
            Input.Require(state.Rows == 2 * layers && state.Columns == b, $"lstm: state is {state.Rows}×{state.Columns}, expected {2 * layers}×{b}.");
            Input.Require(c >= 2 && sequence.Columns == b, $"lstm: sequence is {c}×{sequence.Columns}, expected at least 2 rows of {b}.");
            switch (function)
            {
                case "objective":
                    double value = 0;
                    return new DelegateWorkload(input,
                        () => value = Objective(main.Data, extra.Data, state.Data, sequence.Data, layers, b, c),
                        w => w.WriteNumberValue(value));
                case "jacobian":
                    var gradient = new double[main.Data.Length + extra.Data.Length];
                    return new DelegateWorkload(input,
                        () => ObjectiveGradient(main.Data, extra.Data, state.Data, sequence.Data, layers, b, c,
                            gradient.AsSpan(0, main.Data.Length), gradient.AsSpan(main.Data.Length)),
                        w => Json.WriteArray(w, gradient));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
