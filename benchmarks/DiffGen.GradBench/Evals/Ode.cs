using System;
using System.Text.Json.Serialization;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

public sealed class OdeInput : RunSettings
{
    [JsonPropertyName("x")] public double[] X { get; set; } = [];
    [JsonPropertyName("s")] public int S { get; set; }
}

/// <summary>
/// ode: y′ = F(y), F(y)₀ = x₀, F(y)ᵢ = xᵢ·yᵢ₋₁, y(0) = 0, s classical Runge–Kutta steps on [0, 2].
/// <see cref="Solve"/> is both the primal and, through its generated <c>SolveVjp</c> with
/// ȳ = e_{n−1}, the gradient of the last component.
/// </summary>
public static partial class Ode
{
    /// <summary>y(2) into <paramref name="y"/> (length n = x.Length).</summary>
    [Differentiable]
    public static void Solve(ReadOnlySpan<double> x, int s, Span<double> y)
    {
        int n = x.Length;
        double h = 2.0 / s;
        Span<double> k1 = stackalloc double[n];
        Span<double> k2 = stackalloc double[n];
        Span<double> k3 = stackalloc double[n];
        Span<double> k4 = stackalloc double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = 0.0;
        }

        for (int step = 0; step < s; step++)
        {
            k1[0] = x[0];
            k2[0] = x[0];
            k3[0] = x[0];
            k4[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                k1[i] = x[i] * y[i - 1];
            }

            for (int i = 1; i < n; i++)
            {
                k2[i] = x[i] * (y[i - 1] + h / 2 * k1[i - 1]);
            }

            for (int i = 1; i < n; i++)
            {
                k3[i] = x[i] * (y[i - 1] + h / 2 * k2[i - 1]);
            }

            for (int i = 1; i < n; i++)
            {
                k4[i] = x[i] * (y[i - 1] + h * k3[i - 1]);
            }

            for (int i = 0; i < n; i++)
            {
                y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
            }
        }
    }

    public sealed class Eval : IEval
    {
        public string Module => "ode";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            var input = Input.Read(message, GradBenchJsonContext.Default.OdeInput);
            double[] x = input.X;
            int s = input.S;
            int n = x.Length;
            Input.Require(n >= 1 && s >= 1, $"ode needs a nonempty x and s ≥ 1 (n = {n}, s = {s}).");
            switch (function)
            {
                case "primal":
                    var y = new double[n];
                    return new DelegateWorkload(input, () => Solve(x, s, y), w => Json.WriteArray(w, y));
                case "gradient":
                    var final = new double[n];
                    var last = new double[n];
                    last[n - 1] = 1.0;
                    var gradient = new double[n];
                    return new DelegateWorkload(input, () => SolveVjp(x, s, final, last, gradient), w => Json.WriteArray(w, gradient));
                default:
                    throw Input.UnknownFunction(Module, function);
            }
        }
    }
}
