using System.Collections.Generic;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// The one dispatch over C# statements, shared by both roads: the <see cref="SymbolicExecutor"/>
/// (the state is the <see cref="Frame"/> of local values) and the <see cref="ProcedureLowerer"/> (the
/// state is the statement list being written). Each road says what a statement kind does to its state;
/// the checks every road makes (ref locals, deconstructions, user-defined operators) are made here once.
/// </summary>
/// <typeparam name="TState">What lowering a statement changes.</typeparam>
internal abstract class StatementLowering<TState>
{
    protected StatementLowering(LoweringContext context)
    {
        Context = context;
    }

    protected LoweringContext Context { get; }

    protected void Statement(IOperation op, TState state)
    {
        if (IsUnreachable(state))
        {
            return;
        }

        switch (op)
        {
            case IBlockOperation block:
                StatementList(block.Operations, state);
                break;
            case IEmptyOperation:
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        if (RejectRefLocal(declarator))
                        {
                            RejectedLocal(declarator.Symbol, state);
                            continue;
                        }

                        Declare(declarator, declarator.Initializer ?? declaration.Initializer, state);
                    }
                }

                break;
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }:
                Assign(assignment, state);
                break;
            case IExpressionStatementOperation { Operation: IDeconstructionAssignmentOperation deconstruction }:
                if (Deconstruction(deconstruction) is { } pairs)
                {
                    Deconstruct(pairs, state);
                }

                break;
            case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation compound }:
                if (compound.OperatorMethod is not null)
                {
                    Context.Report(DiagnosticDescriptors.UnsupportedExpression, compound.Syntax, compound.Syntax.ToString(),
                        "user-defined operators are not supported; use double arithmetic");
                    break;
                }

                if (Precision.CheckCompound(compound, Precision.IsSingle(Context.Root), Context))
                {
                    CompoundAssign(compound, state);
                }

                break;
            case IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation step }:
                Step(step, state);
                break;
            case IReturnOperation { ReturnedValue: { } value }:
                Return(value, state);
                break;
            case IConditionalOperation conditional:
                If(conditional, state);
                break;
            case IForLoopOperation loop:
                For(loop, state);
                break;
            case IForEachLoopOperation loop:
                ForEach(loop, state);
                break;
            case IWhileLoopOperation loop:
                While(loop, state);
                break;
            case IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } branch:
                Branch(branch, state);
                break;
            default:
                Unsupported(op, state);
                break;
        }
    }

    /// <summary>True when nothing after this point runs (every path has returned).</summary>
    protected virtual bool IsUnreachable(TState state) => false;

    protected abstract void StatementList(IReadOnlyList<IOperation> statements, TState state);

    protected abstract void Declare(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, TState state);

    /// <summary>A <c>ref</c> local, reported at its declaration: reads of it must report nothing more.</summary>
    protected abstract void RejectedLocal(ILocalSymbol local, TState state);

    protected abstract void Assign(ISimpleAssignmentOperation assignment, TState state);

    /// <summary><c>(a, b) = (x, y)</c>: all values are computed before any local is written, as C# does.</summary>
    protected abstract void Deconstruct(List<(ILocalSymbol Target, IOperation Value)> pairs, TState state);

    protected abstract void CompoundAssign(ICompoundAssignmentOperation compound, TState state);

    protected abstract void Step(IIncrementOrDecrementOperation step, TState state);

    protected abstract void Return(IOperation value, TState state);

    protected abstract void If(IConditionalOperation conditional, TState state);

    protected abstract void For(IForLoopOperation loop, TState state);

    protected abstract void ForEach(IForEachLoopOperation loop, TState state);

    /// <summary><c>while</c> and <c>do … while</c>.</summary>
    protected abstract void While(IWhileLoopOperation loop, TState state);

    protected abstract void Branch(IBranchOperation branch, TState state);

    /// <summary>Any other statement.</summary>
    protected abstract void Unsupported(IOperation statement, TState state);

    /// <summary>
    /// Reports a <c>ref</c> local (DG0005) and returns true: the generator would otherwise read it as a
    /// copy, and writes through it would be lost (a silently wrong derivative).
    /// </summary>
    private bool RejectRefLocal(IVariableDeclaratorOperation declarator)
    {
        if (declarator.Symbol.RefKind == RefKind.None)
        {
            return false;
        }

        Context.Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, LoweringContext.Shorten(declarator.Syntax.ToString()),
            "ref locals are not supported; assign the variable or the element itself (y = y * y; h[i] = ...) instead of an alias to it");
        return true;
    }

    /// <summary>
    /// The targets and values of <c>(a, b) = (x, y)</c> or <c>var (a, b) = (x, y)</c> over scalar locals, in
    /// order; null (with a DG0005) for any other deconstruction.
    /// </summary>
    private List<(ILocalSymbol Target, IOperation Value)>? Deconstruction(IDeconstructionAssignmentOperation deconstruction)
    {
        var target = deconstruction.Target is IDeclarationExpressionOperation declared ? declared.Expression : deconstruction.Target;
        var value = deconstruction.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (target is ITupleOperation targets && value is ITupleOperation values && targets.Elements.Length == values.Elements.Length)
        {
            var pairs = new List<(ILocalSymbol, IOperation)>();
            for (int i = 0; i < targets.Elements.Length; i++)
            {
                var element = targets.Elements[i] is IDeclarationExpressionOperation d ? d.Expression : targets.Elements[i];
                if (element is not ILocalReferenceOperation { Local: var local } || !ExpressionLowerer.IsScalar(local.Type) || local.RefKind != RefKind.None)
                {
                    pairs = null;
                    break;
                }

                pairs.Add((local, values.Elements[i]));
            }

            if (pairs is not null)
            {
                return pairs;
            }
        }

        Context.Unsupported(deconstruction, "only a tuple of values assigned to a tuple of double, int or bool locals is supported; assign each local on its own");
        return null;
    }

    /// <summary>Reports the DG0004 of a statement neither road lowers, with what to write instead.</summary>
    protected void ReportUnsupportedStatement(IOperation op)
    {
        var syntax = op.Syntax;
        var (name, instead) = syntax switch
        {
            ForEachVariableStatementSyntax => ("foreach with deconstruction", "write 'foreach (var v in x)' over a span or array of double, or a for loop"),
            ForEachStatementSyntax => ("foreach", "write 'foreach (var v in x)' over a span or array of double parameter or local span, or a for loop"),
            SwitchStatementSyntax => ("switch", "write if/else or a ternary"),
            TryStatementSyntax => ("try", "remove it: generated derivative code does not throw or catch"),
            ThrowStatementSyntax or ExpressionStatementSyntax { Expression: ThrowExpressionSyntax } => ("throw", "remove it: generated derivative code does not throw (return double.NaN instead)"),
            GotoStatementSyntax => ("goto", "restructure the code with if/else and early return"),
            BreakStatementSyntax => ("break", "break and continue are supported only inside for, foreach, while and do loops; leave other constructs with if/else"),
            ContinueStatementSyntax => ("continue", "break and continue are supported only inside for, foreach, while and do loops; leave other constructs with if/else"),
            LocalFunctionStatementSyntax => ("local function", "make it a [Differentiable] method of the type"),
            LockStatementSyntax => ("lock", "remove it: derivative code has no side effects"),
            UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } => ("using", "remove it"),
            YieldStatementSyntax => ("yield", "return a double"),
            CheckedStatementSyntax => ("checked", "remove the checked/unchecked block"),
            UnsafeStatementSyntax or FixedStatementSyntax => ("unsafe", "use safe code"),
            LabeledStatementSyntax => ("labeled", "restructure the code with if/else and early return"),
            _ => (syntax.Kind().ToString(), "use assignments, if/else, for, foreach, while and do loops, break, continue and return"),
        };
        var at = syntax is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } d ? d.UsingKeyword : syntax.GetFirstToken();
        Context.Report(DiagnosticDescriptors.UnsupportedStatement, at, name, instead);
    }
}
