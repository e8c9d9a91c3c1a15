namespace DiffGen.Expr;

/// <summary>One assignment for <see cref="CSharpEmitter"/>: <c>Target = Value;</c>.</summary>
public readonly struct Assignment
{
    /// <summary>Creates an assignment.</summary>
    /// <param name="target">The variable or out parameter written.</param>
    /// <param name="value">The expression.</param>
    /// <param name="declare">Declare the target as a new local (<c>double target = …;</c>).</param>
    /// <param name="comment">A comment line written before the statement.</param>
    public Assignment(string target, Node value, bool declare = false, string? comment = null)
    {
        Target = target;
        Value = value;
        Declare = declare;
        Comment = comment;
    }

    /// <summary>The variable or out parameter written.</summary>
    public string Target { get; }

    /// <summary>The expression.</summary>
    public Node Value { get; }

    /// <summary>True to declare the target as a new local.</summary>
    public bool Declare { get; }

    /// <summary>A comment written before the statement, or null.</summary>
    public string? Comment { get; }
}
