using System;
using System.Collections.Generic;
using DiffGen.Nn;

namespace DiffGen.Runtime.Tests;

public class OptimizerTests
{
    // Rosenbrock f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1); start at the classic (−1.2, 1).
    private static double Rosenbrock(ReadOnlySpan<double> p, Span<double> g)
    {
        double x = p[0], y = p[1];
        double valley = y - x * x;
        g[0] = -2.0 * (1.0 - x) - 400.0 * x * valley;
        g[1] = 200.0 * valley;
        return (1.0 - x) * (1.0 - x) + 100.0 * valley * valley;
    }

    // Convex quadratic f = ½pᵀAp − bᵀp, A = [[3, 1], [1, 2]], b = (1, −1): minimum at p* = A⁻¹b = (0.6, −0.8), f* = −0.7.
    private static double Quadratic(ReadOnlySpan<double> p, Span<double> g)
    {
        double x = p[0], y = p[1];
        g[0] = 3.0 * x + y - 1.0;
        g[1] = x + 2.0 * y + 1.0;
        return 0.5 * (3.0 * x * x + 2.0 * x * y + 2.0 * y * y) - x + y;
    }

    private const double QuadraticMinimum = -0.7;

    public static IEnumerable<object[]> Cases()
    {
        // name, optimizer, Rosenbrock steps and tolerance on f − f*, quadratic steps and tolerance. Figures measured, with margin.
        yield return new object[] { "SGD η=1e-3", (Func<IOptimizer>)(() => new Sgd(2, 1e-3)), 20_000, 1e-7, 10_000, 1e-10 };
        yield return new object[] { "Momentum η=5e-4 μ=0.9", (Func<IOptimizer>)(() => new Momentum(2, 5e-4)), 5_000, 1e-8, 2_000, 1e-10 };
        yield return new object[] { "Nesterov η=5e-4 μ=0.9", (Func<IOptimizer>)(() => new Nesterov(2, 5e-4)), 5_000, 1e-8, 2_000, 1e-10 };
        yield return new object[] { "AdaGrad η=0.5", (Func<IOptimizer>)(() => new AdaGrad(2, 0.5)), 15_000, 1e-8, 200, 1e-12 };
        yield return new object[] { "RMSProp η=1e-2·0.999^t", (Func<IOptimizer>)(() => new RmsProp(2, new ExponentialDecay(1e-2, 0.999))), 10_000, 1e-8, 1_000, 1e-8 };
        yield return new object[] { "Adam η=2e-2", (Func<IOptimizer>)(() => new Adam(2, 2e-2)), 5_000, 1e-8, 1_000, 1e-10 };
        yield return new object[] { "AdamW η=2e-2 λ=1e-4", (Func<IOptimizer>)(() => new AdamW(2, 2e-2, weightDecay: 1e-4)), 5_000, 1e-6, 1_000, 1e-8 };
    }

    private static double Minimize(IOptimizer optimizer, Func<double[], double[], double> f, int steps)
    {
        double[] p = { -1.2, 1.0 };
        double[] g = new double[2];
        for (int i = 0; i < steps; i++)
        {
            f(p, g);
            optimizer.Step(p, g);
        }

        Assert.Equal(steps, optimizer.StepCount);
        return f(p, g);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Minimizes_Rosenbrock_and_a_convex_quadratic(string name, Func<IOptimizer> create, int rosenbrockSteps, double rosenbrockTolerance, int quadraticSteps, double quadraticTolerance)
    {
        double rosenbrock = Minimize(create(), (p, g) => Rosenbrock(p, g), rosenbrockSteps);
        Assert.True(rosenbrock < rosenbrockTolerance, $"{name}: Rosenbrock {rosenbrock:G3} after {rosenbrockSteps} steps (start 24.2)");
        double quadratic = Minimize(create(), (p, g) => Quadratic(p, g), quadraticSteps) - QuadraticMinimum;
        Assert.True(quadratic < quadraticTolerance, $"{name}: quadratic gap {quadratic:G3} after {quadraticSteps} steps");
    }

    [Fact]
    public void Adam_first_three_steps_match_Kingma_and_Ba()
    {
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] theta = { 0.5, -1.5, 2.0 };
        var adam = new Adam(3, lr, b1, b2, eps);
        double[][] gradients = { new[] { 1.0, -2.0, 0.5 }, new[] { 0.3, 0.1, -4.0 }, new[] { -1.0, 2.5, 0.0 } };

        // Algorithm 1 of the paper, written out per component without the optimizer's code.
        double[] expected = (double[])theta.Clone();
        double[] m = new double[3], v = new double[3];
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }

            adam.Step(theta, gradients[t - 1]);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(expected[i], theta[i], 14);
            }
        }

    }

    [Fact]
    public void Adam_first_step_moves_by_the_learning_rate_times_the_sign()
    {
        double[] theta = { 1.0, 1.0, 1.0 };
        new Adam(3, 0.05).Step(theta, new[] { 3.0, -0.01, 0.0 });
        // m̂ = g and v̂ = g² after one step, so θ moves by η·g/(|g| + ε) ≈ η·sign(g).
        Assert.Equal(1.0 - 0.05 * 3.0 / (3.0 + 1e-8), theta[0], 15);
        Assert.Equal(1.0 + 0.05 * 0.01 / (0.01 + 1e-8), theta[1], 15);
        Assert.Equal(1.0, theta[2]);
    }

    [Fact]
    public void AdamW_decays_weights_independently_of_the_gradient()
    {
        // With a zero gradient Adam does nothing, AdamW shrinks θ by (1 − ηλ) per step.
        double[] theta = { 2.0, -4.0 };
        var adamW = new AdamW(2, learningRate: 0.1, weightDecay: 0.5);
        adamW.Step(theta, new[] { 0.0, 0.0 });
        adamW.Step(theta, new[] { 0.0, 0.0 });
        Assert.Equal(2.0 * 0.95 * 0.95, theta[0], 14);
        Assert.Equal(-4.0 * 0.95 * 0.95, theta[1], 14);
    }

    [Fact]
    public void Momentum_and_Nesterov_follow_their_recurrences()
    {
        double[] heavy = { 1.0 }, nesterov = { 1.0 };
        var m = new Momentum(1, 0.1, 0.5);
        var n = new Nesterov(1, 0.1, 0.5);
        m.Step(heavy, new[] { 2.0 });   // v = 2, θ = 1 − 0.2
        m.Step(heavy, new[] { 2.0 });   // v = 3, θ = 0.8 − 0.3
        n.Step(nesterov, new[] { 2.0 }); // v = 2, θ = 1 − 0.1·(2 + 1)
        n.Step(nesterov, new[] { 2.0 }); // v = 3, θ = 0.7 − 0.1·(2 + 1.5)
        Assert.Equal(0.5, heavy[0], 15);
        Assert.Equal(0.35, nesterov[0], 15);
    }

    [Fact]
    public void Steps_allocate_nothing()
    {
        var optimizers = new IOptimizer[] { new Sgd(64, 0.1), new Momentum(64, 0.1), new Nesterov(64, 0.1), new AdaGrad(64, 0.1), new RmsProp(64, new CosineAnnealing(0.1, 10)), new Adam(64), new AdamW(64) };
        double[] p = new double[64], g = new double[64];
        g.AsSpan().Fill(0.5);
        foreach (IOptimizer optimizer in optimizers)
        {
            optimizer.Step(p, g);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (IOptimizer optimizer in optimizers)
            {
                optimizer.Step(p, g);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Step_rejects_wrong_lengths()
    {
        var sgd = new Sgd(3, 0.1);
        Assert.Throws<ArgumentException>("parameters", () => sgd.Step(new double[2], new double[3]));
        Assert.Throws<ArgumentException>("gradient", () => sgd.Step(new double[3], new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, 0.1, beta1: 1.0));
    }

    [Fact]
    public void Schedules_follow_their_formulas()
    {
        Assert.Equal(0.3, new ConstantLearningRate(0.3).LearningRate(1000));
        var step = new StepDecay(1.0, 10, 0.5);
        Assert.Equal(1.0, step.LearningRate(9));
        Assert.Equal(0.5, step.LearningRate(10));
        Assert.Equal(0.25, step.LearningRate(25));
        Assert.Equal(Math.Pow(0.9, 7), new ExponentialDecay(1.0, 0.9).LearningRate(7), 15);
        var cosine = new CosineAnnealing(1.0, 100, 0.1);
        Assert.Equal(1.0, cosine.LearningRate(0), 15);
        Assert.Equal(0.55, cosine.LearningRate(50), 15);
        Assert.Equal(0.1, cosine.LearningRate(100), 15);
        Assert.Equal(0.1, cosine.LearningRate(500), 15);

        // The optimizer reads the schedule at its step count.
        var sgd = new Sgd(1, step);
        double[] p = { 0.0 };
        for (int i = 0; i < 10; i++)
        {
            sgd.Step(p, new[] { 1.0 });
        }

        Assert.Equal(-10.0, p[0], 12);
        Assert.Equal(0.5, sgd.CurrentLearningRate);
    }

    [Fact]
    public void Clipping_by_value_and_by_global_norm()
    {
        double[] g = { 3.0, -0.5, -7.0 };
        GradientClipping.ClipByValue(g, 1.0);
        Assert.Equal(new[] { 1.0, -0.5, -1.0 }, g);

        double[] h = { 3.0, 4.0 };
        double norm = GradientClipping.ClipByGlobalNorm(h, 1.0);
        Assert.Equal(5.0, norm);
        Assert.Equal(0.6, h[0], 15);
        Assert.Equal(0.8, h[1], 15);

        double[] small = { 0.3, 0.4 };
        GradientClipping.ClipByGlobalNorm(small, 1.0);
        Assert.Equal(new[] { 0.3, 0.4 }, small);
    }

    [Fact]
    public void Penalties_add_value_and_gradient()
    {
        double[] w = { 2.0, -3.0, 0.0 };
        double[] g = { 1.0, 1.0, 1.0 };
        Assert.Equal(0.1 * 5.0, Penalties.L1(w, 0.1, g), 15);
        Assert.Equal(new[] { 1.1, 0.9, 1.0 }, g);

        double[] g2 = new double[3];
        Assert.Equal(0.5 * 0.2 * 13.0, Penalties.L2(w, 0.2, g2), 15);
        Assert.Equal(0.4, g2[0], 15);
        Assert.Equal(-0.6, g2[1], 15);
        // L2's gradient agrees with a central difference of its value.
        double Value(double w0) => Penalties.L2(new[] { w0, -3.0, 0.0 }, 0.2, new double[3]);
        Assert.Equal(Oracles.MathNetDerivative(Value, 2.0), g2[0], 8);
    }

    [Fact]
    public void Early_stopping_tracks_the_best_value_and_waits_patience_evaluations()
    {
        var stopping = new EarlyStopping(patience: 2, minDelta: 0.01);
        Assert.False(stopping.Update(1.0));
        Assert.False(stopping.Update(0.5));
        Assert.False(stopping.Update(0.495)); // not better by more than 0.01
        Assert.True(stopping.Update(0.6));
        Assert.Equal(0.5, stopping.BestValue);
        Assert.Equal(1, stopping.BestEvaluation);
        Assert.Equal(2, stopping.EvaluationsWithoutImprovement);

        Assert.False(stopping.Update(0.1)); // an improvement resets the count
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Update(double.NaN));
        Assert.True(stopping.Update(double.NaN));
    }
}
