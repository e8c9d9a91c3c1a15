using System;
using System.Collections.Generic;
using System.Numerics;
using DiffGen.Compilation;
using DiffGen.Data;
using DiffGen.Expr;
using DiffGen.Nn;
using DiffGen.Parallelism;

namespace DiffGen.Runtime.Tests;

/// <summary>
/// Bad input to every public entry point of the runtime — span lengths that differ, empty spans, NaN,
/// hyper-parameters outside their range — is an ArgumentException naming the argument (issue 8, build item 5).
/// </summary>
public class InputValidationTests
{
    private static readonly double[] Three = { 0.5, -1.0, 2.0 };

    private static double[] WithNaN => new[] { 0.5, double.NaN, 2.0 };

    private static double Sum(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x)
        {
            s += v;
        }

        return s;
    }

    private static Complex SumComplex(ReadOnlySpan<Complex> x)
    {
        Complex s = 0;
        foreach (Complex v in x)
        {
            s += v;
        }

        return s;
    }

    private static void Step(IOptimizer optimizer, double[] parameters, double[] gradient) => optimizer.Step(parameters, gradient);

    public static IEnumerable<object[]> Cases()
    {
        object[] Case(string what, string parameter, Action action) => new object[] { what, parameter, action };

        // ---- optimizers: hyper-parameters, then every step's spans -------------------------------
        yield return Case("Sgd negative learning rate", "learningRate", () => _ = new Sgd(3, -0.1));
        yield return Case("Sgd NaN learning rate", "learningRate", () => _ = new Sgd(3, double.NaN));
        yield return Case("Sgd no parameters", "parameterCount", () => _ = new Sgd(0, 0.1));
        yield return Case("Sgd null schedule", "schedule", () => _ = new Sgd(3, (ILearningRateSchedule)null!));
        yield return Case("Momentum μ ≥ 1", "momentum", () => _ = new Momentum(3, 0.1, momentum: 1.0));
        yield return Case("Momentum μ < 0", "momentum", () => _ = new Momentum(3, 0.1, momentum: -0.1));
        yield return Case("Nesterov μ NaN", "momentum", () => _ = new Nesterov(3, 0.1, momentum: double.NaN));
        yield return Case("Nesterov negative learning rate", "learningRate", () => _ = new Nesterov(3, -1.0));
        yield return Case("AdaGrad ε ≤ 0", "epsilon", () => _ = new AdaGrad(3, 0.1, epsilon: 0.0));
        yield return Case("RmsProp decay ≥ 1", "decay", () => _ = new RmsProp(3, 0.1, decay: 1.0));
        yield return Case("RmsProp ε negative", "epsilon", () => _ = new RmsProp(3, 0.1, epsilon: -1e-8));
        yield return Case("Adam β₁ = 1", "beta1", () => _ = new Adam(3, 0.1, beta1: 1.0));
        yield return Case("Adam β₂ < 0", "beta2", () => _ = new Adam(3, 0.1, beta2: -0.5));
        yield return Case("Adam ε NaN", "epsilon", () => _ = new Adam(3, 0.1, epsilon: double.NaN));
        yield return Case("Adam negative learning rate", "learningRate", () => _ = new Adam(3, -1e-3));
        yield return Case("AdamW negative weight decay", "weightDecay", () => _ = new AdamW(3, 1e-3, weightDecay: -0.01));
        yield return Case("Step parameters length", "parameters", () => Step(new Sgd(3, 0.1), new double[2], Three));
        yield return Case("Step gradient length", "gradient", () => Step(new Adam(3), new double[3], new double[4]));
        yield return Case("Step NaN gradient", "gradient", () => Step(new Momentum(3, 0.1), new double[3], WithNaN));
        yield return Case("Step NaN parameters", "parameters", () => Step(new RmsProp(3, 0.1), WithNaN, Three));
        yield return Case("Step infinite gradient", "gradient", () => Step(new AdaGrad(3, 0.1), new double[3], new[] { 1.0, double.PositiveInfinity, 0.0 }));

        // ---- learning-rate schedules ---------------------------------------------------------------
        yield return Case("Constant rate negative", "Rate", () => _ = new ConstantLearningRate(-1.0));
        yield return Case("StepDecay step size 0", "StepSize", () => _ = new StepDecay(0.1, 0, 0.5));
        yield return Case("StepDecay γ > 1", "Gamma", () => _ = new StepDecay(0.1, 10, 1.5));
        yield return Case("StepDecay negative rate", "InitialRate", () => _ = new StepDecay(-0.1, 10, 0.5));
        yield return Case("ExponentialDecay γ NaN", "Gamma", () => _ = new ExponentialDecay(0.1, double.NaN));
        yield return Case("ExponentialDecay negative rate", "InitialRate", () => _ = new ExponentialDecay(-0.1, 0.9));
        yield return Case("CosineAnnealing period 0", "Period", () => _ = new CosineAnnealing(0.1, 0));
        yield return Case("CosineAnnealing minimum above initial", "MinimumRate", () => _ = new CosineAnnealing(0.1, 10, 0.5));

        // ---- regularization ------------------------------------------------------------------------
        yield return Case("ClipByValue negative limit", "limit", () => GradientClipping.ClipByValue(new double[3], -1.0));
        yield return Case("ClipByGlobalNorm NaN norm", "maxNorm", () => GradientClipping.ClipByGlobalNorm(new double[3], double.NaN));
        yield return Case("L1 negative λ", "lambda", () => Penalties.L1(Three, -0.1, new double[3]));
        yield return Case("L2 gradient length", "gradient", () => Penalties.L2(Three, 0.1, new double[2]));
        yield return Case("EarlyStopping negative patience", "patience", () => _ = new EarlyStopping(-1));
        yield return Case("EarlyStopping negative δ", "minDelta", () => _ = new EarlyStopping(2, -0.1));

        // ---- losses --------------------------------------------------------------------------------
        yield return Case("MSE lengths", "target", () => Losses.MeanSquaredError(Three, new double[2]));
        yield return Case("MSE empty", "prediction", () => Losses.MeanSquaredError(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        yield return Case("MSE gradient length", "gradient", () => Losses.MeanSquaredError(Three, Three, new double[2]));
        yield return Case("BCE lengths", "target", () => Losses.BinaryCrossEntropy(new[] { 0.5 }, new double[2]));
        yield return Case("BCE empty", "probability", () => Losses.BinaryCrossEntropy(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, Span<double>.Empty));
        yield return Case("BCE with logits lengths", "target", () => Losses.BinaryCrossEntropyWithLogits(Three, new double[1]));
        yield return Case("Softmax CE label out of range", "label", () => Losses.SoftmaxCrossEntropy(Three, 3));
        yield return Case("Softmax CE empty", "logits", () => Losses.SoftmaxCrossEntropy(ReadOnlySpan<double>.Empty, 0));
        yield return Case("Softmax CE target length", "target", () => Losses.SoftmaxCrossEntropy(Three, new double[2], new double[3]));
        yield return Case("Hinge lengths", "label", () => Losses.Hinge(Three, new double[2]));
        yield return Case("Hinge gradient length", "gradient", () => Losses.Hinge(Three, Three, new double[4]));

        // ---- activations over spans ----------------------------------------------------------------
        yield return Case("Softmax empty", "x", () => Activations.Softmax(ReadOnlySpan<double>.Empty, Span<double>.Empty));
        yield return Case("Softmax result length", "result", () => Activations.Softmax(Three, new double[2]));
        yield return Case("LogSoftmax result length", "result", () => Activations.LogSoftmax(Three, new double[4]));
        yield return Case("SoftmaxBackward upstream length", "upstream", () => Activations.SoftmaxBackward(Three, new double[2], new double[3]));
        yield return Case("LogSoftmaxBackward gradient length", "inputGradient", () => Activations.LogSoftmaxBackward(Three, Three, new double[2]));
        yield return Case("LogSumExpBackward gradient length", "inputGradient", () => Activations.LogSumExpBackward(Three, 1.0, new double[2]));
        yield return Case("Maxout group size 0", "groupSize", () => Activations.Maxout(Three, 0, new double[1]));

        // ---- gradient checks -------------------------------------------------------------------------
        yield return Case("Central differences NaN point", "x", () => GradCheck.CentralDifferenceGradient(Sum, WithNaN, new double[3]));
        yield return Case("Central differences empty point", "x", () => GradCheck.CentralDifferenceGradient(Sum, ReadOnlySpan<double>.Empty, Span<double>.Empty));
        yield return Case("Forward differences gradient length", "gradient", () => GradCheck.ForwardDifferenceGradient(Sum, Three, new double[2]));
        yield return Case("Complex step NaN point", "x", () => GradCheck.ComplexStepGradient(SumComplex, WithNaN, new double[3]));
        yield return Case("Complex step null function", "f", () => GradCheck.ComplexStepGradient(null!, Three, new double[3]));
        yield return Case("Check NaN point", "x", () => GradCheck.CentralDifference(Sum, WithNaN, new[] { 1.0, 1.0, 1.0 }));
        yield return Case("Check analytic length", "analyticGradient", () => GradCheck.ComplexStep(SumComplex, Three, new double[2]));
        yield return Case("Compare negative tolerance", "relativeTolerance", () => GradCheck.Compare(GradCheckMethod.ComplexStep, Three, Three, -1e-9, 0.0));

        // ---- data ------------------------------------------------------------------------------------
        yield return Case("Circle no points", "count", () => Playground.Circle(0, 0.1, 1));
        yield return Case("Xor negative noise", "noise", () => Playground.Xor(10, -0.1, 1));
        yield return Case("Spiral NaN noise", "noise", () => Playground.Spiral(10, double.NaN, 1));
        yield return Case("Generate train ratio 1.5", "trainRatio", () => Playground.Generate(PlaygroundDataset.Circle, 10, 0.1, 1.5, 1));
        yield return Case("Dataset features length", "features", () => _ = new Dataset(new double[5], new double[2], 2));
        yield return Case("Dataset feature count 0", "featureCount", () => _ = new Dataset(new double[4], new double[2], 0));
        yield return Case("Dataset NaN feature", "features", () => _ = new Dataset(new[] { 0.0, double.NaN }, new double[1], 2));
        yield return Case("Split ratio NaN", "trainRatio", () => Playground.Circle(10, 0.1, 1).Split(double.NaN, 1));
        yield return Case("BatchIterator batch size 0", "batchSize", () => _ = new BatchIterator(Playground.Circle(10, 0.1, 1), 0, 1));
        yield return Case("Initializer fan-in 0", "fanIn", () => Initializers.HeUniform(new double[4], 0, 1));

        // ---- parallel batches ------------------------------------------------------------------------
        yield return Case("ParallelBatch no parameters", "parameterCount", () => _ = new ParallelBatch(0, 10));
        yield return Case("ParallelBatch chunk size 0", "chunkSize", () => _ = new ParallelBatch(3, 0));
        yield return Case("ParallelBatch gradient length", "gradient", () => new ParallelBatch(3, 10).Compute(20, (s, e, g) => 0.0, new double[2]));
        yield return Case("ParallelBatch negative batch", "batchSize", () => new ParallelBatch(3, 10).Compute(-1, (s, e, g) => 0.0, new double[3]));
        yield return Case("ParallelBatch null chunk gradient", "chunkGradient", () => new ParallelBatch(3, 10).Compute(20, null!, new double[3]));

        // ---- tape ----------------------------------------------------------------------------------------
        yield return Case("Tape negative capacity", "initialCapacity", () => _ = new Tape(-1));
        yield return Case("Tape backward from another tape", "output", () => new Tape().Backward(new Tape().Variable(1.0)));
        yield return Case("Tape gradient of another tape's variable", "v", () => new Tape().Grad(new Tape().Variable(1.0)));

        // ---- compilation -----------------------------------------------------------------------------------
        yield return Case("Compiled gradient input length", "x", () =>
        {
            var g = new Graph();
            var x = g.Var("x");
            GraphCompiler.CompileGradient(g.Sin(x), new[] { x }).Evaluate(new double[2], new double[1]);
        });
        yield return Case("Compiled gradient output length", "gradient", () =>
        {
            var g = new Graph();
            var x = g.Var("x");
            GraphCompiler.CompileGradient(g.Sin(x), new[] { x }).Evaluate(new double[1], new double[3]);
        });
        yield return Case("Compiled function outputs length", "outputs", () =>
        {
            var g = new Graph();
            var x = g.Var("x");
            GraphCompiler.Compile(new[] { g.Sin(x), g.Cos(x) }, new[] { x }).Evaluate(new double[1], new double[1]);
        });
        yield return Case("Compile null variables", "variables", () =>
        {
            var g = new Graph();
            GraphCompiler.CompileGradient(g.Sin(g.Var("x")), null!);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_an_argument_exception_naming_the_argument(string what, string parameter, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.True(e.ParamName == parameter, $"{what}: ParamName '{e.ParamName}', expected '{parameter}' ({e.GetType().Name}: {e.Message})");
    }
}
