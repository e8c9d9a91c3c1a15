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
    private readonly List<DeferredPrint> _deferred = new();
    private readonly List<DotPrint> _dots = new();
    private string _stack = "";

    /// <summary>The loop-local copies in scope (<see cref="LoopLocalCopies"/>): a name read in the loop → its copy.</summary>
    private readonly Dictionary<string, string> _loopCopies = new(StringComparer.Ordinal);

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

    /// <summary>Print the real code in float (a float method; see <see cref="CSharpEmitter.IsSingle"/>); loops are not printed as vectorized kernels then, whose sums are ordered differently.</summary>
    internal bool IsSingle { get; set; }

    private bool PrintsSingle => IsSingle && !_complex;

    private string Real => _complex ? "global::System.Numerics.Complex" : PrintsSingle ? "float" : "double";

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

    private CSharpEmitter Emitter(string indent) => new(n => CSharpNames.Escape(_loopCopies.TryGetValue(n.Name!, out var copy) ? copy : n.Name!), _names, _complex)
    {
        Indent = indent,
        IsIntegerVariable = n => _procedure.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer,
        IsRealArray = _complex && ConstantArraysStayReal ? IsConstantArrayParameter : null,
        IsSingle = IsSingle,
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
        var customCalls = new CustomCallCache();
        var declaredHere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in block.Statements)
        {
            var e = Emitter(indent);
            e.CustomCalls = customCalls;
            switch (s)
            {
                case Declare d when d.Kind == ValueKind.Array:
                    DeclareArray(d, e, indent);
                    break;
                case Declare d:
                    declaredHere.Add(d.Name);
                    string type = d.Kind == ValueKind.Integer ? "int" : Real;
                    string initial = d.Initial is null ? (d.Kind == ValueKind.Integer ? "0" : PrintsSingle ? "0f" : "0.0") : e.Inline(_out, d.Initial, d.Kind == ValueKind.Integer);
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
                    // the stack holds doubles: a float saved on it comes back exactly
                    Line(indent, IsInteger(pop.Target) ? $"{CSharpNames.Escape(pop.Target)} = (int){_stack}.Pop();" : $"{CSharpNames.Escape(pop.Target)} = {PopCast}{_stack}.Pop();");
                    break;
                case PopStore pop:
                    Line(indent, $"{CSharpNames.Escape(pop.Array)}[{e.Inline(_out, pop.Index, integer: true)}] = {PopCast}{_stack}.Pop();");
                    break;
                case For f when IsBlockedKernel(f):
                    PrintBlockedKernel(f, e, indent);
                    break;
                case For f when Deferred(f, kernel: false) is { } d:
                    Line(indent, $"{d.Sources}[{d.Slot}] = {SliceStart(d.Site.Kernel, d.Site.Term.SourceOffset, e)};");
                    PrintFor(f, e, indent);
                    break;
                case For f when !_complex && !IsSingle && FindBlocked(f) is { } blocked:
                    PrintBlocked(f, blocked, e, indent);
                    break;
                case For f when !_complex && !IsSingle && LoopIdioms.Match(f) is { } idioms:
                    PrintKernels(f, idioms, e, indent);
                    break;
                case For f when !_complex && !IsSingle && LoopMaps.Match(f, _procedure.Graph) is { } map:
                    PrintMap(f, map, e, indent);
                    break;
                case For f:
                    PrintFor(f, e, indent, declaredHere);
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

            customCalls.After(s);
        }
    }

    /// <summary>A loop of dot products and axpys as one vectorized call per statement, over the loop's slices.</summary>
    private void PrintKernels(For loop, IReadOnlyList<LoopIdioms.Idiom> idioms, CSharpEmitter e, string indent)
    {
        foreach (var idiom in idioms)
        {
            PrintKernel(loop, idiom, e, indent);
        }
    }

    private void PrintKernel(For loop, LoopIdioms.Idiom idiom, CSharpEmitter e, string indent)
    {
        string length = KernelLength(loop, e);
        switch (idiom)
        {
            case LoopIdioms.Dot d:
                var dots = new List<string>(d.Products.Count);
                foreach (var p in d.Products)
                {
                    dots.Add($"{Kernels}.Dot({CSharpNames.Escape(p.X)}, {SliceStart(loop, p.XOffset, e)}, {CSharpNames.Escape(p.Y)}, {SliceStart(loop, p.YOffset, e)}, {length})");
                }

                Line(indent, $"{CSharpNames.Escape(d.Accumulator)} += {string.Join(" + ", dots)};");
                break;
            case LoopIdioms.Axpy a:
                string target = SliceStart(loop, a.TargetOffset, e);
                foreach (var t in a.Terms)
                {
                    string scale = e.Inline(_out, t.Scale);
                    Line(indent, $"{Kernels}.AddScaled({CSharpNames.Escape(a.Target)}, {target}, {scale}, {CSharpNames.Escape(t.Source)}, {SliceStart(loop, t.SourceOffset, e)}, {length});");
                }

                break;
        }
    }

    private const string Kernels = "global::DiffGen.Expr.LoopKernels";

    private void PrintFor(For f, CSharpEmitter e, string indent, HashSet<string>? declaredBeside = null)
    {
        var copies = _complex || declaredBeside is null ? Array.Empty<string>() : LoopLocalCopies.Find(f, _procedure, declaredBeside);
        foreach (var name in copies)
        {
            string copy = _names.Unique("_l_" + name.TrimStart('_'));
            Line(indent, $"{Real} {copy} = {CSharpNames.Escape(name)};");
            _loopCopies[name] = copy;
        }

        PrintForHeader(f, e, indent);
        Nested(f.Body, indent);
        foreach (var name in copies)
        {
            _loopCopies.Remove(name);
        }
    }

    private void PrintForHeader(For f, CSharpEmitter e, string indent)
    {
        string start = e.Inline(_out, f.Start, integer: true);
        string end = e.Inline(_out, f.End, integer: true);
        string counter = CSharpNames.Escape(f.Counter);
        Line(indent, f.Backward
            ? $"for (int {counter} = {end} - 1; {counter} >= {start}; {counter}--)"
            : $"for (int {counter} = {start}; {counter} < {end}; {counter}++)");
    }

    /// <summary>The trip count of a kernel loop: its slices' length.</summary>
    private string KernelLength(For loop, CSharpEmitter e)
    {
        string end = e.Inline(_out, loop.End, integer: true);
        return loop.Start.IsConstantValue(0) ? end : $"{end} - {Parenthesized(e.Inline(_out, loop.Start, integer: true))}";
    }

    /// <summary>Where a kernel loop's slice starts: the index's offset, plus the loop's start when it is not 0.</summary>
    private string SliceStart(For loop, IReadOnlyList<Node> offset, CSharpEmitter e)
    {
        var terms = new List<string>(offset.Count + 1);
        foreach (var term in offset)
        {
            string printed = e.Inline(_out, term, integer: true);
            terms.Add(printed.IndexOf('?') < 0 ? printed : $"({printed})");
        }

        if (!loop.Start.IsConstantValue(0) || terms.Count == 0)
        {
            terms.Add(e.Inline(_out, loop.Start, integer: true));
        }

        return string.Join(" + ", terms);
    }

    /// <summary>A deferred row update and the names of its records: the scales per row and slot, the source offsets per slot.</summary>
    private sealed record DeferredPrint(DeferredRowUpdates.Site Site, string Scales, string Sources, string Slot, int Block);

    /// <summary>A blocked dot product and the names of its records: the products per row and slot, the sample offsets per slot.</summary>
    private sealed record DotPrint(BlockedRowDots.Site Site, string Dots, string Starts, string Slot, int Block);

    /// <summary>What an outer loop computes a block at a time; null when nothing.</summary>
    private sealed record Blocked(IReadOnlyList<DeferredRowUpdates.Site> Updates, IReadOnlyList<BlockedRowDots.Site> Dots, int Block, IReadOnlyDictionary<string, Node> Definitions);

    private Blocked? FindBlocked(For outer)
    {
        var (updates, updateBlock) = DeferredRowUpdates.Find(outer, _procedure);
        var (dots, dotBlock, definitions) = BlockedRowDots.Find(outer, _procedure);
        if (updates.Count == 0 && dots.Count == 0)
        {
            return null;
        }

        int block = updates.Count == 0 ? dotBlock : dots.Count == 0 ? updateBlock : Math.Min(updateBlock, dotBlock);
        return new Blocked(updates, dots, block, definitions);
    }

    private DeferredPrint? Deferred(For loop, bool kernel)
    {
        foreach (var d in _deferred)
        {
            if (ReferenceEquals(kernel ? d.Site.Kernel : d.Site.Rows, loop))
            {
                return d;
            }
        }

        return null;
    }

    private bool IsBlockedKernel(For loop)
    {
        if (Deferred(loop, kernel: true) is not null)
        {
            return true;
        }

        foreach (var d in _dots)
        {
            if (ReferenceEquals(d.Site.Kernel, loop))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A kernel loop inside a blocked outer loop: its updates recorded, its products read back, the rest as kernels.</summary>
    private void PrintBlockedKernel(For loop, CSharpEmitter e, string indent)
    {
        if (Deferred(loop, kernel: true) is { } deferred)
        {
            Line(indent, $"{deferred.Scales}[{RowSlot(deferred.Site.Rows, deferred.Block, deferred.Slot, e)}] = {e.Inline(_out, deferred.Site.Term.Scale)};");
            return;
        }

        foreach (var idiom in LoopIdioms.Match(loop)!)
        {
            // a kernel's statements have distinct accumulators
            var blocked = idiom is LoopIdioms.Dot dot ? _dots.Find(d => ReferenceEquals(d.Site.Kernel, loop) && d.Site.Product.Accumulator == dot.Accumulator) : null;
            if (blocked is null)
            {
                PrintKernel(loop, idiom, e, indent);
            }
            else
            {
                Line(indent, $"{CSharpNames.Escape(blocked.Site.Product.Accumulator)} += {blocked.Dots}[{RowSlot(blocked.Site.Rows, blocked.Block, blocked.Slot, e)}];");
            }
        }
    }

    /// <summary>The slot of a row's record: (row − first row)·block + slot.</summary>
    private string RowSlot(For rows, int block, string slot, CSharpEmitter e)
    {
        string row = CSharpNames.Escape(rows.Counter);
        return rows.Start.IsConstantValue(0)
            ? $"{row} * {block} + {slot}"
            : $"({row} - {Parenthesized(e.Inline(_out, rows.Start, integer: true))}) * {block} + {slot}";
    }

    /// <summary>
    /// An outer loop run a block of iterations at a time: at a block's start, the dot products of its samples
    /// (<see cref="BlockedRowDots"/>) are computed; each iteration reads its products and records its row updates
    /// (<see cref="DeferredRowUpdates"/>) in its slot; at the block's end the updates are added.
    /// </summary>
    private void PrintBlocked(For outer, Blocked blocked, CSharpEmitter e, string indent)
    {
        int block = blocked.Block;
        string slot = _names.Unique("_slot");
        string fill = _names.Unique("_fill");
        var updates = new List<DeferredPrint>();
        foreach (var site in blocked.Updates)
        {
            var d = new DeferredPrint(site, _names.Unique("_scales"), _names.Unique("_sources"), slot, block);
            updates.Add(d);
            Line(indent, $"// {CSharpNames.Escape(site.Update.Target)}'s row updates wait for a block of {block} iterations: each row is then loaded once per block");
            Line(indent, $"global::System.Span<double> {d.Scales} = stackalloc double[{block * site.Trips}];");
            // not cleared: a block's kernel reads only the scales its iterations recorded (safe under [SkipLocalsInit])
            Line(indent, $"global::System.Span<int> {d.Sources} = stackalloc int[{block}];");
        }

        var dots = new List<DotPrint>();
        foreach (var site in blocked.Dots)
        {
            var d = new DotPrint(site, _names.Unique("_dots"), _names.Unique("_starts"), slot, block);
            dots.Add(d);
            Line(indent, $"// the products with {CSharpNames.Escape(site.RowX ? site.Term.X : site.Term.Y)}'s rows are computed for a block of {block} iterations: each row is loaded once per block");
            Line(indent, $"global::System.Span<double> {d.Dots} = stackalloc double[{block * site.Trips}];");
            // not cleared: RowDots writes every product the block reads (safe under [SkipLocalsInit])
            Line(indent, $"global::System.Span<int> {d.Starts} = stackalloc int[{block}];");
        }

        Line(indent, $"int {slot} = 0;");
        Line(indent, $"int {fill} = 0;");
        _deferred.AddRange(updates);
        _dots.AddRange(dots);
        PrintForHeader(outer, e, indent);
        Line(indent, "{");
        string inner = indent + "    ";
        string counter = CSharpNames.Escape(outer.Counter);
        Line(inner, $"if ({slot} == 0)");
        Line(inner, "{");
        string remaining = outer.Backward
            ? (outer.Start.IsConstantValue(0) ? $"{counter} + 1" : $"{counter} - {Parenthesized(e.Inline(_out, outer.Start, integer: true))} + 1")
            : $"{Parenthesized(e.Inline(_out, outer.End, integer: true))} - {counter}";
        Line(inner + "    ", $"{fill} = global::System.Math.Min({block}, {remaining});");
        if (dots.Count > 0)
        {
            PrintBlockDots(outer, blocked.Definitions, dots, fill, inner + "    ");
        }

        Line(inner, "}");
        Print(outer.Body, inner);
        Line(inner, $"if (++{slot} == {fill})");
        Line(inner, "{");
        PrintApply(updates, fill, inner + "    ");
        Line(inner + "    ", $"{slot} = 0;");
        Line(inner, "}");
        Line(indent, "}");
        foreach (var d in updates)
        {
            _deferred.Remove(d);
        }

        foreach (var d in dots)
        {
            _dots.Remove(d);
        }
    }

    /// <summary>The block's sample offsets (the outer counter advanced by the slot), then its products.</summary>
    private void PrintBlockDots(For outer, IReadOnlyDictionary<string, Node> definitions, List<DotPrint> dots, string fill, string indent)
    {
        string b = _names.Unique("_b");
        string counter = CSharpNames.Escape(outer.Counter);
        string advanced = $"({counter} {(outer.Backward ? "-" : "+")} {b})";
        var inner = indent + "    ";
        CSharpEmitter? ahead = null;
        string Name(Node n) =>
            n.Name == outer.Counter ? advanced
            : n.Op == Op.Var && definitions.TryGetValue(n.Name!, out var value) ? $"({ahead!.Inline(_out, value, integer: true)})"
            : CSharpNames.Escape(n.Name!);
        ahead = new CSharpEmitter(Name, _names, _complex)
        {
            Indent = inner,
            IsIntegerVariable = n => _procedure.Kinds.TryGetValue(n.Name!, out var kind) && kind == ValueKind.Integer,
        };
        Line(indent, $"for (int {b} = 0; {b} < {fill}; {b}++)");
        Line(indent, "{");
        foreach (var d in dots)
        {
            Line(inner, $"{d.Starts}[{b}] = {SliceStart(d.Site.Kernel, d.Site.SampleOffset, ahead)};");
        }

        Line(indent, "}");
        var e = Emitter(indent);
        foreach (var d in dots)
        {
            var term = d.Site.Term;
            var (matrix, samples) = d.Site.RowX ? (term.X, term.Y) : (term.Y, term.X);
            Line(indent, $"{Kernels}.RowDots({CSharpNames.Escape(matrix)}, {FirstRowStart(d.Site.Rows, d.Site.Kernel, d.Site.Row, e)}, {d.Site.Row.Stride}, {d.Site.Trips}, {CSharpNames.Escape(samples)}, {d.Starts}.Slice(0, {fill}), {d.Dots}, {d.Block}, {KernelLength(d.Site.Kernel, e)});");
        }
    }

    /// <summary>Applies the recorded updates: one block of outer products per destination.</summary>
    private void PrintApply(List<DeferredPrint> prints, string fill, string indent)
    {
        var e = Emitter(indent);
        foreach (var d in prints)
        {
            var site = d.Site;
            Line(indent, $"{Kernels}.AddOuterProducts({CSharpNames.Escape(site.Update.Target)}, {FirstRowStart(site.Rows, site.Kernel, site.Row, e)}, {site.Row.Stride}, {site.Trips}, {d.Scales}, {d.Block}, {CSharpNames.Escape(site.Term.Source)}, {d.Sources}.Slice(0, {fill}), {KernelLength(site.Kernel, e)});");
        }
    }

    /// <summary>Where the first row's slice starts: the offset's base, the first row times the stride, the kernel loop's start.</summary>
    private string FirstRowStart(For rows, For kernel, RowOffset row, CSharpEmitter e)
    {
        var terms = new List<string>();
        foreach (var term in row.Base)
        {
            string printed = e.Inline(_out, term, integer: true);
            terms.Add(printed.IndexOf('?') < 0 ? printed : $"({printed})");
        }

        if (!rows.Start.IsConstantValue(0))
        {
            terms.Add($"{Parenthesized(e.Inline(_out, rows.Start, integer: true))} * {row.Stride}");
        }

        if (!kernel.Start.IsConstantValue(0))
        {
            terms.Add(Parenthesized(e.Inline(_out, kernel.Start, integer: true)));
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    private string PopCast => PrintsSingle ? "(float)" : "";

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
            Line(indent, $"if ({rented} is not null) {ScratchArrays.Return(rented)}");
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
            // cleared here, not by the JIT: generated members may skip the zeroing of locals ([SkipLocalsInit])
            Line(indent, $"global::System.Span<{Real}> {CSharpNames.Escape(d.Name)} = stackalloc {Real}[{length}];");
            Line(indent, $"{CSharpNames.Escape(d.Name)}.Clear();");
            return;
        }

        // Small arrays on the stack, large ones from the pool (cleared: rented arrays hold old values).
        string size = _names.Unique("_length_" + d.Name);
        string rented = _names.Unique("_rented_" + d.Name);
        _rented.Add(rented);
        Line(indent, $"int {size} = {length};");
        Line(indent, $"{Real}[]? {rented} = null;");
        Line(indent, $"global::System.Span<{Real}> {CSharpNames.Escape(d.Name)} = {size} <= {StackallocLimit} ? stackalloc {Real}[{size}] : new global::System.Span<{Real}>({rented} = {ScratchArrays.Rent(Real, size)}, 0, {size});");
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
