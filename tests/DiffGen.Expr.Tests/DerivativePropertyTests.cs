using System;
using System.Linq;
using DiffGen.Expr;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DiffGen.Expr.Tests;

/// <summary>
/// Reverse mode, forward mode, complex step and finite differences agree on random graphs. A failure
/// prints the case and its replay seed: put it in the attribute as Replay = "seed, gamma" to rerun it.
/// </summary>
public class DerivativePropertyTests
{
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, QuietOnSuccess = true)]
    public void Reverse_mode_equals_forward_mode(ExprCase c)
    {
        var (g, f, vars) = c.Build();
        var reverse = Oracles.Evaluate(Derivatives.Gradient(f, vars), vars, c.Point);
        for (int i = 0; i < vars.Length; i++)
        {
            var direction = new Node?[vars.Length];
            direction[i] = g.One;
            double forward = new Schedule(new[] { Derivatives.Tangent(f, vars, direction) }, vars).Evaluate(c.Point);
            Oracles.AssertClose(forward, reverse[i], 1e-12, $"{c}: ∂f/∂x{i}");
        }
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, QuietOnSuccess = true)]
    public void Reverse_mode_equals_complex_step(ExprCase c)
    {
        var (_, f, vars) = c.Build();
        var reverse = Oracles.Evaluate(Derivatives.Gradient(f, vars), vars, c.Point);
        var complexStep = Oracles.ComplexStepGradient(new Schedule(new[] { f }, vars), c.Point);
        Oracles.AssertClose(complexStep, reverse, 1e-10, c.ToString());
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, MaxRejected = 5000, QuietOnSuccess = true)]
    public Property Reverse_mode_is_close_to_central_differences(ExprCase c)
    {
        // Finite differences are only an oracle where they agree with themselves at two step sizes;
        // cases where they do not (steep higher derivatives) are discarded, not passed.
        var (_, f, vars) = c.Build();
        var schedule = new Schedule(new[] { f }, vars);
        var fd = Oracles.FiniteDifferenceGradient(x => schedule.Evaluate(x), c.Point);
        var fdHalf = Oracles.FiniteDifferenceGradient(x => schedule.Evaluate(x), c.Point, 5e-5);
        bool reliable = fd.Zip(fdHalf).All(p => Oracles.Close(p.First, p.Second, 1e-7));
        return Prop.When(reliable, () =>
        {
            var reverse = Oracles.Evaluate(Derivatives.Gradient(f, vars), vars, c.Point);
            Oracles.AssertClose(fd, reverse, 1e-5, c.ToString());
        });
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000, QuietOnSuccess = true)]
    public void Simplification_and_CSE_preserve_values_and_gradients(ExprCase c)
    {
        var (_, raw, rawVars) = c.Build(simplify: false);
        var simplified = Simplifier.Simplify(raw)[0];
        var simplifiedVars = simplified.Graph.Variables.ToArray();

        double before = new Schedule(new[] { raw }, rawVars).Evaluate(c.Point);
        double after = new Schedule(new[] { simplified }, Reorder(simplifiedVars, rawVars)).Evaluate(c.Point);
        Oracles.AssertClose(before, after, 1e-15, c + " value");

        var gradRaw = Oracles.Evaluate(Derivatives.Gradient(raw, rawVars), rawVars, c.Point);
        var simplifiedInputs = Reorder(simplifiedVars, rawVars);
        var gradSimplified = Oracles.Evaluate(Derivatives.Gradient(simplified, simplifiedInputs), simplifiedInputs, c.Point);
        Oracles.AssertClose(gradRaw, gradSimplified, 1e-12, c + " gradient");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300, QuietOnSuccess = true)]
    public void Hessian_is_symmetric_and_matches_complex_step_of_the_gradient(ExprCase c)
    {
        var (g, f, vars) = c.Build();
        int n = vars.Length;
        var h = Oracles.Evaluate(Derivatives.Hessian(f, vars).Cast<Node>().ToArray(), vars, c.Point);
        var gradient = new Schedule(Derivatives.Gradient(f, vars), vars);
        for (int j = 0; j < n; j++)
        {
            // column j of H = Im ∇f(x + ih eⱼ)/h
            var z = c.Point.Select((p, k) => new System.Numerics.Complex(p, k == j ? Oracles.ComplexStep : 0)).ToArray();
            var outputs = new System.Numerics.Complex[n];
            gradient.Evaluate(z, outputs);
            for (int i = 0; i < n; i++)
            {
                Oracles.AssertClose(outputs[i].Imaginary / Oracles.ComplexStep, h[i * n + j], 1e-9, $"{c}: H[{i},{j}]");
                Oracles.AssertClose(h[j * n + i], h[i * n + j], 1e-12, $"{c}: symmetry [{i},{j}]");
            }
        }
    }

    /// <summary>The simplified graph's variables in the raw graph's order (matched by name).</summary>
    private static Node[] Reorder(Node[] simplifiedVars, Node[] rawVars) =>
        rawVars.Select(r => simplifiedVars.FirstOrDefault(s => s.Name == r.Name) ?? simplifiedVars[0].Graph.Var(r.Name!)).ToArray();
}
