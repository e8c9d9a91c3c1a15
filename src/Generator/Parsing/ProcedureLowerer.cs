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
/// with the trip count. Expressions are lowered by <see cref="ExpressionLowerer"/> (locals read as
/// variables, <c>x[i]</c> as loads); statements are dispatched by <see cref="StatementLowering{TState}"/>.
/// <list type="bullet">
/// <item>Locals get unique names (a name reused by another C# scope gets a numeric suffix); loop
/// counters of sibling loops share a name.</item>
/// <item><c>for (int i = a; i &lt; b; i++)</c> (also <c>&lt;=</c>, <c>i += 1</c>, <c>++i</c>, and counting down
/// with <c>&gt;</c>/<c>&gt;=</c> and <c>i--</c>) becomes a counted <see cref="For"/>; <c>foreach (var v in x)</c>
/// over a span or array an index loop whose <c>v</c> reads <c>x[i]</c>; <c>while</c> and <c>do</c> a <see cref="While"/>.</item>
/// <item><c>break</c>, <c>continue</c> and <c>return</c> anywhere become int flags: the statement sets its
/// flag, and the rest of the block (and, for break and return, the rest of the loop's iterations) runs
/// under <c>if (flag == 0)</c>. The reverse sweep replays these branches like any other.</item>
/// </list>
/// </summary>
internal sealed partial class ProcedureLowerer : StatementLowering<List<Statement>>
{
    private readonly Graph _g;
    private readonly SymbolicExecutor _executor;
    private readonly ExpressionLowerer _expressions;
    private readonly Frame _frame;
    private readonly NameBuilder _names;
    private readonly HashSet<string> _counterNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _activeCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<ISymbol, string> _arrays = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _inputs = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<SyntaxNode, (string? Break, string? Continue)> _loopFlags = new();
    private readonly HashSet<ISymbol> _assignedSymbols = new(SymbolEqualityComparer.Default);
    private readonly List<Statement> _callResults = new();
    private readonly List<Statement> _pendingCalls = new();
    private string? _returned;
    private string? _result;
    private int _depth;
    private bool _reportedDepth;

    /// <summary>Deepest nesting of lowered statements (branches, loops, and the rest of a block after an early exit).</summary>
    public const int MaxStatementDepth = 500;

    /// <param name="context">The method being lowered.</param>
    /// <param name="reserved">Names the procedure's locals must not take (the generated members' parameters).</param>
    public ProcedureLowerer(LoweringContext context, IEnumerable<string> reserved)
        : base(context)
    {
        _g = context.Graph;
        _names = new NameBuilder(reserved);
        // Callees are inlined by symbolic execution, with their expressions lowered as the procedure's are.
        _executor = new SymbolicExecutor(context, inlineCalls: true, _arrays);
        _expressions = _executor.Expressions;
        _executor.Calls.SpanCall = LowerSpanCall;
        _executor.Calls.TensorReduction = LowerTensorReduction;
        _frame = new Frame(_g);
    }

    /// <summary>Lowers the body; null when a diagnostic was reported.</summary>
    public Procedure? Lower(IOperation body, IReadOnlyList<ParameterModel> parameters)
    {
        var list = new List<Parameter>();
        for (int i = 0; i < parameters.Count; i++)
        {
            var model = parameters[i];
            var symbol = Context.Root.Parameters[i];
            _names.Reserve(model.Name);
            if (model.IsArray)
            {
                _names.Reserve(model.Name + ".Length");
                _arrays[symbol] = model.Name;
                if (model.Kind == ParameterKind.Output)
                {
                    // a vector-output method's span: written like a local span, its final contents the outputs
                    list.Add(new Parameter(model.Name, ValueKind.Array, Differentiable: false, IsOutput: true));
                    continue;
                }

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
        int before = Context.Diagnostics.Count;
        var statements = new List<Statement>();
        var operations = Operations(body);
        // a void (vector-output) method returns nothing: no result local and no return statement
        bool single = Context.Root.ReturnsVoid
            || (operations.Count > 0 && operations[operations.Count - 1] is IReturnOperation && CountReturns(body) == 1);
        if (Context.Root.ReturnsVoid && CountReturns(body) > 0)
        {
            // 'return;' sets a flag that guards what follows, as a valued early return does
            _returned = _names.Unique("returned");
            statements.Add(new Declare(_returned, ValueKind.Integer, _g.Zero));
        }

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

        if (Context.Diagnostics.Count > before || _executor.HadInlineErrors)
        {
            return null;
        }

        // the one-element arrays that hold the values of calls of span methods, declared at the top level
        statements.InsertRange(0, _callResults);

        return new Procedure(Context.Root.Name, list, new Block(statements), _g);
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
        if (_depth > MaxStatementDepth)
        {
            // Each early exit nests the statements after it one level deeper; the statement IR and its
            // differentiation are trees, so their depth is bounded here rather than by the stack.
            if (!_reportedDepth && start < ops.Count)
            {
                _reportedDepth = true;
                Context.Report(DiagnosticDescriptors.NestedTooDeeply, ops[start].Syntax.GetFirstToken(), Context.Root.Name,
                    $"statements are nested more than {MaxStatementDepth} levels deep here, counting one level for the rest of a block after each return, break or continue inside a branch");
            }

            return output;
        }

        for (int k = start; k < ops.Count; k++)
        {
            Context.Cancellation.ThrowIfCancellationRequested();
            int mark = output.Count, pending = _pendingCalls.Count;
            Statement(ops[k], output);
            if (_pendingCalls.Count > pending)
            {
                // calls of span methods in the statement's expressions run just before it
                output.InsertRange(mark, _pendingCalls.GetRange(pending, _pendingCalls.Count - pending));
                _pendingCalls.RemoveRange(pending, _pendingCalls.Count - pending);
            }

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

    protected override void StatementList(IReadOnlyList<IOperation> statements, List<Statement> output) => output.AddRange(LowerList(statements, 0));

    protected override void Return(IOperation value, List<Statement> output)
    {
        var returned = Expression(value);
        if (_returned is null)
        {
            output.Add(new Return(returned));
        }
        else
        {
            output.Add(new Assign(_result!, returned));
            output.Add(new Assign(_returned, _g.One));
        }
    }

    protected override void If(IConditionalOperation conditional, List<Statement> output)
    {
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

            return;
        }

        _depth++;
        var then = LowerList(Operations(conditional.WhenTrue), 0);
        var otherwise = conditional.WhenFalse is null ? new List<Statement>() : LowerList(Operations(conditional.WhenFalse), 0);
        _depth--;
        output.Add(new If(condition, new Block(then), new Block(otherwise)));
    }

    protected override void Branch(IBranchOperation branch, List<Statement> output)
    {
        var target = EnclosingLoop(branch.Syntax);
        if (target is null || !_loopFlags.TryGetValue(target, out var flags))
        {
            ReportUnsupportedStatement(branch);
            return;
        }

        output.Add(new Assign(branch.BranchKind == BranchKind.Break ? flags.Break! : flags.Continue!, _g.One));
    }

    protected override void Unsupported(IOperation statement, List<Statement> output)
    {
        if (statement is IReturnOperation { ReturnedValue: null } && _returned is not null)
        {
            output.Add(new Assign(_returned, _g.One));
        }
        else if (!LowerSpanClear(statement, output) && !LowerLayerCall(statement, output) && !LowerTensorMap(statement, output))
        {
            ReportUnsupportedStatement(statement);
        }
    }

    private Node Expression(IOperation op) => _expressions.Lower(op, _frame);

    protected override void RejectedLocal(ILocalSymbol local, List<Statement> output) => _frame.Values[local] = _g.Zero;

    protected override void Declare(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Statement> output)
    {
        var local = declarator.Symbol;
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
            Context.Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, declarator.Syntax.ToString(),
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
        bool single = Precision.IsSingle(Context.Root);
        if (local.Type is IArrayTypeSymbol || element?.SpecialType != (single ? SpecialType.System_Single : SpecialType.System_Double))
        {
            Context.Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name,
                local.Type is IArrayTypeSymbol ? "arrays allocate on every call" : $"'{local.Type.ToDisplayString()}' is not a span of {Precision.Keyword(single)}");
            return;
        }

        if (_depth > 0)
        {
            Context.Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name,
                "local spans are declared only at the top level of the method, not inside a loop, a branch or after an early return");
            return;
        }

        if (initializer is not null && InitialElements(syntax) is { } elements)
        {
            // 'stackalloc double[] { … }' or '[ … ]': a span of that many elements, written in order.
            var values = new List<Node>();
            foreach (var item in elements)
            {
                if (FindOperation(initializer.Value, item) is not { } elementOp)
                {
                    Context.Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name, "its elements must be double expressions");
                    return;
                }

                values.Add(Expression(elementOp));
            }

            string declared = DeclareArray(local, _g.Const(values.Count), output);
            for (int k = 0; k < values.Count; k++)
            {
                output.Add(new Store(declared, _g.Const(k), values[k]));
            }

            return;
        }

        ExpressionSyntax? size = syntax is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } type, Initializer: null }
            && type.RankSpecifiers[0].Sizes.Count == 1 ? type.RankSpecifiers[0].Sizes[0] : null;
        if (size is null || size is OmittedArraySizeExpressionSyntax || initializer is null)
        {
            Context.Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name,
                "it must be created by 'stackalloc double[length]', 'stackalloc double[] { … }' or '[ … ]' (without spreads)");
            return;
        }

        var sizeOp = FindOperation(initializer.Value, size);
        if (sizeOp is null || sizeOp.Type?.SpecialType != SpecialType.System_Int32)
        {
            Context.Report(DiagnosticDescriptors.UnsupportedLocalSpan, declarator.Syntax, local.Name, "its length must be an int expression");
            return;
        }

        DeclareArray(local, Expression(sizeOp), output);
    }

    private string DeclareArray(ILocalSymbol local, Node length, List<Statement> output)
    {
        string name = _names.Unique(local.Name);
        _names.Reserve(name + ".Length");
        output.Add(new Declare(name, ValueKind.Array, Length: length));
        _arrays[local] = name;
        return name;
    }

    /// <summary>The elements of <c>stackalloc double[] { … }</c>, <c>stackalloc[] { … }</c> or a collection expression without spreads; null for anything else.</summary>
    private static IReadOnlyList<ExpressionSyntax>? InitialElements(ExpressionSyntax? syntax) => syntax switch
    {
        StackAllocArrayCreationExpressionSyntax { Initializer: { } list } => list.Expressions,
        ImplicitStackAllocArrayCreationExpressionSyntax { Initializer: var list } => list.Expressions,
        CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
            collection.Elements.Select(e => ((ExpressionElementSyntax)e).Expression).ToList(),
        _ => null,
    };

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

    protected override void Assign(ISimpleAssignmentOperation assignment, List<Statement> output) =>
        Write(assignment.Target, _ => Expression(assignment.Value), output);

    protected override void Deconstruct(List<(ILocalSymbol Target, IOperation Value)> pairs, List<Statement> output)
    {
        // All values into temporaries first.
        var temporaries = new List<(string Name, ValueKind Kind)>();
        foreach (var (target, value) in pairs)
        {
            var kind = target.Type.SpecialType == SpecialType.System_Int32 ? ValueKind.Integer : ValueKind.Real;
            string name = _names.Unique(target.Name + "_value");
            output.Add(new Declare(name, kind, Expression(value)));
            temporaries.Add((name, kind));
        }

        for (int i = 0; i < pairs.Count; i++)
        {
            var target = pairs[i].Target;
            if (_frame.Values.TryGetValue(target, out var current) && current.Op == Op.Var)
            {
                output.Add(new Assign(current.Name!, _g.Var(temporaries[i].Name)));
            }
            else
            {
                string name = _names.Unique(target.Name);
                output.Add(new Declare(name, temporaries[i].Kind, _g.Var(temporaries[i].Name)));
                _frame.Values[target] = _g.Var(name);
            }
        }
    }

    protected override void CompoundAssign(ICompoundAssignmentOperation compound, List<Statement> output) =>
        Write(compound.Target, old =>
        {
            var right = Expression(compound.Value);
            return old is null ? _g.Zero : _expressions.Binary(compound.OperatorKind, old, right, compound.Target.Type, compound) ?? _g.Zero;
        }, output, readsOld: true);

    protected override void Step(IIncrementOrDecrementOperation step, List<Statement> output) =>
        Write(step.Target, old => old is null ? _g.Zero
            : step.Kind == OperationKind.Increment ? _g.Add(old, _g.One) : _g.Sub(old, _g.One), output, readsOld: true);

    /// <summary>Writes a local scalar or a local span's element; <paramref name="value"/> gets the old value when <paramref name="readsOld"/>.</summary>
    private void Write(IOperation target, Func<Node?, Node> value, List<Statement> output, bool readsOld = false)
    {
        if (_expressions.IsElement(target, out var array, out var index))
        {
            var symbol = SymbolOf(target);
            if (symbol is IFieldSymbol or IPropertySymbol)
            {
                // A constant table: generated code never writes the user's data.
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, symbol.Name, symbol is IFieldSymbol ? "field" : "property");
                return;
            }

            if (symbol is not null && _inputs.Contains(symbol))
            {
                Context.Report(DiagnosticDescriptors.WriteToInput, target.Syntax, symbol.Name);
                return;
            }

            var at = Expression(index!);
            output.Add(new Store(array, at, value(readsOld ? _g.Load(array, at) : null)));
            return;
        }

        switch (target)
        {
            case ILocalReferenceOperation local when _activeLoopVariables.Contains(local.Local):
                Context.Report(DiagnosticDescriptors.UnsupportedLoop, target.Syntax, $"the loop variable '{local.Local.Name}' is assigned in the body");
                return;
            case ILocalReferenceOperation local when _frame.Values.TryGetValue(local.Local, out var current) && current.Op == Op.Var:
                output.Add(new Assign(current.Name!, value(readsOld ? current : null)));
                return;
            case ILocalReferenceOperation local when _frame.Values.ContainsKey(local.Local):
                return; // a ref local or a local of an unsupported type: reported at its declaration
            case IParameterReferenceOperation parameter:
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, parameter.Parameter.Name, "parameter");
                return;
            case IFieldReferenceOperation field:
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, field.Field.Name, "field");
                return;
            default:
                Context.Report(DiagnosticDescriptors.UnsupportedExpression, target.Syntax, target.Syntax.ToString(),
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
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation p => p.Property,
            _ => null,
        };
    }
}
