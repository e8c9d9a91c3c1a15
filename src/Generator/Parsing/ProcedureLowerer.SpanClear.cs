using System.Collections.Generic;
using DiffGen.Expr;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary><c>y.Clear();</c> on a vector-output span or a local span: a loop storing 0 in every element.</summary>
internal sealed partial class ProcedureLowerer
{
    /// <summary>Lowers <c>span.Clear()</c> to <c>for (i = 0; i &lt; span.Length; i++) span[i] = 0</c>; false when <paramref name="statement"/> is something else.</summary>
    private bool LowerSpanClear(IOperation statement, List<Statement> output)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Clear", Arguments.Length: 0, Instance: { } instance } }
            || instance.Type is not INamedTypeSymbol { Name: "Span", ContainingNamespace.Name: "System" }
            || _expressions.ArrayOf(instance) is not { } array)
        {
            return false;
        }

        var i = _g.Var(_names.Unique("i"));
        output.Add(new For(i.Name!, _g.Zero, _g.Var(array + ".Length"), new Block(new Statement[] { new Store(array, i, _g.Zero) })));
        return true;
    }
}
