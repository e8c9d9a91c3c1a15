using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>Blocks by identity.</summary>
internal sealed class BlockIdentity : IEqualityComparer<Block>
{
    public static readonly BlockIdentity Instance = new();
    public bool Equals(Block? x, Block? y) => ReferenceEquals(x, y);
    public int GetHashCode(Block obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}

/// <summary>Statements by identity: two equal records at different places are different statements.</summary>
internal sealed class StatementIdentity : IEqualityComparer<Statement>
{
    public static readonly StatementIdentity Instance = new();
    public bool Equals(Statement? x, Statement? y) => ReferenceEquals(x, y);
    public int GetHashCode(Statement obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
