using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class LseInput : RunSettings
{
    [JsonPropertyName("x")] public double[] X { get; set; } = [];
}

/// <summary>
/// lse: log Σ exp xᵢ from its primitives (max, exp, sum, log); the gradient is generated.
/// LSE(x) = a + log Σ exp(xᵢ − a) for every a, so the shift a = max x (there for stability only)
/// enters as a constant, as JAX's logsumexp stops its gradient: reverse mode then does not run
/// back through the max, whose contributions cancel exactly.
/// </summary>
public static partial class Lse
{
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x, [NoDiff] double shift)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - shift);
        }

        return shift + Math.Log(sum);
    }

    public static double Max(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        return max;
    }

    public sealed class Eval : IEval
    {
        public string Module => "lse";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.LseInput);
            double[] x = input.X;
            Input.Require(x.Length > 0, "lse needs a nonempty x.");
            switch (function)
            {
                case "primal":
                    double value = 0;
                    return new DelegateWorkload(input, () => value = LogSumExp(x, Max(x)), w => w.WriteNumberValue(value));
                case "gradient":
                    var gradient = new double[x.Length];
                    return new DelegateWorkload(input, () => LogSumExpGradient(x, Max(x), gradient), w => Json.WriteArray(w, gradient));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
