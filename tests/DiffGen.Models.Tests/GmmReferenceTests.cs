using System;
using DiffGen.Models.Tests.Data;
using DiffGen.Models.Tests.Models;

namespace DiffGen.Models.Tests;

/// <summary>The plain (no AD) GMM objective reproduces ADBench's stated values.</summary>
public class GmmReferenceTests
{
    /// <summary>ADBench's ∇f on gmm_test.txt, in the order [α; μ; icf].</summary>
    public static readonly double[] StatedTestGradient =
    {
        0.108662855508652456, -0.741270039523898472, 0.632607184015246071,
        1.11692576532787013, 0.163333013551455269, -0.0219989824071193142, 0.227778292254236098,
        1.20963025612832187, -0.0606375920733956339, 2.58529994051162237, 0.112632694524213789,
        0.385744309849611777, 0.0735180573182305508, 5.41836362715595232, -0.321494409677446469,
        1.71892309775004937, 0.860091090790866875, -0.994640930466322848,
    };

    public const double StatedTestValue = 8.07380408004975791;
    public const double StatedD2K5Value = -5240.590562549647;

    internal static double Reference(GmmInstance g) =>
        GmmReference.Objective(g.Alpha, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.Gamma, g.M);

    internal static double Reference(GmmInstance g, ReadOnlySpan<double> p) =>
        GmmReference.Objective(p[..g.K], p.Slice(g.K, g.K * g.D), p[(g.K + g.K * g.D)..], g.X, g.D, g.K, g.N, g.Gamma, g.M);

    [Fact]
    public void Reference_reproduces_f_on_gmm_test()
    {
        var g = AdBench.ReadGmm("gmm_test.txt");
        Assert.Equal((2, 3, 1), (g.D, g.K, g.N));
        Assert.Equal(18, g.ParameterCount);
        double f = Reference(g);
        Assert.True(Math.Abs(f - StatedTestValue) <= 1e-12 * Math.Abs(StatedTestValue), $"f = {f:R}, stated {StatedTestValue:R}");
    }

    [Fact]
    public void Reference_reproduces_f_on_gmm_d2_K5_1k()
    {
        var g = AdBench.ReadGmm("gmm_d2_K5_1k.txt");
        Assert.Equal((2, 5, 1000), (g.D, g.K, g.N));
        double f = Reference(g);
        Assert.True(Math.Abs(f - StatedD2K5Value) <= 1e-12 * Math.Abs(StatedD2K5Value), $"f = {f:R}, stated {StatedD2K5Value:R}");
    }

    [Fact]
    public void Stated_gradient_agrees_with_central_differences_of_the_reference()
    {
        // Checks the parameter order [α; μ; icf] and the column-by-column l layout independently of AD.
        var g = AdBench.ReadGmm("gmm_test.txt");
        double[] p = g.Parameters();
        double[] numeric = Oracles.CentralDifferences(q => Reference(g, q), p);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(numeric[i] - StatedTestGradient[i]) <= 1e-7 * Math.Max(1.0, Math.Abs(StatedTestGradient[i])),
                $"component {i}: central difference {numeric[i]:R}, stated {StatedTestGradient[i]:R}");
        }
    }

    [Fact]
    public void Missing_data_folder_is_named_in_the_message()
    {
        var e = Assert.Throws<System.IO.FileNotFoundException>(() => AdBench.PathOf("no_such_file.txt"));
        Assert.Contains("tests/Data/adbench", e.Message);
    }
}
