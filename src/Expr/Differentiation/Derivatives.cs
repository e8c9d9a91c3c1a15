using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Symbolic differentiation of expression DAGs by the rules of <see cref="OpTable"/>. The traversals
/// only apply the chain rule (multiply by the local partial, add into the sum); every formula lives in
/// the table. Results are nodes of the same graph, simplified and shared with the primal as the graph
/// allows. All traversals are iterative and linear in the size of the graph.
/// </summary>
public static class Derivatives
{
    /// <summary>
    /// Reverse mode: ∂f/∂v for every v in <paramref name="wrt"/>, from one backward sweep over f's DAG.
    /// A variable f does not depend on gets the constant 0.
    /// </summary>
    public static Node[] Gradient(Node f, IReadOnlyList<Node> wrt)
    {
        Validate(f, wrt, nameof(wrt));
        var adjoints = Backward(f, wrt);
        var g = f.Graph;
        var result = new Node[wrt.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = adjoints.TryGetValue(wrt[i], out var a) ? a : g.Zero;
        }

        return result;
    }

    /// <summary>
    /// The adjoint ∂f/∂n of every node n on a path from the variables to f (f's own adjoint is 1):
    /// what the backpropagation slides write under each wire.
    /// </summary>
    public static IReadOnlyDictionary<Node, Node> Adjoints(Node f)
    {
        if (f is null)
        {
            throw new ArgumentNullException(nameof(f));
        }

        var variables = Traversal.TopologicalOrder(f).FindAll(n => n.Op == Op.Var);
        return Backward(f, variables);
    }

    private static Dictionary<Node, Node> Backward(Node f, IReadOnlyList<Node> wrt)
    {
        var g = f.Graph;
        var order = Traversal.TopologicalOrder(f);
        var active = Active(order, wrt);
        var adjoint = new Dictionary<Node, Node>(NodeIdentity.Comparer);
        if (!active.Contains(f))
        {
            return adjoint;
        }

        adjoint[f] = g.One;
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (!adjoint.TryGetValue(node, out var seed) || node.ArgArray.Length == 0)
            {
                continue;
            }

            var rule = OpTable.Get(node.Op).Partial!;
            var args = node.ArgArray;
            for (int i = 0; i < args.Length; i++)
            {
                if (!active.Contains(args[i]))
                {
                    continue;
                }

                var partial = rule(g, node, i);
                if (partial is null)
                {
                    continue;
                }

                var term = Masked.Scale(g, seed, partial);
                adjoint[args[i]] = adjoint.TryGetValue(args[i], out var sum) ? Masked.Add(g, sum, term) : term;
            }
        }

        return adjoint;
    }

    /// <summary>
    /// Forward mode: the directional derivative Σ ∂f/∂vᵢ·tᵢ, one forward sweep. A null tangent is a
    /// symbolic zero (that input is held fixed).
    /// </summary>
    public static Node Tangent(Node f, IReadOnlyList<Node> wrt, IReadOnlyList<Node?> tangents) =>
        Tangents(new[] { f }, wrt, tangents)[0];

    /// <summary>Forward mode for several outputs along the same direction, sharing one sweep.</summary>
    public static Node[] Tangents(IReadOnlyList<Node> outputs, IReadOnlyList<Node> wrt, IReadOnlyList<Node?> tangents)
    {
        if (outputs is null || outputs.Count == 0)
        {
            throw new ArgumentException("At least one output is needed.", nameof(outputs));
        }

        Validate(outputs[0], wrt, nameof(wrt));
        if (tangents is null || tangents.Count != wrt.Count)
        {
            throw new ArgumentException($"Expected one tangent per variable ({wrt.Count}).", nameof(tangents));
        }

        var g = outputs[0].Graph;
        var tangent = new Dictionary<Node, Node>(NodeIdentity.Comparer);
        for (int i = 0; i < wrt.Count; i++)
        {
            if (tangents[i] is { } t)
            {
                tangent[wrt[i]] = t;
            }
        }

        foreach (var node in Traversal.TopologicalOrder(outputs))
        {
            var args = node.ArgArray;
            if (args.Length == 0)
            {
                continue;
            }

            Node? sum = null;
            PartialRule? rule = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (!tangent.TryGetValue(args[i], out var ti))
                {
                    continue;
                }

                rule ??= OpTable.Get(node.Op).Partial!;
                var partial = rule(g, node, i);
                if (partial is null)
                {
                    continue;
                }

                var term = g.Mul(partial, ti);
                sum = sum is null ? term : g.Add(sum, term);
            }

            if (sum is not null)
            {
                tangent[node] = sum;
            }
        }

        var result = new Node[outputs.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = tangent.TryGetValue(outputs[i], out var t) ? t : g.Zero;
        }

        return result;
    }

    /// <summary>
    /// The dense Hessian by forward-over-reverse: the gradient graph is built once by reverse mode,
    /// then differentiated forward along each unit direction. Row-major [i, j] = ∂²f/∂vᵢ∂vⱼ.
    /// </summary>
    public static Node[,] Hessian(Node f, IReadOnlyList<Node> wrt)
    {
        var gradient = Gradient(f, wrt);
        int n = wrt.Count;
        var h = new Node[n, n];
        var direction = new Node?[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(direction, 0, n);
            direction[j] = f.Graph.One;
            var column = Tangents(gradient, wrt, direction);
            for (int i = 0; i < n; i++)
            {
                h[i, j] = column[i];
            }
        }

        return h;
    }

    /// <summary>
    /// The Hessian-vector product H·v by forward-over-reverse: one forward sweep over the gradient
    /// graph, a small multiple of the cost of one gradient.
    /// </summary>
    public static Node[] HessianVector(Node f, IReadOnlyList<Node> wrt, IReadOnlyList<Node> v)
    {
        var gradient = Gradient(f, wrt);
        if (v is null || v.Count != wrt.Count)
        {
            throw new ArgumentException($"Expected a vector of length {wrt.Count}.", nameof(v));
        }

        var seeds = new Node?[v.Count];
        for (int i = 0; i < seeds.Length; i++)
        {
            seeds[i] = v[i];
        }

        return Tangents(gradient, wrt, seeds);
    }

    /// <summary>
    /// The Jacobian [i, j] = ∂outputᵢ/∂vⱼ: reverse mode per output when there are fewer outputs than
    /// inputs, forward mode per input otherwise.
    /// </summary>
    public static Node[,] Jacobian(IReadOnlyList<Node> outputs, IReadOnlyList<Node> wrt)
    {
        if (outputs is null || outputs.Count == 0)
        {
            throw new ArgumentException("At least one output is needed.", nameof(outputs));
        }

        Validate(outputs[0], wrt, nameof(wrt));
        int m = outputs.Count, n = wrt.Count;
        var j = new Node[m, n];
        if (m <= n)
        {
            for (int i = 0; i < m; i++)
            {
                var row = Gradient(outputs[i], wrt);
                for (int k = 0; k < n; k++)
                {
                    j[i, k] = row[k];
                }
            }
        }
        else
        {
            var direction = new Node?[n];
            for (int k = 0; k < n; k++)
            {
                Array.Clear(direction, 0, n);
                direction[k] = outputs[0].Graph.One;
                var column = Tangents(outputs, wrt, direction);
                for (int i = 0; i < m; i++)
                {
                    j[i, k] = column[i];
                }
            }
        }

        return j;
    }

    /// <summary>The nodes of <paramref name="order"/> that depend on some variable in <paramref name="wrt"/>.</summary>
    private static HashSet<Node> Active(List<Node> order, IReadOnlyList<Node> wrt)
    {
        var active = new HashSet<Node>(NodeIdentity.Comparer);
        foreach (var v in wrt)
        {
            active.Add(v);
        }

        foreach (var node in order)
        {
            foreach (var arg in node.ArgArray)
            {
                if (active.Contains(arg))
                {
                    active.Add(node);
                    break;
                }
            }
        }

        return active;
    }

    private static void Validate(Node f, IReadOnlyList<Node> wrt, string wrtName)
    {
        if (f is null)
        {
            throw new ArgumentNullException(nameof(f));
        }

        if (wrt is null)
        {
            throw new ArgumentNullException(wrtName);
        }

        for (int i = 0; i < wrt.Count; i++)
        {
            if (wrt[i] is null || wrt[i].Op is not (Op.Var or Op.Load) || !ReferenceEquals(wrt[i].Graph, f.Graph))
            {
                throw new ArgumentException($"{wrtName}[{i}] must be a variable (or an array element) of the same graph.", wrtName);
            }
        }
    }
}
