using System;
using System.Collections.Generic;
using System.Text;

namespace DiffGen.Expr;

/// <summary>
/// Prints the body of a <see cref="Procedure"/> as C#: loops stay loops, each statement's expression is
/// printed by a fresh <see cref="CSharpEmitter"/> (values change between statements, so temporaries
/// are not shared across them), local arrays live on the stack when small and in pooled arrays
/// otherwise, and reverse sweeps keep their saved values in a <c>DiffGen.Expr.ValueStack</c>.
/// The caller prints the signature: parameters keep their names; a real array parameter may be a
/// span or an array, an output array a span.
/// </summary>
internal sealed partial class ProcedurePrinter
{
    /// <summary>Local arrays up to this many elements are stack-allocated; longer ones are rented from the pool.</summary>
    public const int StackallocLimit = 512;

    private readonly Procedure _procedure;
    private readonly NameBuilder _names;
    private readonly bool _complex;
    private readonly StringBuilder _out = new();
    private readonly List<string> _rented = new();
    private string _stack = "";

    /// <summary>Creates a printer; <paramref name="names"/> must already hold every name the caller uses.</summary>
    public ProcedurePrinter(Procedure procedure, NameBuilder names, bool complex = false)
    {
        if (procedure is null)
        {
            throw new ArgumentNullException(nameof(procedure));
        }

        _names = names ?? throw new ArgumentNullException(nameof(names));
        _complex = complex;
        foreach (var name in procedure.Kinds.Keys)
        {
            _names.Reserve(name);
        }

        // Printed code declares no local that it never reads (CS0219 under warnings as errors).
        _procedure = UnreadLocals.Remove(procedure);
    }

    /// <summary>
    /// Over complex numbers, array parameters that are not differentiated stay arrays of double (the
    /// caller passes its real data as it is); their elements are converted where they are read.
    /// </summary>
    public bool ConstantArraysStayReal { get; set; }

    /// <summary>Indentation of the body's first level.</summary>
    public string Indent { get; set; } = "        ";

    private string Real => _complex ? "global::System.Numerics.Complex" : "double";

    /// <summary>The body's statements, ending with its return.</summary>
    public string PrintBody()
    {
        _out.Clear();
        bool usesStack = false;
        ProcedureAnalysis.Visit(_procedure.Body, s => usesStack |= s is Push);
        if (usesStack)
        {
            _stack = _names.Unique("_stack");
            _out.Append(Indent).Append("var ").Append(_stack).Append(" = new global::DiffGen.Expr.ValueStack();\n");
        }

        DeclareScratch();
        Print(_procedure.Body, Indent);
        if (_procedure.Body.Statements.Count == 0 || _procedure.Body.Statements[_procedure.Body.Statements.Count - 1] is not Return)
        {
            // a procedure without a return (a vector-output method) releases its arrays at its end
            Release(Indent);
        }

        return _out.ToString();
    }

    private CSharpEmitter Emitter(string indent) => new(n => CSharpNames.Escape(n.Name!), _names, _complex)
    {
        Indent = indent,
        IsIntegerVariable = n => _procedure.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer,
        IsRealArray = _complex && ConstantArraysStayReal ? IsConstantArrayParameter : null,
    };

    private bool IsConstantArrayParameter(string name)
    {
        foreach (var parameter in _procedure.Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter.Kind == ValueKind.Array && !parameter.Differentiable && !parameter.IsOutput;
            }
        }

        // An array the procedure neither takes nor declares is a constant table of the user's code (a static double[]).
        return !_procedure.Kinds.ContainsKey(name);
    }

    private void Print(Block block, string indent)
    {
        foreach (var s in block.Statements)
        {
            var e = Emitter(indent);
            switch (s)
            {
                case Declare d when d.Kind == ValueKind.Array:
                    DeclareArray(d, e, indent);
                    break;
                case Declare d:
                    string type = d.Kind == ValueKind.Integer ? "int" : Real;
                    string initial = d.Initial is null ? (d.Kind == ValueKind.Integer ? "0" : "0.0") : e.Inline(_out, d.Initial, d.Kind == ValueKind.Integer);
                    Line(indent, $"{type} {CSharpNames.Escape(d.Name)} = {initial};");
                    break;
                case Assign a when a.Value.Op == Op.Var && a.Value.Name == a.Target:
                    // t = t (a tangent that passes through unchanged): nothing to print
                    break;
                case Assign a when a.Value.Op is Op.Add or Op.Sub && a.Value.Args[0].Op == Op.Var && a.Value.Args[0].Name == a.Target:
                    // t = t ± e reads as t ±= e
                    string token = a.Value.Op == Op.Add ? "+=" : "-=";
                    Line(indent, $"{CSharpNames.Escape(a.Target)} {token} {e.Inline(_out, a.Value.Args[1], IsInteger(a.Target))};");
                    break;
                case Assign a:
                    Line(indent, $"{CSharpNames.Escape(a.Target)} = {e.Inline(_out, a.Value, IsInteger(a.Target))};");
                    break;
                case Store st:
                    string index = e.Inline(_out, st.Index, integer: true);
                    Line(indent, $"{CSharpNames.Escape(st.Array)}[{index}] = {e.Inline(_out, st.Value)};");
                    break;
                case Accumulate acc:
                    Line(indent, $"{CSharpNames.Escape(acc.Target)} += {e.Inline(_out, acc.Value)};");
                    break;
                case AccumulateElement acc:
                    string at = e.Inline(_out, acc.Index, integer: true);
                    Line(indent, $"{CSharpNames.Escape(acc.Array)}[{at}] += {e.Inline(_out, acc.Value)};");
                    break;
                case Clear clear:
                    Line(indent, $"{CSharpNames.Escape(clear.Array)}.Clear();");
                    break;
                case Push push:
                    Line(indent, $"{_stack}.Push({e.Inline(_out, push.Value)});");
                    break;
                case Pop pop when pop.Target == Pop.Discard:
                    Line(indent, $"{_stack}.Pop();");
                    break;
                case Pop pop:
                    Line(indent, IsInteger(pop.Target) ? $"{CSharpNames.Escape(pop.Target)} = (int){_stack}.Pop();" : $"{CSharpNames.Escape(pop.Target)} = {_stack}.Pop();");
                    break;
                case PopStore pop:
                    Line(indent, $"{CSharpNames.Escape(pop.Array)}[{e.Inline(_out, pop.Index, integer: true)}] = {_stack}.Pop();");
                    break;
                case For f when !_complex && LoopIdioms.Match(f) is { } idioms:
                    PrintKernels(f, idioms, e, indent);
                    break;
                case For f:
                    string start = e.Inline(_out, f.Start, integer: true);
                    string end = e.Inline(_out, f.End, integer: true);
                    Line(indent, f.Backward
                        ? $"for (int {CSharpNames.Escape(f.Counter)} = {end} - 1; {CSharpNames.Escape(f.Counter)} >= {start}; {CSharpNames.Escape(f.Counter)}--)"
                        : $"for (int {CSharpNames.Escape(f.Counter)} = {start}; {CSharpNames.Escape(f.Counter)} < {end}; {CSharpNames.Escape(f.Counter)}++)");
                    Nested(f.Body, indent);
                    break;
                case If i:
                    Line(indent, $"if ({e.Inline(_out, i.Condition)})");
                    Nested(i.Then, indent);
                    if (i.Else.Statements.Count > 0)
                    {
                        Line(indent, "else");
                        Nested(i.Else, indent);
                    }

                    break;
                case While w:
                    PrintWhile(w, indent);
                    break;
                case Invoke c:
                    PrintInvoke(c, e, indent);
                    break;
                case InvokeVjp v:
                    PrintInvokeVjp(v, e, indent);
                    break;
                case InvokeJvp j:
                    PrintInvokeJvp(j, e, indent);
                    break;
                case Return r:
                    string value = e.Inline(_out, r.Value);
                    Release(indent);
                    Line(indent, $"return {value};");
                    break;
                default:
                    throw new NotSupportedException($"Cannot print {s.GetType().Name}.");
            }
        }
    }

    /// <summary>A loop of dot products and axpys as one vectorized call per statement, over the loop's slices.</summary>
    private void PrintKernels(For loop, IReadOnlyList<LoopIdioms.Idiom> idioms, CSharpEmitter e, string indent)
    {
        string start = e.Inline(_out, loop.Start, integer: true);
        string end = e.Inline(_out, loop.End, integer: true);
        bool fromZero = loop.Start.IsConstantValue(0);
        string length = fromZero ? end : $"{end} - {Parenthesized(start)}";
        string SliceStart(IReadOnlyList<Node> offset)
        {
            var terms = new List<string>(offset.Count + 1);
            foreach (var term in offset)
            {
                string printed = e.Inline(_out, term, integer: true);
                terms.Add(printed.IndexOf('?') < 0 ? printed : $"({printed})");
            }

            if (!fromZero || terms.Count == 0)
            {
                terms.Add(start);
            }

            return string.Join(" + ", terms);
        }

        const string Kernels = "global::DiffGen.Expr.LoopKernels";
        foreach (var idiom in idioms)
        {
            switch (idiom)
            {
                case LoopIdioms.Dot d:
                    var dots = new List<string>(d.Products.Count);
                    foreach (var p in d.Products)
                    {
                        dots.Add($"{Kernels}.Dot({CSharpNames.Escape(p.X)}, {SliceStart(p.XOffset)}, {CSharpNames.Escape(p.Y)}, {SliceStart(p.YOffset)}, {length})");
                    }

                    Line(indent, $"{CSharpNames.Escape(d.Accumulator)} += {string.Join(" + ", dots)};");
                    break;
                case LoopIdioms.Axpy a:
                    string target = SliceStart(a.TargetOffset);
                    foreach (var t in a.Terms)
                    {
                        string scale = e.Inline(_out, t.Scale);
                        Line(indent, $"{Kernels}.AddScaled({CSharpNames.Escape(a.Target)}, {target}, {scale}, {CSharpNames.Escape(t.Source)}, {SliceStart(t.SourceOffset)}, {length});");
                    }

                    break;
            }
        }
    }

    private static string Parenthesized(string expression) => expression.IndexOf(' ') < 0 && expression.IndexOf('?') < 0 ? expression : $"({expression})";

    /// <summary>
    /// <c>while (c) { … }</c> or <c>do { … } while (c);</c>; when the condition needs temporaries, they are
    /// computed on every test: <c>while (true) { temporaries; if (!c) break; … }</c> (the test last for a do loop).
    /// </summary>
    private void PrintWhile(While w, string indent)
    {
        string inner = indent + "    ";
        var temporaries = new StringBuilder();
        // a condition folded to a constant (do … while (false)) prints as a bool, not as the number 0.0
        string condition = w.Condition.IsConstant ? (w.Condition.Value != 0 ? "true" : "false") : Emitter(inner).Inline(temporaries, w.Condition);
        if (temporaries.Length == 0)
        {
            if (w.TestFirst)
            {
                Line(indent, $"while ({condition})");
                Nested(w.Body, indent);
            }
            else
            {
                Line(indent, "do");
                Nested(w.Body, indent);
                Line(indent, $"while ({condition});");
            }

            return;
        }

        Line(indent, "while (true)");
        Line(indent, "{");
        if (!w.TestFirst)
        {
            Print(w.Body, inner);
        }

        _out.Append(temporaries);
        Line(inner, $"if (!({condition}))");
        Line(inner, "{");
        Line(inner + "    ", "break;");
        Line(inner, "}");
        if (w.TestFirst)
        {
            Print(w.Body, inner);
        }

        Line(indent, "}");
    }

    /// <summary>Returns the rented arrays to the pool and the value stack's storage.</summary>
    private void Release(string indent)
    {
        foreach (var rented in _rented)
        {
            Line(indent, $"if ({rented} is not null) global::System.Buffers.ArrayPool<{Real}>.Shared.Return({rented});");
        }

        ReleaseScratch(indent);
        if (_stack.Length > 0)
        {
            Line(indent, $"{_stack}.Dispose();");
        }
    }

    private void DeclareArray(Declare d, CSharpEmitter e, string indent)
    {
        string length = e.Inline(_out, d.Length!, integer: true);
        if (d.Length!.IsConstant && d.Length.Value <= StackallocLimit)
        {
            Line(indent, $"global::System.Span<{Real}> {CSharpNames.Escape(d.Name)} = stackalloc {Real}[{length}];");
            return;
        }

        // Small arrays on the stack, large ones from the pool (cleared: rented arrays hold old values).
        string size = _names.Unique("_length_" + d.Name);
        string rented = _names.Unique("_rented_" + d.Name);
        _rented.Add(rented);
        Line(indent, $"int {size} = {length};");
        Line(indent, $"{Real}[]? {rented} = null;");
        Line(indent, $"global::System.Span<{Real}> {CSharpNames.Escape(d.Name)} = {size} <= {StackallocLimit} ? stackalloc {Real}[{size}] : new global::System.Span<{Real}>({rented} = global::System.Buffers.ArrayPool<{Real}>.Shared.Rent({size}), 0, {size});");
        Line(indent, $"{CSharpNames.Escape(d.Name)}.Clear();");
    }

    private void Nested(Block block, string indent)
    {
        Line(indent, "{");
        Print(block, indent + "    ");
        Line(indent, "}");
    }

    private bool IsInteger(string name) => _procedure.Kinds.TryGetValue(name, out var kind) && kind == ValueKind.Integer;

    private void Line(string indent, string text) => _out.Append(indent).Append(text).Append('\n');
}
