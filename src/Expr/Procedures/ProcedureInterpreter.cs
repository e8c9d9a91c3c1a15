using System;
using System.Collections.Generic;
using System.Numerics;

namespace DiffGen.Expr;

/// <summary>
/// Runs procedures over doubles or over <see cref="Complex"/> (complex step): the run-time path for
/// programs with loops, and the reference the generated code is tested against. Arguments are given
/// by name: scalars as numbers, arrays as arrays (output arrays are written in place).
/// </summary>
internal static class ProcedureInterpreter
{
    /// <summary>Runs <paramref name="procedure"/> over doubles; returns the value of its <see cref="Return"/> (0 if none).</summary>
    public static double Run(Procedure procedure, IDictionary<string, double> scalars, IDictionary<string, double[]> arrays) =>
        new Machine<double>(procedure, RealNumbers.Instance, scalars, arrays).Run();

    /// <summary>Runs <paramref name="procedure"/> over complex numbers.</summary>
    public static Complex Run(Procedure procedure, IDictionary<string, Complex> scalars, IDictionary<string, Complex[]> arrays) =>
        new Machine<Complex>(procedure, ComplexNumbers.Instance, scalars, arrays).Run();

    private abstract class Numbers<T>
    {
        public abstract T FromDouble(double value);
        public abstract double Real(T value);
        public abstract T Apply(OpInfo info, T[] args);
    }

    private sealed class RealNumbers : Numbers<double>
    {
        public static readonly RealNumbers Instance = new();
        public override double FromDouble(double value) => value;
        public override double Real(double value) => value;
        public override double Apply(OpInfo info, double[] a) => info.Arity switch
        {
            1 => info.Real1!(a[0]),
            2 => info.Real2!(a[0], a[1]),
            3 => info.Real3!(a[0], a[1], a[2]),
            _ => info.RealN!(a),
        };
    }

    private sealed class ComplexNumbers : Numbers<Complex>
    {
        public static readonly ComplexNumbers Instance = new();
        public override Complex FromDouble(double value) => value;
        public override double Real(Complex value) => value.Real;
        public override Complex Apply(OpInfo info, Complex[] a) => info.Arity switch
        {
            1 => info.Complex1!(a[0]),
            2 => info.Complex2!(a[0], a[1]),
            3 => info.Complex3!(a[0], a[1], a[2]),
            _ => info.ComplexN!(a),
        };
    }

    private sealed class Machine<T>
    {
        private readonly Procedure _procedure;
        private readonly Numbers<T> _numbers;
        private readonly IDictionary<string, T> _scalars;
        private readonly IDictionary<string, T[]> _arrays;
        private readonly Stack<T> _stack = new();
        private readonly Dictionary<Node, List<Node>> _orders = new(NodeIdentity.Comparer);
        private readonly Dictionary<Node, T> _values = new(NodeIdentity.Comparer);

        public Machine(Procedure procedure, Numbers<T> numbers, IDictionary<string, T> scalars, IDictionary<string, T[]> arrays)
        {
            _procedure = procedure ?? throw new ArgumentNullException(nameof(procedure));
            _numbers = numbers;
            _scalars = scalars ?? throw new ArgumentNullException(nameof(scalars));
            _arrays = arrays ?? throw new ArgumentNullException(nameof(arrays));
            foreach (var p in procedure.Parameters)
            {
                if (p.Kind == ValueKind.Array)
                {
                    if (!arrays.TryGetValue(p.Name, out var array) || array is null)
                    {
                        throw new ArgumentException($"The array '{p.Name}' is missing.", nameof(arrays));
                    }

                    scalars[p.Name + ".Length"] = numbers.FromDouble(array.Length);
                }
                else if (!scalars.ContainsKey(p.Name) && !p.IsOutput)
                {
                    throw new ArgumentException($"The scalar '{p.Name}' is missing.", nameof(scalars));
                }
            }
        }

        public T Run()
        {
            T result = _numbers.FromDouble(0.0);
            Execute(_procedure.Body, ref result);
            return result;
        }

        private bool Execute(Block block, ref T result)
        {
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case Declare d when d.Kind == ValueKind.Array:
                        int length = Index(d.Length!);
                        _arrays[d.Name] = new T[length];
                        _scalars[d.Name + ".Length"] = _numbers.FromDouble(length);
                        break;
                    case Declare d:
                        _scalars[d.Name] = d.Initial is null ? _numbers.FromDouble(0.0) : Evaluate(d.Initial);
                        break;
                    case Assign a:
                        _scalars[a.Target] = Evaluate(a.Value);
                        break;
                    case Store st:
                        Array(st.Array)[Index(st.Index)] = Evaluate(st.Value);
                        break;
                    case Accumulate acc:
                        _scalars[acc.Target] = Add(_scalars[acc.Target], Evaluate(acc.Value));
                        break;
                    case AccumulateElement acc:
                        var target = Array(acc.Array);
                        int at = Index(acc.Index);
                        target[at] = Add(target[at], Evaluate(acc.Value));
                        break;
                    case Clear clear:
                        var cleared = Array(clear.Array);
                        for (int k = 0; k < cleared.Length; k++)
                        {
                            cleared[k] = _numbers.FromDouble(0.0);
                        }

                        break;
                    case Push push:
                        _stack.Push(Evaluate(push.Value));
                        break;
                    case Pop pop when pop.Target == Pop.Discard:
                        _stack.Pop();
                        break;
                    case Pop pop:
                        _scalars[pop.Target] = _stack.Pop();
                        break;
                    case PopStore pop:
                        Array(pop.Array)[Index(pop.Index)] = _stack.Pop();
                        break;
                    case For f:
                        int start = Index(f.Start), end = Index(f.End);
                        if (f.Backward)
                        {
                            for (int c = end - 1; c >= start; c--)
                            {
                                _scalars[f.Counter] = _numbers.FromDouble(c);
                                if (Execute(f.Body, ref result))
                                {
                                    return true;
                                }
                            }
                        }
                        else
                        {
                            for (int c = start; c < end; c++)
                            {
                                _scalars[f.Counter] = _numbers.FromDouble(c);
                                if (Execute(f.Body, ref result))
                                {
                                    return true;
                                }
                            }
                        }

                        break;
                    case If i:
                        if (Execute(Holds(i.Condition) ? i.Then : i.Else, ref result))
                        {
                            return true;
                        }

                        break;
                    case While w:
                        for (bool first = true; (first && !w.TestFirst) || Holds(w.Condition); first = false)
                        {
                            if (Execute(w.Body, ref result))
                            {
                                return true;
                            }
                        }

                        break;
                    case Return r:
                        result = Evaluate(r.Value);
                        return true;
                    default:
                        throw new NotSupportedException($"Unknown statement {s.GetType().Name}.");
                }
            }

            return false;
        }

        /// <summary>
        /// A branch or loop condition, with <c>&amp;&amp;</c> and <c>||</c> short-circuiting as in C#: the test
        /// <c>i &lt; n &amp;&amp; x[i] &gt; 0</c> never reads x[n]. Over complex numbers, comparisons read real parts.
        /// </summary>
        private bool Holds(Node condition) => condition.Op switch
        {
            Op.And => Holds(condition.ArgArray[0]) && Holds(condition.ArgArray[1]),
            Op.Or => Holds(condition.ArgArray[0]) || Holds(condition.ArgArray[1]),
            _ => _numbers.Real(Evaluate(condition)) != 0,
        };

        private T Add(T a, T b) => _numbers.Apply(OpTable.Get(Op.Add), new[] { a, b });

        private T[] Array(string name) =>
            _arrays.TryGetValue(name, out var array) ? array : throw new InvalidOperationException($"The array '{name}' is not defined.");

        private int Index(Node node)
        {
            double value = _numbers.Real(Evaluate(node));
            int index = (int)value;
            if (index != value)
            {
                throw new InvalidOperationException($"An index or bound evaluated to {value}, not an integer.");
            }

            return index;
        }

        private T Evaluate(Node root)
        {
            if (!_orders.TryGetValue(root, out var order))
            {
                _orders[root] = order = Traversal.TopologicalOrder(root);
            }

            _values.Clear();
            foreach (var node in order)
            {
                T value;
                switch (node.Op)
                {
                    case Op.Const:
                        value = _numbers.FromDouble(node.Value);
                        break;
                    case Op.Var:
                        value = _scalars.TryGetValue(node.Name!, out var v) ? v : throw new InvalidOperationException($"The variable '{node.Name}' is read before it is assigned.");
                        break;
                    case Op.Load:
                        var array = Array(node.Name!);
                        int index = (int)_numbers.Real(_values[node.ArgArray[0]]);
                        if ((uint)index >= (uint)array.Length)
                        {
                            throw new ArgumentOutOfRangeException(node.Name, index, $"{node.Name}[{index}] is outside the array of length {array.Length}.");
                        }

                        value = array[index];
                        break;
                    default:
                        var args = new T[node.ArgArray.Length];
                        for (int k = 0; k < args.Length; k++)
                        {
                            args[k] = _values[node.ArgArray[k]];
                        }

                        value = _numbers.Apply(OpTable.Get(node.Op), args);
                        break;
                }

                _values[node] = value;
            }

            return _values[root];
        }
    }
}
