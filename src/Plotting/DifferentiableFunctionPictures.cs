using System;

namespace DiffGen.Plotting;

/// <summary>Pictures of a <see cref="DifferentiableFunction"/>'s circuit, drawn by <see cref="CircuitDiagram"/>.</summary>
public static class DifferentiableFunctionPictures
{
    /// <summary>The circuit; at a point, each wire carries its forward value and ∂f/∂wire.</summary>
    /// <param name="f">The function.</param>
    /// <param name="at">Empty for the bare graph, or one value per parameter.</param>
    public static Figure ToFigure(this DifferentiableFunction f, params double[] at)
    {
        ArgumentNullException.ThrowIfNull(f);

        return at is null || at.Length == 0
            ? CircuitDiagram.Draw(f.Output)
            : CircuitDiagram.Draw(f.Output, f.ForwardValues(at), f.BackwardGradients(at));
    }

    /// <summary>The circuit as SVG (see <see cref="ToFigure"/>).</summary>
    public static string ToSvg(this DifferentiableFunction f, params double[] at) => f.ToFigure(at).ToSvg();

    /// <summary>The circuit as PNG bytes (see <see cref="ToFigure"/>).</summary>
    public static byte[] ToPng(this DifferentiableFunction f, params double[] at) => f.ToFigure(at).ToPng();
}
