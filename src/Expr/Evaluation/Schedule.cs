using System;
using System.Collections.Generic;
using System.Numerics;

namespace DiffGen.Expr;

/// <summary>
/// A DAG flattened into a topological list of instructions over value slots, evaluated by one loop
/// (no recursion, no per-call allocation). Build it once, evaluate it many times, in double or in
/// <see cref="Complex"/> for complex-step checks. Evaluation reuses an internal workspace, so one
/// schedule must not be evaluated on two threads at once.
/// </summary>
public sealed class Schedule
{
    private readonly Instruction[] _code;
    private readonly int[] _outputSlots;
    private readonly Dictionary<Node, int> _slotOf;
    private readonly double[] _values;
    private Complex[]? _complexValues;
    private readonly double[][] _realArgs;
    private readonly Complex[][] _complexArgs;

    private readonly struct Instruction
    {
        public Instruction(OpInfo info, int[] args, double constant, int input)
        {
            Info = info;
            Args = args;
            Constant = constant;
            Input = input;
        }

        public OpInfo Info { get; }
        public int[] Args { get; }
        public double Constant { get; }
        public int Input { get; }
    }

    /// <summary>Flattens <paramref name="outputs"/>; <paramref name="inputs"/> gives the variables' order in the input vector.</summary>
    public Schedule(IReadOnlyList<Node> outputs, IReadOnlyList<Node> inputs)
    {
        if (outputs is null || outputs.Count == 0)
        {
            throw new ArgumentException("At least one output is needed.", nameof(outputs));
        }

        if (inputs is null)
        {
            throw new ArgumentNullException(nameof(inputs));
        }

        var inputIndex = new Dictionary<Node, int>(NodeIdentity.Comparer);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null || inputs[i].Op != Op.Var)
            {
                throw new ArgumentException($"inputs[{i}] is not a variable.", nameof(inputs));
            }

            inputIndex[inputs[i]] = i;
        }

        var order = Traversal.TopologicalOrder(outputs);
        _slotOf = new Dictionary<Node, int>(NodeIdentity.Comparer);
        _code = new Instruction[order.Count];
        int maxArity = 0;
        for (int k = 0; k < order.Count; k++)
        {
            var node = order[k];
            _slotOf[node] = k;
            var args = new int[node.ArgArray.Length];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = _slotOf[node.ArgArray[i]];
            }

            maxArity = Math.Max(maxArity, args.Length);
            int input = -1;
            if (node.Op == Op.Var && !inputIndex.TryGetValue(node, out input))
            {
                throw new ArgumentException($"The variable '{node.Name}' is used but not listed in inputs.", nameof(inputs));
            }

            if (node.Op is Op.Load)
            {
                throw new NotSupportedException($"The array element '{node.Name}[…]' needs a procedure's state; evaluate it inside a procedure.");
            }

            if (node.Op is Op.Call or Op.CallPartial or Op.CustomCall or Op.CustomPartial)
            {
                throw new NotSupportedException($"'{node.Name}' is an external function; the interpreter cannot evaluate it.");
            }

            _code[k] = new Instruction(OpTable.Get(node.Op), args, node.Value, input);
        }

        _outputSlots = new int[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            _outputSlots[i] = _slotOf[outputs[i]];
        }

        InputCount = inputs.Count;
        _values = new double[order.Count];
        _realArgs = new double[maxArity + 1][];
        _complexArgs = new Complex[maxArity + 1][];
        for (int i = 0; i <= maxArity; i++)
        {
            _realArgs[i] = new double[i];
            _complexArgs[i] = new Complex[i];
        }
    }

    /// <summary>Builds the schedule of one expression over the variables of its graph, in index order.</summary>
    public Schedule(Node output)
        : this(new[] { output ?? throw new ArgumentNullException(nameof(output)) }, output.Graph.Variables)
    {
    }

    /// <summary>Number of instructions (distinct nodes).</summary>
    public int Length => _code.Length;

    /// <summary>Length of the input vector.</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs.</summary>
    public int OutputCount => _outputSlots.Length;

    /// <summary>Evaluates all outputs into <paramref name="outputs"/>.</summary>
    public void Evaluate(double[] inputs, double[] outputs)
    {
        Check(inputs?.Length, nameof(inputs), InputCount);
        Check(outputs?.Length, nameof(outputs), OutputCount);
        Run(inputs!);
        for (int i = 0; i < _outputSlots.Length; i++)
        {
            outputs![i] = _values[_outputSlots[i]];
        }
    }

    /// <summary>Evaluates the first output.</summary>
    public double Evaluate(params double[] inputs)
    {
        Check(inputs?.Length, nameof(inputs), InputCount);
        Run(inputs!);
        return _values[_outputSlots[0]];
    }

    /// <summary>The value of every node after evaluating at <paramref name="inputs"/> (for drawing graphs).</summary>
    public IReadOnlyDictionary<Node, double> EvaluateAll(params double[] inputs)
    {
        Check(inputs?.Length, nameof(inputs), InputCount);
        Run(inputs!);
        var all = new Dictionary<Node, double>(NodeIdentity.Comparer);
        foreach (var pair in _slotOf)
        {
            all[pair.Key] = _values[pair.Value];
        }

        return all;
    }

    /// <summary>Evaluates all outputs over complex numbers (complex step).</summary>
    public void Evaluate(Complex[] inputs, Complex[] outputs)
    {
        Check(inputs?.Length, nameof(inputs), InputCount);
        Check(outputs?.Length, nameof(outputs), OutputCount);
        var v = _complexValues ??= new Complex[_code.Length];
        for (int k = 0; k < _code.Length; k++)
        {
            ref readonly var ins = ref _code[k];
            var a = ins.Args;
            var info = ins.Info;
            v[k] = ins.Info.Op switch
            {
                Op.Const => ins.Constant,
                Op.Var => inputs![ins.Input],
                _ => info.Arity switch
                {
                    1 => info.Complex1!(v[a[0]]),
                    2 => info.Complex2!(v[a[0]], v[a[1]]),
                    3 => info.Complex3!(v[a[0]], v[a[1]], v[a[2]]),
                    _ => info.ComplexN!(Gather(v, a, _complexArgs)),
                },
            };
        }

        for (int i = 0; i < _outputSlots.Length; i++)
        {
            outputs![i] = v[_outputSlots[i]];
        }
    }

    private void Run(double[] inputs)
    {
        var v = _values;
        for (int k = 0; k < _code.Length; k++)
        {
            ref readonly var ins = ref _code[k];
            var a = ins.Args;
            var info = ins.Info;
            v[k] = info.Op switch
            {
                Op.Const => ins.Constant,
                Op.Var => inputs[ins.Input],
                _ => info.Arity switch
                {
                    1 => info.Real1!(v[a[0]]),
                    2 => info.Real2!(v[a[0]], v[a[1]]),
                    3 => info.Real3!(v[a[0]], v[a[1]], v[a[2]]),
                    _ => info.RealN!(Gather(v, a, _realArgs)),
                },
            };
        }
    }

    // n-ary arguments are gathered into an array of exactly their length, kept per length.
    private static T[] Gather<T>(T[] values, int[] slots, T[][] buffers)
    {
        var buffer = slots.Length < buffers.Length ? buffers[slots.Length] : new T[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            buffer[i] = values[slots[i]];
        }

        return buffer;
    }

    private static void Check(int? length, string name, int expected)
    {
        if (length is null)
        {
            throw new ArgumentNullException(name);
        }

        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} values, got {length}.", name);
        }
    }
}
