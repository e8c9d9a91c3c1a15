using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// How much of its output a layer is sure to write. A layer's products treat its output as fully written (its
/// JVP clears ẏ first, its VJP's ȳ ends with the call), so an element the layer leaves alone would keep its value in
/// the caller but lose its derivative. Before any <c>return</c>, at the top level of the layer's body, one of these
/// writes elements 0 … B − 1 for sure:
/// <list type="bullet">
/// <item><c>y.Clear();</c> — all of them;</item>
/// <item><c>for (int i = 0; i &lt; B; i++) { … y[i] = …; … }</c> with the store at the top level of a body without
/// break, continue or return;</item>
/// <item><c>y[0] = …; y[1] = …; …</c> — B is one more than the last constant index written in order from 0.</item>
/// </list>
/// B is <c>y.Length</c>, the length of another span parameter, an int parameter or a constant.
/// </summary>
internal static class LayerCoverage
{
    /// <summary>What bounds the elements written for sure.</summary>
    internal enum Kind
    {
        /// <summary>No write of every element was found.</summary>
        Unknown,
        /// <summary>Every element (<c>y.Clear()</c>, or a loop to <c>y.Length</c>).</summary>
        All,
        /// <summary>The first <see cref="Written.Parameter"/>.Length elements (another span parameter).</summary>
        LengthOf,
        /// <summary>The first n elements, n the int parameter <see cref="Written.Parameter"/>.</summary>
        IntParameter,
        /// <summary>The first <see cref="Written.Count"/> elements.</summary>
        Constant,
    }

    internal readonly record struct Written(Kind Kind, IParameterSymbol? Parameter = null, int Count = 0);

    /// <summary>The elements of <paramref name="output"/> that <paramref name="body"/> writes for sure.</summary>
    public static Written Of(IOperation body, IParameterSymbol output)
    {
        var statements = body is IBlockOperation block ? block.Operations : (System.Collections.Generic.IReadOnlyList<IOperation>)new[] { body };
        int constant = 0;
        Written best = new(Kind.Unknown);
        foreach (var statement in statements)
        {
            if (statement.Syntax.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax))
            {
                break; // what follows may not run
            }

            if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Clear", Arguments.Length: 0, Instance: { } instance } }
                && Is(instance, output))
            {
                return new Written(Kind.All);
            }

            if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: var target } }
                && Element(target, output) is { ConstantValue: { HasValue: true, Value: int index } } && index == constant)
            {
                constant++;
                best = Better(best, new Written(Kind.Constant, Count: constant));
                continue;
            }

            if (statement is IForLoopOperation loop && Loop(loop, output) is { } written)
            {
                if (written.Kind == Kind.All)
                {
                    return written;
                }

                best = Better(best, written);
            }
        }

        return best;
    }

    private static Written Better(Written a, Written b) => a.Kind == Kind.Unknown || (a.Kind == Kind.Constant && b.Kind != Kind.Constant) ? b
        : a.Kind == Kind.Constant && b.Kind == Kind.Constant && b.Count > a.Count ? b : a;

    /// <summary><c>for (int i = 0; i &lt; B; i++)</c> whose body stores <c>y[i]</c> at its top level.</summary>
    private static Written? Loop(IForLoopOperation loop, IParameterSymbol output)
    {
        if (loop.Before.Length != 1 || loop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            || group.Declarations[0].Declarators.Length != 1 || group.Declarations[0].Declarators[0] is not { } declarator
            || declarator.GetVariableInitializer()?.Value.ConstantValue is not { HasValue: true, Value: 0 }
            || loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: ILocalReferenceOperation counter, RightOperand: var bound }
            || !SymbolEqualityComparer.Default.Equals(counter.Local, declarator.Symbol)
            || loop.AtLoopBottom.Length != 1 || loop.AtLoopBottom[0] is not IExpressionStatementOperation { Operation: var step }
            || !IsIncrement(step, declarator.Symbol)
            || loop.Body.Syntax.DescendantNodesAndSelf().Any(n => n is BreakStatementSyntax or ContinueStatementSyntax or ReturnStatementSyntax))
        {
            return null;
        }

        var body = loop.Body is IBlockOperation b ? b.Operations : (System.Collections.Generic.IReadOnlyList<IOperation>)new[] { loop.Body };
        bool stores = body.Any(s => s is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: var target } }
            && Element(target, output) is ILocalReferenceOperation index && SymbolEqualityComparer.Default.Equals(index.Local, declarator.Symbol));
        if (!stores)
        {
            return null;
        }

        while (bound is IConversionOperation conversion)
        {
            bound = conversion.Operand;
        }

        return bound switch
        {
            IPropertyReferenceOperation { Property.Name: "Length", Instance: { } span } when Is(span, output) => new Written(Kind.All),
            IPropertyReferenceOperation { Property.Name: "Length", Instance: { } span } when Parameter(span) is { } p => new Written(Kind.LengthOf, p),
            IParameterReferenceOperation { Parameter.Type.SpecialType: SpecialType.System_Int32 } p => new Written(Kind.IntParameter, p.Parameter),
            { ConstantValue: { HasValue: true, Value: int count } } => new Written(Kind.Constant, Count: count),
            _ => null,
        };
    }

    private static bool IsIncrement(IOperation step, ILocalSymbol counter) => step switch
    {
        IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation l } => SymbolEqualityComparer.Default.Equals(l.Local, counter),
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation l, Value.ConstantValue: { HasValue: true, Value: 1 } } =>
            SymbolEqualityComparer.Default.Equals(l.Local, counter),
        _ => false,
    };

    /// <summary>The index of <c>y[index]</c>, or null.</summary>
    private static IOperation? Element(IOperation target, IParameterSymbol output) =>
        target is IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } instance } element && Is(instance, output)
            ? element.Arguments[0].Value : null;

    private static bool Is(IOperation op, IParameterSymbol parameter) => SymbolEqualityComparer.Default.Equals(Parameter(op), parameter);

    private static IParameterSymbol? Parameter(IOperation op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return (op as IParameterReferenceOperation)?.Parameter;
    }
}
