using System;
using System.Collections.Generic;
using System.Globalization;
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
/// Lowers a method body (its <see cref="IOperation"/> tree) to one expression DAG by symbolic
/// execution: locals hold nodes, assignments replace them, <c>if</c>/<c>else</c>, ternaries and early
/// returns become selects (the simplifier masks the untaken branch, so its derivative cannot leak a
/// NaN), and <c>for</c> loops with constant bounds are unrolled. Anything else becomes a diagnostic
/// at the offending syntax node; lowering goes on so that one build reports every problem.
/// </summary>
internal sealed class Lowerer
{
    /// <summary>Most iterations of one loop that are unrolled.</summary>
    public const int MaxLoopIterations = 1000;

    /// <summary>Most loop iterations unrolled in one method, all loops together.</summary>
    public const int MaxTotalIterations = 10000;

    private const string DifferentiableAttribute = "DiffGen.DifferentiableAttribute";

    private readonly Graph _g;
    private readonly IMethodSymbol _root;
    private readonly SemanticModel _rootModel;
    private readonly bool _inlineCalls;
    private readonly CancellationToken _ct;
    private readonly Stack<IMethodSymbol> _inlining = new();
    private List<DiagnosticInfo> _diagnostics;
    private int _iterations;

    public Lowerer(Graph graph, IMethodSymbol root, SemanticModel model, bool inlineCalls, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        _g = graph;
        _root = root;
        _rootModel = model;
        _inlineCalls = inlineCalls;
        _diagnostics = diagnostics;
        _ct = ct;
    }

    /// <summary>True when a call of another [Differentiable] method was kept as a call node.</summary>
    public bool UsedCalls { get; private set; }

    /// <summary>
    /// Procedure mode (<see cref="ProcedureLowerer"/>): the span and array parameters and local spans, by
    /// symbol, with their names in the procedure. Element reads become <see cref="Graph.Load"/> nodes,
    /// <c>x.Length</c> the variable <c>x.Length</c>, and integer <c>/</c> and <c>%</c> the integer operations.
    /// Null when lowering to one DAG.
    /// </summary>
    public Dictionary<ISymbol, string>? Arrays { get; set; }

    /// <summary>Lowers one expression over the values in <paramref name="f"/>.</summary>
    internal Node LowerExpression(IOperation op, Frame f) => Expression(op, f);

    /// <summary>The value of a compound assignment <c>old op= right</c>.</summary>
    internal Node LowerCompound(BinaryOperatorKind kind, Node old, Node right, ITypeSymbol? type, IOperation at) =>
        Binary(kind, old, right, type, at) ?? _g.Zero;

    /// <summary>
    /// Reports a <c>ref</c> local (DG0005) and returns true: the generator would otherwise read it as a
    /// copy, and writes through it would be lost (a silently wrong derivative).
    /// </summary>
    internal bool RejectRefLocal(IVariableDeclaratorOperation declarator)
    {
        if (declarator.Symbol.RefKind == RefKind.None)
        {
            return false;
        }

        Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, Shorten(declarator.Syntax.ToString()),
            "ref locals are not supported; assign the variable or the element itself (y = y * y; h[i] = ...) instead of an alias to it");
        return true;
    }

    /// <summary>Reports the DG0004 of an unsupported statement.</summary>
    internal void ReportUnsupportedStatement(IOperation op) => UnsupportedStatement(op);

    /// <summary>The array an operation names (a span or array parameter or local span), or null.</summary>
    internal string? ArrayOf(IOperation? op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        ISymbol? symbol = op switch
        {
            IParameterReferenceOperation p => p.Parameter,
            ILocalReferenceOperation l => l.Local,
            _ => null,
        };
        return symbol is not null && Arrays is not null && Arrays.TryGetValue(symbol, out var name) ? name : null;
    }

    /// <summary>For <c>x[i]</c> over an array or span: the array's name and the index operation.</summary>
    internal bool IsElement(IOperation op, out string array, out IOperation? index)
    {
        array = "";
        index = null;
        switch (op)
        {
            case IArrayElementReferenceOperation element when element.Indices.Length == 1 && ArrayOf(element.ArrayReference) is { } a:
                array = a;
                index = element.Indices[0];
                return true;
            case IPropertyReferenceOperation property when property.Property.IsIndexer && property.Arguments.Length == 1
                && ArrayOf(property.Instance) is { } b:
                array = b;
                index = property.Arguments[0].Value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Lowers the body of <see cref="_root"/> with its parameters bound to <paramref name="arguments"/>.</summary>
    public Node? LowerRoot(IOperation body, IReadOnlyList<Node> arguments)
    {
        _inlining.Push(_root);
        try
        {
            return LowerBody(_root, body, arguments);
        }
        finally
        {
            _inlining.Pop();
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

    // ---- statements -------------------------------------------------------------------------

    private void Statement(IOperation op, Frame f)
    {
        _ct.ThrowIfCancellationRequested();
        if (f.HasReturned)
        {
            return;
        }

        switch (op)
        {
            case IBlockOperation block:
                foreach (var s in block.Operations)
                {
                    Statement(s, f);
                }

                break;
            case IEmptyOperation:
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        Declare(declarator, declaration, f);
                    }
                }

                break;
            case IExpressionStatementOperation expression:
                ExpressionStatement(expression, f);
                break;
            case IReturnOperation ret when ret.ReturnedValue is not null:
                var value = Expression(ret.ReturnedValue, f);
                f.Returned = f.Returned is null || f.Done.IsConstantValue(0.0) ? value : _g.Select(f.Done, f.Returned, value);
                f.Done = _g.One;
                break;
            case IConditionalOperation conditional:
                If(conditional, f);
                break;
            case IForLoopOperation loop:
                For(loop, f);
                break;
            default:
                UnsupportedStatement(op);
                break;
        }
    }

    private void Declare(IVariableDeclaratorOperation declarator, IVariableDeclarationOperation declaration, Frame f)
    {
        var local = declarator.Symbol;
        if (local.Type.TypeKind == TypeKind.Delegate)
        {
            // Reported where the delegate is invoked: the declaration alone does not change the result.
            return;
        }

        if (RejectRefLocal(declarator))
        {
            f.Values[local] = _g.Zero; // reads of it report nothing more
            return;
        }

        if (!IsScalar(local.Type))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, declarator.Syntax, declarator.Syntax.ToString(),
                $"locals of type '{local.Type.ToDisplayString()}' are not supported; use double, int or bool");
            f.Values[local] = _g.Zero;
            return;
        }

        var initializer = declarator.Initializer ?? declaration.Initializer;
        if (initializer is not null)
        {
            f.Values[local] = Expression(initializer.Value, f);
        }
    }

    /// <summary>
    /// The targets and values of <c>(a, b) = (x, y)</c> or <c>var (a, b) = (x, y)</c> over scalar locals, in
    /// order; null (with a DG0005) for any other deconstruction.
    /// </summary>
    internal List<(ILocalSymbol Target, IOperation Value)>? Deconstruction(IDeconstructionAssignmentOperation deconstruction)
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
                if (element is not ILocalReferenceOperation { Local: var local } || !IsScalar(local.Type) || local.RefKind != RefKind.None)
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

        Unsupported(deconstruction, "only a tuple of values assigned to a tuple of double, int or bool locals is supported; assign each local on its own");
        return null;
    }

    private void ExpressionStatement(IExpressionStatementOperation statement, Frame f)
    {
        switch (statement.Operation)
        {
            case IDeconstructionAssignmentOperation deconstruction:
                if (Deconstruction(deconstruction) is { } pairs)
                {
                    // All values first, as C# does: (a, b) = (b, a) swaps.
                    var lowered = pairs.Select(p => Expression(p.Value, f)).ToList();
                    for (int i = 0; i < pairs.Count; i++)
                    {
                        f.Values[pairs[i].Target] = lowered[i];
                    }
                }

                break;
            case ISimpleAssignmentOperation assignment:
                if (AssignableLocal(assignment.Target) is { } target)
                {
                    f.Values[target] = Expression(assignment.Value, f);
                }

                break;
            case ICompoundAssignmentOperation compound:
                if (AssignableLocal(compound.Target) is { } ctarget)
                {
                    if (compound.OperatorMethod is not null)
                    {
                        Report(DiagnosticDescriptors.UnsupportedExpression, compound.Syntax, compound.Syntax.ToString(),
                            "user-defined operators are not supported; use double arithmetic");
                        return;
                    }

                    var old = Read(ctarget, compound.Target, f);
                    var right = Expression(compound.Value, f);
                    var result = Binary(compound.OperatorKind, old, right, compound.Target.Type, compound);
                    if (result is not null)
                    {
                        f.Values[ctarget] = result;
                    }
                }

                break;
            case IIncrementOrDecrementOperation step:
                if (AssignableLocal(step.Target) is { } starget)
                {
                    var old = Read(starget, step.Target, f);
                    f.Values[starget] = step.Kind == OperationKind.Increment ? _g.Add(old, _g.One) : _g.Sub(old, _g.One);
                }

                break;
            case IThrowOperation:
                UnsupportedStatement(statement);
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement.Syntax, "expression",
                    "only assignments, compound assignments, ++ and -- can stand alone as statements (calls have no effect on the result)");
                break;
        }
    }

    private Node Read(ILocalSymbol local, IOperation at, Frame f)
    {
        if (f.Values.TryGetValue(local, out var value))
        {
            return value;
        }

        // Declared by a construct that is not lowered (an out argument, a pattern, ...): that construct is
        // reported where it stands; otherwise this read is.
        if (_diagnostics.Count == 0)
        {
            Unsupported(at, $"the value of '{local.Name}' comes from a construct the generator does not follow (out arguments, patterns); assign the local with '='");
        }

        f.Values[local] = _g.Zero;
        return _g.Zero;
    }

    /// <summary>The local an assignment writes, or null (with a diagnostic) for anything else.</summary>
    private ILocalSymbol? AssignableLocal(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                return local.Local;
            case IParameterReferenceOperation parameter:
                Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, parameter.Parameter.Name, "parameter");
                return null;
            case IFieldReferenceOperation field:
                Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, field.Field.Name, "field");
                return null;
            case IPropertyReferenceOperation property:
                Report(DiagnosticDescriptors.AssignmentToParameterOrField, target.Syntax, property.Property.Name, "property");
                return null;
            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, target.Syntax, target.Syntax.ToString(),
                    "only locals can be assigned; use a local variable");
                return null;
        }
    }

    private void If(IConditionalOperation conditional, Frame f)
    {
        var condition = Expression(conditional.Condition, f);
        var whenTrue = f.Clone();
        Statement(conditional.WhenTrue, whenTrue);
        var whenFalse = f.Clone();
        if (conditional.WhenFalse is not null)
        {
            Statement(conditional.WhenFalse, whenFalse);
        }

        Merge(f, condition, whenTrue, whenFalse);
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

        f.Done = Or(And(condition, whenTrue.Done), And(Not(condition), whenFalse.Done));
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

    private Node And(Node a, Node b) => KnownFunctions.And(_g, a, b);

    private Node Or(Node a, Node b) => KnownFunctions.Or(_g, a, b);

    private Node Not(Node a) => KnownFunctions.Not(_g, a);

    private void For(IForLoopOperation loop, Frame f)
    {
        foreach (var before in loop.Before)
        {
            Statement(before, f);
        }

        for (int trip = 0; ; trip++)
        {
            _ct.ThrowIfCancellationRequested();
            if (loop.Condition is null)
            {
                Report(DiagnosticDescriptors.LoopBoundNotConstant, loop.Syntax, "(none)");
                return;
            }

            var condition = Expression(loop.Condition, f);
            if (!condition.IsConstant)
            {
                Report(DiagnosticDescriptors.LoopBoundNotConstant, loop.Condition.Syntax, loop.Condition.Syntax.ToString());
                return;
            }

            if (condition.Value == 0)
            {
                return;
            }

            if (trip >= MaxLoopIterations || ++_iterations > MaxTotalIterations)
            {
                int cap = trip >= MaxLoopIterations ? MaxLoopIterations : MaxTotalIterations;
                Report(DiagnosticDescriptors.LoopTooLong, ForKeyword(loop.Syntax), cap.ToString(CultureInfo.InvariantCulture), cap.ToString(CultureInfo.InvariantCulture));
                return;
            }

            int before = _diagnostics.Count;
            Statement(loop.Body, f);
            if (f.HasReturned || _diagnostics.Count > before)
            {
                return;
            }

            foreach (var step in loop.AtLoopBottom)
            {
                Statement(step, f);
            }
        }
    }

    private static SyntaxNodeOrToken ForKeyword(SyntaxNode syntax) =>
        syntax is ForStatementSyntax s ? s.ForKeyword : syntax;

    private void UnsupportedStatement(IOperation op)
    {
        var syntax = op.Syntax;
        var (name, instead) = syntax switch
        {
            WhileStatementSyntax => ("while", WriteAFor),
            DoStatementSyntax => ("do", WriteAFor),
            ForEachVariableStatementSyntax => ("foreach with deconstruction", "write 'foreach (var v in x)' over a span or array of double, or a for loop"),
            ForEachStatementSyntax => ("foreach", "write 'foreach (var v in x)' over a span or array of double parameter or local span, or a for loop"),
            SwitchStatementSyntax => ("switch", "write if/else or a ternary"),
            TryStatementSyntax => ("try", "remove it: generated derivative code does not throw or catch"),
            ThrowStatementSyntax or ExpressionStatementSyntax { Expression: ThrowExpressionSyntax } => ("throw", "remove it: generated derivative code does not throw (return double.NaN instead)"),
            GotoStatementSyntax => ("goto", "restructure the code with if/else and early return"),
            BreakStatementSyntax => ("break", "break and continue are supported only inside for and foreach loops; leave other constructs with if/else"),
            ContinueStatementSyntax => ("continue", "break and continue are supported only inside for and foreach loops; leave other constructs with if/else"),
            LocalFunctionStatementSyntax => ("local function", "make it a [Differentiable] method of the type"),
            LockStatementSyntax => ("lock", "remove it: derivative code has no side effects"),
            UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } => ("using", "remove it"),
            YieldStatementSyntax => ("yield", "return a double"),
            CheckedStatementSyntax => ("checked", "remove the checked/unchecked block"),
            UnsafeStatementSyntax or FixedStatementSyntax => ("unsafe", "use safe code"),
            LabeledStatementSyntax => ("labeled", "restructure the code with if/else and early return"),
            _ => (syntax.Kind().ToString(), "use assignments, if/else, for and foreach loops, break, continue and return"),
        };
        Report(DiagnosticDescriptors.UnsupportedStatement, FirstToken(syntax), name, instead);
    }

    private const string WriteAFor =
        "write it as 'for (int i = start; i < end; i++)' with int bounds fixed before the loop (runtime values are fine), and leave early with break";

    private static SyntaxNodeOrToken FirstToken(SyntaxNode syntax) => syntax switch
    {
        LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } d => d.UsingKeyword,
        _ => syntax.GetFirstToken(),
    };

    // ---- expressions ------------------------------------------------------------------------

    /// <summary>
    /// Lowers an expression with an explicit stack: operators, conversions, parentheses and ternaries are
    /// expanded here, so a 20,000-term sum or deeply nested parentheses need no call depth.
    /// </summary>
    private Node Expression(IOperation root, Frame f)
    {
        var work = new Stack<(IOperation Op, bool Expanded)>();
        var values = new Stack<Node>();
        work.Push((root, false));
        while (work.Count > 0)
        {
            var (op, expanded) = work.Pop();
            if (expanded)
            {
                values.Push(Combine(op, values));
                continue;
            }

            _ct.ThrowIfCancellationRequested();
            var children = Operands(op);
            if (children is null)
            {
                values.Push(Leaf(op, f));
                continue;
            }

            work.Push((op, true));
            for (int i = children.Length - 1; i >= 0; i--)
            {
                work.Push((children[i], false));
            }
        }

        return values.Pop();
    }

    /// <summary>The operands <see cref="Expression"/> lowers before combining them at <paramref name="op"/>, or null when <paramref name="op"/> is lowered by <see cref="Leaf"/>.</summary>
    private IOperation[]? Operands(IOperation op)
    {
        if ((op.ConstantValue.HasValue && Constant(op.ConstantValue.Value) is not null)
            || (Arrays is not null && (IsElement(op, out _, out _) || op is IPropertyReferenceOperation { Property.Name: "Length" } || ArrayOf(op) is not null)))
        {
            return null;
        }

        return op switch
        {
            IConversionOperation conversion when ConversionProblem(conversion) is null => new[] { conversion.Operand },
            IBinaryOperation { OperatorMethod: null } binary => new[] { binary.LeftOperand, binary.RightOperand },
            IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.Not } unary => new[] { unary.Operand },
            IConditionalOperation { WhenFalse: not null, IsRef: false } conditional => new[] { conditional.Condition, conditional.WhenTrue, conditional.WhenFalse },
            IParenthesizedOperation parenthesized => new[] { parenthesized.Operand },
            _ => null,
        };
    }

    /// <summary>Combines the lowered operands of <paramref name="op"/> (on top of <paramref name="values"/>, last operand on top).</summary>
    private Node Combine(IOperation op, Stack<Node> values)
    {
        switch (op)
        {
            case IConversionOperation conversion:
                var value = values.Pop();
                // double → int truncates toward zero (C#'s explicit conversion); int → double is exact.
                return IsInteger(conversion.Type) && !IsInteger(conversion.Operand.Type) ? _g.Truncate(value) : value;
            case IBinaryOperation binary:
                var right = values.Pop();
                var left = values.Pop();
                return Binary(binary.OperatorKind, left, right, binary.Type, binary) ?? _g.Zero;
            case IUnaryOperation unary:
                var operand = values.Pop();
                return unary.OperatorKind switch
                {
                    UnaryOperatorKind.Minus => _g.Neg(operand),
                    UnaryOperatorKind.Not => Not(operand),
                    _ => operand,
                };
            case IConditionalOperation:
                var whenFalse = values.Pop();
                var whenTrue = values.Pop();
                var condition = values.Pop();
                return _g.Select(condition, whenTrue, whenFalse);
            default:
                return values.Pop(); // parentheses
        }
    }

    /// <summary>Lowers an operation that <see cref="Operands"/> does not expand: leaves, calls and unsupported constructs.</summary>
    private Node Leaf(IOperation op, Frame f)
    {
        if (op.ConstantValue.HasValue && Constant(op.ConstantValue.Value) is { } constant)
        {
            return constant;
        }

        if (Arrays is not null)
        {
            if (IsElement(op, out var array, out var index))
            {
                if (index!.Type?.SpecialType != SpecialType.System_Int32)
                {
                    return Unsupported(index, "array indices must be int expressions");
                }

                return _g.Load(array, Expression(index, f));
            }

            if (op is IPropertyReferenceOperation { Property.Name: "Length" } length && ArrayOf(length.Instance) is { } sized)
            {
                return _g.Var(sized + ".Length");
            }

            if (ArrayOf(op) is not null)
            {
                return Unsupported(op, "a span or array is read element by element (x[i], x.Length) or in a foreach loop; it cannot be used as a value");
            }
        }

        switch (op)
        {
            case IConversionOperation conversion:
                return Unsupported(conversion, ConversionProblem(conversion)!);
            case ILocalReferenceOperation local:
                return Read(local.Local, op, f);
            case IParameterReferenceOperation parameter:
                if (f.Values.TryGetValue(parameter.Parameter, out var p))
                {
                    return p;
                }

                return Unsupported(op, parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor }
                    ? "primary-constructor parameters are not read by the generator; pass the value as a [NoDiff] parameter, or copy it into a field"
                    : "parameters of an enclosing method cannot be read here; pass the value as a [NoDiff] parameter");
            case IFieldReferenceOperation field:
                return Field(field);
            case IBinaryOperation or IUnaryOperation { OperatorMethod: not null }:
                return Unsupported(op, "user-defined operators are not supported; use double arithmetic");
            case IUnaryOperation unary:
                return Unsupported(op, $"the operator '{unary.OperatorKind}' has no derivative; use arithmetic, comparisons and logic");
            case IInvocationOperation invocation:
                return Invocation(invocation, f);
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return Unsupported(op, "assignments inside expressions are not supported; write the assignment as its own statement");
            case IAnonymousFunctionOperation or IDelegateCreationOperation:
                return Unsupported(op, "lambdas and delegates are not supported; call a [Differentiable] method instead");
            case IPropertyReferenceOperation:
                return Unsupported(op, "properties are not read by the generator; pass the value as a parameter ([NoDiff] if it is a constant)");
            default:
                return Unsupported(op, "only double arithmetic, comparisons, locals, parameters, constants and calls of known functions are supported");
        }
    }

    private Node? Constant(object? value) => KnownFunctions.Constant(_g, value);

    private Node Unsupported(IOperation op, string why)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, op.Syntax, Shorten(op.Syntax.ToString()), why);
        return _g.Zero;
    }

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }

    private static bool IsScalar(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Boolean;

    private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32;

    /// <summary>Why a conversion cannot be lowered, or null when it can.</summary>
    private string? ConversionProblem(IConversionOperation conversion)
    {
        if (conversion.Operand is IThrowOperation)
        {
            return "throw expressions are not supported (generated derivative code does not throw); check the input before the call, or return double.NaN";
        }

        var to = conversion.Type;
        var from = conversion.Operand.Type;
        if (conversion.OperatorMethod is not null || !IsScalar(to) || !IsScalar(from)
            || to!.SpecialType == SpecialType.System_Boolean || from!.SpecialType == SpecialType.System_Boolean)
        {
            return $"conversions to '{to?.ToDisplayString()}' are not supported; compute in double";
        }

        if (Arrays is not null && IsInteger(to) && !IsInteger(from))
        {
            return "conversions from double to int are not supported in methods with loops; compute indices from int values";
        }

        return null;
    }

    private Node Field(IFieldReferenceOperation reference)
    {
        var field = reference.Field;
        if (!IsScalar(field.Type) || field.Type.SpecialType == SpecialType.System_Boolean)
        {
            return Unsupported(reference, $"fields of type '{field.Type.ToDisplayString()}' are not supported");
        }

        // A field is read, never differentiated: a variable that is not an input. The DAG computes in
        // double, so an int or float field is read through a cast (no int division or overflow in C#).
        string cast = field.Type.SpecialType == SpecialType.System_Double ? "" : "(double)";
        if (field.IsStatic)
        {
            return _g.Var(FieldPrefix + cast + field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Identifier(field.Name));
        }

        if (reference.Instance is IInstanceReferenceOperation && SymbolEqualityComparer.Default.Equals(field.ContainingType, _root.ContainingType)
            && _inlining.Count == 1)
        {
            return _g.Var(FieldPrefix + cast + "this." + Identifier(field.Name));
        }

        return Unsupported(reference, "only fields of this object and static fields can be read; pass the value as a [NoDiff] parameter");
    }

    /// <summary>Prefix of the variables that stand for field reads; the rest of the name is the C# expression.</summary>
    public const string FieldPrefix = "field:";

    private static string Identifier(string name) => CSharpNames.Escape(name);

    private Node? Binary(BinaryOperatorKind kind, Node a, Node b, ITypeSymbol? type, IOperation at)
    {
        bool integer = IsInteger(type);
        switch (kind)
        {
            case BinaryOperatorKind.Add: return _g.Add(a, b);
            case BinaryOperatorKind.Subtract: return _g.Sub(a, b);
            case BinaryOperatorKind.Multiply: return _g.Mul(a, b);
            // int division truncates toward zero, as C# does.
            case BinaryOperatorKind.Divide when integer && Arrays is not null: return _g.IntDiv(a, b);
            case BinaryOperatorKind.Remainder when integer && Arrays is not null: return _g.Mod(a, b);
            case BinaryOperatorKind.Divide: return integer ? _g.Truncate(_g.Div(a, b)) : _g.Div(a, b);
            case BinaryOperatorKind.Remainder when integer: return _g.Sub(a, _g.Mul(b, _g.Truncate(_g.Div(a, b))));
            case BinaryOperatorKind.LessThan: return _g.Less(a, b);
            case BinaryOperatorKind.LessThanOrEqual: return _g.LessEqual(a, b);
            case BinaryOperatorKind.GreaterThan: return _g.Greater(a, b);
            case BinaryOperatorKind.GreaterThanOrEqual: return _g.GreaterEqual(a, b);
            case BinaryOperatorKind.Equals: return _g.Equal(a, b);
            case BinaryOperatorKind.NotEquals: return _g.NotEqual(a, b);
            case BinaryOperatorKind.ConditionalAnd:
            case BinaryOperatorKind.And when type?.SpecialType == SpecialType.System_Boolean:
                return And(a, b);
            case BinaryOperatorKind.ConditionalOr:
            case BinaryOperatorKind.Or when type?.SpecialType == SpecialType.System_Boolean:
                return Or(a, b);
            case BinaryOperatorKind.Remainder:
                Unsupported(at, "the remainder of doubles is not supported; write a - b * Math.Truncate(a / b)");
                return null;
            default:
                Unsupported(at, $"the operator '{kind}' has no derivative; use arithmetic, comparisons and logic");
                return null;
        }
    }

    // ---- calls ------------------------------------------------------------------------------

    private Node Invocation(IInvocationOperation invocation, Frame f)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return Unsupported(invocation, "lambdas and delegates are not supported; call a [Differentiable] method instead");
        }

        if (Arrays is not null && HasDifferentiable(method))
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Int32))
                {
                    Report(DiagnosticDescriptors.CallNotInlinable, invocation.Syntax, method.Name, _root.Name,
                        $"'{_root.Name}' has loops or spans, so its calls are inlined, and the parameter '{parameter.Name}' is a '{parameter.Type.ToDisplayString()}'");
                    return _g.Zero;
                }
            }
        }

        var args = new Node[method.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is null || argument.Parameter.RefKind != RefKind.None)
            {
                return Unsupported(invocation, "params arrays and ref/out arguments are not supported");
            }

            args[argument.Parameter.Ordinal] = Expression(argument.Value, f);
        }

        foreach (var a in args)
        {
            if (a is null)
            {
                return Unsupported(invocation, "every argument must have a value");
            }
        }

        string type = method.ContainingType.ToDisplayString();
        if (KnownFunctions.IsMathType(type))
        {
            var parameterTypes = method.Parameters.Select(p => p.Type.ToDisplayString()).ToArray();
            return KnownFunctions.Math(_g, method.Name, args, parameterTypes) ?? NoDerivative(invocation, method);
        }

        if (type == KnownFunctions.ActivationsType && AllDouble(method))
        {
            return KnownFunctions.Activation(_g, method.Name, args) ?? NoDerivative(invocation, method);
        }

        if (!HasDifferentiable(method))
        {
            return NoDerivative(invocation, method);
        }

        var definition = method.OriginalDefinition;
        foreach (var active in _inlining)
        {
            if (SymbolEqualityComparer.Default.Equals(active, definition))
            {
                Report(DiagnosticDescriptors.Recursion, invocation.Syntax, _root.Name, method.Name);
                return _g.Zero;
            }
        }

        bool canCall = method.ReturnType.SpecialType == SpecialType.System_Double && AllDifferentiable(method)
            && (method.IsStatic || invocation.Instance is IInstanceReferenceOperation) && !method.IsGenericMethod
            && method.ContainingType.TypeParameters.IsEmpty;
        if (canCall && !_inlineCalls)
        {
            if (CallsBack(definition))
            {
                Report(DiagnosticDescriptors.Recursion, invocation.Syntax, _root.Name, method.Name);
                return _g.Zero;
            }

            UsedCalls = true;
            string name = SymbolEqualityComparer.Default.Equals(method.ContainingType, _root.ContainingType) || !method.IsStatic
                ? Identifier(method.Name)
                : method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Identifier(method.Name);
            return _g.Call(name, args);
        }

        return Inline(invocation, definition, args);
    }

    private Node Inline(IInvocationOperation invocation, IMethodSymbol method, Node[] args)
    {
        MethodDeclarationSyntax? syntax = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_ct) is MethodDeclarationSyntax declaration && (declaration.Body is not null || declaration.ExpressionBody is not null))
            {
                syntax = declaration;
            }
        }

        if (syntax is null)
        {
            Report(DiagnosticDescriptors.HessianNeedsCalleeSource, invocation.Syntax, _root.Name, method.Name);
            return _g.Zero;
        }

        var model = syntax.SyntaxTree == _rootModel.SyntaxTree ? _rootModel : _rootModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        if (model.GetOperation(syntax, _ct) is not IMethodBodyOperation body || (body.BlockBody ?? body.ExpressionBody) is not { } block)
        {
            Report(DiagnosticDescriptors.HessianNeedsCalleeSource, invocation.Syntax, _root.Name, method.Name);
            return _g.Zero;
        }

        // Problems inside the callee are reported by the callee's own generation, not here.
        var saved = _diagnostics;
        _diagnostics = new List<DiagnosticInfo>();
        _inlining.Push(method);
        Node? result;
        try
        {
            result = LowerBody(method, block, args);
        }
        finally
        {
            _inlining.Pop();
            var inner = _diagnostics;
            _diagnostics = saved;
            foreach (var d in inner)
            {
                if (d.Id is "DG0007" or "DG0011")
                {
                    _diagnostics.Add(d with { Location = LocationInfo.From(invocation.Syntax) });
                }
            }

            if (inner.Count > 0)
            {
                // The callee is inlined symbolically: its own loops must unroll. Reported at the call, so
                // that the caller never ends without members and without a diagnostic.
                HadInlineErrors = true;
                string why = Arrays is not null ? $"'{_root.Name}' has loops or spans, so its calls are inlined"
                    : _inlineCalls ? $"the Hessian of '{_root.Name}' needs second derivatives, so its calls are inlined"
                    : "a call with int or [NoDiff] parameters is inlined";
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CallNotInlinable, LocationInfo.From(invocation.Syntax),
                    method.Name, _root.Name, why + ", and its body has loops with runtime bounds or more than 1000 iterations, or constructs that do not inline"));
            }
        }

        return result ?? _g.Zero;
    }

    /// <summary>True when a callee that was inlined had errors of its own (reported at the callee).</summary>
    public bool HadInlineErrors { get; private set; }

    /// <summary>True when <paramref name="callee"/> reaches the root method through calls of [Differentiable] methods.</summary>
    private bool CallsBack(IMethodSymbol callee)
    {
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var work = new Stack<IMethodSymbol>();
        work.Push(callee);
        while (work.Count > 0 && visited.Count < 256)
        {
            var m = work.Pop();
            if (!visited.Add(m))
            {
                continue;
            }

            foreach (var reference in m.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(_ct);
                var model = syntax.SyntaxTree == _rootModel.SyntaxTree ? _rootModel : _rootModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
                foreach (var call in syntax.DescendantNodes())
                {
                    if (call is InvocationExpressionSyntax && model.GetSymbolInfo(call, _ct).Symbol is IMethodSymbol target && HasDifferentiable(target))
                    {
                        var t = target.OriginalDefinition;
                        if (SymbolEqualityComparer.Default.Equals(t, _root))
                        {
                            return true;
                        }

                        work.Push(t);
                    }
                }
            }
        }

        return false;
    }

    internal static bool HasDifferentiable(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == DifferentiableAttribute)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllDouble(IMethodSymbol method)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Double)
        {
            return false;
        }

        foreach (var p in method.Parameters)
        {
            if (p.Type.SpecialType != SpecialType.System_Double)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllDifferentiable(IMethodSymbol method)
    {
        foreach (var p in method.Parameters)
        {
            if (MethodParser.KindOf(p) != ParameterKind.Differentiable)
            {
                return false;
            }
        }

        return true;
    }

    private Node NoDerivative(IInvocationOperation invocation, IMethodSymbol method)
    {
        Report(DiagnosticDescriptors.NoKnownDerivative, invocation.Syntax, method.ContainingType.Name + "." + method.Name);
        return _g.Zero;
    }

    // ---- diagnostics ------------------------------------------------------------------------

    private void Report(DiagnosticDescriptor descriptor, SyntaxNodeOrToken at, params string[] args)
    {
        var location = at.IsNode ? LocationInfo.From(at.AsNode()!) : LocationInfo.From(at.AsToken());
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
    }
}
