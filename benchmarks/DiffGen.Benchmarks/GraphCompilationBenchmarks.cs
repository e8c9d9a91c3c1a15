using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DiffGen.Compilation;
using DiffGen.Expr;

namespace DiffGen.Benchmarks;

/// <summary>
/// Value and gradient of <see cref="Mlp"/>: compile time and evaluation time of the two compilation
/// backends against the <see cref="Schedule"/> interpreter (the baseline of each category), plus the
/// tape recording the same loss for context.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GraphCompilationBenchmarks
{
    private Node[] _outputs = Array.Empty<Node>();
    private Node[] _parameters = Array.Empty<Node>();
    private Schedule _schedule = null!;
    private CompiledGradient _expressionTrees = null!;
    private CompiledGradient _roslyn = null!;
    private double[] _point = Array.Empty<double>();
    private double[] _values = Array.Empty<double>();
    private double[] _gradient = Array.Empty<double>();
    private readonly Tape _tape = new();
    private Var[] _vars = Array.Empty<Var>();
    private readonly Var[] _hidden = new Var[Mlp.Hidden];

    [GlobalSetup]
    public void Setup()
    {
        var (loss, parameters) = Mlp.Build();
        _parameters = parameters;
        var gradient = Derivatives.Gradient(loss, parameters);
        _outputs = new Node[gradient.Length + 1];
        _outputs[0] = loss;
        gradient.CopyTo(_outputs, 1);
        _schedule = new Schedule(_outputs, parameters);
        _expressionTrees = GraphBackend.ExpressionTrees.CompileGradient(loss, parameters);
        _roslyn = RoslynBackend.Instance.CompileGradient(loss, parameters);
        var random = new Random(42);
        _point = new double[parameters.Length];
        for (int i = 0; i < _point.Length; i++)
        {
            _point[i] = random.NextDouble() - 0.5;
        }

        _values = new double[_outputs.Length];
        _gradient = new double[parameters.Length];
        _vars = new Var[parameters.Length];
        Console.WriteLine($"// MLP graph: {parameters.Length} parameters, {_schedule.Length} nodes (loss and gradient)");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Compile")]
    public Schedule Compile_Interpreter() => new(_outputs, _parameters);

    [Benchmark, BenchmarkCategory("Compile")]
    public GraphKernel Compile_ExpressionTrees() => GraphBackend.ExpressionTrees.CreateKernel(_outputs, _parameters);

    [Benchmark, BenchmarkCategory("Compile")]
    public GraphKernel Compile_Roslyn() => RoslynBackend.Instance.CreateKernel(_outputs, _parameters);

    [Benchmark(Baseline = true), BenchmarkCategory("Evaluate")]
    public double Evaluate_Interpreter()
    {
        _schedule.Evaluate(_point, _values);
        return _values[0];
    }

    [Benchmark, BenchmarkCategory("Evaluate")]
    public double Evaluate_ExpressionTrees() => _expressionTrees.Evaluate(_point, _gradient);

    [Benchmark, BenchmarkCategory("Evaluate")]
    public double Evaluate_Roslyn() => _roslyn.Evaluate(_point, _gradient);

    [Benchmark, BenchmarkCategory("Evaluate")]
    public double Evaluate_Tape()
    {
        _tape.Reset();
        var loss = Mlp.Loss(_tape, _point, _vars, _hidden);
        _tape.Backward(loss);
        for (int i = 0; i < _vars.Length; i++)
        {
            _gradient[i] = _tape.Grad(_vars[i]);
        }

        return loss.Value;
    }
}
