using System;
using System.Linq;
using System.Numerics;

namespace DiffGen.Consumer.Tests;

/// <summary>
/// TensorPrimitives calls inside [Differentiable] methods (issue 11 item 3): lowered to loops, their gradient, tangent
/// and Hessian-vector product equal complex step and finite differences (<see cref="SpanOracle"/>) and the same
/// function with its loops written out; spans of different lengths throw as TensorPrimitives does.
/// </summary>
public class TensorPrimitivesTests
{
    private static double[] Wave(int length, double a, double b, double scale = 1.0) =>
        Enumerable.Range(0, length).Select(k => scale * Math.Sin(a * k + b)).ToArray();

    private static readonly double[] X = Wave(TensorPrimitivesModels.Inputs, 1.7, 0.4);

    [Fact]
    public void A_layer_of_dot_products_tanh_exp_and_sum_matches_complex_step_and_finite_differences()
    {
        var w = Wave(TensorPrimitivesModels.Inputs * TensorPrimitivesModels.Units, 0.83, 0.1, 0.7);
        var gradient = new SpanOracle
        {
            Primal = t => TensorPrimitivesModels.LayerLogSumExp(t, X),
            Gradient = (t, g) => TensorPrimitivesModels.LayerLogSumExpGradient(t, X, g),
            Tangent = (t, v) => (TensorPrimitivesModels.LayerLogSumExpTangent(t, X, v, out double d), d),
            HessianVector = (t, v, hv) => TensorPrimitivesModels.LayerLogSumExpHessianVector(t, X, v, hv),
            Complex = z => TensorPrimitivesModels.LayerLogSumExp(z, X),
        }.Check(w);

        // the loops written by hand: the same gradient to rounding
        var loops = new double[w.Length];
        SpanOracle.Close(TensorPrimitivesModels.LayerLogSumExpLoops(w, X), TensorPrimitivesModels.LayerLogSumExpLoopsGradient(w, X, loops), 1e-13, "loops' value");
        for (int i = 0; i < w.Length; i++)
        {
            SpanOracle.Close(loops[i], gradient[i], 1e-13, $"∂/∂w{i} vs the loops written out");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    public void Element_wise_maps_with_scalars_and_reductions_match_complex_step_and_finite_differences(int n)
    {
        // a and b are the two halves of the oracle's one input
        new SpanOracle
        {
            Primal = x => TensorPrimitivesModels.Elementwise(x.AsSpan(0, n), x.AsSpan(n)),
            Gradient = (x, g) => TensorPrimitivesModels.ElementwiseGradient(x.AsSpan(0, n), x.AsSpan(n), g.AsSpan(0, n), g.AsSpan(n)),
            Tangent = (x, v) => (TensorPrimitivesModels.ElementwiseTangent(x.AsSpan(0, n), x.AsSpan(n), v.AsSpan(0, n), v.AsSpan(n), out double d), d),
            HessianVector = (x, v, hv) => TensorPrimitivesModels.ElementwiseHessianVector(x.AsSpan(0, n), x.AsSpan(n), v.AsSpan(0, n), v.AsSpan(n), hv.AsSpan(0, n), hv.AsSpan(n)),
            Complex = z => TensorPrimitivesModels.Elementwise(z.AsSpan(0, n), z.AsSpan(n)),
        }.Check(Wave(2 * n, 1.1, -0.3, 0.9));
    }

    private static bool Throws(Action call)
    {
        try
        {
            call();
            return false;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException)
        {
            return true;
        }
    }

    [Fact]
    public void Spans_of_different_lengths_throw_as_TensorPrimitives_does()
    {
        double[] a = [1.0, 2.0, 3.0];
        double[] b = [4.0, 5.0];
        Assert.Throws<ArgumentException>(() => TensorPrimitivesModels.DotOfTwo(a, b));
        // the generated members read past the shorter span: an index out of range, or a kernel's argument check
        Assert.True(Throws(() => TensorPrimitivesModels.DotOfTwoGradient(a, b, new double[3], new double[2])));
        Assert.True(Throws(() => TensorPrimitivesModels.DotOfTwoGradient(b, a, new double[2], new double[3])));
        Assert.True(Throws(() => TensorPrimitivesModels.DotOfTwoTangent(a, b, new double[3], new double[2], out _)));

        double[] da = new double[3], db = new double[3];
        Assert.Equal(32.0, TensorPrimitivesModels.DotOfTwoGradient(a, [4.0, 5.0, 6.0], da, db));
        Assert.Equal(new[] { 4.0, 5.0, 6.0 }, da);
        Assert.Equal(a, db);
    }
}
