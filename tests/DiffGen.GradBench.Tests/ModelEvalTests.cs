using System;
using System.Globalization;
using System.IO;
using System.Linq;
using DiffGen.GradBench.Evals;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// gmm, lstm, ode and ba through the protocol, against the SPEC's check values (the outputs of
/// GradBench's hand-written C++ reference, copied here), ADBench's stated BA values (ADBench README,
/// kept in tests/Data/adbench) and MathNet central differences of the primals.
/// </summary>
public class ModelEvalTests
{
    private const double CheckTolerance = 1e-12;

    // SPEC §3 gmm case.
    private const string GmmCheckInput = """{"d":3,"k":2,"n":2,"m":2,"gamma":0.5,"x":[[0.5,-0.25,1.0],[1.0,2.0,-0.5]],"alpha":[0.25,-0.5],"mu":[[0.0,1.0,0.5],[1.0,-1.0,0.0]],"q":[[0.1,-0.2,0.3],[0.3,0.05,-0.1]],"l":[[0.4,-0.3,0.2],[-0.6,0.1,0.7]]}""";

    [Fact]
    public void Gmm_matches_the_reference_check_values()
    {
        Harness.Close(-51.673589138742216, Harness.Evaluate("gmm", "objective", GmmCheckInput).GetDouble(), CheckTolerance);
        var jacobian = Harness.Evaluate("gmm", "jacobian", GmmCheckInput);
        Assert.Equal(["alpha", "mu", "q", "l"], jacobian.EnumerateObject().Select(p => p.Name));
        Harness.Close([0.5065860746624604, -0.5065860746624604], Harness.Doubles(jacobian.GetProperty("alpha")), CheckTolerance);
        Harness.Close([2.2969911395189984, 0.15942644771337453, -1.6135322801139333, -0.19553323194790115, 0.30786242109742523, 0.170971311902411],
            Harness.Flatten(jacobian.GetProperty("mu")), CheckTolerance);
        Harness.Close([2.0829624434624257, 1.9721741281686065, 1.3089917107933795, 1.6224221112343327, 1.65472391377198, 1.7810881949518325],
            Harness.Flatten(jacobian.GetProperty("q")), CheckTolerance);
        Harness.Close([-0.9468163862281599, 1.3905663867583533, 1.6863793457297733, 0.2182236717596121, 0.061487470948547444, -0.35266394595089295],
            Harness.Flatten(jacobian.GetProperty("l")), CheckTolerance);
    }

    [Fact]
    public void Gmm_jacobian_matches_central_differences_on_a_random_instance()
    {
        var random = new Random(11);
        const int d = 4, k = 3, n = 7;
        const double m = 1, gamma = 1.5;
        int lSize = d * (d - 1) / 2;
        double[] Normal(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] x = Normal(n * d), alpha = Normal(k), mu = Normal(k * d), q = Normal(k * d), l = Normal(k * lSize);
        double constant = Gmm.Constant(d, k, n, gamma, m);
        double Objective(double[] p) => Gmm.Objective(p[..k], p[k..(k + k * d)], p[(k + k * d)..(k + 2 * k * d)], p[(k + 2 * k * d)..], x, d, k, n, gamma, m, constant);
        double[] expected = SmallEvalTests.FiniteDifferenceGradient(Objective, [.. alpha, .. mu, .. q, .. l]);

        string input = $$"""{"d":{{d}},"k":{{k}},"n":{{n}},"m":{{m}},"gamma":{{gamma}},"x":{{Harness.Rows(x, d)}},"alpha":{{Harness.Array(alpha)}},"mu":{{Harness.Rows(mu, d)}},"q":{{Harness.Rows(q, d)}},"l":{{Harness.Rows(l, lSize)}}}""";
        var jacobian = Harness.Evaluate("gmm", "jacobian", input);
        double[] actual = [.. Harness.Doubles(jacobian.GetProperty("alpha")), .. Harness.Flatten(jacobian.GetProperty("mu")),
            .. Harness.Flatten(jacobian.GetProperty("q")), .. Harness.Flatten(jacobian.GetProperty("l"))];
        Harness.Close(expected, actual, 1e-7);
    }

    // SPEC §3 lstm case.
    private const string LstmCheckInput = """{"main_params":[[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2],[-0.1,-0.2,-0.3,0.05,0.15,0.25,-0.35,0.45,-0.55,0.65,-0.75,0.85]],"extra_params":[[0.9,0.8,0.7],[0.6,0.5,0.4],[0.3,0.2,0.1]],"state":[[0.2,0.4,0.6],[0.1,0.3,0.5]],"sequence":[[1.0,0.0,1.0],[0.0,1.0,1.0],[1.0,1.0,0.0],[0.0,0.0,1.0]]}""";

    [Fact]
    public void Lstm_matches_the_reference_check_values()
    {
        Harness.Close(0.8641803124236126, Harness.Evaluate("lstm", "objective", LstmCheckInput).GetDouble(), CheckTolerance);
        Harness.Close(
        [
            0.0012075652779204278, -0.00021708104468160872, -0.00028745338563657813, 0.0004986910962731653, 0.001157656463492875,
            -0.0011149010522504958, 0.0051968499658935725, 0.0011026709855988387, -0.0007664426621164137, 0.0008106194966506148,
            -0.007243089051124762, -0.0006407840104681214, 0.0007804059759901655, -0.0027500265829346186, -0.0017731207761759991,
            0.0025218471390373483, 0.004694413364782305, -0.0021708894051950694, 0.002062272695580873, 0.0017553041101852208,
            -0.007033860693677469, 0.004094078396279877, -0.022993552295882527, -0.001304609331697457, 0.0041761683376861595,
            0.0010484007244284366, -0.0011086205879939233, 0.011630466497005621, 0.012965582224579058, -0.027823628521369673,
            0.03485820279286392, -0.1183384297716146, -0.10352030688536279,
        ], Harness.Doubles(Harness.Evaluate("lstm", "jacobian", LstmCheckInput)), CheckTolerance);
    }

    [Fact]
    public void Lstm_jacobian_matches_central_differences_with_two_layers()
    {
        var random = new Random(2);
        const int layers = 2, b = 4, c = 6;
        double[] Uniform(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
        double[] main = Uniform(2 * layers * 4 * b), extra = Uniform(3 * b), state = Uniform(2 * layers * b);
        double[] sequence = Enumerable.Range(0, c * b).Select(_ => (double)random.Next(2)).ToArray();
        double[] expected = SmallEvalTests.FiniteDifferenceGradient(
            p => Lstm.Objective(p[..main.Length], p[main.Length..], state, sequence, layers, b, c), [.. main, .. extra]);

        string input = $$"""{"main_params":{{Harness.Rows(main, 4 * b)}},"extra_params":{{Harness.Rows(extra, b)}},"state":{{Harness.Rows(state, b)}},"sequence":{{Harness.Rows(sequence, b)}}}""";
        Harness.Close(expected, Harness.Doubles(Harness.Evaluate("lstm", "jacobian", input)), 1e-9);
    }

    [Fact]
    public void Ode_matches_the_reference_check_values_where_it_differentiates_runge_kutta()
    {
        // SPEC §3: for n ≤ 4 the reference's closed-form gradient equals the Runge–Kutta derivative.
        const string input = """{"x":[0.5,1.5,2.0,-1.0],"s":2}""";
        Harness.Close([1.0, 1.5, 2.0, -1.0], Harness.Doubles(Harness.Evaluate("ode", "primal", input)), CheckTolerance);
        Harness.Close([-2.0, -0.6666666666666666, -0.5, 1.0], Harness.Doubles(Harness.Evaluate("ode", "gradient", input)), CheckTolerance);
    }

    [Fact]
    public void Ode_gradient_is_zero_where_the_last_component_is_exactly_zero()
    {
        // SPEC §3 second case, n = 6 > 4s: the primal check value, and the true derivative of the
        // Runge–Kutta output (zero, as central differences confirm), not the reference's closed form.
        const string input = """{"x":[0.5,1.5,2.0,-1.0,0.75,1.25],"s":1}""";
        double[] x = [0.5, 1.5, 2.0, -1.0, 0.75, 1.25];
        Harness.Close([1.0, 1.5, 2.0, -1.0, 0.0, 0.0], Harness.Doubles(Harness.Evaluate("ode", "primal", input)), CheckTolerance);
        Harness.Close(SmallEvalTests.FiniteDifferenceGradient(p => LastComponent(p, 1), x), Harness.Doubles(Harness.Evaluate("ode", "gradient", input)), 1e-12);
    }

    [Fact]
    public void Ode_gradient_matches_central_differences_of_the_runge_kutta_primal()
    {
        var random = new Random(4);
        // n ≤ 4s, so y_{n−1}(2) depends on every xᵢ.
        double[] x = Enumerable.Range(0, 7).Select(_ => 0.5 + random.NextDouble()).ToArray();
        const int s = 2;
        string input = $$"""{"x":{{Harness.Array(x)}},"s":{{s}}}""";
        double[] gradient = Harness.Doubles(Harness.Evaluate("ode", "gradient", input));
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-3);
        Harness.Close(SmallEvalTests.FiniteDifferenceGradient(p => LastComponent(p, s), x), gradient, 1e-9);
    }

    // y_{n−1}(2) from the primal.
    private static double LastComponent(double[] x, int s)
    {
        var y = new double[x.Length];
        Ode.Solve(x, s, y);
        return y[^1];
    }

    // SPEC §3 ba case (the first default workload, ba1).
    private const string BaCheckInput = """{"n":49,"m":7776,"p":31843,"cam":[-0.758453,-1.109613,-0.845551,34.556073,39.676747,53.881673,419.194514,5.864426,-8.51887,0.087812,0.002739],"x":[7.203245,0.001144,3.023326],"w":0.417022,"feat":[271.760969,834.209256]}""";

    [Fact]
    public void Ba_matches_the_reference_check_values()
    {
        var objective = Harness.Evaluate("ba", "objective", BaCheckInput, minRuns: 1);
        var reprojection = objective.GetProperty("reproj_error");
        // The reference's projection differs from ours in the last digits (cancellation in proj − feature).
        Harness.Close([0.10133583791450886, -0.06896776592424401], Harness.Doubles(reprojection.GetProperty("elements")), 1e-11);
        Assert.Equal(31843, reprojection.GetProperty("repeated").GetInt32());
        Harness.Close(0.826092651516, objective.GetProperty("w_err").GetProperty("element").GetDouble(), CheckTolerance);
        Assert.Equal(31843, objective.GetProperty("w_err").GetProperty("repeated").GetInt32());

        var jacobian = Harness.Evaluate("ba", "jacobian", BaCheckInput, minRuns: 1);
        int[] expectedRows = [.. Enumerable.Range(0, 30).Select(i => 15 * i), 987133];
        int[] block = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 539, 540, 541, 23867];
        Assert.Equal(expectedRows, jacobian.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([.. block, .. block, 55709], jacobian.GetProperty("cols").EnumerateArray().Select(e => e.GetInt32()));
        Harness.Close(
        [
            -461.4463210015993, 178.8679280144455, -19.423916472206248, -3.0615983420410315, 6.392457556226442, -3.340282281299017,
            0.26476024920703156, 0.417022, 0.0, 243.62824566083003, 676.4867782658688, 3.0615983420410315, -6.392457556226442,
            3.340282281299017, 0.24299878163378708, -803.7436233648792, -309.5954175234488, 604.7802846625028, -15.049628170340545,
            6.248486312079824, 3.2194799516049235, 0.8381960857313306, 0.0, 0.417022, 771.2949451366334, 2141.6680611599554,
            15.049628170340545, -6.248486312079824, -3.2194799516049235, -0.16538160078960118, -0.834044,
        ], Harness.Doubles(jacobian.GetProperty("vals")), 1e-11);
    }

    [Fact]
    public void Ba_matches_adbench_on_its_test_instance()
    {
        // tests/Data/adbench/ba_test.txt and the values its README states (from ADBench).
        string[] tokens = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "adbench", "ba_test.txt"))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        double[] numbers = tokens.Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        string input = $$"""{"n":{{numbers[0]}},"m":{{numbers[1]}},"p":{{numbers[2]}},"cam":{{Harness.Array(numbers[3..14])}},"x":{{Harness.Array(numbers[14..17])}},"w":{{numbers[17]:R}},"feat":{{Harness.Array(numbers[18..20])}}}""";

        var objective = Harness.Evaluate("ba", "objective", input);
        Harness.Close([-0.269048849235189402, 0.259944792677901881], Harness.Doubles(objective.GetProperty("reproj_error").GetProperty("elements")), 1e-11);
        Harness.Close(0.826092651516, objective.GetProperty("w_err").GetProperty("element").GetDouble(), CheckTolerance);
        double[] firstRow = Harness.Doubles(Harness.Evaluate("ba", "jacobian", input).GetProperty("vals"))[..15];
        // ADBench states the row to 12 significant digits.
        Harness.Close([228.877202208, 634.574811496, -782.222866259, 2.42892615607, -11.7828079628, 2.54169312488,
            -1.03657084959, 0.417022, 0, -350.739521096, -912.107773668, -2.42892615607, 11.7828079628, -2.54169312488, -0.645167039713],
            firstRow, 1e-11);
    }

    [Theory]
    [InlineData(0.3, -0.2, 0.1)]
    [InlineData(0.0, 0.0, 0.0)]
    public void Ba_block_matches_central_differences_of_the_primal(double r0, double r1, double r2)
    {
        // Camera (r, C, f, u0, v0, κ1, κ2), point X, weight w: the 15 columns of one observation.
        double[] parameters = [r0, r1, r2, 0.5, -0.3, -4.0, 2.0, 0.1, -0.2, 0.05, 0.01, 0.7, 0.4, 1.5, 0.8];
        double[] feature = [0.3, -0.6];
        double[] Residuals(double[] p)
        {
            var e = new double[2];
            Ba.Reproject(p.AsSpan(0, 11), p.AsSpan(11, 3), p[14], feature, e);
            return e;
        }

        string input = $$"""{"n":1,"m":1,"p":1,"cam":{{Harness.Array(parameters[..11])}},"x":{{Harness.Array(parameters[11..14])}},"w":{{parameters[14]:R}},"feat":{{Harness.Array(feature)}}}""";
        double[] vals = Harness.Doubles(Harness.Evaluate("ba", "jacobian", input).GetProperty("vals"));
        for (int axis = 0; axis < 2; axis++)
        {
            double[] expected = SmallEvalTests.FiniteDifferenceGradient(p => Residuals(p)[axis], parameters);
            Harness.Close(expected, vals[(15 * axis)..(15 * axis + 15)], 1e-8);
        }
    }
}
