using System;
using System.IO;
using ScottPlot;

namespace DiffGen.Plotting;

/// <summary>
/// A ScottPlot <see cref="ScottPlot.Plot"/> with the pixel size it is drawn at: what the example saves
/// as PNG and SVG and what a notebook displays inline (as base64 PNG).
/// </summary>
public sealed class Figure
{
    /// <summary>Wraps <paramref name="plot"/> to be drawn at <paramref name="width"/>×<paramref name="height"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Figure(Plot plot, int width = 640, int height = 420)
    {
        Plot = plot ?? throw new ArgumentNullException(nameof(plot));
        if (width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive.");
        }

        if (height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be positive.");
        }

        Width = width;
        Height = height;
    }

    /// <summary>The plot.</summary>
    public Plot Plot { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The picture as PNG bytes.</summary>
    public byte[] ToPng() => Plot.GetImageBytes(Width, Height, ImageFormat.Png);

    /// <summary>The picture as PNG, base64-encoded (a Jupyter <c>image/png</c> output).</summary>
    public string ToPngBase64() => Convert.ToBase64String(ToPng());

    /// <summary>The picture as an SVG document.</summary>
    public string ToSvg() => Plot.GetSvgXml(Width, Height);

    /// <summary>Writes <paramref name="path"/> as PNG or SVG, by its extension; returns the full path.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public string Save(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        switch (Path.GetExtension(full).ToLowerInvariant())
        {
            case ".png":
                File.WriteAllBytes(full, ToPng());
                break;
            case ".svg":
                File.WriteAllText(full, ToSvg());
                break;
            default:
                throw new ArgumentException($"'{path}' should end in .png or .svg.", nameof(path));
        }

        return full;
    }
}
