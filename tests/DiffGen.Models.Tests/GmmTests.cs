using System;
using System.Numerics;
using DiffGen.Models.Tests.Data;
using DiffGen.Models.Tests.Models;

namespace DiffGen.Models.Tests;

/// <summary>The [Differentiable] GMM objective: value = reference, generated gradient = ADBench's stated values and complex step.</summary>
public class GmmTests
{
    private static readonly Lazy<GmmInstance> Test = new(() => AdBench.ReadGmm("gmm_test.txt"));
    private static readonly Lazy<GmmInstance> D2K5 = new(() => AdBench.ReadGmm("gmm_d2_K5_1k.txt"));
    private static readonly Lazy<GmmInstance> D10K25 = new(() => GmmInstance.Random(d: 10, k: 25, n: 1000, seed: 2024));

    internal static double Constant(GmmInstance g) => GmmReference.Constant(g.D, g.K, g.N, g.Gamma, g.M);

    internal static double Value(GmmInstance g, ReadOnlySpan<double> p) =>
        Gmm.Objective(p[..g.K], p.Slice(g.K, g.K * g.D), p[(g.K + g.K * g.D)..], g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant(g));

    [Fact]
    public void Objective_equals_the_reference_and_the_stated_values()
    {
        foreach (var (g, stated) in new[] { (Test.Value, GmmReferenceTests.StatedTestValue), (D2K5.Value, GmmReferenceTests.StatedD2K5Value) })
        {
            double f = Value(g, g.Parameters());
            Oracles.AssertRelative(stated, f, 1e-12, $"f on D={g.D}, K={g.K}, N={g.N}");
            Oracles.AssertRelative(GmmReferenceTests.Reference(g), f, 1e-13, "f vs reference");
        }

        var big = D10K25.Value;
        Oracles.AssertRelative(GmmReferenceTests.Reference(big), Value(big, big.Parameters()), 1e-13, "f on d=10, K=25");
    }

    /// <summary>ObjectiveGradient's ∇f, flattened in ADBench's order [α; μ; icf].</summary>
    internal static double Gradient(GmmInstance g, ReadOnlySpan<double> p, double[] gradient)
    {
        int k = g.K, km = g.K * g.D;
        Span<double> all = gradient;
        return Gmm.ObjectiveGradient(p[..k], p.Slice(k, km), p[(k + km)..], g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant(g),
            all[..k], all.Slice(k, km), all[(k + km)..]);
    }

    /// <summary>The generated Complex overload on [α; μ; icf] (the [NoDiff] data is passed as it is, a span of double).</summary>
    private static Func<Complex[], Complex> ComplexObjective(GmmInstance g)
    {
        double[] x = g.X;
        double constant = Constant(g);
        int k = g.K, km = g.K * g.D;
        return z => Gmm.Objective(z.AsSpan(0, k), z.AsSpan(k, km), z.AsSpan(k + km), x, g.D, g.K, g.N, g.Gamma, g.M, constant);
    }

    [Fact]
    public void Gradient_on_gmm_test_equals_the_18_stated_values()
    {
        var g = Test.Value;
        var gradient = new double[g.ParameterCount];
        double f = Gradient(g, g.Parameters(), gradient);
        Oracles.AssertRelative(GmmReferenceTests.StatedTestValue, f, 1e-12, "f from ObjectiveGradient");
        Assert.Equal(18, gradient.Length);
        for (int i = 0; i < gradient.Length; i++)
        {
            Oracles.AssertRelative(GmmReferenceTests.StatedTestGradient[i], gradient[i], 1e-10, $"∇f[{i}]");
        }
    }

    public static TheoryData<string> Instances() => new() { "gmm_test", "gmm_d2_K5_1k", "d10_K25_1k" };

    private static GmmInstance Instance(string name) => name switch
    {
        "gmm_test" => Test.Value,
        "gmm_d2_K5_1k" => D2K5.Value,
        _ => D10K25.Value,
    };

    /// <summary>All components on the small instances; on d=10, K=25 (1650 parameters) α, μ, q and l of three components (24 in all).</summary>
    private static int[] CheckedComponents(GmmInstance g)
    {
        if (g.ParameterCount <= 100)
        {
            return System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Range(0, g.ParameterCount));
        }

        var picked = new System.Collections.Generic.SortedSet<int>();
        int k = g.K, km = g.K * g.D, icfSize = GmmInstance.IcfSize(g.D);
        foreach (int c in new[] { 0, 13, 24 })
        {
            picked.Add(c);                                    // α_c
            picked.Add(k + c * g.D);                          // μ_c, first coordinate
            picked.Add(k + c * g.D + g.D - 1);                // μ_c, last coordinate
            picked.Add(k + km + c * icfSize);                 // q_c0
            picked.Add(k + km + c * icfSize + g.D - 1);       // q_c,D−1
            picked.Add(k + km + c * icfSize + g.D);           // the first l (Q[1,0])
            picked.Add(k + km + c * icfSize + g.D + 20);      // an l in the middle
            picked.Add(k + km + (c + 1) * icfSize - 1);       // the last l (Q[D−1,D−2])
        }

        return System.Linq.Enumerable.ToArray(picked);
    }

    [Theory]
    [MemberData(nameof(Instances))]
    public void Gradient_equals_complex_step(string name)
    {
        var g = Instance(name);
        double[] p = g.Parameters();
        var gradient = new double[p.Length];
        double f = Gradient(g, p, gradient);
        Oracles.AssertRelative(GmmReferenceTests.Reference(g), f, 1e-13, "f");
        var complex = ComplexObjective(g);
        Oracles.AssertRelative(f, complex(Array.ConvertAll(p, v => new Complex(v, 0))).Real, 1e-13, "Re of the Complex overload");
        double scale = 0;
        foreach (double v in gradient) scale = Math.Max(scale, Math.Abs(v));
        foreach (int i in CheckedComponents(g))
        {
            // Relative to the component, with a floor of 1e-8·max|∇f| for components that are nearly zero.
            Oracles.AssertRelative(Oracles.ComplexStepComponent(complex, p, i), gradient[i], 1e-10, $"{name}: ∂f/∂p[{i}] vs complex step", floor: 1e-8 * scale);
        }
    }

    [Theory]
    [MemberData(nameof(Instances))]
    public void Gradient_agrees_with_central_differences(string name)
    {
        var g = Instance(name);
        double[] p = g.Parameters();
        var gradient = new double[p.Length];
        Gradient(g, p, gradient);
        int[] components = CheckedComponents(g);
        if (components.Length > 100 || g.ParameterCount > 100)
        {
            components = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Where(components, (_, index) => index % 3 == 0));
        }

        var derivative = new MathNet.Numerics.Differentiation.NumericalDerivative(5, 2);
        double scale = 0;
        foreach (double v in gradient) scale = Math.Max(scale, Math.Abs(v));
        foreach (int i in components)
        {
            double numeric = derivative.EvaluatePartialDerivative(q => GmmReferenceTests.Reference(g, q), (double[])p.Clone(), i, 1);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-6 * Math.Max(Math.Abs(gradient[i]), 1e-3 * scale),
                $"{name}: ∂f/∂p[{i}] = {gradient[i]:R}, central differences {numeric:R}");
        }
    }

    [Fact]
    public void Gradient_overwrites_its_outputs_and_checks_lengths()
    {
        var g = Test.Value;
        double[] p = g.Parameters();
        var clean = new double[p.Length];
        var dirty = new double[p.Length];
        Array.Fill(dirty, 123.0);
        Gradient(g, p, clean);
        Gradient(g, p, dirty);
        Assert.Equal(clean, dirty);
        var e = Assert.Throws<ArgumentException>(() => Gmm.ObjectiveGradient(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M, 0.0,
            new double[g.K], new double[g.K * g.D - 1], new double[g.Icf.Length]));
        Assert.Contains("means", e.Message + e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Instances))]
    public void Tangent_equals_gradient_dot_direction_and_HessianVector_equals_differences_of_gradients(string name)
    {
        var g = Instance(name);
        double[] p = g.Parameters();
        var random = new Random(17);
        var v = new double[p.Length];
        for (int i = 0; i < v.Length; i++) v[i] = random.NextDouble() * 2 - 1;
        var gradient = new double[p.Length];
        double f = Gradient(g, p, gradient);
        int k = g.K, km = g.K * g.D;

        double value = Gmm.ObjectiveTangent(p.AsSpan(0, k), p.AsSpan(k, km), p.AsSpan(k + km), g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant(g),
            v.AsSpan(0, k), v.AsSpan(k, km), v.AsSpan(k + km), out double tangent);
        Oracles.AssertRelative(f, value, 1e-14, "value from ObjectiveTangent");
        double dot = 0, magnitude = 0;
        for (int i = 0; i < p.Length; i++)
        {
            dot += gradient[i] * v[i];
            magnitude += Math.Abs(gradient[i] * v[i]);
        }

        Assert.True(Math.Abs(tangent - dot) <= 1e-12 * magnitude, $"tangent {tangent:R}, ∇f·v {dot:R}");

        // H·v against (∇f(p + hv) − ∇f(p − hv)) / 2h.
        var hv = new double[p.Length];
        Gmm.ObjectiveHessianVector(p.AsSpan(0, k), p.AsSpan(k, km), p.AsSpan(k + km), g.X, g.D, g.K, g.N, g.Gamma, g.M, Constant(g),
            v.AsSpan(0, k), v.AsSpan(k, km), v.AsSpan(k + km), hv.AsSpan(0, k), hv.AsSpan(k, km), hv.AsSpan(k + km));
        const double h = 1e-5;
        double[] plus = (double[])p.Clone(), minus = (double[])p.Clone();
        for (int i = 0; i < p.Length; i++)
        {
            plus[i] += h * v[i];
            minus[i] -= h * v[i];
        }

        var gPlus = new double[p.Length];
        var gMinus = new double[p.Length];
        Gradient(g, plus, gPlus);
        Gradient(g, minus, gMinus);
        double scale = 0;
        foreach (double x in hv) scale = Math.Max(scale, Math.Abs(x));
        for (int i = 0; i < p.Length; i++)
        {
            double numeric = (gPlus[i] - gMinus[i]) / (2 * h);
            Assert.True(Math.Abs(numeric - hv[i]) <= 1e-5 * Math.Max(Math.Abs(hv[i]), 1e-2 * scale), $"{name}: (H·v)[{i}] = {hv[i]:R}, differences {numeric:R}");
        }
    }

    [Fact]
    public void Gradient_allocates_nothing_in_steady_state()
    {
        var g = D2K5.Value;
        double[] p = g.Parameters();
        var gradient = new double[p.Length];
        Gradient(g, p, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            Gradient(g, p, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
