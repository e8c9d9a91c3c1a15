using System;
using System.Globalization;
using System.IO;

namespace DiffGen.Models.Tests.Data;

/// <summary>
/// Finds and reads the ADBench instances kept in the repository's <c>tests/Data/adbench</c> (copied
/// into the test output as <c>Data/adbench</c>; see its README for the format and the source).
/// A missing file is a failure with a message, never a skip.
/// </summary>
public static class AdBench
{
    /// <summary>The folder holding the ADBench files: <c>Data/adbench</c> beside the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Data", "adbench");

    /// <summary>The full path of an ADBench file; throws a clear message when it is missing.</summary>
    public static string PathOf(string fileName)
    {
        string path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The ADBench file '{path}' is missing (the repository keeps them in tests/Data/adbench).", path);
        }

        return path;
    }

    /// <summary>Reads a GMM instance: D K N, K α, K μ_k, K icf_k, N x_i, then γ m.</summary>
    public static GmmInstance ReadGmm(string fileName)
    {
        string path = PathOf(fileName);
        string[] tokens = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int position = 0;
        int Int() => int.Parse(tokens[position++], CultureInfo.InvariantCulture);
        double Real() => double.Parse(tokens[position++], CultureInfo.InvariantCulture);
        double[] Reals(int count)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Real();
            }

            return values;
        }

        int d = Int();
        int k = Int();
        int n = Int();
        double[] alpha = Reals(k);
        double[] means = Reals(k * d);
        double[] icf = Reals(k * GmmInstance.IcfSize(d));
        double[] x = Reals(n * d);
        double gamma = Real();
        double m = Real();
        if (position != tokens.Length)
        {
            throw new InvalidDataException($"{path}: {tokens.Length - position} numbers left over after the GMM instance.");
        }

        return new GmmInstance(d, k, n, alpha, means, icf, x, gamma, m);
    }
}

/// <summary>One GMM instance in ADBench's layout (row-major, component after component).</summary>
public sealed record GmmInstance(int D, int K, int N, double[] Alpha, double[] Means, double[] Icf, double[] X, double Gamma, double M)
{
    /// <summary>D + D(D − 1)/2: log-diagonal q then strictly lower l, per component.</summary>
    public static int IcfSize(int d) => d * (d + 1) / 2;

    /// <summary>K(D + 1)(D + 2)/2: the number of differentiated inputs.</summary>
    public int ParameterCount => Alpha.Length + Means.Length + Icf.Length;

    /// <summary>[α; μ; icf] in ADBench's gradient order.</summary>
    public double[] Parameters()
    {
        var p = new double[ParameterCount];
        Alpha.CopyTo(p, 0);
        Means.CopyTo(p, Alpha.Length);
        Icf.CopyTo(p, Alpha.Length + Means.Length);
        return p;
    }

    /// <summary>
    /// A seeded random instance: α ~ N(0, 1), μ ~ U(−1, 1), icf ~ ½·N(0, 1) (so the inverse covariances
    /// are neither tiny nor huge), x ~ N(0, 1), γ = 1, m = 0 (ADBench's generated instances use γ = 1, m = 0).
    /// </summary>
    public static GmmInstance Random(int d, int k, int n, int seed)
    {
        var random = new Random(seed);
        double Gaussian()
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        var alpha = new double[k];
        var means = new double[k * d];
        var icf = new double[k * IcfSize(d)];
        var x = new double[n * d];
        for (int i = 0; i < alpha.Length; i++)
        {
            alpha[i] = Gaussian();
        }

        for (int i = 0; i < means.Length; i++)
        {
            means[i] = 2.0 * random.NextDouble() - 1.0;
        }

        for (int i = 0; i < icf.Length; i++)
        {
            icf[i] = 0.5 * Gaussian();
        }

        for (int i = 0; i < x.Length; i++)
        {
            x[i] = Gaussian();
        }

        return new GmmInstance(d, k, n, alpha, means, icf, x, Gamma: 1.0, M: 0.0);
    }
}
