using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Expr;

/// <summary>
/// Calls of layers (<see cref="Invoke"/>): the callee's method, its <c>…Vjp</c> in a reverse sweep and its <c>…Jvp</c>
/// in forward mode, with slices of the procedure's arrays as arguments. What a product needs besides those slices
/// (the callee's x̄ before it is added to the adjoint, a zero tangent, a scratch output) lives in one pooled
/// scratch array per body, grown when a call needs more and returned at the end.
/// </summary>
internal sealed partial class ProcedurePrinter
{
    private string _scratch = "";
    private string _scratchReal = "";

    /// <summary>Declares the scratch arrays when the body calls layers.</summary>
    private void DeclareScratch()
    {
        bool calls = false;
        ProcedureAnalysis.Visit(_procedure.Body, s => calls |= s is Invoke or InvokeVjp or InvokeJvp);
        if (!calls)
        {
            return;
        }

        _scratch = _names.Unique("_scratch");
        Line(Indent, $"{Real}[]? {_scratch} = null;");
        if (_complex)
        {
            // [NoDiff] span arguments of a callee stay real in its complex overload
            _scratchReal = _names.Unique("_scratchReal");
            Line(Indent, $"double[]? {_scratchReal} = null;");
        }
    }

    private void ReleaseScratch(string indent)
    {
        if (_scratch.Length > 0)
        {
            Line(indent, $"if ({_scratch} is not null) {ScratchArrays.Return(_scratch)}");
        }

        if (_scratchReal.Length > 0)
        {
            Line(indent, $"if ({_scratchReal} is not null) {ScratchArrays.Return(_scratchReal)}");
        }
    }

    /// <summary>Pieces of one scratch array for one call: each piece's length in an int local, placed one after another.</summary>
    private sealed class ScratchPieces
    {
        private readonly List<string> _lengths = new();

        public ScratchPieces(string array, string type)
        {
            Array = array;
            Type = type;
        }

        public string Array { get; }

        public string Type { get; }

        /// <summary>Adds a piece of <paramref name="length"/> (an int local) and returns its start.</summary>
        public string Add(string length)
        {
            string start = _lengths.Count == 0 ? "0" : string.Join(" + ", _lengths);
            _lengths.Add(length);
            return start;
        }

        public bool IsEmpty => _lengths.Count == 0;

        public string Total => string.Join(" + ", _lengths);

        public string Span(string start, string length) => $"new global::System.Span<{Type}>({Array}, {start}, {length})";
    }

    /// <summary>Grows <paramref name="pieces"/>' scratch array to hold them all.</summary>
    private void Reserve(ScratchPieces pieces, string indent)
    {
        if (pieces.IsEmpty)
        {
            return;
        }

        string need = pieces.Total;
        Line(indent, $"if ({pieces.Array} is null || {pieces.Array}.Length < {need})");
        Line(indent, "{");
        Line(indent + "    ", $"if ({pieces.Array} is not null) {ScratchArrays.Return(pieces.Array)}");
        Line(indent + "    ", $"{pieces.Array} = {ScratchArrays.Rent(pieces.Type, need)};");
        Line(indent, "}");
    }

    /// <summary>The length of a slice argument, in a new int local.</summary>
    private string LengthLocal(CallArgument slice, CSharpEmitter e, string indent)
    {
        string length = _names.Unique("_length");
        Line(indent, $"int {length} = {e.Inline(_out, slice.Length!, integer: true)};");
        return length;
    }

    /// <summary><paramref name="array"/> sliced as the argument <paramref name="slice"/>: the whole array when the slice is all of it.</summary>
    private string SliceOf(string array, CallArgument slice, CSharpEmitter e)
    {
        string name = CSharpNames.Escape(array);
        if (slice.Offset!.IsConstantValue(0) && slice.Length!.Op == Op.Var && slice.Length.Name == slice.Array + ".Length")
        {
            return name;
        }

        string offset = e.Inline(_out, slice.Offset!, integer: true);
        string length = e.Inline(_out, slice.Length!, integer: true);
        // an input parameter may be a double[], which has no Slice: read it through a span
        bool input = !_procedure.Kinds.ContainsKey(array) || _procedure.Parameters.Any(p => p.Name == array && p.Kind == ValueKind.Array && !p.IsOutput);
        string element = _complex && !IsRealArray(array) ? Real : "double";
        return input ? $"((global::System.ReadOnlySpan<{element}>){name}).Slice({offset}, {length})" : $"{name}.Slice({offset}, {length})";
    }

    private bool IsRealArray(string array) => !_complex || IsConstantArrayParameter(array);

    /// <summary>Throws when the callee writes fewer elements for sure than the output slice has (its products would drop the others' derivatives).</summary>
    private void CheckWritten(Invoke c, CSharpEmitter e, string indent)
    {
        if (c.Written is null)
        {
            return;
        }

        string written = e.Inline(_out, c.Written, integer: true);
        string length = e.Inline(_out, c.Output.Length!, integer: true);
        string callee = c.Method.Substring(c.Method.LastIndexOf('.') + 1);
        Line(indent, $"if ({written} < {length})");
        Line(indent, "{");
        Line(indent + "    ", $"throw new global::System.ArgumentException(\"{callee} writes only \" + ({written}) + \" elements of its output, which has \" + ({length}) + \": the others would keep their values without derivatives.\");");
        Line(indent, "}");
    }

    private string ScalarArgument(CallArgument argument, CSharpEmitter e) =>
        e.Inline(_out, argument.Value!, integer: argument.Kind == CallArgumentKind.Integer);

    /// <summary><c>Method(arguments);</c> — over complex numbers, a real array passed where the callee takes complex numbers (or the other way) is copied into scratch first.</summary>
    private void PrintInvoke(Invoke c, CSharpEmitter e, string indent)
    {
        CheckWritten(c, e, indent);
        var complexPieces = new ScratchPieces(_scratch, Real);
        var realPieces = new ScratchPieces(_scratchReal, "double");
        var copies = new List<(string Target, string Source, string Length, bool ToReal)>();
        var arguments = new List<string>();
        foreach (var a in c.Arguments)
        {
            if (!a.IsSlice)
            {
                arguments.Add(ScalarArgument(a, e));
                continue;
            }

            string slice = SliceOf(a.Array!, a, e);
            bool wantsReal = a.Kind == CallArgumentKind.Array && !a.Differentiable;
            if (!_complex || a.Kind == CallArgumentKind.Output || wantsReal == IsRealArray(a.Array!))
            {
                arguments.Add(slice);
                continue;
            }

            string length = LengthLocal(a, e, indent);
            var pieces = wantsReal ? realPieces : complexPieces;
            string copy = pieces.Span(pieces.Add(length), length);
            copies.Add((copy, slice, length, wantsReal));
            arguments.Add(copy);
        }

        Reserve(complexPieces, indent);
        Reserve(realPieces, indent);
        foreach (var (target, source, length, toReal) in copies)
        {
            string i = _names.Unique("_i");
            Line(indent, $"for (int {i} = 0; {i} < {length}; {i}++)");
            Line(indent, "{");
            Line(indent + "    ", $"{target}[{i}] = {source}[{i}]{(toReal ? ".Real" : "")};");
            Line(indent, "}");
        }

        if (c.Scalar)
        {
            // the value goes into the one-element array of the last argument
            arguments.RemoveAt(arguments.Count - 1);
            Line(indent, $"{Element(c.Output, e)} = {c.Method}({string.Join(", ", arguments)});");
            return;
        }

        Line(indent, $"{c.Method}({string.Join(", ", arguments)});");
    }

    /// <summary>The first element of a call's output slice (the value of a call of a span method).</summary>
    private string Element(CallArgument output, CSharpEmitter e) => $"{CSharpNames.Escape(output.Array!)}[{e.Inline(_out, output.Offset!, integer: true)}]";

    /// <summary>
    /// The callee's <c>…Vjp</c> with the output's adjoint slice as ȳ; it writes the values into scratch (the output
    /// keeps what the forward sweep left) and x̄ into scratch, which is added to the adjoints; then ȳ's slice is zeroed.
    /// </summary>
    private void PrintInvokeVjp(InvokeVjp v, CSharpEmitter e, string indent)
    {
        var c = v.Call;
        Line(indent, c.Scalar ? $"// the call of {c.Method}: its gradient" : $"// the call of {c.Method}: its vector-Jacobian product");
        var pieces = new ScratchPieces(_scratch, "double");
        var arguments = new List<string>();
        var products = new List<string>();
        var additions = new List<string>();
        var scaled = new List<string>();
        // a span method's gradient is ∂f/∂x: scaled by ȳ, the adjoint of its one-element output
        string scale = c.Scalar ? $"{CSharpNames.Escape(v.OutputAdjoint)}[{e.Inline(_out, c.Output.Offset!, integer: true)}]" : "1.0";
        for (int k = 0; k < c.Arguments.Count; k++)
        {
            var a = c.Arguments[k];
            if (a.Kind == CallArgumentKind.Output && c.Scalar)
            {
                continue;
            }

            if (a.Kind == CallArgumentKind.Output)
            {
                string length = LengthLocal(a, e, indent);
                arguments.Add(pieces.Span(pieces.Add(length), length));
            }
            else
            {
                arguments.Add(a.IsSlice ? SliceOf(a.Array!, a, e) : ScalarArgument(a, e));
            }

            if (!a.Differentiable)
            {
                continue;
            }

            string? adjoint = v.Adjoints[k];
            if (a.Kind == CallArgumentKind.Real)
            {
                products.Add(adjoint is null ? "out _" : "out " + CSharpNames.Escape(adjoint));
                if (adjoint is not null && c.Scalar)
                {
                    scaled.Add(adjoint);
                }

                continue;
            }

            string n = LengthLocal(a, e, indent);
            string start = pieces.Add(n);
            products.Add(pieces.Span(start, n));
            if (adjoint is not null)
            {
                string offset = e.Inline(_out, a.Offset!, integer: true);
                additions.Add($"global::DiffGen.Expr.LoopKernels.AddScaled({CSharpNames.Escape(adjoint)}, {offset}, {scale}, {_scratch}, {start}, {n});");
            }
        }

        Reserve(pieces, indent);
        if (c.Scalar)
        {
            Line(indent, $"{c.Method}Gradient({string.Join(", ", arguments.Concat(products))});");
            foreach (var addition in additions)
            {
                Line(indent, addition);
            }

            foreach (var adjoint in scaled)
            {
                Line(indent, $"{CSharpNames.Escape(adjoint)} *= {scale};");
            }

            Line(indent, $"{scale} = 0.0;");
            return;
        }

        string seed = SliceOf(v.OutputAdjoint, c.Output, e);
        Line(indent, $"{c.Method}Vjp({string.Join(", ", arguments.Append(seed).Concat(products))});");
        foreach (var addition in additions)
        {
            Line(indent, addition);
        }

        Line(indent, $"{seed}.Clear();");
    }

    /// <summary>The callee's <c>…Jvp</c>: the tangents' slices in, the output tangent's slice out; a zero tangent is a cleared scratch slice.</summary>
    private void PrintInvokeJvp(InvokeJvp j, CSharpEmitter e, string indent)
    {
        var c = j.Call;
        Line(indent, c.Scalar ? $"// the call of {c.Method}: its tangent" : $"// the call of {c.Method}: its Jacobian-vector product");
        CheckWritten(c, e, indent);
        var pieces = new ScratchPieces(_scratch, "double");
        var zeros = new List<(string Start, string Length)>();
        var arguments = new List<string>();
        var tangents = new List<string>();
        for (int k = 0; k < c.Arguments.Count; k++)
        {
            var a = c.Arguments[k];
            if (a.Kind == CallArgumentKind.Output && c.Scalar)
            {
                continue;
            }

            arguments.Add(a.IsSlice ? SliceOf(a.Array!, a, e) : ScalarArgument(a, e));
            if (!a.Differentiable)
            {
                continue;
            }

            string? tangent = j.Tangents[k];
            if (a.Kind == CallArgumentKind.Real)
            {
                tangents.Add(tangent is null ? "0.0" : CSharpNames.Escape(tangent));
            }
            else if (tangent is not null)
            {
                tangents.Add(SliceOf(tangent, a, e));
            }
            else
            {
                string n = LengthLocal(a, e, indent);
                string start = pieces.Add(n);
                zeros.Add((start, n));
                tangents.Add(pieces.Span(start, n));
            }
        }

        Reserve(pieces, indent);
        foreach (var (start, length) in zeros)
        {
            Line(indent, $"global::System.Array.Clear({_scratch}, {start}, {length});");
        }

        if (c.Scalar)
        {
            string tangent = _names.Unique("_tangent");
            Line(indent, $"{Element(c.Output, e)} = {c.Method}Tangent({string.Join(", ", arguments.Concat(tangents))}, out double {tangent});");
            Line(indent, $"{CSharpNames.Escape(j.OutputTangent)}[{e.Inline(_out, c.Output.Offset!, integer: true)}] = {tangent};");
            return;
        }

        tangents.Add(SliceOf(j.OutputTangent, c.Output, e));
        Line(indent, $"{c.Method}Jvp({string.Join(", ", arguments.Concat(tangents))});");
    }
}
