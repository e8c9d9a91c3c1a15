using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Expr;

/// <summary>
/// Names of generated parameters, one rule for the generator and for <c>Diff.Compile(…).ToCSharp()</c>,
/// documented for users: the output for parameter <c>x</c> is <c>dx</c> (<c>tx</c> for a tangent
/// input; <c>tangent</c>, <c>gradient</c>, <c>hessian</c> for the fixed ones). When that name is
/// already the name of a parameter or of an earlier generated parameter, an underscore is appended
/// (<c>dx_</c>), and if that is taken too, a number counting from 2 (<c>dx_2</c>, <c>dx_3</c>, …).
/// Names that are C# keywords are written with <c>@</c> (<see cref="CSharpNames.Escape"/>).
/// </summary>
internal sealed class OutputNames
{
    private readonly HashSet<string> _taken;

    /// <summary>Starts with the source's parameter names taken.</summary>
    public OutputNames(IEnumerable<string> parameters) => _taken = new HashSet<string>(parameters, StringComparer.Ordinal);

    /// <summary>The parameters' names and every name picked so far.</summary>
    public IEnumerable<string> Taken => _taken;

    /// <summary>The first free name of <paramref name="candidate"/>, <c>candidate_</c>, <c>candidate_2</c>, …, marked taken.</summary>
    public string Pick(string candidate)
    {
        string name = candidate;
        if (_taken.Contains(name))
        {
            name = candidate + "_";
            for (int i = 2; _taken.Contains(name); i++)
            {
                name = candidate + "_" + i.ToString(CultureInfo.InvariantCulture);
            }
        }

        _taken.Add(name);
        return name;
    }
}
