using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Lowers a method with runtime loops or span parameters to a DiffGen.Expr <see cref="Procedure"/>:
/// statements stay statements and loops stay loops, so the generated code grows with the source, not
/// with the trip count. Expressions are lowered by <see cref="Lowerer"/> in procedure mode (locals read
/// as variables, <c>x[i]</c> as loads).
/// <list type="bullet">
/// <item>Locals get unique names (a name reused by another C# scope gets a numeric suffix); loop
/// counters of sibling loops share a name.</item>
/// <item><c>for (int i = a; i &lt; b; i++)</c> (also <c>&lt;=</c>, <c>i += 1</c>, <c>++i</c>, and counting down
/// with <c>&gt;</c>/<c>&gt;=</c> and <c>i--</c>) becomes a counted <see cref="For"/>; <c>foreach (var v in x)</c>
/// over a span or array an index loop whose <c>v</c> reads <c>x[i]</c>.</item>
/// <item><c>break</c>, <c>continue</c> and <c>return</c> anywhere become int flags: the statement sets its
/// flag, and the rest of the block (and, for break and return, the rest of the loop's iterations) runs
/// under <c>if (flag == 0)</c>. The reverse sweep replays these branches like any other.</item>
/// </list>
/// </summary>
internal sealed class ProcedureLowerer
{
    private readonly Graph _g;
    private readonly IMethodSymbol _method;
    private readonly Lowerer _lowerer;
    private readonly Frame _frame;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _ct;
    private readonly NameBuilder _names;
    private readonly HashSet<string> _counterNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _activeCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<ISymbol, string> _arrays = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _inputs = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<SyntaxNode, (string? Break, string? Continue)> _loopFlags = new();
    private readonly HashSet<ISymbol> _assignedSymbols = new(SymbolEqualityComparer.Default);
    private string? _returned;
    private string? _result;
    private int _depth;

    public ProcedureLowerer(Graph graph, IMethodSymbol method, SemanticModel model, IEnumerable<string> reserved,
        List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        _g = graph;
        _method = method;
        _diagnostics = diagnostics;
        _ct = ct;
        _names = new NameBuilder(reserved);
        _lowerer = new Lowerer(graph, method, model, inlineCalls: true, diagnostics, ct) { Arrays = _arrays };
        _frame = new Frame(graph);
    }

    /// <summary>Lowers the body; null when a diagnostic was reported.</summary>
    public Procedure? Lower(IOperation body, IReadOnlyList<ParameterModel> parameters)
    {
        var list = new List<Parameter>();
        for (int i = 0; i < parameters.Count; i++)
        {
            var model = parameters[i];
            var symbol = _method.Parameters[i];
            _names.Reserve(model.Name);
            if (model.IsArray)
            {
                _names.Reserve(model.Name + ".Length");
                _arrays[symbol] = model.Name;
                _inputs.Add(symbol);
                list.Add(new Parameter(model.Name, ValueKind.Array, model.Kind == ParameterKind.Differentiable));
            }
            else
            {
                _frame.Values[symbol] = _g.Var(model.Name);
                list.Add(model.Kind == ParameterKind.Int
                    ? new Parameter(model.Name, ValueKind.Integer, Differentiable: false)
                    : new Parameter(model.Name, ValueKind.Real, model.Kind == ParameterKind.Differentiable));
            }
        }

        CollectAssignments(body);
        int before = _diagnostics.Count;
        var statements = new List<Statement>();
        var operations = Operations(body);
        bool single = operations.Count > 0 && operations[operations.Count - 1] is IReturnOperation && CountReturns(body) == 1;
        if (!single)
        {
            // Early returns: every return stores the value and sets a flag that guards what follows.
            _result = _names.Unique("result");
            _returned = _names.Unique("returned");
            statements.Add(new Declare(_result, ValueKind.Real, _g.Zero));
            statements.Add(new Declare(_returned, ValueKind.Integer, _g.Zero));
        }

        statements.AddRange(LowerList(operations, 0));
        if (!single)
        {
            statements.Add(new Return(_g.Var(_result!)));
        }

        if (_diagnostics.Count > before || _lowerer.HadInlineErrors)
        {
            return null;
        }

        return new Procedure(_method.Name, list, new Block(statements), _g);
    }

    private static int CountReturns(IOperation body)
    {
        int n = 0;
        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is IReturnOperation)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Locals and loop counters the method assigns anywhere (a loop bound must not read them).</summary>
    private void CollectAssignments(IOperation body)
    {
        foreach (var op in body.DescendantsAndSelf())
        {
            IOperation? target = op switch
            {
                ISimpleAssignmentOperation a => a.Target,
                ICompoundAssignmentOperation c => c.Target,
                IIncrementOrDecrementOperation s => s.Target,
                _ => null,
            };
            if (target is ILocalReferenceOperation local)
            {
                _assignedSymbols.Add(local.Local);
            }
        }
    }

    private static IReadOnlyList<IOperation> Operations(IOperation op) => op switch
    {
        IBlockOperation block => block.Operations,
        _ => new[] { op },
    };

    // ---- statements -------------------------------------------------------------------------

    /// <summary>Lowers <paramref name="ops"/> from <paramref name="start"/>; after a statement that can exit, the rest runs under a guard.</summary>
    private List<Statement> LowerList(IReadOnlyList<IOperation> ops, int start)
    {
        var output = new List<Statement>();
        for (int k = start; k < ops.Count; k++)
        {
            _ct.ThrowIfCancellationRequested();
            Statement(ops[k], output);
            if (k + 1 < ops.Count && ExitGuard(ops[k]) is { } guard)
            {
                _depth++;
                var rest = LowerList(ops, k + 1);
                _depth--;
                if (rest.Count > 0)
                {
                    output.Add(new If(guard, new Block(rest), Block.Empty));
                }

                return output;
            }
        }

        return output;
    }

    /// <summary>The condition under which execution continues after <paramref name="op"/>, when <paramref name="op"/> can exit.</summary>
    private Node? ExitGuard(IOperation op)
    {
        Node? guard = null;
        void Require(string? flag)
        {
            if (flag is null)
            {
                return;
            }

            var clear = _g.Equal(_g.Var(flag), _g.Zero);
            guard = guard is null ? clear : _g.And(guard, clear);
        }

        var (returns, breaks, continues) = Exits(op.Syntax);
        if (returns)
        {
            Require(_returned);
        }

        if (breaks is not null)
        {
            Require(_loopFlags.TryGetValue(breaks, out var f) ? f.Break : null);
        }

        if (continues is not null)
        {
            Require(_loopFlags.TryGetValue(continues, out var f) ? f.Continue : null);
        }

        return guard;
    }

    /// <summary>Whether <paramref name="syntax"/> holds a return, and the loops outside it that its break and continue statements leave.</summary>
    private static (bool Returns, SyntaxNode? Breaks, SyntaxNode? Continues) Exits(SyntaxNode syntax)
    {
        bool returns = false;
        SyntaxNode? breaks = null, continues = null;
        foreach (var node in syntax.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case ReturnStatementSyntax:
                    returns = true;
                    break;
                case BreakStatementSyntax or ContinueStatementSyntax:
                    var loop = EnclosingLoop(node);
                    if (loop is not null && !syntax.Span.Contains(loop.Span))
                    {
                        if (node is BreakStatementSyntax)
                        {
                            breaks = loop;
                        }
                        else
                        {
                            continues = loop;
                        }
                    }

                    break;
            }
        }

        return (returns, breaks, continues);
    }

    private static SyntaxNode? EnclosingLoop(SyntaxNode node)
    {
        for (var n = node.Parent; n is not null; n = n.Parent)
        {
            if (n is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or SwitchStatementSyntax)
            {
                return n;
            }
        }

        return null;
    }

    private void Statement(IOperation op, List<Statement> output)
    {
        switch (op)
        {
            case IBlockOperation block:
                output.AddRange(LowerList(block.Operations, 0));
                break;
            case IEmptyOperation:
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        Declare(declarator, declaration, output);
                    }
                }

                break;
            case IExpressionStatementOperation expression:
                ExpressionStatement(expression, output);
                break;
            case IReturnOperation ret when ret.ReturnedValue is not null:
                var value = Expression(ret.ReturnedValue);
                if (_returned is null)
                {
                    output.Add(new Return(value));
                }
                else
                {
                    output.Add(new Assign(_result!, value));
                    output.Add(new Assign(_returned, _g.One));
                }

                break;
            case IConditionalOperation conditional:
                var condition = Expression(conditional.Condition);
                if (condition.IsConstant)
                {
                    // decided at compile time (the simplifier folded it): only the branch taken remains
                    var taken = condition.Value != 0 ? conditional.WhenTrue : conditional.WhenFalse;
                    if (taken is not null)
                    {
                        _depth++;
                        output.AddRange(LowerList(Operations(taken), 0));
                        _depth--;
                    }

                    break;
                }

                _depth++;
                var then = LowerList(Operations(conditional.WhenTrue), 0);
                var otherwise = conditional.WhenFalse is null ? new List<Statement>() : LowerList(Operations(conditional.WhenFalse), 0);
                _depth--;
                output.Add(new If(condition, new Block(then), new Block(otherwise)));
                break;
            case IForLoopOperation loop:
                For(loop, output);
                break;
            case IForEachLoopOperation loop:
                ForEach(loop, output);
                break;
            case IBranchOperation branch when branch.BranchKind is BranchKind.Break or BranchKind.Continue:
                var target = EnclosingLoop(branch.Syntax);
                if (target is null || !_loopFlags.TryGetValue(target, out var flags))
                {
                    _lowerer.ReportUnsupportedStatement(op);
                    break;
                }

                output.Add(new Assign(branch.BranchKind == BranchKind.Break ? flags.Break! : flags.Continue!, _g.One));
                break;
            default:
                _lowerer.ReportUnsupportedStatement(op);
                break;
        }
    }

    private Node Expression(IOperation op) => _lowerer.LowerExpression(op, _frame);

    private void Declare(IVariableDeclaratorOperation declarator, IVariableDeclarationOperation declaration, List<Statement> output)
    {
        var local = declarator.Symbol;
        var initializer = declarator.Initializer ?? declaration.Initializer;
        if (IsSpan(local.Type) || local.Type is IArrayTypeSymbol)
        {
            DeclareSpan(declarator, local, initializer, output);
            return;
        }

        var kind = local.Type.SpecialType switch
        {
            SpecialType.System_Double or SpecialType.System_Single => ValueKind.Real,
            SpecialType.System_Int32 => ValueKind.Integer,
            _ => (ValueKind?)null,
        };
        if (kind is null)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, declarator.Syntax.ToString(),
                $"locals of type '{local.Type.ToDisplayString()}' are not supported in methods with loops; use double or int");
            _frame.Values[local] = _g.Zero; // reads of it report nothing more
            return;
        }

        var initial = initializer is null ? null : Expression(initializer.Value);
        string name = _names.Unique(local.Name);
        output.Add(new Declare(name, kind.Value, initial));
        _frame.Values[local] = _g.Var(name);
    }

    private void DeclareSpan(IVariableDeclaratorOperation declarator, ILocalSymbol local, IVariableInitializerOperation? initializer, List<Statement> output)
    {
        _arrays[local] = local.Name; // reads of a rejected span report nothing more

        var syntax = (declarator.Syntax as VariableDeclaratorSyntax)?.Initializer?.Value;
        var element = local.Type switch
        {
            INamedTypeSymbol named when named.TypeArguments.Length == 1 => named.TypeArguments[0],
            IArrayTypeSymbol array => array.ElementType,
            _ => null,
        };
        if (local.Type is IArrayTypeSymbol || element?.SpecialType != SpecialType.System_Double)
        {
            Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name,
                local.Type is IArrayTypeSymbol ? "arrays allocate on every call" : $"'{local.Type.ToDisplayString()}' is not a span of double");
            return;
        }

        if (_depth > 0)
        {
            Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name,
                "local spans are declared only at the top level of the method, not inside a loop, a branch or after an early return");
            return;
        }

        ExpressionSyntax? size = syntax is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } type }
            && type.RankSpecifiers[0].Sizes.Count == 1 ? type.RankSpecifiers[0].Sizes[0] : null;
        if (size is null || size is OmittedArraySizeExpressionSyntax || initializer is null)
        {
            Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name, "it must be created by 'stackalloc double[length]' without an initializer list");
            return;
        }

        var sizeOp = FindOperation(initializer.Value, size);
        if (sizeOp is null || sizeOp.Type?.SpecialType != SpecialType.System_Int32)
        {
            Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name, "its length must be an int expression");
            return;
        }

        string name = _names.Unique(local.Name);
        _names.Reserve(name + ".Length");
        output.Add(new Declare(name, ValueKind.Array, Length: Expression(sizeOp)));
        _arrays[local] = name;
    }

    private static IOperation? FindOperation(IOperation root, SyntaxNode syntax)
    {
        foreach (var op in root.DescendantsAndSelf())
        {
            if (op.Syntax == syntax)
            {
                return op;
            }
        }

        return null;
    }

    private static bool IsSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" };

    private void ExpressionStatement(IExpressionStatementOperation statement, List<Statement> output)
    {
        switch (statement.Operation)
        {
            case ISimpleAssignmentOperation assignment:
                Write(assignment.Target, _ => Expression(assignment.Value), output);
                break;
            case ICompoundAssignmentOperation compound:
                if (compound.OperatorMethod is not null)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, compound.Syntax, compound.Syntax.ToString(),
                        "user-defined operators are not supported; use double arithmetic");
                    return;
                }

                Write(compound.Target, old =>
                {
                    var right = Expression(compound.Value);
                    return old is null ? _g.Zero : _lowerer.LowerCompound(compound.OperatorKind, old, right, compound.Target.Type, compound);
                }, output, readsOld: true);
                break;
            case IIncrementOrDecrementOperation step:
                Write(step.Target, old => old is null ? _g.Zero
                    : step.Kind == OperationKind.Increment ? _g.Add(old, _g.One) : _g.Sub(old, _g.One), output, readsOld: true);
                break;
            default:
                _lowerer.ReportUnsupportedStatement(statement);
                break;
        }
    }

    /// <summary>Writes a local scalar or a local span's element; <paramref name="value"/> gets the old value when <paramref name="readsOld"/>.</summary>
    private void Write(IOperation target, Func<Node?, Node> value, List<Statement> output, bool readsOld = false)
    {
        if (_lowerer.IsElement(target, out var array, out var index))
        {
            var symbol = SymbolOf(target);
            if (symbol is not null && _inputs.Contains(symbol))
            {
                Report(DiagnosticDescriptors.WriteToInput, target.Syntax, symbol.Name);
                return;
            }

            var at = Expression(index!);
            output.Add(new Store(array, at, value(readsOld ? _g.Load(array, at) : null)));
            return;
        }

        switch (target)
        {
            case ILocalReferenceOperation local when _activeLoopVariables.Contains(local.Local):
                Report(DiagnosticDescriptors.UnsupportedLoop, target.Syntax, $"the loop variable '{local.Local.Name}' is assigned in the body");
                return;
            case ILocalReferenceOperation local when _frame.Values.TryGetValue(local.Local, out var current) && current.Op == Op.Var:
                output.Add(new Assign(current.Name!, value(readsOld ? current : null)));
                return;
            case IParameterReferenceOperation parameter:
                Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, parameter.Parameter.Name, "parameter");
                return;
            case IFieldReferenceOperation field:
                Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, field.Field.Name, "field");
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, target.Syntax, target.Syntax.ToString(),
                    "only locals and elements of local spans can be assigned");
                return;
        }
    }

    private static ISymbol? SymbolOf(IOperation element)
    {
        IOperation? instance = element switch
        {
            IArrayElementReferenceOperation a => a.ArrayReference,
            IPropertyReferenceOperation p => p.Instance,
            _ => null,
        };
        while (instance is IConversionOperation conversion)
        {
            instance = conversion.Operand;
        }

        return instance switch
        {
            IParameterReferenceOperation p => p.Parameter,
            ILocalReferenceOperation l => l.Local,
            _ => null,
        };
    }

    // ---- loops ------------------------------------------------------------------------------

    private readonly HashSet<ISymbol> _activeLoopVariables = new(SymbolEqualityComparer.Default);

    private void For(IForLoopOperation loop, List<Statement> output)
    {
        var syntax = (ForStatementSyntax)loop.Syntax;
        if (!CountedLoop(loop, out var counter, out var first, out var condition, out int step, out string why))
        {
            Report(DiagnosticDescriptors.UnsupportedLoop, syntax.ForKeyword, why);
            return;
        }

        var start = Expression(first!);
        var binary = (IBinaryOperation)condition!;
        var bound = Expression(binary.RightOperand);
        foreach (var read in binary.RightOperand.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (_assignedSymbols.Contains(read.Local) && loop.Body.Syntax.DescendantNodesAndSelf().Any(n => AssignsLocal(n, read.Local)))
            {
                Report(DiagnosticDescriptors.UnsupportedLoop, binary.Syntax, $"the bound reads '{read.Local.Name}', which the body changes");
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
                Report(DiagnosticDescriptors.UnsupportedLoop, binary.Syntax,
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

    private void ForEach(IForEachLoopOperation loop, List<Statement> output)
    {
        var syntax = (CommonForEachStatementSyntax)loop.Syntax;
        string? array = _lowerer.ArrayOf(loop.Collection);
        if (array is null || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var variable }
            || variable.Type.SpecialType != SpecialType.System_Double)
        {
            Report(DiagnosticDescriptors.UnsupportedLoop, syntax.ForEachKeyword,
                "foreach runs only over a span or array of double parameter or local span, with a double loop variable");
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

        _activeCounters.Add(name);
        _depth++;
        var statements = new List<Statement>();
        if (continueFlag is not null)
        {
            statements.Add(new Assign(continueFlag, _g.Zero));
        }

        var inner = LowerList(Operations(body), 0);

        // After a break or a return, the remaining iterations do nothing.
        Node? guard = null;
        if (breakFlag is not null)
        {
            guard = _g.Equal(_g.Var(breakFlag), _g.Zero);
        }

        if (_returned is not null && Exits(body.Syntax).Returns)
        {
            var clear = _g.Equal(_g.Var(_returned), _g.Zero);
            guard = guard is null ? clear : _g.And(guard, clear);
        }

        if (guard is not null)
        {
            statements.Add(new If(guard, new Block(inner), Block.Empty));
        }
        else
        {
            statements.AddRange(inner);
        }

        _depth--;
        _activeCounters.Remove(name);
        if (counter is not null)
        {
            _activeLoopVariables.Remove(counter);
        }

        output.Add(new For(name, start, end, new Block(statements), backward));
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

    private void Report(DiagnosticDescriptor descriptor, SyntaxNodeOrToken at, params string[] args)
    {
        var location = at.IsNode ? LocationInfo.From(at.AsNode()!) : LocationInfo.From(at.AsToken());
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
    }
}
