using System;

namespace DiffGen;

/// <summary>
/// A reverse-mode tape (Wengert list) for code whose shape is known only at run time:
/// micrograd's idea, stored as struct-of-arrays. Entry k holds its value, up to two parent
/// indices and the local partials ∂vₖ/∂parent; <see cref="Backward"/> then sweeps the entries once
/// from the output down, adding adjoint(k)·∂vₖ/∂parent to each parent's adjoint, which yields
/// ∂output/∂v for every entry in one pass.
/// Recording allocates nothing once the arrays have grown to the largest graph seen (call
/// <see cref="Reset"/> between evaluations to reuse them). A tape is not thread-safe: use one per
/// thread.
/// </summary>
public sealed class Tape
{
    private const int NoParent = -1;

    private double[] values;
    private int[] firstParents;
    private int[] secondParents;
    private double[] firstPartials;
    private double[] secondPartials;
    private double[] adjoints;
    private int count;
    private int generation;
    private int backwardOutput = -1;

    /// <summary>Creates an empty tape with room for <paramref name="initialCapacity"/> entries (it grows as needed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">initialCapacity is not positive.</exception>
    public Tape(int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        values = new double[initialCapacity];
        firstParents = new int[initialCapacity];
        secondParents = new int[initialCapacity];
        firstPartials = new double[initialCapacity];
        secondPartials = new double[initialCapacity];
        adjoints = new double[initialCapacity];
    }

    /// <summary>The number of entries recorded since the last <see cref="Reset"/>.</summary>
    public int Count => count;

    /// <summary>The number of entries the tape holds before it must grow.</summary>
    public int Capacity => values.Length;

    /// <summary>Records an input (a leaf): its adjoint after <see cref="Backward"/> is ∂output/∂input.</summary>
    public Var Variable(double value) => Record(value, NoParent, 0.0, NoParent, 0.0);

    /// <summary>
    /// Forgets every entry and keeps the storage, so the next evaluation records without allocating.
    /// Handles (<see cref="Var"/>) from before the reset become invalid and throw when used.
    /// </summary>
    public void Reset()
    {
        count = 0;
        backwardOutput = -1;
        generation++;
    }

    /// <summary>
    /// Computes adjoints ∂output/∂vₖ of every entry k recorded up to <paramref name="output"/>:
    /// adjoint(output) = 1, then for k from output down to 0,
    /// adjoint(parentⱼ(k)) += adjoint(k)·∂vₖ/∂parentⱼ(k). Read them with <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="ArgumentException">output belongs to another tape or predates a <see cref="Reset"/>.</exception>
    public void Backward(Var output)
    {
        RequireOwned(output, nameof(output));
        int last = output.Index;
        Array.Clear(adjoints, 0, last + 1);
        adjoints[last] = 1.0;
        for (int k = last; k >= 0; k--)
        {
            double adjoint = adjoints[k];
            if (adjoint == 0.0)
            {
                continue;
            }

            int first = firstParents[k];
            if (first != NoParent)
            {
                adjoints[first] += adjoint * firstPartials[k];
                int second = secondParents[k];
                if (second != NoParent)
                {
                    adjoints[second] += adjoint * secondPartials[k];
                }
            }
        }

        backwardOutput = last;
    }

    /// <summary>∂output/∂v after <see cref="Backward"/>(output); 0 for entries recorded after the output.</summary>
    /// <exception cref="ArgumentException">v belongs to another tape or predates a <see cref="Reset"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Backward"/> has not run since the last reset.</exception>
    public double Grad(Var v)
    {
        RequireOwned(v, nameof(v));
        if (backwardOutput < 0)
        {
            throw new InvalidOperationException("Call Backward(output) before reading gradients.");
        }

        return v.Index <= backwardOutput ? adjoints[v.Index] : 0.0;
    }

    /// <summary>Appends an entry with value v and up to two (parent, ∂v/∂parent) pairs; −1 marks no parent.</summary>
    internal Var Record(double value, int firstParent, double firstPartial, int secondParent, double secondPartial)
    {
        if (count == values.Length)
        {
            Grow();
        }

        int index = count++;
        values[index] = value;
        firstParents[index] = firstParent;
        firstPartials[index] = firstPartial;
        secondParents[index] = secondParent;
        secondPartials[index] = secondPartial;
        return new Var(this, index, generation);
    }

    internal Var RecordUnary(double value, in Var x, double partial)
    {
        RequireOwned(x, nameof(x));
        return Record(value, x.Index, partial, NoParent, 0.0);
    }

    internal Var RecordBinary(double value, in Var x, double partialX, in Var y, double partialY)
    {
        RequireOwned(x, nameof(x));
        RequireOwned(y, nameof(y));
        return Record(value, x.Index, partialX, y.Index, partialY);
    }

    internal double ValueAt(in Var v)
    {
        RequireOwned(v, "v");
        return values[v.Index];
    }

    private void RequireOwned(in Var v, string parameterName)
    {
        if (!ReferenceEquals(v.Tape, this) || v.Generation != generation)
        {
            ThrowForeign(v, parameterName);
        }
    }

    private void ThrowForeign(in Var v, string parameterName)
    {
        string reason = v.Tape is null ? "is a default(Var) that was never recorded"
            : !ReferenceEquals(v.Tape, this) ? "was recorded on another tape"
            : "was recorded before the tape's last Reset()";
        throw new ArgumentException($"The variable {reason}.", parameterName);
    }

    private void Grow()
    {
        int capacity = values.Length * 2;
        Array.Resize(ref values, capacity);
        Array.Resize(ref firstParents, capacity);
        Array.Resize(ref secondParents, capacity);
        Array.Resize(ref firstPartials, capacity);
        Array.Resize(ref secondPartials, capacity);
        Array.Resize(ref adjoints, capacity);
    }
}
