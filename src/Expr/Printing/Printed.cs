namespace DiffGen.Expr;

/// <summary>
/// A node printed as C# and not (yet) put in a temporary: its text, the precedence of its outermost
/// operator (<see cref="CSharpPrecedence"/>) and how many operations deep it is inlined.
/// </summary>
internal readonly record struct Printed(string Text, int Precedence, int Depth);
