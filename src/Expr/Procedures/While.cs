namespace DiffGen.Expr;

/// <summary>
/// <c>while (Condition) Body</c>, or with <paramref name="TestFirst"/> false <c>do Body while (Condition);</c>:
/// a loop whose trip count is known only when it has run. The condition is read before every trip (after
/// every trip for a do loop) and never differentiated: the reverse sweep replays the recorded trip count.
/// </summary>
internal sealed record While(Node Condition, Block Body, bool TestFirst = true) : Statement;
