using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Forward mode over a procedure (<see cref="ProcedureDerivatives.Tangent"/>): every assignment is paired
/// with its tangent, computed first so that it reads the old values. Applied to a gradient procedure it
/// gives Hessian-vector products (forward over reverse): pushes push the tangent after the value, pops
/// restore both.
/// </summary>
internal sealed class ForwardSweep
{
    private readonly Procedure _p;
    private readonly Graph _g;
    private readonly Func<string, string> _tangentName;
    private readonly string _outputTangent;
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _tangent = new(StringComparer.Ordinal);
    private readonly Dictionary<Node, List<(Node Input, Node Partial)>> _linear = new(NodeIdentity.Comparer);
    private readonly NameBuilder _names;
    private UsefulAnalysis? _useful;

    public ForwardSweep(Procedure p, Func<string, string> tangentName, string outputTangent)
    {
        _p = p;
        _g = p.Graph;
        _tangentName = tangentName;
        _outputTangent = outputTangent;
        _names = new NameBuilder(p.Kinds.Keys);
        _names.Reserve(outputTangent);
        var seeds = p.Parameters.Where(x => x.Differentiable && x.Kind != ValueKind.Integer && !x.IsOutput).Select(x => x.Name).ToList();
        // In a gradient procedure the adjoints become active too: Active follows accumulations.
        _active = ProcedureAnalysis.Active(p, seeds);
    }

    public Procedure Build()
    {
        var parameters = new List<Parameter>();
        var prologue = new List<Statement>();
        foreach (var parameter in _p.Parameters)
        {
            parameters.Add(parameter);
        }

        foreach (var parameter in _p.Parameters)
        {
            if (parameter.Kind == ValueKind.Integer || !_active.Contains(parameter.Name) || (!parameter.Differentiable && !parameter.IsOutput))
            {
                continue;
            }

            string name = _tangentName(parameter.Name);
            _names.Reserve(name);
            _tangent[parameter.Name] = name;
            parameters.Add(new Parameter(name, parameter.Kind, Differentiable: false, IsOutput: parameter.IsOutput));
        }

        foreach (var pair in _p.Kinds)
        {
            if (_active.Contains(pair.Key) && !_tangent.ContainsKey(pair.Key) && pair.Value != ValueKind.Integer)
            {
                _tangent[pair.Key] = _names.Tangent(pair.Key);
            }
        }

        // a procedure without a return (a vector-output method) has the tangents of its output arrays in place of a tangent value
        bool returns = ProcedureDerivatives.Returns(_p);
        if (returns)
        {
            parameters.Add(new Parameter(_outputTangent, ValueKind.Real, Differentiable: false, IsOutput: true));
            prologue.Add(new Assign(_outputTangent, _g.Zero));
        }

        _useful = UsefulAnalysis.Run(_p, s => s is Invoke c ? c.DifferentiableReads() : Inputs(s).Select(l => l.Input.Name!));
        var body = new List<Statement>(prologue);
        body.AddRange(Transform(_p.Body));
        return new Procedure(_p.Name + "Tangent", parameters, new Block(body), _g);
    }

    /// <summary>The active leaves of the value a statement writes, with their partials (cached per value).</summary>
    private List<(Node Input, Node Partial)> Inputs(Statement s)
    {
        Node? value = s switch
        {
            Declare d when d.Kind != ValueKind.Array => d.Initial,
            Assign a => a.Value,
            Store st => st.Value,
            Accumulate acc => acc.Value,
            AccumulateElement acc => acc.Value,
            Push push => push.Value,
            Return r => r.Value,
            _ => null,
        };
        if (value is null)
        {
            return new List<(Node, Node)>();
        }

        if (!_linear.TryGetValue(value, out var linear))
        {
            _linear[value] = linear = ProcedureDerivatives.Linearize(value, _active);
        }

        return linear;
    }

    /// <summary>
    /// The tangent of the value <paramref name="s"/> writes into <paramref name="target"/>: null when it
    /// has no active leaves, or when that value cannot reach the result (its tangent is never read, and
    /// computing it could multiply a zero tangent by an infinite partial).
    /// </summary>
    private Node? TangentOf(Statement s, string target) =>
        _useful!.UsefulAfter(s, target) ? TangentOf(Inputs(s)) : null;

    /// <summary>Σ ∂e/∂u · tan(u) over the active leaves of e (null when e has none).</summary>
    private Node? TangentOf(List<(Node Input, Node Partial)> linear)
    {
        Node? sum = null;
        foreach (var (input, partial) in linear)
        {
            Node tangent = input.Op == Op.Load ? _g.Load(_tangent[input.Name!], input.ArgArray[0]) : _g.Var(_tangent[input.Name!]);
            var term = ZeroSeed.Scale(_g, tangent, partial, partialFirst: true);
            sum = sum is null ? term : _g.Add(sum, term);
        }

        return sum;
    }

    /// <summary>A call whose output has a tangent calls the callee's Jacobian-vector product; a scalar argument's tangent is computed into a local first.</summary>
    private void CallWithTangent(Invoke c, List<Statement> output)
    {
        if (!_tangent.TryGetValue(c.Output.Array!, out var outputTangent) || !_useful!.UsefulAfter(c, c.Output.Array!))
        {
            output.Add(c);
            return;
        }

        var tangents = new List<string?>();
        foreach (var argument in c.Arguments)
        {
            if (!argument.Differentiable)
            {
                tangents.Add(null);
            }
            else if (argument.Kind == CallArgumentKind.Array)
            {
                tangents.Add(_tangent.TryGetValue(argument.Array!, out var tangent) ? tangent : null);
            }
            else if (TangentOf(ProcedureDerivatives.Linearize(argument.Value!, _active)) is { } scalar)
            {
                string local = _names.Unique("_tan_argument");
                output.Add(new Declare(local, ValueKind.Real, scalar));
                tangents.Add(local);
            }
            else
            {
                tangents.Add(null);
            }
        }

        output.Add(new InvokeJvp(c, outputTangent, new ValueList<string?>(tangents)));
    }

    private List<Statement> Transform(Block block)
    {
        var output = new List<Statement>();
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case Declare d when d.Kind == ValueKind.Array:
                    output.Add(d);
                    if (_tangent.TryGetValue(d.Name, out var tangentArray))
                    {
                        output.Add(new Declare(tangentArray, ValueKind.Array, Length: d.Length));
                    }

                    break;
                case Declare d:
                    if (_tangent.TryGetValue(d.Name, out var t0))
                    {
                        output.Add(new Declare(t0, ValueKind.Real, TangentOf(s, d.Name) ?? _g.Zero));
                    }

                    output.Add(d);
                    break;
                case Assign a:
                    if (_tangent.TryGetValue(a.Target, out var t1))
                    {
                        output.Add(new Assign(t1, TangentOf(s, a.Target) ?? _g.Zero));
                    }

                    output.Add(a);
                    break;
                case Store st:
                    if (_tangent.TryGetValue(st.Array, out var t2))
                    {
                        output.Add(new Store(t2, st.Index, TangentOf(s, st.Array) ?? _g.Zero));
                    }

                    output.Add(st);
                    break;
                case Accumulate acc:
                    if (_tangent.TryGetValue(acc.Target, out var t3) && TangentOf(s, acc.Target) is { } dv)
                    {
                        output.Add(new Accumulate(t3, dv));
                    }

                    output.Add(acc);
                    break;
                case AccumulateElement acc:
                    if (_tangent.TryGetValue(acc.Array, out var t4) && TangentOf(s, acc.Array) is { } de)
                    {
                        output.Add(new AccumulateElement(t4, acc.Index, de));
                    }

                    output.Add(acc);
                    break;
                case Clear clear:
                    output.Add(clear);
                    if (_tangent.TryGetValue(clear.Array, out var t5))
                    {
                        output.Add(new Clear(t5));
                    }

                    break;
                case Push push:
                    // value first, then its tangent; pops take them in the opposite order
                    output.Add(push);
                    output.Add(new Push(TangentOf(Inputs(s)) ?? _g.Zero));
                    break;
                case Pop pop:
                    output.Add(_tangent.TryGetValue(pop.Target, out var t6) ? new Pop(t6) : new Pop(Pop.Discard));
                    output.Add(pop);
                    break;
                case PopStore pop:
                    if (_tangent.TryGetValue(pop.Array, out var t7))
                    {
                        output.Add(new PopStore(t7, pop.Index));
                    }
                    else
                    {
                        output.Add(new Pop(Pop.Discard));
                    }

                    output.Add(pop);
                    break;
                case For f:
                    output.Add(f with { Body = new Block(Transform(f.Body)) });
                    break;
                case If i:
                    output.Add(new If(i.Condition, new Block(Transform(i.Then)), new Block(Transform(i.Else))));
                    break;
                case While w:
                    output.Add(w with { Body = new Block(Transform(w.Body)) });
                    break;
                case Return r:
                    output.Add(new Assign(_outputTangent, TangentOf(Inputs(s)) ?? _g.Zero));
                    output.Add(r);
                    break;
                case Invoke c:
                    CallWithTangent(c, output);
                    break;
                case InvokeVjp:
                    throw new NotSupportedException("The tangent of a call's vector-Jacobian product needs the callee's second derivatives, which its generated code does not give.");
            }
        }

        return output;
    }
}
