using System;

namespace DiffGen.Benchmarks.Workloads;

/// <summary>
/// The same gradients through the runtime's reverse-mode <see cref="DiffGen.Tape"/> and forward-mode
/// <see cref="Dual"/> numbers (one pass per input), for context. Each writes the gradient into its
/// output and returns the value.
/// </summary>
public static class ContextMethods
{
    /// <summary>point = (w0, w1, w2, x0, x1).</summary>
    public static double NeuronTape(Tape tape, ReadOnlySpan<double> point, Span<double> gradient)
    {
        tape.Reset();
        Var w0 = tape.Variable(point[0]);
        Var w1 = tape.Variable(point[1]);
        Var w2 = tape.Variable(point[2]);
        Var x0 = tape.Variable(point[3]);
        Var x1 = tape.Variable(point[4]);
        Var y = 1.0 / (1.0 + VarMath.Exp(-(w0 * x0 + w1 * x1 + w2)));
        tape.Backward(y);
        gradient[0] = w0.Grad;
        gradient[1] = w1.Grad;
        gradient[2] = w2.Grad;
        gradient[3] = x0.Grad;
        gradient[4] = x1.Grad;
        return y.Value;
    }

    public static double NeuronDual(ReadOnlySpan<double> point, Span<double> gradient)
    {
        double value = 0;
        for (int k = 0; k < 5; k++)
        {
            var w0 = new Dual(point[0], k == 0 ? 1.0 : 0.0);
            var w1 = new Dual(point[1], k == 1 ? 1.0 : 0.0);
            var w2 = new Dual(point[2], k == 2 ? 1.0 : 0.0);
            var x0 = new Dual(point[3], k == 3 ? 1.0 : 0.0);
            var x1 = new Dual(point[4], k == 4 ? 1.0 : 0.0);
            Dual y = 1.0 / (1.0 + DualMath.Exp(-(w0 * x0 + w1 * x1 + w2)));
            gradient[k] = y.Derivative;
            value = y.Value;
        }

        return value;
    }

    public static double RosenbrockTape(Tape tape, Var[] variables, ReadOnlySpan<double> x, Span<double> gradient)
    {
        tape.Reset();
        for (int i = 0; i < x.Length; i++)
        {
            variables[i] = tape.Variable(x[i]);
        }

        Var sum = tape.Variable(0);
        for (int i = 0; i < x.Length - 1; i++)
        {
            Var a = 1 - variables[i];
            Var b = variables[i + 1] - variables[i] * variables[i];
            sum += a * a + 100 * b * b;
        }

        tape.Backward(sum);
        for (int i = 0; i < x.Length; i++)
        {
            gradient[i] = variables[i].Grad;
        }

        return sum.Value;
    }

    /// <summary>n forward passes, each seeding one coordinate.</summary>
    public static double RosenbrockDual(Dual[] scratch, ReadOnlySpan<double> x, Span<double> gradient)
    {
        double value = 0;
        for (int k = 0; k < x.Length; k++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                scratch[i] = new Dual(x[i], i == k ? 1.0 : 0.0);
            }

            Dual sum = 0;
            for (int i = 0; i < x.Length - 1; i++)
            {
                Dual a = 1 - scratch[i];
                Dual b = scratch[i + 1] - scratch[i] * scratch[i];
                sum += a * a + 100 * b * b;
            }

            gradient[k] = sum.Derivative;
            value = sum.Value;
        }

        return value;
    }
}
