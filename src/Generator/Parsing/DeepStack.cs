using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using DiffGen.Expr;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Deeply nested statements on a stack of their own. The C# compiler's operation tree of a body (which the
/// lowering reads) and the passes over statement trees (lowering, sweeps, printing) recurse once per nesting
/// level; on the compiler's 1 MB stack a few hundred nested ifs, loops or else-ifs overflow it, and a stack
/// overflow kills the compiler process. A method nested deeper than <see cref="Threshold"/> is therefore
/// parsed and emitted on a thread with a <see cref="StackSize"/> stack; the others run where they are called.
/// </summary>
internal static class DeepStack
{
    /// <summary>Statement nesting from which the work moves to a thread of its own (far below what 1 MB holds).</summary>
    public const int Threshold = 100;

    /// <summary>Reserved, not committed: only the pages a deep body touches are used.</summary>
    private const int StackSize = 256 * 1024 * 1024;

    [ThreadStatic]
    private static bool _onDeepStack;

    [ThreadStatic]
    private static bool _requested;

    /// <summary>True on a thread started by <see cref="Run{T}"/>.</summary>
    public static bool OnDeepStack => _onDeepStack;

    /// <summary>
    /// Asks for the current parse to be done again on a deep stack (a callee to inline is deep, which the
    /// method's own syntax did not show); the parse that asks gives up and its result is dropped.
    /// </summary>
    public static void Request() => _requested = true;

    /// <summary>Runs <paramref name="parse"/> on a deep stack when <paramref name="deep"/> is true or when it asks for one on the way.</summary>
    public static T Parse<T>(bool deep, Func<T> parse)
    {
        if (deep || _onDeepStack)
        {
            return deep && !_onDeepStack ? Run(parse) : parse();
        }

        _requested = false;
        var result = parse();
        if (!_requested)
        {
            return result;
        }

        _requested = false;
        return Run(parse);
    }

    /// <summary>True when statements in <paramref name="syntax"/> nest deeper than <see cref="Threshold"/> (else-if chains count one level per else).</summary>
    public static bool IsDeep(SyntaxNode syntax)
    {
        var work = new Stack<(SyntaxNode Node, int Depth)>();
        work.Push((syntax, 0));
        while (work.Count > 0)
        {
            var (node, depth) = work.Pop();
            int inner = node is StatementSyntax ? depth + 1 : depth;
            if (inner > Threshold)
            {
                return true;
            }

            foreach (var child in node.ChildNodes())
            {
                work.Push((child, inner));
            }
        }

        return false;
    }

    /// <summary>True when the statements of <paramref name="block"/> nest deeper than <see cref="Threshold"/>.</summary>
    public static bool IsDeep(Block block)
    {
        var work = new Stack<(Block Block, int Depth)>();
        work.Push((block, 0));
        while (work.Count > 0)
        {
            var (current, depth) = work.Pop();
            if (depth > Threshold)
            {
                return true;
            }

            foreach (var s in current.Statements)
            {
                switch (s)
                {
                    case For f:
                        work.Push((f.Body, depth + 1));
                        break;
                    case If i:
                        work.Push((i.Then, depth + 1));
                        work.Push((i.Else, depth + 1));
                        break;
                    case While w:
                        work.Push((w.Body, depth + 1));
                        break;
                }
            }
        }

        return false;
    }

    /// <summary>Runs <paramref name="work"/> on a thread with a large stack and returns its result (or rethrows its exception).</summary>
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                _onDeepStack = true;
                result = work();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        }, StackSize);
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
