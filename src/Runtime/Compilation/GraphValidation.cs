using System;
using System.Collections.Generic;
using DiffGen.Expr;

namespace DiffGen.Compilation;

/// <summary>The checks every backend relies on, with messages that name the offending node.</summary>
internal static class GraphValidation
{
    public static Dictionary<Node, int> Validate(IReadOnlyList<Node> outputs, IReadOnlyList<Node> variables)
    {
        ArgumentNullException.ThrowIfNull(outputs);

        ArgumentNullException.ThrowIfNull(variables);

        if (outputs.Count == 0)
        {
            throw new ArgumentException("At least one output is needed.", nameof(outputs));
        }

        Graph? graph = null;
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i] is null)
            {
                throw new ArgumentException($"outputs[{i}] is null.", nameof(outputs));
            }

            graph ??= outputs[i].Graph;
            if (!ReferenceEquals(outputs[i].Graph, graph))
            {
                throw new ArgumentException($"outputs[{i}] belongs to another graph than outputs[0]; use Graph.Import to bring them together.", nameof(outputs));
            }
        }

        var inputIndex = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i];
            if (v is null || v.Op != Op.Var)
            {
                throw new ArgumentException($"variables[{i}] is not a variable.", nameof(variables));
            }

            if (!ReferenceEquals(v.Graph, graph))
            {
                throw new ArgumentException($"variables[{i}] ('{v.Name}') belongs to another graph than the outputs.", nameof(variables));
            }

            if (!inputIndex.TryAdd(v, i))
            {
                throw new ArgumentException($"The variable '{v.Name}' is listed twice (variables[{inputIndex[v]}] and variables[{i}]).", nameof(variables));
            }
        }

        foreach (var node in Traversal.TopologicalOrder(outputs))
        {
            if (node.Op == Op.Var && !inputIndex.ContainsKey(node))
            {
                throw new ArgumentException($"The variable '{node.Name}' is used by the graph but not listed in variables.", nameof(variables));
            }

            if (node.Op is Op.Call or Op.CallPartial or Op.CustomCall or Op.CustomPartial)
            {
                throw new NotSupportedException($"'{node.Name}' is an external function; a graph compiled at run time cannot call it.");
            }
        }

        return inputIndex;
    }
}
