using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>The loops of <see cref="ProcedureLowerer"/>: counted <c>for</c> loops, <c>foreach</c> over spans, <c>while</c> and <c>do</c>, with break and continue flags.</summary>
internal sealed partial class ProcedureLowerer
{
    private readonly HashSet<ISymbol> _activeLoopVariables = new(SymbolEqualityComparer.Default);

    protected override void For(IForLoopOperation loop, List<Statement> output)
    {
        var syntax = (ForStatementSyntax)loop.Syntax;
        if (!CountedLoop(loop, out var counter, out var first, out var condition, out int step, out string why))
        {
            Context.Report(DiagnosticDescriptors.UnsupportedLoop, syntax.ForKeyword, why);
            return;
        }

        var start = Expression(first!);
        var binary = (IBinaryOperation)condition!;
        var bound = Expression(binary.RightOperand);
        foreach (var read in binary.RightOperand.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (_assignedSymbols.Contains(read.Local) && loop.Body.Syntax.DescendantNodesAndSelf().Any(n => AssignsLocal(n, read.Local)))
            {
                Context.Report(DiagnosticDescriptors.UnsupportedLoop, binary.Syntax, $"the bound reads '{read.Local.Name}', which the body changes");
                return;
            }
        }

        // i < b: [start, b) upward; i <= b: [start, b + 1); i > b: (b, start] downward; i >= b: [b, start].
        Node lower, upper;
        bool backward = step < 0;
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.LessThan when !backward: (lower, upper) = (start, bound); break;
            case BinaryOperatorKind.LessThanOrEqual when !backward: (lower, upper) = (start, PlusOne(bound)); break;
            case BinaryOperatorKind.GreaterThan when backward: (lower, upper) = (PlusOne(bound), PlusOne(start)); break;
            case BinaryOperatorKind.GreaterThanOrEqual when backward: (lower, upper) = (bound, PlusOne(start)); break;
            default:
                Context.Report(DiagnosticDescriptors.UnsupportedLoop, binary.Syntax,
                    backward ? "a loop counting down must test 'i > end' or 'i >= end'" : "a loop counting up must test 'i < end' or 'i <= end'");
                return;
        }

        Loop(loop.Syntax, counter!, counter!.Name, lower, upper, backward, loop.Body, output);
    }

    /// <summary>e + 1, written back as n for e = n − 1 (so a loop from 'x.Length - 1' down to 0 replays up to 'x.Length').</summary>
    private Node PlusOne(Node e) =>
        e.Op == Op.Sub && e.ArgArray[1].IsConstantValue(1.0) ? e.ArgArray[0] : _g.Add(e, _g.One);

    private static bool AssignsLocal(SyntaxNode node, ILocalSymbol local) => node switch
    {
        AssignmentExpressionSyntax a => a.Left is IdentifierNameSyntax id && id.Identifier.ValueText == local.Name,
        PostfixUnaryExpressionSyntax p => p.Operand is IdentifierNameSyntax id && id.Identifier.ValueText == local.Name && !p.IsKind(SyntaxKind.SuppressNullableWarningExpression),
        PrefixUnaryExpressionSyntax p => (p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression))
            && p.Operand is IdentifierNameSyntax id && id.Identifier.ValueText == local.Name,
        _ => false,
    };

    /// <summary>Recognises <c>for (int i = a; i ⋚ b; i++ / i-- / i += 1 / i -= 1)</c>.</summary>
    private bool CountedLoop(IForLoopOperation loop, out ILocalSymbol? counter, out IOperation? start, out IOperation? condition, out int step, out string why)
    {
        counter = null;
        start = null;
        condition = loop.Condition;
        step = 0;
        why = "";
        var declaration = loop.Before.Length == 1 && loop.Before[0] is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            && group.Declarations[0].Declarators.Length == 1 ? group.Declarations[0] : null;
        var declarator = declaration?.Declarators[0];
        var symbol = declarator?.Symbol;
        var init = declarator?.Initializer ?? declaration?.Initializer;
        if (symbol is null || symbol.Type.SpecialType != SpecialType.System_Int32 || init is null)
        {
            why = "the loop must declare one int counter ('for (int i = start; …)')";
            return false;
        }

        counter = symbol;
        start = init.Value;
        if (condition is not IBinaryOperation { LeftOperand: ILocalReferenceOperation left } binary
            || !SymbolEqualityComparer.Default.Equals(left.Local, symbol)
            || binary.RightOperand.Type?.SpecialType != SpecialType.System_Int32
            || binary.RightOperand.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, symbol)))
        {
            why = "the condition must compare the counter with an int bound ('i < end')";
            return false;
        }

        if (loop.AtLoopBottom.Length != 1 || loop.AtLoopBottom[0] is not IExpressionStatementOperation { Operation: var increment })
        {
            why = "the loop must step its counter by one ('i++', 'i += 1', 'i--')";
            return false;
        }

        step = increment switch
        {
            IIncrementOrDecrementOperation s when IsCounter(s.Target, symbol) => s.Kind == OperationKind.Increment ? 1 : -1,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Value.ConstantValue: { HasValue: true, Value: 1 } } c when IsCounter(c.Target, symbol) => 1,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract, Value.ConstantValue: { HasValue: true, Value: 1 } } c when IsCounter(c.Target, symbol) => -1,
            _ => 0,
        };
        if (step == 0)
        {
            why = "the loop must step its counter by one ('i++', 'i += 1', 'i--')";
            return false;
        }

        foreach (var node in loop.Body.Syntax.DescendantNodesAndSelf())
        {
            if (AssignsLocal(node, symbol))
            {
                why = $"the body assigns the counter '{symbol.Name}'";
                return false;
            }
        }

        return true;
    }

    private static bool IsCounter(IOperation target, ILocalSymbol counter) =>
        target is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, counter);

    protected override void ForEach(IForEachLoopOperation loop, List<Statement> output)
    {
        var syntax = (CommonForEachStatementSyntax)loop.Syntax;
        string? array = _expressions.ArrayOf(loop.Collection);
        var real = Precision.IsSingle(Context.Root) ? SpecialType.System_Single : SpecialType.System_Double;
        if (array is null || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var variable }
            || variable.Type.SpecialType != real || Precision.ElementOf(loop.Collection)?.SpecialType != real)
        {
            string keyword = Precision.Keyword(real == SpecialType.System_Single);
            Context.Report(DiagnosticDescriptors.UnsupportedLoop, syntax.ForEachKeyword,
                $"foreach runs only over a span or array of {keyword} parameter or local span, with a {keyword} loop variable");
            return;
        }

        Loop(loop.Syntax, null, "i", _g.Zero, _g.Var(array + ".Length"), false, loop.Body, output, (variable, array));
    }

    private void Loop(SyntaxNode syntax, ILocalSymbol? counter, string preferred, Node start, Node end, bool backward, IOperation body,
        List<Statement> output, (ILocalSymbol Variable, string Array)? element = null)
    {
        string name = CounterName(preferred);
        var index = _g.Var(name);
        if (counter is not null)
        {
            _frame.Values[counter] = index;
            _activeLoopVariables.Add(counter);
        }

        if (element is { } e)
        {
            _frame.Values[e.Variable] = _g.Load(e.Array, index);
            _activeLoopVariables.Add(e.Variable);
        }

        _activeCounters.Add(name);
        var statements = LoopBody(syntax, body, output, out var inner, out var guard);
        if (guard is not null)
        {
            statements.Add(new If(guard, new Block(inner), Block.Empty));
        }
        else
        {
            statements.AddRange(inner);
        }

        _activeCounters.Remove(name);
        if (counter is not null)
        {
            _activeLoopVariables.Remove(counter);
        }

        output.Add(new For(name, start, end, new Block(statements), backward));
    }

    /// <summary>
    /// <c>while (c)</c> and <c>do … while (c);</c> stay loops with a runtime condition; a break or a return ends
    /// the loop through its condition (<c>broke == 0 &amp;&amp; c</c>). A <c>while</c> whose condition is false
    /// before it starts (folded at compile time) is left out. Calls of span methods in the condition run before
    /// every test: before a while loop and at the end of every trip.
    /// </summary>
    protected override void While(IWhileLoopOperation loop, List<Statement> output)
    {
        int pending = _pendingCalls.Count;
        var condition = loop.Condition is null ? _g.One : Expression(loop.Condition);
        var conditionCalls = _pendingCalls.GetRange(pending, _pendingCalls.Count - pending);
        _pendingCalls.RemoveRange(pending, conditionCalls.Count);
        if (loop.ConditionIsTop && condition.IsConstant && condition.Value == 0)
        {
            return;
        }

        if (loop.ConditionIsTop)
        {
            // a copy: the analyses tell statements apart by identity
            output.AddRange(conditionCalls.Select(call => call with { }));
        }

        var statements = LoopBody(loop.Syntax, loop.Body, output, out var inner, out var guard);
        statements.AddRange(inner);
        statements.AddRange(conditionCalls);
        output.Add(new While(guard is null ? condition : _g.And(guard, condition), new Block(statements), TestFirst: loop.ConditionIsTop));
    }

    /// <summary>
    /// Lowers a loop's body: the statements that start every trip (clearing the continue flag), the body's own
    /// statements in <paramref name="inner"/>, and the condition under which a trip still runs (no break, no
    /// return so far; null when the body can do neither). Flags are declared in <paramref name="output"/>,
    /// before the loop.
    /// </summary>
    private List<Statement> LoopBody(SyntaxNode syntax, IOperation body, List<Statement> output, out List<Statement> inner, out Node? guard)
    {
        // break and continue: a flag per loop, cleared before the loop (break) or every iteration (continue).
        bool breaks = false, continues = false;
        foreach (var node in body.Syntax.DescendantNodesAndSelf())
        {
            if (node is BreakStatementSyntax or ContinueStatementSyntax && EnclosingLoop(node) == syntax)
            {
                breaks |= node is BreakStatementSyntax;
                continues |= node is ContinueStatementSyntax;
            }
        }

        string? breakFlag = breaks ? _names.Unique("broke") : null;
        string? continueFlag = continues ? _names.Unique("skipped") : null;
        _loopFlags[syntax] = (breakFlag, continueFlag);
        if (breakFlag is not null)
        {
            output.Add(new Declare(breakFlag, ValueKind.Integer, _g.Zero));
        }

        if (continueFlag is not null)
        {
            output.Add(new Declare(continueFlag, ValueKind.Integer, _g.Zero));
        }

        _depth++;
        var statements = new List<Statement>();
        if (continueFlag is not null)
        {
            statements.Add(new Assign(continueFlag, _g.Zero));
        }

        inner = LowerList(Operations(body), 0);

        // After a break or a return, the remaining iterations do nothing.
        guard = null;
        if (breakFlag is not null)
        {
            guard = _g.Equal(_g.Var(breakFlag), _g.Zero);
        }

        if (_returned is not null && Exits(body.Syntax).Returns)
        {
            var clear = _g.Equal(_g.Var(_returned), _g.Zero);
            guard = guard is null ? clear : _g.And(guard, clear);
        }

        _depth--;
        return statements;
    }

    /// <summary>The counter's name: the source name when free; sibling loops share it.</summary>
    private string CounterName(string preferred)
    {
        if (_counterNames.Contains(preferred) && !_activeCounters.Contains(preferred))
        {
            return preferred;
        }

        string name = _names.Unique(preferred);
        _counterNames.Add(name);
        return name;
    }
}
