using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class DetInput : RunSettings
{
    [JsonPropertyName("A")] public double[] A { get; set; } = [];
    [JsonPropertyName("ell")] public int Ell { get; set; }
}

/// <summary>
/// det: the determinant by expansion by minors (Det.Minors.g.cs, one [Differentiable] method per
/// size); the gradient, the cofactor matrix, is the generated reverse mode through that recursion.
/// </summary>
public static partial class Det
{
    public sealed class Eval : IEval
    {
        public string Module => "det";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.DetInput);
            int ell = input.Ell;
            double[] a = input.A;
            Input.Require(ell >= 1 && ell <= MaxSize, $"det: ell = {ell}, this tool spells the expansion out for 1 ≤ ℓ ≤ {MaxSize}.");
            Input.Require(a.Length == ell * ell, $"det: A has {a.Length} values, ell² = {ell * ell}.");
            switch (function)
            {
                case "primal":
                    double value = 0;
                    return new DelegateWorkload(input, () => value = Primal(a, ell), w => w.WriteNumberValue(value));
                case "gradient":
                    var gradient = new double[a.Length];
                    return new DelegateWorkload(input, () => Gradient(a, ell, gradient), w => Json.WriteArray(w, gradient));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
