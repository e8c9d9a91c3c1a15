using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DiffGen;

/// <summary>
/// The result of a <see cref="GradCheck"/>: every component, the worst absolute and relative errors
/// and where they occur, and whether all components lie within the tolerances
/// (|a − n| ≤ <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/>·max(|a|, |n|)).
/// </summary>
public sealed record GradCheckReport
{
    internal GradCheckReport(GradCheckMethod method, GradientComponent[] components, double relativeTolerance, double absoluteTolerance)
    {
        Method = method;
        Components = components;
        RelativeTolerance = relativeTolerance;
        AbsoluteTolerance = absoluteTolerance;
        for (int i = 0; i < components.Length; i++)
        {
            GradientComponent component = components[i];
            if (WorstAbsoluteIndex < 0 || IsWorse(component.AbsoluteError, WorstAbsoluteError))
            {
                WorstAbsoluteError = component.AbsoluteError;
                WorstAbsoluteIndex = i;
            }

            if (WorstRelativeIndex < 0 || IsWorse(component.RelativeError, WorstRelativeError))
            {
                WorstRelativeError = component.RelativeError;
                WorstRelativeIndex = i;
            }

            if (!component.Passed)
            {
                FailureCount++;
            }
        }
    }

    /// <summary>How the numeric reference was computed.</summary>
    public GradCheckMethod Method { get; }

    /// <summary>Per component: analytic against numeric.</summary>
    public IReadOnlyList<GradientComponent> Components { get; }

    /// <summary>The relative tolerance used.</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute tolerance used.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>The largest |a − n| (NaN counts as largest).</summary>
    public double WorstAbsoluteError { get; }

    /// <summary>The component with the largest absolute error.</summary>
    public int WorstAbsoluteIndex { get; } = -1;

    /// <summary>The largest |a − n|/max(|a|, |n|).</summary>
    public double WorstRelativeError { get; }

    /// <summary>The component with the largest relative error.</summary>
    public int WorstRelativeIndex { get; } = -1;

    /// <summary>How many components fail the tolerance.</summary>
    public int FailureCount { get; }

    /// <summary>True when every component is within tolerance.</summary>
    public bool Passed => FailureCount == 0;

    /// <summary>The function's name in messages (∂<c>f</c>/∂x[i]).</summary>
    public string FunctionName { get; init; } = "f";

    /// <summary>The variable's name in messages (∂f/∂<c>x</c>[i]).</summary>
    public string VariableName { get; init; } = "x";

    /// <summary>
    /// One line per failing component, e.g. "∂f/∂x[3]: analytic 1.2 vs numeric 1.5 (central
    /// difference): absolute error 0.3, relative error 0.2 …", or a summary when all pass.
    /// </summary>
    public string Message
    {
        get
        {
            var text = new StringBuilder();
            if (Passed)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"Gradient check passed ({MethodName}, {Components.Count} components): worst absolute error {WorstAbsoluteError:G3} at {VariableName}[{WorstAbsoluteIndex}], worst relative error {WorstRelativeError:G3} at {VariableName}[{WorstRelativeIndex}].");
                return text.ToString();
            }

            text.Append(CultureInfo.InvariantCulture, $"Gradient check failed for {FailureCount} of {Components.Count} components ({MethodName}):");
            foreach (GradientComponent component in Components)
            {
                if (!component.Passed)
                {
                    text.AppendLine().Append(CultureInfo.InvariantCulture,
                        $"∂{FunctionName}/∂{VariableName}[{component.Index}]: analytic {component.Analytic:G12} vs numeric {component.Numeric:G12}: absolute error {component.AbsoluteError:G3}, relative error {component.RelativeError:G3} (tolerance: absolute {AbsoluteTolerance:G3} + relative {RelativeTolerance:G3})");
                }
            }

            return text.ToString();
        }
    }

    /// <summary>Throws <see cref="GradCheckException"/> carrying <see cref="Message"/> unless <see cref="Passed"/>.</summary>
    /// <exception cref="GradCheckException">A component is out of tolerance.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new GradCheckException(this);
        }
    }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    private string MethodName => Method switch
    {
        GradCheckMethod.CentralDifference => "central difference",
        GradCheckMethod.ForwardDifference => "forward difference",
        _ => "complex step",
    };

    private static bool IsWorse(double candidate, double current)
        => double.IsNaN(candidate) ? !double.IsNaN(current) : candidate > current;
}

/// <summary>A gradient check failed; <see cref="Exception.Message"/> names each failing component.</summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Wraps a failed report.</summary>
    public GradCheckException(GradCheckReport report)
        : base(report.Message)
    {
        Report = report;
    }

    /// <summary>The failed report.</summary>
    public GradCheckReport Report { get; }
}
