using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DiffGen.Generator.Tests.Fuzzing;

/// <summary>
/// Random method bodies: every supported statement and expression kind (locals of type double, int,
/// bool and var, casts and int arithmetic, compound assignment, if/else, ternaries, early returns,
/// constant- and runtime-bound loops, while and do loops with runtime conditions, foreach, break/continue, stackalloc, span and array parameters,
/// calls to [Differentiable] callees and to the activations, TensorPrimitives maps and reductions), and every unsupported construct, each
/// placed inside an otherwise supported body. Values stay inside the functions' domains.
/// </summary>
public sealed class FuzzGrammar
{
    /// <summary>Unsupported constructs (or supported ones with a history of defects), by kind.</summary>
    public static readonly string[] UnsupportedKinds =
    {
        "ref-local", "ref-element", "tuple", "divrem", "lambda", "linq", "try", "throw", "throw-expression",
        "switch", "switch-expression", "local-function", "differentiable-local-function", "instance-call", "recursion",
        "parameter-write", "field-write", "string-local", "goto",
    };

    private const string Tensor = "System.Numerics.Tensors.TensorPrimitives";

    private readonly Random _random;
    private int _counter;
    private HashSet<string> _features = new();
    private bool _mustGenerate;
    private bool _returned;
    private bool _usesBool;
    private bool _runtimeLoop;

    public FuzzGrammar(int seed) => _random = new Random(seed);

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A literal in −3 … 3; negative ones in parentheses, so "-" before them never reads as "--".</summary>
    private string Literal() =>
        _random.Next(-30, 31) / 10.0 is var v && v < 0
            ? "(" + v.ToString("0.0#", CultureInfo.InvariantCulture) + ")"
            : v.ToString("0.0#", CultureInfo.InvariantCulture);

    /// <summary>The names in scope: differentiable-or-constant doubles, ints, bools and readable spans.</summary>
    private sealed class Scope
    {
        public List<string> Doubles { get; } = new();
        public List<string> Ints { get; } = new();
        public List<string> Bools { get; } = new();
        public List<string> Spans { get; } = new();
        public List<string> Assignable { get; } = new();
        public List<string> WritableSpans { get; } = new();

        public Scope Copy()
        {
            var s = new Scope();
            s.Doubles.AddRange(Doubles); s.Ints.AddRange(Ints); s.Bools.AddRange(Bools); s.Spans.AddRange(Spans);
            s.Assignable.AddRange(Assignable); s.WritableSpans.AddRange(WritableSpans);
            return s;
        }
    }

    /// <summary>A random case; about one in four exercises an unsupported construct.</summary>
    public FuzzCase Next(int index)
    {
        string name = "M" + index;
        _counter = 0;
        _features = new HashSet<string>();
        _mustGenerate = true;
        _returned = _usesBool = _runtimeLoop = false;
        double roll = _random.NextDouble();
        if (roll < 0.25)
        {
            return Unsupported(name, Pick(UnsupportedKinds));
        }

        if (roll < 0.30)
        {
            return KeywordNames(name);
        }

        return roll < 0.50 ? ExpressionBodied(name) : Block(name, spans: roll < 0.72);
    }

    // ---- parameters ---------------------------------------------------------------------------

    private List<FuzzParameter> ScalarParameters() =>
        Pick(new[]
        {
            new List<FuzzParameter> { new(ParameterKind.Double, "x0"), new(ParameterKind.Double, "x1"), new(ParameterKind.Double, "x2") },
            new List<FuzzParameter> { new(ParameterKind.Double, "x0"), new(ParameterKind.Double, "x1"), new(ParameterKind.Int, "n") },
            new List<FuzzParameter> { new(ParameterKind.Double, "x0"), new(ParameterKind.NoDiffDouble, "c"), new(ParameterKind.Int, "n") },
        });

    private List<FuzzParameter> SpanParameters() =>
        Pick(new[]
        {
            new List<FuzzParameter> { new(ParameterKind.Span, "x"), new(ParameterKind.Double, "x0"), new(ParameterKind.Int, "n") },
            new List<FuzzParameter> { new(ParameterKind.Array, "x"), new(ParameterKind.Double, "x0") },
            new List<FuzzParameter> { new(ParameterKind.Span, "x"), new(ParameterKind.NoDiffSpan, "w"), new(ParameterKind.Double, "x0") },
        });

    private static Scope ScopeOf(IEnumerable<FuzzParameter> parameters)
    {
        var scope = new Scope();
        foreach (var p in parameters)
        {
            (p.Kind switch
            {
                ParameterKind.Int => scope.Ints,
                ParameterKind.Double or ParameterKind.NoDiffDouble => scope.Doubles,
                _ => scope.Spans,
            }).Add(p.Name);
        }

        return scope;
    }

    private FuzzCase Make(string name, string kind, bool mustGenerate, List<FuzzParameter> parameters, string body, string helpers = "", bool runsAlone = false)
    {
        int n = parameters.Sum(p => p.IsDifferentiable ? (p.IsVector ? FuzzCase.SpanLength : 1) : 0);
        return new FuzzCase
        {
            Name = name, Kind = kind, MustGenerate = mustGenerate, Parameters = parameters, Body = body, Helpers = helpers, RunsAlone = runsAlone,
            Features = _features,
            Point = Enumerable.Range(0, n).Select(_ => Math.Round(_random.NextDouble() * 4 - 2, 3)).ToArray(),
            Direction = Enumerable.Range(0, n).Select(_ => Math.Round(_random.NextDouble() * 2 - 1, 3)).ToArray(),
        };
    }

    // ---- expressions ----------------------------------------------------------------------------

    /// <summary>An int expression, kept small: no overflow, no division by zero.</summary>
    private string IntExpression(Scope s, int depth)
    {
        if (depth <= 0 || Chance(0.4))
        {
            return s.Ints.Count > 0 && Chance(0.7) ? Pick(s.Ints) : _random.Next(0, 6).ToString(CultureInfo.InvariantCulture);
        }

        string a = IntExpression(s, depth - 1), b = IntExpression(s, depth - 1);
        return _random.Next(5) switch
        {
            0 => $"({a} + {b})",
            1 => $"({a} - {b})",
            2 => $"({a} % 4 * ({b} % 3))",
            3 => $"({a} / ({b} % 3 + 4))",
            _ => $"({a} % 5)",
        };
    }

    private string Condition(Scope s, int depth)
    {
        string Compare() => $"{Expression(s, depth - 1)} {Pick(new[] { "<", ">", "<=", ">=" })} {Expression(s, depth - 1)}";
        return _random.Next(6) switch
        {
            0 when s.Bools.Count > 0 => Chance(0.5) ? Pick(s.Bools) : "!" + Pick(s.Bools),
            1 => $"{Compare()} && {Compare()}",
            2 => $"({Compare()} || {IntExpression(s, 1)} == {_random.Next(0, 4)})",
            _ => Compare(),
        };
    }

    public string ExpressionIn(IEnumerable<string> doubles, int depth)
    {
        var s = new Scope();
        s.Doubles.AddRange(doubles);
        return Expression(s, depth);
    }

    private string Expression(Scope s, int depth)
    {
        if (depth <= 0 || Chance(0.25))
        {
            return Leaf(s);
        }

        string A() => Expression(s, depth - 1);
        switch (_random.Next(14))
        {
            case 0:
            case 1:
            case 2:
                return $"({A()} {Pick(new[] { "+", "-", "*" })} {A()})";
            case 3:
                return $"({A()} / (1.5 + Math.Sin({A()})))";
            case 4:
            case 5:
            case 6:
                return string.Format(CultureInfo.InvariantCulture, Pick(Arbitraries.Unary), A());
            case 7:
            case 8:
                return string.Format(CultureInfo.InvariantCulture, Pick(Arbitraries.BinaryCalls), A(), A());
            case 9:
                return $"({Condition(s, depth - 1)} ? {A()} : {A()})";
            case 10:
                // a runtime int exponent, including 0 and 1
                return $"Math.Pow({A()}, {IntExpression(s, 1)} % 4)";
            case 11:
                _features.Add("cast");
                // casts: int → double inside double arithmetic (the cast must be kept)
                return Pick(new[]
                {
                    $"({A()} * ((double){IntExpression(s, 2)} / ({IntExpression(s, 1)} % 3 + 4)))",
                    $"((double)({IntExpression(s, 2)}) + {A()})",
                    $"({A()} * (double){IntExpression(s, 1)} * 0.5)",
                });
            case 12:
                return $"DiffGen.Nn.Activations.{Pick(new[] { "Relu", "Gelu", "Selu", "Softsign", "LogSigmoid" })}({A()})";
            default:
                return Chance(0.5) ? $"({Literal()} * {A()})" : $"(-{A()})";
        }
    }

    private string Leaf(Scope s)
    {
        int roll = _random.Next(10);
        if (roll < 6 && s.Doubles.Count > 0)
        {
            return Pick(s.Doubles);
        }

        if (roll < 8 && s.Spans.Count > 0)
        {
            return $"{Pick(s.Spans)}[{_random.Next(FuzzCase.SpanLength)}]";
        }

        if (roll == 8 && s.Ints.Count > 0)
        {
            _features.Add("cast");
            return $"(double){Pick(s.Ints)}";
        }

        return Literal();
    }

    // ---- bodies ---------------------------------------------------------------------------------

    private FuzzCase ExpressionBodied(string name)
    {
        var parameters = ScalarParameters();
        var scope = ScopeOf(parameters);
        if (Chance(0.2))
        {
            // a call to a [Differentiable] callee, itself random
            string callee = name + "Callee";
            string helper = $"    [Differentiable]\n    public static double {callee}(double a, double b) => {ExpressionIn(new[] { "a", "b" }, 2)};\n\n";
            return Make(name, "supported/call", true, parameters,
                $"        => {callee}({Expression(scope, 2)}, {Expression(scope, 1)}) * {Expression(scope, 2)};", helper);
        }

        return Make(name, "supported/expression", true, parameters, $"        => {Expression(scope, 3)};");
    }

    private FuzzCase Block(string name, bool spans)
    {
        var parameters = spans ? SpanParameters() : ScalarParameters();
        var scope = ScopeOf(parameters);
        var body = new StringBuilder();
        Statements(body, scope, _random.Next(2, 5), 2, inLoop: false, spans);
        body.Append($"        return {Expression(scope, 2)};\n");
        return Make(name, spans ? "supported/span-block" : "supported/block", _mustGenerate, parameters, "    {\n" + body + "    }");
    }

    private void Statements(StringBuilder body, Scope s, int count, int nesting, bool inLoop, bool spans)
    {
        string indent = new(' ', 8 + 4 * (2 - nesting));
        for (int k = 0; k < count; k++)
        {
            Statement(body, s, indent, nesting, inLoop, spans);
        }
    }

    private string Fresh(string prefix) => prefix + _counter++;

    private void Statement(StringBuilder body, Scope s, string indent, int nesting, bool inLoop, bool spans)
    {
        int roll = _random.Next(s.Assignable.Count == 0 ? 4 : 14);
        switch (roll)
        {
            case 0:
            case 1:
            {
                string v = Fresh("v");
                body.Append($"{indent}{(Chance(0.2) ? "var" : "double")} {v} = {Expression(s, 2)};\n");
                s.Doubles.Add(v);
                s.Assignable.Add(v);
                return;
            }
            case 2:
            {
                string a = Fresh("k");
                body.Append($"{indent}int {a} = {IntExpression(s, 2)};\n");
                s.Ints.Add(a);
                if (Chance(0.5))
                {
                    string f = Fresh("f");
                    _features.Add("cast");
                    body.Append($"{indent}double {f} = {a};\n"); // implicit int → double conversion
                    s.Doubles.Add(f);
                    s.Assignable.Add(f);
                }

                return;
            }
            case 3:
            {
                if (spans && nesting == 2 && !_returned && Chance(0.5))
                {
                    string h = Fresh("h");
                    string source = Pick(s.Spans);
                    body.Append($"{indent}Span<double> {h} = stackalloc double[{source}.Length];\n");
                    if (Chance(0.4))
                    {
                        // the same map through TensorPrimitives, then an element-wise function in place
                        _features.Add("tensor-primitives");
                        body.Append($"{indent}{Tensor}.Multiply<double>({source}, {Expression(s, 1)}, {h});\n");
                        body.Append($"{indent}{Tensor}.{Pick(new[] { "Tanh", "Sigmoid", "Sin", "Negate" })}<double>({h}, {h});\n");
                    }
                    else
                    {
                        body.Append($"{indent}for (int {h}i = 0; {h}i < {h}.Length; {h}i++)\n{indent}{{\n");
                        body.Append($"{indent}    {h}[{h}i] = {source}[{h}i] * {Expression(s, 1)};\n{indent}}}\n");
                    }

                    s.Spans.Add(h);
                    return;
                }

                if (spans && Chance(0.25))
                {
                    // a TensorPrimitives reduction (spans of one length: the fuzz inputs and local spans share it)
                    _features.Add("tensor-primitives");
                    string d = Fresh("v");
                    string first = Pick(s.Spans), second = Pick(s.Spans);
                    // <double>: a double[] parameter converts to a span, but C# infers no type argument through the conversion
                    var reductions = new List<string> { $"Dot<double>({first}, {second})", $"Sum<double>({first})", $"SumOfSquares<double>({first})" };
                    if (first != second)
                    {
                        reductions.Add($"Distance<double>({first}, {second}) * 0.5"); // not of a span with itself: √ at 0 has no derivative
                    }

                    string reduction = Pick(reductions);
                    body.Append($"{indent}double {d} = {Tensor}.{reduction} + {Expression(s, 1)};\n");
                    s.Doubles.Add(d);
                    s.Assignable.Add(d);
                    return;
                }

                if (spans || _runtimeLoop)
                {
                    // bool locals are documented as unsupported in methods with loops kept as loops
                    string d = Fresh("v");
                    body.Append($"{indent}double {d} = {Expression(s, 2)};\n");
                    s.Doubles.Add(d);
                    s.Assignable.Add(d);
                    return;
                }

                string b = Fresh("b");
                body.Append($"{indent}bool {b} = {Condition(s, 2)};\n");
                s.Bools.Add(b);
                _usesBool = true;
                return;
            }
            case 4:
            case 5:
            case 6:
                body.Append($"{indent}{Pick(s.Assignable)} {Pick(new[] { "=", "+=", "-=", "*=" })} {Expression(s, 2)};\n");
                return;
            case 7 when nesting > 0:
            {
                body.Append($"{indent}if ({Condition(s, 2)})\n{indent}{{\n");
                Statements(body, s.Copy(), _random.Next(1, 3), nesting - 1, inLoop, spans);
                body.Append($"{indent}}}\n");
                if (Chance(0.6))
                {
                    body.Append($"{indent}else\n{indent}{{\n");
                    Statements(body, s.Copy(), _random.Next(1, 3), nesting - 1, inLoop, spans);
                    body.Append($"{indent}}}\n");
                }

                return;
            }
            case 8:
                _returned = true;
                body.Append($"{indent}if ({Condition(s, 2)})\n{indent}{{\n{indent}    return {Expression(s, 2)};\n{indent}}}\n");
                return;
            case 9 when inLoop:
                // supported in loops kept as loops; in constant-bound loops (unrolled) a documented DG0004
                _mustGenerate &= spans;
                body.Append($"{indent}if ({Condition(s, 1)})\n{indent}{{\n{indent}    {Pick(new[] { "break", "continue" })};\n{indent}}}\n");
                return;
            case 10 when nesting > 0:
            case 11 when nesting > 0:
            {
                if (!_usesBool && Chance(0.25))
                {
                    WhileLoop(body, s, indent, nesting, spans);
                    return;
                }

                string i = Fresh("i");
                string bound = spans && Chance(0.6) ? Pick(s.Spans) + ".Length"
                    : s.Ints.Count > 0 && !_usesBool && Chance(0.4) ? Pick(s.Ints) + " % 5"
                    : _random.Next(1, 5).ToString(CultureInfo.InvariantCulture);
                _runtimeLoop |= !char.IsDigit(bound[0]);
                var inner = s.Copy();
                if (spans && Chance(0.3))
                {
                    string e = Fresh("e");
                    inner.Doubles.Add(e);
                    body.Append($"{indent}foreach (double {e} in {Pick(s.Spans)})\n{indent}{{\n");
                }
                else
                {
                    inner.Ints.Add(i);
                    body.Append(Chance(0.15) && !bound.Contains('%', StringComparison.Ordinal)
                        ? $"{indent}for (int {i} = {bound} - 1; {i} >= 0; {i}--)\n{indent}{{\n"
                        : $"{indent}for (int {i} = 0; {i} < {bound}; {i}++)\n{indent}{{\n");
                    if (bound.EndsWith(".Length", StringComparison.Ordinal))
                    {
                        inner.Doubles.Add($"{bound[..^7]}[{i}]");
                    }
                }

                Statements(body, inner, _random.Next(1, 3), nesting - 1, inLoop: true, spans);
                body.Append($"{indent}}}\n");
                return;
            }
            case 12 when spans && s.WritableSpans.Count == 0 && nesting == 2 && !_returned:
            {
                string h = Fresh("h");
                body.Append($"{indent}Span<double> {h} = stackalloc double[{FuzzCase.SpanLength}];\n");
                body.Append($"{indent}{h}[{_random.Next(FuzzCase.SpanLength)}] = {Expression(s, 2)};\n");
                s.Spans.Add(h);
                s.WritableSpans.Add(h);
                return;
            }
            default:
                body.Append(s.WritableSpans.Count > 0 && Chance(0.4)
                    ? $"{indent}{Pick(s.WritableSpans)}[{_random.Next(FuzzCase.SpanLength)}] += {Expression(s, 1)};\n"
                    : $"{indent}{Pick(s.Assignable)} = {Expression(s, 1)} + {Pick(s.Assignable)};\n");
                return;
        }
    }

    /// <summary>A while or do loop with a runtime condition, bounded by a trip counter stepped first (so a continue cannot skip it).</summary>
    private void WhileLoop(StringBuilder body, Scope s, string indent, int nesting, bool spans)
    {
        _runtimeLoop = true;
        _features.Add("while");
        string c = Fresh("c");
        string condition = $"{c} < {_random.Next(1, 5).ToString(CultureInfo.InvariantCulture)} && {Condition(s, 1)}";
        bool testFirst = Chance(0.6);
        body.Append($"{indent}int {c} = 0;\n");
        body.Append(testFirst ? $"{indent}while ({condition})\n{indent}{{\n" : $"{indent}do\n{indent}{{\n");
        body.Append($"{indent}    {c}++;\n");
        Statements(body, s.Copy(), _random.Next(1, 3), nesting - 1, inLoop: true, spans);
        body.Append(testFirst ? $"{indent}}}\n" : $"{indent}}}\n{indent}while ({condition});\n");
    }

    // ---- unsupported constructs, each inside a supported body -----------------------------------

    private FuzzCase Unsupported(string name, string kind)
    {
        bool spans = kind is "ref-element" || Chance(0.3);
        var parameters = spans ? SpanParameters() : ScalarParameters();
        var s = ScopeOf(parameters);
        string e1 = Expression(s, 2), e2 = Expression(s, 2);
        string first = s.Doubles[0];
        string helpers = "";
        string construct = kind switch
        {
            "ref-local" => $"        double r = {e1};\n        ref double rr = ref r;\n        rr = rr * {e2};\n        v += r;\n",
            "ref-element" => $"        Span<double> h = stackalloc double[{FuzzCase.SpanLength}];\n        h[1] = {e1};\n        ref double e = ref h[1];\n        e = e * {e2};\n        v += h[1];\n",
            "tuple" => $"        var (ta, tb) = ({e1}, {e2});\n        v += ta * tb;\n",
            "divrem" => $"        int q = Math.DivRem(7, 2, out int rem);\n        v += q * {e1} + rem;\n",
            "lambda" => $"        Func<double, double> f = t => t * 1.5 + 0.5;\n        v = f(v) + {e1};\n",
            "linq" => $"        v += new[] {{ {e1}, {e2} }}.Sum();\n",
            "try" => $"        try\n        {{\n            v += {e1};\n        }}\n        catch (ArithmeticException)\n        {{\n            v = 0;\n        }}\n",
            "throw" => $"        if (v > 1e300)\n        {{\n            throw new ArgumentException(\"too large\");\n        }}\n        v += {e1};\n",
            "throw-expression" => $"        v = v < 1e300 ? v + {e1} : throw new ArgumentException(\"too large\");\n",
            "switch" => $"        switch ({IntExpression(s, 1)} % 3)\n        {{\n            case 1:\n                v += {e1};\n                break;\n            default:\n                v -= {e2};\n                break;\n        }}\n",
            "switch-expression" => $"        v += ({IntExpression(s, 1)} % 3) switch {{ 1 => {e1}, _ => {e2} }};\n",
            "local-function" => $"        double Square(double t) => t * t;\n        v = Square(v) + {e1};\n",
            "differentiable-local-function" => $"        [Differentiable] static double Square(double t) => t * t;\n        v = Square(v) + {e1};\n",
            "instance-call" => $"        v = new Scaler().Scale(v) + {e1};\n",
            "recursion" => $"        if (v > 1e300)\n        {{\n            return {name}({string.Join(", ", parameters.Select(p => p.Name))});\n        }}\n        v += {e1};\n",
            "parameter-write" => $"        {first} = {e1};\n        v += {first};\n",
            "field-write" => $"        Scaler.Counter = {e1};\n        v += Scaler.Counter;\n",
            "string-local" => $"        string text = \"ab\";\n        v += text.Length * {e1};\n",
            "goto" => $"        if (v > {e2})\n        {{\n            goto done;\n        }}\n        v += {e1};\n    done:\n        v *= 2;\n",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such construct"),
        };

        string body = $"    {{\n        double v = {Expression(s, 2)};\n{construct}        return v * {Expression(s, 1)};\n    }}";
        return Make(name, "unsupported/" + kind, false, parameters, body, helpers);
    }

    /// <summary>Parameters and locals named with C# keywords (@in, @double): supported, so they must generate.</summary>
    private FuzzCase KeywordNames(string name)
    {
        bool spans = Chance(0.5);
        var parameters = spans
            ? new List<FuzzParameter> { new(ParameterKind.Span, "@in"), new(ParameterKind.Double, "@double"), new(ParameterKind.Int, "@int") }
            : new List<FuzzParameter> { new(ParameterKind.Double, "@in"), new(ParameterKind.Double, "@double"), new(ParameterKind.Int, "@int") };
        var s = ScopeOf(parameters);
        string body = spans
            ? $"    {{\n        double @out = {Expression(s, 1)};\n        for (int @for = 0; @for < @in.Length; @for++)\n        {{\n            @out += @in[@for] * {Expression(s, 2)};\n        }}\n\n        return @out;\n    }}"
            : $"    {{\n        double @out = {Expression(s, 2)};\n        @out *= {Expression(s, 2)};\n        return @out;\n    }}";
        return Make(name, spans ? "supported/keyword-names-loop" : "supported/keyword-names", true, parameters, body);
    }

    /// <summary>
    /// <paramref name="depth"/> nested ifs (or an else-if chain as long) in a span method: the compiler's operation
    /// tree and the statement passes recurse with the depth, so a deep body must run where the stack holds it.
    /// </summary>
    public FuzzCase DeepIfs(string name, int depth, bool elseChain)
    {
        _features = new HashSet<string>();
        var parameters = new List<FuzzParameter> { new(ParameterKind.Span, "x"), new(ParameterKind.Double, "x0"), new(ParameterKind.Int, "n") };
        var body = new StringBuilder("    {\n        double y = x0;\n");
        if (elseChain)
        {
            body.Append("        ").Append(string.Join(" else ", Enumerable.Range(0, depth).Select(k =>
                $"if (x[{k % FuzzCase.SpanLength}] > {((k % 5) - 2.5).ToString("0.0#", CultureInfo.InvariantCulture)}) {{ y = y * x[{(k + 1) % FuzzCase.SpanLength}] + {k % 3}.0; }}"))).Append('\n');
        }
        else
        {
            body.Append(string.Concat(Enumerable.Repeat("        if (x[0] > -5.0) {\n", depth))).Append("        y = y * x[1] + x0;\n").Append(new string('}', depth)).Append('\n');
        }

        body.Append("        return y;\n    }");
        return Make(name, $"deep/{(elseChain ? "else-ifs" : "ifs")}-{depth}", !elseChain || depth <= 500, parameters, body.ToString(), runsAlone: true);
    }

    /// <summary>A left-deep sum of <paramref name="terms"/> terms: lowering must not recurse with the depth.</summary>
    public FuzzCase DeepSum(string name, int terms)
    {
        _features = new HashSet<string>();
        var parameters = new List<FuzzParameter> { new(ParameterKind.Double, "x0"), new(ParameterKind.Double, "x1"), new(ParameterKind.Double, "x2") };
        var sum = new StringBuilder("        => x0");
        for (int k = 1; k < terms; k++)
        {
            sum.Append(k % 3 == 0 ? " + x0 * " : k % 3 == 1 ? " + x1 * " : " - x2 * ")
                .Append(((k % 7) * 0.125).ToString("0.0##", CultureInfo.InvariantCulture));
        }

        sum.Append(';');
        return Make(name, $"deep/sum-{terms}", true, parameters, sum.ToString(), runsAlone: true);
    }
}
