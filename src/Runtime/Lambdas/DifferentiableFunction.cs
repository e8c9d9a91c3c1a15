using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Text;
using System.Threading;
using DiffGen.Compilation;
using DiffGen.Expr;
using DiffGen.Lambdas;

namespace DiffGen;

/// <summary>
/// A scalar function of n doubles as an expression graph (from <see cref="Diff.Compile(LambdaExpression)"/>),
/// with its gradient, tangent and Hessian compiled on first use. The graph is built as the generator
/// builds a [Differentiable] method's (lowered, then imported into a fresh simplifying graph with the
/// parameters as variables in order), and differentiated by the same calls, so the results equal the
/// generated <c>…Gradient</c>, <c>…Tangent</c> and <c>…Hessian</c> members bit for bit. Thread-safe.
/// </summary>
public sealed class DifferentiableFunction
{
    private const string TangentPrefix = "tangent:";

    private readonly object _graphLock = new();
    private readonly Node[] _variables;
    private readonly string[] _names;
    private readonly Lazy<CompiledGradient> _gradient;
    private readonly Lazy<(CompiledFunction Function, Node[] Tangents)> _tangent;
    private readonly Lazy<CompiledFunction> _hessian;

    private DifferentiableFunction(Node output, Node[] variables, string[] names, string source)
    {
        Output = output;
        _variables = variables;
        _names = names;
        Source = source;
        _gradient = new Lazy<CompiledGradient>(() => Locked(() => GraphCompiler.CompileGradient(Output, _variables)), LazyThreadSafetyMode.ExecutionAndPublication);
        _tangent = new Lazy<(CompiledFunction, Node[])>(() => Locked(CompileTangent), LazyThreadSafetyMode.ExecutionAndPublication);
        _hessian = new Lazy<CompiledFunction>(() => Locked(CompileHessian), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    internal static DifferentiableFunction FromLambda(LambdaExpression lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);

        if (lambda.ReturnType != typeof(double))
        {
            throw new ArgumentException($"The lambda '{lambda}' returns '{lambda.ReturnType.Name}'; a differentiable function returns a double.", nameof(lambda));
        }

        if (lambda.Parameters.Count == 0)
        {
            throw new ArgumentException($"The lambda '{lambda}' has no parameters to differentiate with respect to.", nameof(lambda));
        }

        var names = new string[lambda.Parameters.Count];
        for (int i = 0; i < names.Length; i++)
        {
            var p = lambda.Parameters[i];
            if (p.Type != typeof(double))
            {
                throw new ArgumentException($"The parameter '{p.Name}' of '{lambda}' is a '{p.Type.Name}'; every parameter must be a double.", nameof(lambda));
            }

            names[i] = string.IsNullOrEmpty(p.Name) ? "x" + i : p.Name!;
        }

        // Lowered, then imported into a fresh graph with the parameters first: what the generator does.
        var lowered = new Graph(simplify: true);
        var body = LambdaLowering.Lower(lowered, lambda, lowered.Vars(names));
        var g = new Graph(simplify: true);
        var variables = g.Vars(names);
        return new DifferentiableFunction(g.Import(body), variables, names, lambda.ToString());
    }

    /// <summary>The lambda as written (its expression tree's text).</summary>
    public string Source { get; }

    /// <summary>The function's expression graph (simplified, hash-consed).</summary>
    public Node Output { get; }

    /// <summary>The variables, one per parameter, in parameter order.</summary>
    public IReadOnlyList<Node> Variables => _variables;

    /// <summary>The parameters' names, in order.</summary>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <summary>The number of parameters, n.</summary>
    public int Arity => _variables.Length;

    /// <summary>f(x).</summary>
    /// <param name="x">One value per parameter.</param>
    /// <exception cref="ArgumentException">The number of values is not <see cref="Arity"/>.</exception>
    public double Evaluate(params double[] x)
    {
        return _gradient.Value.Kernel(Check(x, nameof(x)), Arity <= 64 ? stackalloc double[Arity] : new double[Arity]);
    }

    /// <summary>∇f(x) by reverse mode, in parameter order.</summary>
    /// <param name="x">One value per parameter.</param>
    /// <exception cref="ArgumentException">The number of values is not <see cref="Arity"/>.</exception>
    public double[] Gradient(params double[] x)
    {
        var gradient = new double[Arity];
        Gradient(x, gradient);
        return gradient;
    }

    /// <summary>f(x), and ∇f(x) written to <paramref name="gradient"/>, without allocating (the generated <c>…Gradient</c>).</summary>
    /// <param name="x">One value per parameter.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; length <see cref="Arity"/>.</param>
    /// <exception cref="ArgumentException">A length is not <see cref="Arity"/>.</exception>
    public double Gradient(ReadOnlySpan<double> x, Span<double> gradient) => _gradient.Value.Evaluate(x, gradient);

    /// <summary>The directional derivative ∇f(x)·v by forward mode (the generated <c>…Tangent</c>'s output).</summary>
    /// <param name="x">One value per parameter.</param>
    /// <param name="direction">The direction v; length <see cref="Arity"/>.</param>
    /// <exception cref="ArgumentException">A length is not <see cref="Arity"/>.</exception>
    public double Tangent(ReadOnlySpan<double> x, ReadOnlySpan<double> direction) => Tangent(x, direction, out _);

    /// <summary>The directional derivative ∇f(x)·v by forward mode, and f(x).</summary>
    /// <param name="x">One value per parameter.</param>
    /// <param name="direction">The direction v; length <see cref="Arity"/>.</param>
    /// <param name="value">Receives f(x).</param>
    /// <exception cref="ArgumentException">A length is not <see cref="Arity"/>.</exception>
    public double Tangent(ReadOnlySpan<double> x, ReadOnlySpan<double> direction, out double value)
    {
        Check(x, nameof(x));
        Check(direction, nameof(direction));
        Span<double> inputs = Arity <= 32 ? stackalloc double[2 * Arity] : new double[2 * Arity];
        x.CopyTo(inputs);
        direction.CopyTo(inputs.Slice(Arity));
        Span<double> outputs = stackalloc double[2];
        _tangent.Value.Function.Evaluate(inputs, outputs);
        value = outputs[0];
        return outputs[1];
    }

    /// <summary>The dense n×n Hessian at x, by forward over reverse mode.</summary>
    /// <param name="x">One value per parameter.</param>
    /// <exception cref="ArgumentException">The number of values is not <see cref="Arity"/>.</exception>
    public double[,] Hessian(params double[] x)
    {
        int n = Arity;
        var gradient = new double[n];
        var flat = new double[n * n];
        Hessian(x, gradient, flat);
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                result[i, j] = flat[i * n + j];
            }
        }

        return result;
    }

    /// <summary>f(x), its gradient and its row-major n×n Hessian (the generated <c>…Hessian</c>).</summary>
    /// <param name="x">One value per parameter.</param>
    /// <param name="gradient">Receives ∇f(x); length n.</param>
    /// <param name="hessian">Receives the Hessian, row-major; length n².</param>
    /// <exception cref="ArgumentException">A length does not match (the message names the parameter).</exception>
    public double Hessian(ReadOnlySpan<double> x, Span<double> gradient, Span<double> hessian)
    {
        int n = Arity;
        Check(x, nameof(x));
        if (gradient.Length != n)
        {
            throw new ArgumentException($"The gradient span must have length {n}.", nameof(gradient));
        }

        if (hessian.Length != n * n)
        {
            throw new ArgumentException($"The Hessian span must have length {n * n} ({n}×{n}, row-major).", nameof(hessian));
        }

        var outputs = new double[1 + n + n * n];
        _hessian.Value.Evaluate(x, outputs);
        outputs.AsSpan(1, n).CopyTo(gradient);
        outputs.AsSpan(1 + n).CopyTo(hessian);
        return outputs[0];
    }

    /// <summary>The forward value of every node at x (the green labels of the backpropagation slides).</summary>
    /// <param name="x">One value per parameter.</param>
    public IReadOnlyDictionary<Node, double> ForwardValues(params double[] x) =>
        new Schedule(new[] { Output }, _variables).EvaluateAll(Check(x, nameof(x)).ToArray());

    /// <summary>∂f/∂node at x for every node on a path from the variables to f (the red labels of the slides).</summary>
    /// <param name="x">One value per parameter.</param>
    public IReadOnlyDictionary<Node, double> BackwardGradients(params double[] x) => Locked(() => EvaluateAdjoints(x));

    private Dictionary<Node, double> EvaluateAdjoints(double[] x)
    {
        var inputs = Check(x, nameof(x)).ToArray();
        var adjoints = new List<KeyValuePair<Node, Node>>(Derivatives.Adjoints(Output));
        var expressions = new Node[adjoints.Count];
        for (int i = 0; i < expressions.Length; i++)
        {
            expressions[i] = adjoints[i].Value;
        }

        // One schedule evaluates every adjoint at once.
        var results = new double[expressions.Length];
        new Schedule(expressions, _variables).Evaluate(inputs, results);
        var byNode = new Dictionary<Node, double>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < expressions.Length; i++)
        {
            byNode[adjoints[i].Key] = results[i];
        }

        return byNode;
    }

    /// <summary>f as LaTeX.</summary>
    public string ToLatex() => LatexPrinter.Print(Output);

    /// <summary>∂f/∂xᵢ as LaTeX (the simplified symbolic derivative).</summary>
    /// <param name="parameter">The parameter's position.</param>
    public string GradientToLatex(int parameter)
    {
        if ((uint)parameter >= (uint)Arity)
        {
            throw new ArgumentOutOfRangeException(nameof(parameter), parameter, $"The function has {Arity} parameters.");
        }

        return Locked(() => LatexPrinter.Print(Derivatives.Gradient(Output, _variables)[parameter]));
    }

    /// <summary>The graph in Graphviz DOT; with a point, each wire carries its forward value and ∂f/∂wire.</summary>
    /// <param name="at">Empty for the bare graph, or one value per parameter.</param>
    public string ToDot(params double[] at) =>
        at is null || at.Length == 0 ? DotPrinter.Print(Output) : DotPrinter.Print(Output, ForwardValues(at), BackwardGradients(at));

    /// <summary>
    /// The C# the generator writes for a [Differentiable] method with this body: the <c>{name}Gradient</c>
    /// and <c>{name}Tangent</c> members (and <c>{name}Hessian</c> when asked), printed by the same
    /// <see cref="CSharpEmitter"/> from the same derivative graphs.
    /// </summary>
    /// <param name="name">The method's name.</param>
    /// <param name="hessian">Also print the Hessian member.</param>
    public string ToCSharp(string name = "F", bool hessian = false) => Locked(() => PrintCSharp(name, hessian));

    private string PrintCSharp(string name, bool hessian)
    {
        var sb = new StringBuilder();
        var gradient = Derivatives.Gradient(Output, _variables);
        var outputs = new OutputNames(_names);
        var signature = new List<string>(Parameters());
        var assignments = new List<Assignment>();
        var dnames = new string[Arity];
        for (int i = 0; i < Arity; i++)
        {
            dnames[i] = outputs.Pick("d" + _names[i]);
            signature.Add("out double " + dnames[i]);
        }

        var names = new NameBuilder(outputs.Taken);
        string value = names.Unique("value");
        assignments.Add(new Assignment(value, Output, declare: true, comment: "value"));
        for (int i = 0; i < Arity; i++)
        {
            assignments.Add(new Assignment(dnames[i], gradient[i], comment: i == 0 ? "gradient (reverse mode)" : null));
        }

        Member(sb, name + "Gradient", signature, names, assignments, value, null);
        sb.Append('\n');

        var g = Output.Graph;
        outputs = new OutputNames(_names);
        signature = new List<string>(Parameters());
        var tangents = new List<Node?>();
        var tangentNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < Arity; i++)
        {
            string t = outputs.Pick("t" + _names[i]);
            signature.Add("double " + t);
            tangents.Add(g.Var(TangentPrefix + _names[i]));
            tangentNames[TangentPrefix + _names[i]] = t;
        }

        string tangent = outputs.Pick("tangent");
        signature.Add("out double " + tangent);
        names = new NameBuilder(outputs.Taken);
        value = names.Unique("value");
        assignments = new List<Assignment>
        {
            new(value, Output, declare: true, comment: "value"),
            new(tangent, Derivatives.Tangent(Output, _variables, tangents), comment: "directional derivative (forward mode)"),
        };
        Member(sb, name + "Tangent", signature, names, assignments, value, tangentNames);

        if (hessian)
        {
            sb.Append('\n');
            outputs = new OutputNames(_names);
            string gradientName = outputs.Pick("gradient");
            string hessianName = outputs.Pick("hessian");
            signature = new List<string>(Parameters()) { "Span<double> " + gradientName, "Span<double> " + hessianName };
            names = new NameBuilder(outputs.Taken);
            value = names.Unique("value");
            var h = Derivatives.Hessian(Output, _variables);
            assignments = new List<Assignment> { new(value, Output, declare: true, comment: "value") };
            for (int i = 0; i < Arity; i++)
            {
                assignments.Add(new Assignment($"{gradientName}[{i}]", gradient[i], comment: i == 0 ? "gradient (reverse mode)" : null));
            }

            for (int i = 0; i < Arity; i++)
            {
                for (int j = 0; j < Arity; j++)
                {
                    assignments.Add(new Assignment($"{hessianName}[{i * Arity + j}]", h[i, j], comment: i == 0 && j == 0 ? "Hessian (forward over reverse), row-major" : null));
                }
            }

            Member(sb, name + "Hessian", signature, names, assignments, value, null);
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Source;

    private IEnumerable<string> Parameters()
    {
        foreach (var n in _names)
        {
            yield return "double " + n;
        }
    }

    private static void Member(StringBuilder sb, string name, List<string> signature, NameBuilder names, List<Assignment> assignments,
        string value, Dictionary<string, string>? extraNames)
    {
        sb.Append("public static double ").Append(name).Append('(').Append(string.Join(", ", signature)).Append(")\n{\n");
        string VariableName(Node v) => extraNames is not null && extraNames.TryGetValue(v.Name!, out var extra) ? extra : v.Name!;
        new CSharpEmitter(VariableName, names) { Indent = "    " }.Emit(sb, assignments);
        sb.Append("    return ").Append(value).Append(";\n}\n");
    }

    private (CompiledFunction, Node[]) CompileTangent()
    {
        var g = Output.Graph;
        var tangents = new Node[Arity];
        var inputs = new Node[2 * Arity];
        for (int i = 0; i < Arity; i++)
        {
            tangents[i] = g.Var(TangentPrefix + _names[i]);
            inputs[i] = _variables[i];
            inputs[Arity + i] = tangents[i];
        }

        var derivative = Derivatives.Tangent(Output, _variables, tangents);
        return (GraphCompiler.Compile(new[] { Output, derivative }, inputs), tangents);
    }

    private CompiledFunction CompileHessian()
    {
        int n = Arity;
        var gradient = Derivatives.Gradient(Output, _variables);
        var hessian = Derivatives.Hessian(Output, _variables);
        var outputs = new Node[1 + n + n * n];
        outputs[0] = Output;
        Array.Copy(gradient, 0, outputs, 1, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                outputs[1 + n + i * n + j] = hessian[i, j];
            }
        }

        return GraphCompiler.Compile(outputs, _variables);
    }

    /// <summary>Differentiating adds nodes to the graph, which is not thread-safe: one writer at a time.</summary>
    private T Locked<T>(Func<T> action)
    {
        lock (_graphLock)
        {
            return action();
        }
    }

    private ReadOnlySpan<double> Check(ReadOnlySpan<double> values, string name)
    {
        if (values.Length != Arity)
        {
            throw new ArgumentException($"Expected {Arity} values ({string.Join(", ", _names)}), got {values.Length}.", name);
        }

        return values;
    }
}
