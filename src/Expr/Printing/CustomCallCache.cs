using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// The calls of hand-written rules ([CustomGradient]) already printed in one block of a procedure, with the
/// temporaries holding their value and partials. A later statement of the block that needs the same call (same
/// rule, same argument nodes) reads those temporaries instead of calling the rule again, so a call site calls the
/// user's gradient method once per sweep, not once per statement that needs one of its partials. An entry is
/// dropped as soon as a statement writes a name its arguments read; a loop, branch or while loop drops every
/// entry (its body may write anything), and a nested block starts with a cache of its own.
/// </summary>
internal sealed class CustomCallCache
{
    private readonly List<Entry> _entries = new();

    private sealed class Entry
    {
        public Entry(Node call, string value, string?[] partials)
        {
            Call = call;
            Value = value;
            Partials = partials;
            foreach (var arg in call.ArgArray)
            {
                Reads.UnionWith(ProcedureAnalysis.Reads(arg));
            }
        }

        public Node Call { get; }
        public string Value { get; }
        public string?[] Partials { get; }
        public HashSet<string> Reads { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The temporaries of an earlier print of the call <paramref name="node"/> (a custom call or one of its partials) belongs to.</summary>
    public bool TryGet(Node node, out string value, out string?[] partials)
    {
        foreach (var entry in _entries)
        {
            if (SameCall(entry.Call, node))
            {
                value = entry.Value;
                partials = entry.Partials;
                return true;
            }
        }

        value = "";
        partials = Array.Empty<string?>();
        return false;
    }

    /// <summary>Records the temporaries just printed for the call <paramref name="node"/> belongs to.</summary>
    public void Add(Node node, string value, string?[] partials) => _entries.Add(new Entry(node, value, partials));

    /// <summary>Drops the calls whose arguments read a name <paramref name="s"/> writes (all of them after a compound statement).</summary>
    public void After(Statement s)
    {
        string? written = s switch
        {
            Declare d => d.Name,
            Assign a => a.Target,
            Store st => st.Array,
            Accumulate acc => acc.Target,
            AccumulateElement acc => acc.Array,
            Pop pop => pop.Target,
            PopStore pop => pop.Array,
            Clear clear => clear.Array,
            _ => null,
        };
        if (s is For or If or While)
        {
            _entries.Clear();
        }
        else if (written is not null)
        {
            _entries.RemoveAll(e => e.Reads.Contains(written));
        }
    }

    /// <summary>Same rule, same masks, same argument nodes (hash-consed: equal expressions are one node).</summary>
    private static bool SameCall(Node a, Node b)
    {
        if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal) || a.Value != b.Value || a.ArgArray.Length != b.ArgArray.Length)
        {
            return false;
        }

        for (int i = 0; i < a.ArgArray.Length; i++)
        {
            if (!ReferenceEquals(a.ArgArray[i], b.ArgArray[i]))
            {
                return false;
            }
        }

        return true;
    }
}
