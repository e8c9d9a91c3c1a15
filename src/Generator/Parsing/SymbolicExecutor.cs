using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>What lowering a body to one expression gave.</summary>
internal enum ScalarOutcome
{
    /// <summary>One expression for the returned value.</summary>
    Lowered,

    /// <summary>Errors were reported.</summary>
    Failed,

    /// <summary>
    /// The body has statements that do not execute symbolically (loops with runtime bounds or more
    /// iterations than are unrolled, break, continue, foreach, ...): lower it with <see cref="ProcedureLowerer"/>.
    /// </summary>
    NeedsStatements,
}

/// <summary>The result of <see cref="SymbolicExecutor.LowerMethod"/>.</summary>
/// <param name="Outcome">Which road the method takes.</param>
/// <param name="Value">The returned value's expression; null when the body needs statements or an inlined callee failed.</param>
/// <param name="UsedCalls">True when a call of another [Differentiable] method was kept as a call node.</param>
internal readonly record struct ScalarLowering(ScalarOutcome Outcome, Node? Value, bool UsedCalls);

/// <summary>
/// Lowers a method body to one expression DAG by symbolic execution: locals hold nodes, assignments
/// replace them, <c>if</c>/<c>else</c>, ternaries and early returns become selects (the simplifier masks
/// the untaken branch, so its derivative cannot leak a NaN), and <c>for</c>, <c>while</c> and <c>do</c>
/// loops whose conditions fold to constants are unrolled. It also runs the bodies of callees that are
/// inlined, on both roads. Unsupported expressions become diagnostics at the offending syntax node, and
/// lowering goes on so that one build reports every problem.
/// </summary>
internal sealed class SymbolicExecutor : StatementLowering<Frame>
{
    /// <summary>Most iterations of one loop that are unrolled.</summary>
    public const int MaxLoopIterations = 1000;

    /// <summary>Most loop iterations unrolled in one method, all loops together.</summary>
    public const int MaxTotalIterations = 10000;

    private readonly Graph _g;
    private readonly CallLowerer _calls;
    private int _iterations;
    private bool _needsStatements;

    /// <param name="context">The method being lowered.</param>
    /// <param name="inlineCalls">Inline every call of a [Differentiable] method, not only those that cannot be called.</param>
    /// <param name="arrays">The arrays of a procedure, when this executor inlines callees for <see cref="ProcedureLowerer"/>.</param>
    public SymbolicExecutor(LoweringContext context, bool inlineCalls, Dictionary<ISymbol, string>? arrays = null)
        : base(context)
    {
        _g = context.Graph;
        _calls = new CallLowerer(context, inlineCalls) { Executor = this };
        Expressions = new ExpressionLowerer(context, arrays, _calls);
    }

    public ExpressionLowerer Expressions { get; }

    /// <summary>True when a callee that was inlined had errors of its own (reported at the callee).</summary>
    public bool HadInlineErrors => _calls.HadInlineErrors;

    /// <summary>How calls are lowered (the statement lowering hooks the calls that become statements into it).</summary>
    public CallLowerer Calls => _calls;

    /// <summary>Lowers the root method's body with its parameters bound to <paramref name="arguments"/>.</summary>
    public ScalarLowering LowerMethod(IOperation body, IReadOnlyList<Node> arguments)
    {
        int before = Context.Diagnostics.Count;
        Context.Inlining.Push(Context.Root);
        Node? value;
        try
        {
            value = LowerBody(Context.Root, body, arguments);
        }
        finally
        {
            Context.Inlining.Pop();
        }

        var outcome = _needsStatements ? ScalarOutcome.NeedsStatements
            : value is null || _calls.HadInlineErrors || Context.Diagnostics.Count > before ? ScalarOutcome.Failed
            : ScalarOutcome.Lowered;
        return new ScalarLowering(outcome, _needsStatements || _calls.HadInlineErrors ? null : value, _calls.UsedCalls);
    }

    /// <summary>
    /// Lowers the body of a callee being inlined; <paramref name="executed"/> is false when it has
    /// statements that do not execute symbolically (an error at the call: a callee is inlined symbolically).
    /// </summary>
    public Node? LowerCallee(IMethodSymbol method, IOperation body, IReadOnlyList<Node> arguments, out bool executed)
    {
        bool outer = _needsStatements;
        _needsStatements = false;
        try
        {
            var value = LowerBody(method, body, arguments);
            executed = !_needsStatements;
            return value;
        }
        finally
        {
            _needsStatements = outer;
        }
    }

    private Node? LowerBody(IMethodSymbol method, IOperation body, IReadOnlyList<Node> arguments)
    {
        var frame = new Frame(_g);
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            frame.Values[method.Parameters[i]] = arguments[i];
        }

        Statement(body, frame);
        return frame.Returned;
    }

    private Node Expression(IOperation op, Frame f) => Expressions.Lower(op, f);

    /// <summary>The rest of the body needs the statement lowering: nothing more is executed.</summary>
    private void NeedStatements() => _needsStatements = true;

    protected override bool IsUnreachable(Frame state)
    {
        Context.Cancellation.ThrowIfCancellationRequested();
        return state.HasReturned || _needsStatements;
    }

    protected override void StatementList(IReadOnlyList<IOperation> statements, Frame state)
    {
        foreach (var s in statements)
        {
            Statement(s, state);
        }
    }

    protected override void RejectedLocal(ILocalSymbol local, Frame state) => state.Values[local] = _g.Zero;

    protected override void Declare(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, Frame state)
    {
        var local = declarator.Symbol;
        if (local.Type.TypeKind == TypeKind.Delegate)
        {
            // Reported where the delegate is invoked: the declaration alone does not change the result.
            return;
        }

        if (!ExpressionLowerer.IsScalar(local.Type))
        {
            Context.Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, declarator.Syntax.ToString(),
                $"locals of type '{local.Type.ToDisplayString()}' are not supported; use double, int or bool");
            state.Values[local] = _g.Zero;
            return;
        }

        if (initializer is not null)
        {
            state.Values[local] = Expression(initializer.Value, state);
        }
    }

    protected override void Assign(ISimpleAssignmentOperation assignment, Frame state)
    {
        if (AssignableLocal(assignment.Target) is { } target)
        {
            state.Values[target] = Expression(assignment.Value, state);
        }
    }

    protected override void Deconstruct(List<(ILocalSymbol Target, IOperation Value)> pairs, Frame state)
    {
        var lowered = pairs.Select(p => Expression(p.Value, state)).ToList();
        for (int i = 0; i < pairs.Count; i++)
        {
            state.Values[pairs[i].Target] = lowered[i];
        }
    }

    protected override void CompoundAssign(ICompoundAssignmentOperation compound, Frame state)
    {
        if (AssignableLocal(compound.Target) is { } target)
        {
            var old = Expressions.Read(target, compound.Target, state);
            var right = Expression(compound.Value, state);
            if (Expressions.Binary(compound.OperatorKind, old, right, compound.Target.Type, compound) is { } result)
            {
                state.Values[target] = result;
            }
        }
    }

    protected override void Step(IIncrementOrDecrementOperation step, Frame state)
    {
        if (AssignableLocal(step.Target) is { } target)
        {
            var old = Expressions.Read(target, step.Target, state);
            state.Values[target] = step.Kind == OperationKind.Increment ? _g.Add(old, _g.One) : _g.Sub(old, _g.One);
        }
    }

    protected override void Return(IOperation value, Frame state)
    {
        var returned = Expression(value, state);
        state.Returned = state.Returned is null || state.Done.IsConstantValue(0.0) ? returned : _g.Select(state.Done, state.Returned, returned);
        state.Done = _g.One;
    }

    protected override void If(IConditionalOperation conditional, Frame state)
    {
        var condition = Expression(conditional.Condition, state);
        var whenTrue = state.Clone();
        Statement(conditional.WhenTrue, whenTrue);
        var whenFalse = state.Clone();
        if (conditional.WhenFalse is not null)
        {
            Statement(conditional.WhenFalse, whenFalse);
        }

        Merge(state, condition, whenTrue, whenFalse);
    }

    /// <summary>Unrolls a loop whose condition folds to a constant on every trip, up to the iteration caps.</summary>
    protected override void For(IForLoopOperation loop, Frame state)
    {
        foreach (var before in loop.Before)
        {
            Statement(before, state);
        }

        for (int trip = 0; Continues(loop.Condition, until: false, state) && RunsTrip(trip, loop.Body, state); trip++)
        {
            foreach (var step in loop.AtLoopBottom)
            {
                Statement(step, state);
            }
        }
    }

    /// <summary>Unrolls <c>while</c> and <c>do … while</c> when the condition folds to a constant on every test (a fixed trip count), up to the caps.</summary>
    protected override void While(IWhileLoopOperation loop, Frame state)
    {
        for (int trip = 0; (trip == 0 && !loop.ConditionIsTop) || Continues(loop.Condition, loop.ConditionIsUntil, state); trip++)
        {
            if (!RunsTrip(trip, loop.Body, state))
            {
                return;
            }
        }
    }

    /// <summary>Whether an unrolled loop runs another trip: its condition must fold to a constant, else the loop needs statements.</summary>
    private bool Continues(IOperation? condition, bool until, Frame state)
    {
        Context.Cancellation.ThrowIfCancellationRequested();
        if (condition is null || Expression(condition, state) is not { IsConstant: true } folded)
        {
            NeedStatements();
            return false;
        }

        return (folded.Value != 0) != until;
    }

    /// <summary>Runs one unrolled trip of a loop's body; false when the loop stops here (caps, return, errors).</summary>
    private bool RunsTrip(int trip, IOperation body, Frame state)
    {
        if (trip >= MaxLoopIterations || ++_iterations > MaxTotalIterations)
        {
            NeedStatements();
            return false;
        }

        int before = Context.Diagnostics.Count;
        Statement(body, state);
        return !state.HasReturned && !_needsStatements && Context.Diagnostics.Count == before;
    }

    protected override void ForEach(IForEachLoopOperation loop, Frame state) => NeedStatements();

    protected override void Branch(IBranchOperation branch, Frame state) => NeedStatements();

    protected override void Unsupported(IOperation statement, Frame state) => NeedStatements();

    /// <summary>The local an assignment writes, or null (with a diagnostic) for anything else.</summary>
    private ILocalSymbol? AssignableLocal(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                return local.Local;
            case IParameterReferenceOperation parameter:
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, parameter.Parameter.Name, "parameter");
                return null;
            case IFieldReferenceOperation field:
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, field.Field.Name, "field");
                return null;
            case IPropertyReferenceOperation property:
                Context.Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, property.Property.Name, "property");
                return null;
            default:
                Context.Report(DiagnosticDescriptors.UnsupportedExpression, target.Syntax, target.Syntax.ToString(),
                    "only locals can be assigned; use a local variable");
                return null;
        }
    }

    /// <summary>Joins the states after the two branches of <paramref name="condition"/> into <paramref name="f"/>.</summary>
    private void Merge(Frame f, Node condition, Frame whenTrue, Frame whenFalse)
    {
        if (condition.IsConstant)
        {
            var taken = condition.Value != 0 ? whenTrue : whenFalse;
            f.Values.Clear();
            foreach (var pair in taken.Values)
            {
                f.Values[pair.Key] = pair.Value;
            }

            f.Done = taken.Done;
            f.Returned = taken.Returned;
            return;
        }

        var keys = new HashSet<ISymbol>(whenTrue.Values.Keys, SymbolEqualityComparer.Default);
        keys.UnionWith(whenFalse.Values.Keys);
        foreach (var key in keys)
        {
            bool inTrue = whenTrue.Values.TryGetValue(key, out var a);
            bool inFalse = whenFalse.Values.TryGetValue(key, out var b);
            if (!inTrue || whenTrue.HasReturned)
            {
                if (inFalse)
                {
                    f.Values[key] = b!;
                }
            }
            else if (!inFalse || whenFalse.HasReturned)
            {
                f.Values[key] = a!;
            }
            else
            {
                f.Values[key] = _g.Select(condition, a!, b!);
            }
        }

        f.Done = KnownFunctions.Or(_g, KnownFunctions.And(_g, condition, whenTrue.Done), KnownFunctions.And(_g, KnownFunctions.Not(_g, condition), whenFalse.Done));
        if (whenTrue.Returned is null || ReferenceEquals(whenTrue.Returned, whenFalse.Returned))
        {
            f.Returned = whenFalse.Returned;
        }
        else if (whenFalse.Returned is null)
        {
            f.Returned = whenTrue.Returned;
        }
        else
        {
            f.Returned = _g.Select(condition, whenTrue.Returned, whenFalse.Returned);
        }
    }
}
