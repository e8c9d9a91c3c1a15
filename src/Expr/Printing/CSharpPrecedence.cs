namespace DiffGen.Expr;

/// <summary>
/// The C# precedence levels the emitter needs beyond an operation's own, read from <see cref="OpTable"/>
/// (higher binds tighter): an operand printed below the level its position requires gets parentheses.
/// </summary>
internal static class CSharpPrecedence
{
    /// <summary>Any expression fits (an argument, the right side of an assignment).</summary>
    public const int Any = 0;

    /// <summary>Names, literals, calls, element accesses: never parenthesised.</summary>
    public const int Primary = OpInfo.PrimaryPrecedence;

    /// <summary>Prefix operators and casts (<c>-x</c>, <c>!c</c>, <c>(double)i</c>).</summary>
    public static readonly int Unary = OpTable.Get(Op.Neg).Precedence;

    /// <summary>The conditional operator <c>c ? a : b</c>.</summary>
    public static readonly int Conditional = OpTable.Get(Op.Select).Precedence;

    /// <summary><c>==</c> and <c>!=</c> (a value used as a condition prints as <c>v != 0.0</c>).</summary>
    public static readonly int Equality = OpTable.Get(Op.NotEqual).Precedence;

    /// <summary>Binds tighter than <paramref name="precedence"/>: the level of a left-associative operator's right operand.</summary>
    public static int Above(int precedence) => precedence + 1;
}
