using System;
using System.Globalization;
using System.Runtime.InteropServices;
using PackageApp;

// Gradients from the installed DiffGen package against closed forms; exits 1 on any mismatch.
int failures = 0;
Print($"runtime {RuntimeInformation.FrameworkDescription}");

const double x = 1.5, y = -0.7;
double f = Functions.ScalarGradient(x, y, out double dx, out double dy);
Check("scalar f", f, x * x * y + Math.Sin(x) + Math.Exp(-y));
Check("scalar df/dx", dx, 2 * x * y + Math.Cos(x));
Check("scalar df/dy", dy, x * x - Math.Exp(-y));

double[] p = [-1.2, 1.0, 0.5, 2.0, -0.3];
double[] gradient = new double[p.Length];
double r = Functions.RosenbrockGradient(p, gradient);
double expectedValue = 0;
for (int i = 0; i < p.Length - 1; i++)
{
    expectedValue += (1 - p[i]) * (1 - p[i]) + 100 * (p[i + 1] - p[i] * p[i]) * (p[i + 1] - p[i] * p[i]);
}

Check("rosenbrock f", r, expectedValue);
for (int i = 0; i < p.Length; i++)
{
    double expected = 0;
    if (i < p.Length - 1)
    {
        expected += -2 * (1 - p[i]) - 400 * p[i] * (p[i + 1] - p[i] * p[i]);
    }

    if (i > 0)
    {
        expected += 200 * (p[i] - p[i - 1] * p[i - 1]);
    }

    Check($"rosenbrock df/dx{i}", gradient[i], expected);
}

return failures == 0 ? 0 : 1;

void Check(string name, double actual, double expected)
{
    bool ok = Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected));
    failures += ok ? 0 : 1;
    Print($"{(ok ? "PASS" : "FAIL")} {name} = {actual:R} (closed form {expected:R})");
}

static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
