using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DiffGen.Expr;

/// <summary>Compares nodes by identity (for maps keyed by node objects).</summary>
internal sealed class NodeIdentity : IEqualityComparer<Node>
{
    public static readonly NodeIdentity Comparer = new();

    public bool Equals(Node? x, Node? y) => ReferenceEquals(x, y);

    public int GetHashCode(Node obj) => RuntimeHelpers.GetHashCode(obj);
}

/// <summary>Walks DAGs with explicit work lists, never recursion, so depth is unlimited.</summary>
public static class Traversal
{
    /// <summary>
    /// Every node reachable from <paramref name="roots"/>, each once, arguments before the nodes that
    /// use them (post-order of an iterative depth-first search).
    /// </summary>
    public static List<Node> TopologicalOrder(IEnumerable<Node> roots)
    {
        var order = new List<Node>();
        var visited = new HashSet<Node>(NodeIdentity.Comparer);
        var stack = new Stack<(Node Node, int NextArg)>();
        foreach (var root in roots)
        {
            if (!visited.Add(root))
            {
                continue;
            }

            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var args = node.ArgArray;
                if (next < args.Length)
                {
                    stack.Push((node, next + 1));
                    var arg = args[next];
                    if (visited.Add(arg))
                    {
                        stack.Push((arg, 0));
                    }
                }
                else
                {
                    order.Add(node);
                }
            }
        }

        return order;
    }

    /// <summary>The topological order of one expression.</summary>
    public static List<Node> TopologicalOrder(Node root) => TopologicalOrder(new[] { root });

    /// <summary>How many times each node is used as an argument within the nodes of <paramref name="order"/>.</summary>
    internal static Dictionary<Node, int> UseCounts(List<Node> order)
    {
        var uses = new Dictionary<Node, int>(NodeIdentity.Comparer);
        foreach (var node in order)
        {
            foreach (var arg in node.ArgArray)
            {
                uses.TryGetValue(arg, out int count);
                uses[arg] = count + 1;
            }
        }

        return uses;
    }
}
