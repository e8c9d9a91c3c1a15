using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>Element-wise maps (<see cref="LoopMaps"/>): each written slice or sum as a vector loop with a scalar tail.</summary>
internal sealed partial class ProcedurePrinter
{
    private const string Lanes = "global::System.Numerics.Vector<double>";

    private void PrintMap(For loop, LoopMaps.Map map, CSharpEmitter e, string indent)
    {
        string start = e.Inline(_out, loop.Start, integer: true);
        string end = e.Inline(_out, loop.End, integer: true);
        string counter = CSharpNames.Escape(loop.Counter);
        string lanesEnd = _names.Unique("_lanesEnd");
        // the trips a whole vector of lanes covers; the tail runs the rest one element at a time
        string trips = loop.Start.IsConstantValue(0) ? end : $"{end} - {Parenthesized(start)}";
        string whole = $"{Parenthesized(trips)} / {Kernels}.Lanes * {Kernels}.Lanes";
        Line(indent, $"int {lanesEnd} = {(loop.Start.IsConstantValue(0) ? whole : $"{start} + {whole}")};");
        foreach (var effect in map.Effects)
        {
            var broadcasts = new Dictionary<Node, string>(NodeIdentity.Comparer);
            Broadcast(effect.Value, loop, broadcasts, indent);
            string lanes = PrintLanes(effect.Value, broadcasts, indent);
            string header = $"for (int {counter} = {start}; {counter} < {lanesEnd}; {counter} += {Kernels}.Lanes)";
            switch (effect)
            {
                case LoopMaps.Element element:
                    string array = CSharpNames.Escape(element.Array);
                    string index = Emitter(indent).Inline(_out, element.Index, integer: true);
                    Line(indent, header);
                    Line(indent, "{");
                    Line(indent + "    ", $"{Kernels}.Store({lanes}, {array}, {index});");
                    Line(indent, "}");
                    Line(indent, $"for (int {counter} = {lanesEnd}; {counter} < {end}; {counter}++)");
                    Nested(new Block(new Statement[] { new Store(element.Array, element.Index, element.Value) }), indent);
                    if (element.SliceFunction is not null)
                    {
                        Line(indent, $"{Kernels}.{element.SliceFunction}({array}, {SliceStart(loop, element.Offset, e)}, {KernelLength(loop, e)});");
                    }

                    break;
                case LoopMaps.Sum sum:
                    string accumulator = CSharpNames.Escape(sum.Accumulator);
                    string partial = _names.Unique("_lanesSum");
                    Line(indent, $"var {partial} = {Lanes}.Zero;");
                    Line(indent, header);
                    Line(indent, "{");
                    Line(indent + "    ", $"{partial} += {lanes};");
                    Line(indent, "}");
                    Line(indent, $"{accumulator} += global::System.Numerics.Vector.Sum({partial});");
                    Line(indent, $"for (int {counter} = {lanesEnd}; {counter} < {end}; {counter}++)");
                    Nested(new Block(new Statement[] { new Accumulate(sum.Accumulator, sum.Value) }), indent);
                    break;
            }
        }
    }

    /// <summary>Every largest part of <paramref name="value"/> the same in all trips, computed once into a vector of equal lanes.</summary>
    private void Broadcast(Node value, For loop, Dictionary<Node, string> broadcasts, string indent)
    {
        var pending = new Stack<Node>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var n = pending.Pop();
            if (broadcasts.ContainsKey(n))
            {
                continue;
            }

            if (LoopMaps.IsInvariant(n, loop) && !LoopMaps.IsCondition(n))
            {
                string name = _names.Unique("_lanes");
                Line(indent, $"var {name} = new {Lanes}({Emitter(indent).Inline(_out, n)});");
                broadcasts[n] = name;
                continue;
            }

            if (n.Op != Op.Load)
            {
                foreach (var arg in n.ArgArray)
                {
                    pending.Push(arg);
                }
            }
        }
    }

    /// <summary>The lanes of a map's value, by <see cref="LoopMaps.Rules"/> (at most a few dozen nodes deep).</summary>
    private string PrintLanes(Node n, Dictionary<Node, string> broadcasts, string indent)
    {
        if (broadcasts.TryGetValue(n, out var name))
        {
            return name;
        }

        if (n.Op == Op.Load)
        {
            return $"{Kernels}.Load({CSharpNames.Escape(n.Name!)}, {Emitter(indent).Inline(_out, n.Args[0], integer: true)})";
        }

        var args = n.ArgArray;
        var printed = new object[args.Length];
        for (int k = 0; k < args.Length; k++)
        {
            printed[k] = PrintLanes(args[k], broadcasts, indent);
        }

        return string.Format(System.Globalization.CultureInfo.InvariantCulture, LoopMaps.Rules[n.Op].Lanes!, printed);
    }
}
