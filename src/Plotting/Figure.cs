using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace DiffGen.Plotting;

/// <summary>
/// One or more ScottPlot <see cref="ScottPlot.Plot"/>s with the pixel rectangles they are drawn in: what
/// the example saves as PNG and SVG and what a notebook displays inline (as base64 PNG).
/// </summary>
public sealed class Figure
{
    private readonly List<(Plot Plot, PixelRect Area)> _panels;

    /// <summary>Wraps <paramref name="plot"/> to be drawn at <paramref name="width"/>×<paramref name="height"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Figure(Plot plot, int width = 640, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(plot);

        CheckSize(width, nameof(width));
        CheckSize(height, nameof(height));
        Width = width;
        Height = height;
        _panels = new List<(Plot, PixelRect)> { (plot, new PixelRect(0, width, height, 0)) };
    }

    private Figure(List<(Plot, PixelRect)> panels, int width, int height)
    {
        _panels = panels;
        Width = width;
        Height = height;
    }

    /// <summary>Plots side by side, <paramref name="columns"/> per row, each <paramref name="panelWidth"/>×<paramref name="panelHeight"/>.</summary>
    /// <exception cref="ArgumentException">No plots.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the column count is not positive.</exception>
    public static Figure Grid(IReadOnlyList<Plot> plots, int columns, int panelWidth = 320, int panelHeight = 240)
    {
        if (plots is null || plots.Count == 0)
        {
            throw new ArgumentException("A grid needs at least one plot.", nameof(plots));
        }

        CheckSize(columns, nameof(columns));
        CheckSize(panelWidth, nameof(panelWidth));
        CheckSize(panelHeight, nameof(panelHeight));
        var panels = new List<(Plot, PixelRect)>();
        for (int i = 0; i < plots.Count; i++)
        {
            float left = i % columns * panelWidth, top = i / columns * panelHeight;
            panels.Add((plots[i], new PixelRect(left, left + panelWidth, top + panelHeight, top)));
        }

        int rows = (plots.Count + columns - 1) / columns;
        return new Figure(panels, Math.Min(columns, plots.Count) * panelWidth, rows * panelHeight);
    }

    /// <summary>The first (for a single figure, the only) plot.</summary>
    public Plot Plot => _panels[0].Plot;

    /// <summary>Every plot, in drawing order.</summary>
    public IEnumerable<Plot> Plots
    {
        get
        {
            foreach (var (plot, _) in _panels)
            {
                yield return plot;
            }
        }
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The picture as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        Draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The picture as PNG, base64-encoded (a Jupyter <c>image/png</c> output).</summary>
    public string ToPngBase64() => Convert.ToBase64String(ToPng());

    /// <summary>The picture as an SVG document.</summary>
    public string ToSvg()
    {
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, Height), stream))
        {
            Draw(canvas);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes <paramref name="path"/> as PNG or SVG, by its extension; returns the full path.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public string Save(string path)
    {
        string full = Path.GetFullPath(path);
        string extension = Path.GetExtension(full).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
        {
            throw new ArgumentException($"'{path}' should end in .png or .svg.", nameof(path));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (extension == ".png")
        {
            File.WriteAllBytes(full, ToPng());
        }
        else
        {
            File.WriteAllText(full, ToSvg(), new UTF8Encoding(false));
        }

        return full;
    }

    private void Draw(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        foreach (var (plot, area) in _panels)
        {
            // A plot paints its whole canvas background: give each one its own clipped, translated canvas.
            canvas.Save();
            canvas.Translate(area.Left, area.Top);
            canvas.ClipRect(new SKRect(0, 0, area.Width, area.Height));
            plot.Render(canvas, new PixelRect(0, area.Width, area.Height, 0));
            canvas.Restore();
        }
    }

    private static void CheckSize(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive.");
        }
    }
}
