using System;

namespace DiffGen.Consumer.Tests;

/// <summary>Vector-output methods (issue 12 item 3): each gets …Jacobian, …Vjp, …Jvp and a Complex overload.</summary>
public static partial class VectorOutputModels
{
    /// <summary>Polar to Cartesian coordinates: 2 inputs, 2 outputs.</summary>
    [Differentiable]
    public static void Polar(double r, double theta, Span<double> xy)
    {
        xy[0] = r * Math.Cos(theta);
        xy[1] = r * Math.Sin(theta);
    }

    /// <summary>Softmax, shifted by the maximum: n inputs, n outputs; the output is written, read and overwritten.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<double> z, Span<double> p)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            max = Math.Max(max, z[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < z.Length; i++)
        {
            p[i] = Math.Exp(z[i] - max);
            sum += p[i];
        }

        for (int i = 0; i < z.Length; i++)
        {
            p[i] /= sum;
        }
    }

    /// <summary>y = A x with a constant row-major matrix A of y.Length rows and x.Length columns.</summary>
    [Differentiable]
    public static void MatVec([NoDiff] ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int columns = x.Length;
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0.0;
            for (int j = 0; j < columns; j++)
            {
                s += a[i * columns + j] * x[j];
            }

            y[i] = Math.Tanh(s);
        }
    }

    /// <summary>
    /// One classical Runge–Kutta step of the Lotka–Volterra equations prey' = αu − βuv, predator' = δuv − γv:
    /// state (u, v) and parameters (α, β, δ, γ) in, the state after dt out (6 inputs, 2 outputs).
    /// </summary>
    [Differentiable]
    public static void LotkaVolterraStep(ReadOnlySpan<double> state, ReadOnlySpan<double> parameters, [NoDiff] double dt, Span<double> next)
    {
        Span<double> k = stackalloc double[8];
        for (int stage = 0; stage < 4; stage++)
        {
            double prey = state[0];
            double predator = state[1];
            if (stage > 0)
            {
                double c = stage == 3 ? dt : 0.5 * dt;
                prey += c * k[2 * stage - 2];
                predator += c * k[2 * stage - 1];
            }

            k[2 * stage] = parameters[0] * prey - parameters[1] * prey * predator;
            k[2 * stage + 1] = parameters[2] * prey * predator - parameters[3] * predator;
        }

        next[0] = state[0] + dt / 6.0 * (k[0] + 2.0 * k[2] + 2.0 * k[4] + k[6]);
        next[1] = state[1] + dt / 6.0 * (k[1] + 2.0 * k[3] + 2.0 * k[5] + k[7]);
    }

    /// <summary>A scalar and a span in, three features per element out (1 + n inputs, 3n outputs); the third reads the first two back.</summary>
    [Differentiable]
    public static void Features(double scale, ReadOnlySpan<double> x, Span<double> features)
    {
        for (int i = 0; i < x.Length; i++)
        {
            features[3 * i] = scale * x[i];
            features[3 * i + 1] = Math.Sin(scale * x[i]) + x[i] * x[i];
            features[3 * i + 2] = features[3 * i] * features[3 * i + 1];
        }
    }
}

/// <summary>Vector outputs on an instance, with branches, an array input, an int size and an expression body.</summary>
public sealed partial class LeakyLayer
{
    /// <summary>y = leaky-relu(w·x) row by row, rows = y.Length; negative pre-activations go through the else branch.</summary>
    [Differentiable]
    public void Forward(double[] w, ReadOnlySpan<double> x, [NoDiff] double slope, int columns, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0.0;
            for (int j = 0; j < columns; j++)
            {
                s += w[i * columns + j] * x[j];
            }

            if (s > 0)
            {
                y[i] = s;
            }
            else
            {
                y[i] = slope * s;
            }
        }
    }

    /// <summary>An expression-bodied vector-output method: the single assignment is the body.</summary>
    [Differentiable]
    public static void Square(double x, Span<double> y) => y[0] = x * x;
}

/// <summary>An output cleared by <c>y.Clear()</c> and then accumulated into.</summary>
public static partial class ScatterModels
{
    /// <summary>Pairs summed into bins: y[k / 2] += w[k]·exp(−x[k]²), y.Length = ⌈x.Length / 2⌉.</summary>
    [Differentiable]
    public static void PairSums(ReadOnlySpan<double> x, ReadOnlySpan<double> w, Span<double> y)
    {
        y.Clear();
        for (int k = 0; k < x.Length; k++)
        {
            y[k / 2] += w[k] * Math.Exp(-x[k] * x[k]);
        }
    }
}

/// <summary>Early <c>return;</c> in a vector-output method, at the top level and inside a loop.</summary>
public static partial class EarlyExitModels
{
    /// <summary>y = 2x, returned at once when x[0] &gt; 10; else y[i] = x[i]² before the first x[i] ≥ limit and exp(x[i]) from it on.</summary>
    [Differentiable]
    public static void Leading(ReadOnlySpan<double> x, [NoDiff] double limit, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 2.0 * x[i];
        }

        if (x[0] > 10.0)
        {
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] >= limit)
            {
                for (int k = i; k < x.Length; k++)
                {
                    y[k] = Math.Exp(x[k]);
                }

                return;
            }

            y[i] = x[i] * x[i];
        }
    }
}
