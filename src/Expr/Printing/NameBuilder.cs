using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Expr;

/// <summary>
/// The one place generated names come from, as Clad names them: <c>_t0, _t1, …</c> for temporaries,
/// <c>_d_x</c> for the adjoint of x, <c>_tan_x</c> for its tangent. Names already taken (the user's
/// parameters, locals, earlier names) are never produced: a clash gets a numeric suffix.
/// </summary>
public sealed class NameBuilder
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private int _nextTemp;

    /// <summary>Creates a builder that never hands out any of <paramref name="reserved"/>.</summary>
    public NameBuilder(IEnumerable<string>? reserved = null)
    {
        if (reserved is not null)
        {
            foreach (var name in reserved)
            {
                _taken.Add(name);
            }
        }
    }

    /// <summary>Marks <paramref name="name"/> as used.</summary>
    public void Reserve(string name) => _taken.Add(name);

    /// <summary>True when <paramref name="name"/> is taken.</summary>
    public bool IsTaken(string name) => _taken.Contains(name);

    /// <summary>The next temporary: <c>_t0</c>, <c>_t1</c>, …</summary>
    internal string Temp()
    {
        string name;
        do
        {
            name = "_t" + (_nextTemp++).ToString(CultureInfo.InvariantCulture);
        }
        while (_taken.Contains(name));

        _taken.Add(name);
        return name;
    }

    /// <summary>The adjoint of <paramref name="variable"/>: <c>_d_x</c>.</summary>
    internal string Adjoint(string variable) => Unique("_d_" + variable);

    /// <summary>The tangent of <paramref name="variable"/>: <c>_tan_x</c>.</summary>
    internal string Tangent(string variable) => Unique("_tan_" + variable);

    /// <summary><paramref name="candidate"/> if free, else candidate1, candidate2, … (and marks it taken).</summary>
    public string Unique(string candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            throw new ArgumentException("A name cannot be empty.", nameof(candidate));
        }

        string name = candidate;
        for (int i = 1; _taken.Contains(name); i++)
        {
            name = candidate + i.ToString(CultureInfo.InvariantCulture);
        }

        _taken.Add(name);
        return name;
    }
}
