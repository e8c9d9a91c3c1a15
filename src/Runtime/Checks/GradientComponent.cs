namespace DiffGen;

/// <summary>
/// One component of a gradient check: the analytic ∂f/∂xᵢ against the numeric reference, with
/// absolute error |a − n| and relative error |a − n|/max(|a|, |n|) (0 when both are 0).
/// </summary>
/// <param name="Index">The component i.</param>
/// <param name="Analytic">The gradient under test, a.</param>
/// <param name="Numeric">The numeric reference, n.</param>
/// <param name="AbsoluteError">|a − n|.</param>
/// <param name="RelativeError">|a − n|/max(|a|, |n|).</param>
/// <param name="Passed">Whether |a − n| ≤ absolute tolerance + relative tolerance·max(|a|, |n|) (false for NaN).</param>
public readonly record struct GradientComponent(
    int Index, double Analytic, double Numeric, double AbsoluteError, double RelativeError, bool Passed);
