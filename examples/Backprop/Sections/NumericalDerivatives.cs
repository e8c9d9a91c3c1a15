using System;
using System.Collections.Generic;
using System.Numerics;

namespace DiffGen.Examples.Backprop;

/// <summary>One step size and the error of each method there.</summary>
public sealed record StepError(double Step, double OneSided, double Central, double ComplexStep);

/// <summary>What section 5 computed.</summary>
/// <param name="Exact">f'(1) = e(sin 1 + cos 1).</param>
/// <param name="Generated">The generated gradient at 1.</param>
/// <param name="Errors">|error| for h = 1e−1 … 1e−20.</param>
/// <param name="BestOneSidedStep">The h with the smallest one-sided error (≈ √ε ≈ 1e−8).</param>
/// <param name="BestCentralStep">The h with the smallest central error (≈ ∛ε ≈ 1e−5).</param>
/// <param name="LibraryErrors">|error| of GradCheck's forward, central and complex-step gradients with their default steps.</param>
public sealed record NumericalDerivativesResult(double Exact, double Generated, IReadOnlyList<StepError> Errors,
    double BestOneSidedStep, double BestCentralStep, (double Forward, double Central, double ComplexStep) LibraryErrors);

/// <summary>Section 5: finite differences against the complex step, and why a step size is a compromise.</summary>
public static class NumericalDerivatives
{
    /// <summary>ε = 2⁻⁵², the gap between 1 and the next double.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Runs the section.</summary>
    public static NumericalDerivativesResult Run(SectionContext context)
    {
        context.Heading("5. Numerical derivatives: f = sin(x)·eˣ at x = 1");
        const double x = 1.0;
        double exact = Math.Exp(x) * (Math.Sin(x) + Math.Cos(x));
        Models.SinExpGradient(x, out double generated);
        context.Line($"Exact f'(1) = e·(sin 1 + cos 1) = {exact:R}");
        context.Line($"Generated SinExpGradient    = {generated:R}   (|error| = {Numbers.Sci(Math.Abs(generated - exact))})");
        context.Line("One-sided  (f(x+h) − f(x))/h:      truncation ~ h·f''/2, rounding ~ ε·f/h  →  best h ≈ √ε ≈ 1.5e−8");
        context.Line("Central    (f(x+h) − f(x−h))/(2h): truncation ~ h²·f'''/6, rounding ~ ε·f/h →  best h ≈ ∛ε ≈ 6e−6");
        context.Line("Complex step Im f(x + ih)/h:        no subtraction, so no cancellation  →  any tiny h works");

        var errors = new List<StepError>();
        var rows = new List<IReadOnlyList<string>>();
        for (int k = 1; k <= 20; k++)
        {
            double h = Math.Pow(10, -k);
            double oneSided = (Models.SinExp(x + h) - Models.SinExp(x)) / h;
            double central = (Models.SinExp(x + h) - Models.SinExp(x - h)) / (2 * h);
            // The generated Complex overload evaluates the same body over complex numbers.
            double complexStep = Models.SinExp(new Complex(x, h)).Imaginary / h;
            var e = new StepError(h, Math.Abs(oneSided - exact), Math.Abs(central - exact), Math.Abs(complexStep - exact));
            errors.Add(e);
            rows.Add(new[] { $"1e−{k}", Format(e.OneSided), Format(e.Central), Format(e.ComplexStep) });
        }

        context.Table(new[] { "h", "one-sided |error|", "central |error|", "complex step |error|" }, rows);
        double bestOneSided = ArgMin(errors, e => e.OneSided);
        double bestCentral = ArgMin(errors, e => e.Central);
        context.Line($"Smallest one-sided error at h = {Numbers.Sci(bestOneSided, 0)} (√ε = {Numbers.Sci(Math.Sqrt(MachineEpsilon))}); " +
                     $"smallest central error at h = {Numbers.Sci(bestCentral, 0)} (∛ε = {Numbers.Sci(Math.Cbrt(MachineEpsilon))}).");
        context.Line("Below h ≈ 1e−16 the one-sided difference sees x + h == x and returns 0: error = |f'| itself.");

        // DiffGen.GradCheck uses exactly these rules of thumb for its default steps.
        double[] point = { x };
        var g = new double[1];
        GradCheck.ForwardDifferenceGradient(p => Models.SinExp(p[0]), point, g);
        double forwardError = Math.Abs(g[0] - exact);
        GradCheck.CentralDifferenceGradient(p => Models.SinExp(p[0]), point, g);
        double centralError = Math.Abs(g[0] - exact);
        GradCheck.ComplexStepGradient(p => Models.SinExp(p[0]), point, g);
        double complexError = Math.Abs(g[0] - exact);
        context.Line($"GradCheck with its default steps: forward (h = {Numbers.Sci(GradCheck.ForwardStep(x))}) |error| = {Format(forwardError)}, " +
                     $"central (h = {Numbers.Sci(GradCheck.CentralStep(x))}) {Format(centralError)}, complex step (h = 1e−20) {Format(complexError)}.");
        return new NumericalDerivativesResult(exact, generated, errors, bestOneSided, bestCentral, (forwardError, centralError, complexError));
    }

    private static string Format(double error) => Numbers.Sci(error);

    private static double ArgMin(List<StepError> errors, Func<StepError, double> error)
    {
        StepError best = errors[0];
        foreach (var e in errors)
        {
            if (error(e) < error(best))
            {
                best = e;
            }
        }

        return best.Step;
    }
}
