using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>What an argument of a <see cref="Invoke"/> passes.</summary>
internal enum CallArgumentKind : byte
{
    /// <summary>A real scalar (<see cref="CallArgument.Value"/>).</summary>
    Real,
    /// <summary>An int scalar (<see cref="CallArgument.Value"/>): a size, never differentiated.</summary>
    Integer,
    /// <summary>A read-only slice of an array: <see cref="CallArgument.Array"/>[Offset .. Offset + Length).</summary>
    Array,
    /// <summary>The slice of an array the callee writes (its vector output).</summary>
    Output,
}

/// <summary>
/// One argument of a <see cref="Invoke"/>, in the callee's parameter order: a scalar value, or a slice
/// <c>Array[Offset .. Offset + Length)</c> of one of the procedure's arrays. <paramref name="Differentiable"/> is
/// the callee's view: false for its int and <c>[NoDiff]</c> parameters, which get no derivative.
/// </summary>
internal sealed record CallArgument(CallArgumentKind Kind, bool Differentiable, Node? Value = null, string? Array = null, Node? Offset = null, Node? Length = null)
{
    /// <summary>A scalar argument.</summary>
    public static CallArgument Scalar(Node value, bool integer, bool differentiable) =>
        new(integer ? CallArgumentKind.Integer : CallArgumentKind.Real, differentiable && !integer, Value: value);

    /// <summary>A slice argument (an input, or the output).</summary>
    public static CallArgument Slice(string array, Node offset, Node length, bool output, bool differentiable) =>
        new(output ? CallArgumentKind.Output : CallArgumentKind.Array, differentiable && !output, Array: array, Offset: offset, Length: length);

    /// <summary>True for a slice argument.</summary>
    public bool IsSlice => Kind is CallArgumentKind.Array or CallArgumentKind.Output;

    /// <summary>The same argument over another graph.</summary>
    public CallArgument Import(Graph g) => this with
    {
        Value = Value is null ? null : g.Import(Value),
        Offset = Offset is null ? null : g.Import(Offset),
        Length = Length is null ? null : g.Import(Length),
    };
}

/// <summary>An immutable list equal to another with equal items in the same order (records of statements hold these).</summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public ValueList(IEnumerable<T> items) => _items = items.ToArray();

    public T this[int index] => _items[index];

    public int Count => _items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        int h = 19;
        foreach (var item in _items)
        {
            h = unchecked((h * 31) + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item)));
        }

        return h;
    }
}

/// <summary>
/// A call of another differentiable method that writes a vector output (a layer): <c>Method(arguments…)</c>
/// fills the <see cref="CallArgumentKind.Output"/> slice from the other arguments. Its derivatives call the
/// callee's generated products rather than differentiating its body again: the reverse sweep its
/// vector-Jacobian product (<see cref="InvokeVjp"/>), forward mode its Jacobian-vector product
/// (<see cref="InvokeJvp"/>). The output slice never overlaps an input (the lowering checks it).
/// </summary>
/// <param name="Method">The callee, as generated code names it; its products are <c>Method + "Vjp"</c> and <c>Method + "Jvp"</c>.</param>
/// <param name="Arguments">The arguments, in the callee's parameter order.</param>
/// <param name="Written">
/// How many elements of the output the callee writes for sure, when that depends on the arguments (null: all of them).
/// Its products treat the whole output as written, so generated code checks that this covers the output slice.
/// </param>
/// <param name="Scalar">
/// A method that returns a double (and takes spans): the output is a one-element array, the last argument, which the
/// call's value is stored into; the products are the callee's <c>…Gradient</c> (scaled by ȳ) and <c>…Tangent</c>.
/// </param>
internal sealed record Invoke(string Method, ValueList<CallArgument> Arguments, Node? Written = null, bool Scalar = false) : Statement
{
    /// <summary>The output argument.</summary>
    public CallArgument Output => Arguments.First(a => a.Kind == CallArgumentKind.Output);

    /// <summary>The same call over another graph.</summary>
    public Invoke Import(Graph g) => this with
    {
        Arguments = new ValueList<CallArgument>(Arguments.Select(a => a.Import(g))),
        Written = Written is null ? null : g.Import(Written),
    };

    /// <summary>Every name the call reads: its scalar values, slice bounds and input arrays (not the output array).</summary>
    public HashSet<string> Reads()
    {
        var names = ProcedureAnalysis.Reads(Written);
        foreach (var a in Arguments)
        {
            names.UnionWith(ProcedureAnalysis.Reads(a.Value));
            names.UnionWith(ProcedureAnalysis.Reads(a.Offset));
            names.UnionWith(ProcedureAnalysis.Reads(a.Length));
            if (a.Kind == CallArgumentKind.Array)
            {
                names.Add(a.Array!);
            }
        }

        return names;
    }

    /// <summary>The names the output depends on with a derivative: the differentiable arguments' reads.</summary>
    public IEnumerable<string> DifferentiableReads()
    {
        foreach (var a in Arguments.Where(a => a.Differentiable))
        {
            if (a.Kind == CallArgumentKind.Array)
            {
                yield return a.Array!;
            }
            else
            {
                foreach (var name in ProcedureAnalysis.Reads(a.Value))
                {
                    yield return name;
                }
            }
        }
    }
}

/// <summary>
/// The reverse step of <see cref="Call"/>: with ȳ the slice of <paramref name="OutputAdjoint"/> at the call's output,
/// adds Jᵀȳ into the adjoints (one name per argument, null where it gets none: an array adjoint gets its slice
/// added to, a scalar local is assigned the partial sum), then zeroes that slice of <paramref name="OutputAdjoint"/>
/// (the output's old values did not reach the call's result). The callee's inputs hold their values at the call.
/// </summary>
internal sealed record InvokeVjp(Invoke Call, string OutputAdjoint, ValueList<string?> Adjoints) : Statement;

/// <summary>
/// The forward-mode step of <see cref="Call"/>: runs it and writes ẏ = J ẋ into the slice of <paramref name="OutputTangent"/>
/// at the call's output, from the tangents (one name per argument: an array's tangent array, sliced as the argument,
/// or a real local holding the scalar's tangent; null for a zero tangent).
/// </summary>
internal sealed record InvokeJvp(Invoke Call, string OutputTangent, ValueList<string?> Tangents) : Statement;
