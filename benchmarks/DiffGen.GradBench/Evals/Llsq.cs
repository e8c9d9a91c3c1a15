using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class LlsqInput : RunSettings
{
    [JsonPropertyName("x")] public double[] X { get; set; } = [];
    [JsonPropertyName("n")] public int N { get; set; }
}

/// <summary>llsq: ½ Σᵢ (sign tᵢ − Σⱼ xⱼ tᵢʲ)² on tᵢ = −1 + 2i/(n − 1); the gradient is generated.</summary>
public static partial class Llsq
{
    /// <summary>
    /// The polynomial Σⱼ xⱼ tʲ is evaluated by Horner's rule: each step's partials (t and 1) do not
    /// read the running value, so the reverse sweep saves nothing per term.
    /// </summary>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> x, int n)
    {
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            double t = -1.0 + 2.0 * i / (n - 1);
            double polynomial = 0.0;
            for (int j = x.Length - 1; j >= 0; j--)
            {
                polynomial = Math.FusedMultiplyAdd(polynomial, t, x[j]);
            }

            double residual = Math.Sign(t) - polynomial;
            sum += residual * residual;
        }

        return 0.5 * sum;
    }

    public sealed class Eval : IEval
    {
        public string Module => "llsq";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.LlsqInput);
            double[] x = input.X;
            int n = input.N;
            Input.Require(n >= 2, "llsq needs n ≥ 2 (tᵢ divides by n − 1).");
            switch (function)
            {
                case "primal":
                    double value = 0;
                    return new DelegateWorkload(input, () => value = Objective(x, n), w => w.WriteNumberValue(value));
                case "gradient":
                    var gradient = new double[x.Length];
                    return new DelegateWorkload(input, () => ObjectiveGradient(x, n, gradient), w => Json.WriteArray(w, gradient));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
