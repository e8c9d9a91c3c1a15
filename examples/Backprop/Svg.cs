using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DiffGen.Examples.Backprop;

/// <summary>
/// Just enough SVG to draw the lecture plots: a panel maps world coordinates to pixels and draws
/// axes, polylines, dots, rectangles and text. Plain text out; no plotting package needed.
/// </summary>
public sealed class SvgDocument
{
    private readonly StringBuilder body = new();

    /// <summary>An empty drawing of <paramref name="width"/>×<paramref name="height"/> pixels.</summary>
    public SvgDocument(int width, int height)
    {
        Width = width;
        Height = height;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Appends a raw element (already escaped).</summary>
    public void Raw(string element) => body.Append(element).Append('\n');

    /// <summary>Text at a pixel position.</summary>
    public void Text(double x, double y, string text, int size = 12, string anchor = "start", string color = "#222", string weight = "normal") =>
        Raw($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{color}\" font-weight=\"{weight}\">{Escape(text)}</text>");

    /// <summary>The whole document.</summary>
    public override string ToString() =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n";

    /// <summary>A number in invariant culture with at most 2 decimals (pixels).</summary>
    public static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>Escapes text for XML.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}

/// <summary>A rectangular plot area inside an <see cref="SvgDocument"/> with its own world coordinates.</summary>
public sealed class SvgPanel
{
    private readonly SvgDocument document;

    /// <summary>A panel at pixel rectangle (left, top, width, height) showing [xMin, xMax]×[yMin, yMax].</summary>
    public SvgPanel(SvgDocument document, double left, double top, double width, double height,
        double xMin, double xMax, double yMin, double yMax)
    {
        this.document = document;
        Left = left;
        Top = top;
        Width = width;
        Height = height;
        XMin = xMin;
        XMax = xMax;
        YMin = yMin;
        YMax = yMax;
    }

    /// <summary>Pixel left edge.</summary>
    public double Left { get; }
    /// <summary>Pixel top edge.</summary>
    public double Top { get; }
    /// <summary>Pixel width.</summary>
    public double Width { get; }
    /// <summary>Pixel height.</summary>
    public double Height { get; }
    /// <summary>World x at the left edge.</summary>
    public double XMin { get; }
    /// <summary>World x at the right edge.</summary>
    public double XMax { get; }
    /// <summary>World y at the bottom edge.</summary>
    public double YMin { get; }
    /// <summary>World y at the top edge.</summary>
    public double YMax { get; }

    /// <summary>World x to pixel x.</summary>
    public double PixelX(double x) => Left + (x - XMin) / (XMax - XMin) * Width;

    /// <summary>World y to pixel y (world y grows upwards, pixels downwards).</summary>
    public double PixelY(double y) => Top + (YMax - y) / (YMax - YMin) * Height;

    /// <summary>A frame, grid lines at the given world ticks with labels, the zero axes and a title.</summary>
    public void Axes(string title, IReadOnlyList<double> xTicks, IReadOnlyList<double> yTicks)
    {
        foreach (double x in xTicks)
        {
            document.Raw($"<line x1=\"{SvgDocument.N(PixelX(x))}\" y1=\"{SvgDocument.N(Top)}\" x2=\"{SvgDocument.N(PixelX(x))}\" y2=\"{SvgDocument.N(Top + Height)}\" stroke=\"#e4e4e4\"/>");
            document.Text(PixelX(x), Top + Height + 14, Tick(x), 10, "middle", "#555");
        }

        foreach (double y in yTicks)
        {
            document.Raw($"<line x1=\"{SvgDocument.N(Left)}\" y1=\"{SvgDocument.N(PixelY(y))}\" x2=\"{SvgDocument.N(Left + Width)}\" y2=\"{SvgDocument.N(PixelY(y))}\" stroke=\"#e4e4e4\"/>");
            document.Text(Left - 4, PixelY(y) + 3, Tick(y), 10, "end", "#555");
        }

        if (XMin < 0 && XMax > 0)
        {
            document.Raw($"<line x1=\"{SvgDocument.N(PixelX(0))}\" y1=\"{SvgDocument.N(Top)}\" x2=\"{SvgDocument.N(PixelX(0))}\" y2=\"{SvgDocument.N(Top + Height)}\" stroke=\"#999\"/>");
        }

        if (YMin < 0 && YMax > 0)
        {
            document.Raw($"<line x1=\"{SvgDocument.N(Left)}\" y1=\"{SvgDocument.N(PixelY(0))}\" x2=\"{SvgDocument.N(Left + Width)}\" y2=\"{SvgDocument.N(PixelY(0))}\" stroke=\"#999\"/>");
        }

        Frame();
        document.Text(Left + Width / 2, Top - 6, title, 13, "middle", "#222", "bold");
    }

    /// <summary>A thin frame around the panel.</summary>
    public void Frame() =>
        document.Raw($"<rect x=\"{SvgDocument.N(Left)}\" y=\"{SvgDocument.N(Top)}\" width=\"{SvgDocument.N(Width)}\" height=\"{SvgDocument.N(Height)}\" fill=\"none\" stroke=\"#888\"/>");

    /// <summary>A polyline through world points, clipped to the panel by clamping (fine for plots that stay mostly inside).</summary>
    public void Polyline(IEnumerable<(double X, double Y)> points, string color, double strokeWidth = 2, string dash = "")
    {
        var sb = new StringBuilder();
        foreach (var (x, y) in points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }

            double px = Math.Clamp(PixelX(x), Left, Left + Width);
            double py = Math.Clamp(PixelY(y), Top, Top + Height);
            sb.Append(SvgDocument.N(px)).Append(',').Append(SvgDocument.N(py)).Append(' ');
        }

        string dashAttribute = dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "";
        document.Raw($"<polyline points=\"{sb.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{SvgDocument.N(strokeWidth)}\" stroke-linejoin=\"round\"{dashAttribute}/>");
    }

    /// <summary>A dot at a world point.</summary>
    public void Dot(double x, double y, double radius, string fill, string stroke = "white") =>
        document.Raw($"<circle cx=\"{SvgDocument.N(PixelX(x))}\" cy=\"{SvgDocument.N(PixelY(y))}\" r=\"{SvgDocument.N(radius)}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"0.8\"/>");

    /// <summary>A filled world rectangle [x0, x1]×[y0, y1].</summary>
    public void Cell(double x0, double y0, double x1, double y1, string fill) =>
        document.Raw($"<rect x=\"{SvgDocument.N(PixelX(x0))}\" y=\"{SvgDocument.N(PixelY(y1))}\" width=\"{SvgDocument.N(PixelX(x1) - PixelX(x0) + 0.5)}\" height=\"{SvgDocument.N(PixelY(y0) - PixelY(y1) + 0.5)}\" fill=\"{fill}\"/>");

    /// <summary>A legend: one coloured line and label per entry, top-left inside the panel.</summary>
    public void Legend(IReadOnlyList<(string Label, string Color, string Dash)> entries)
    {
        double y = Top + 16;
        foreach (var (label, color, dash) in entries)
        {
            string dashAttribute = dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "";
            document.Raw($"<line x1=\"{SvgDocument.N(Left + 8)}\" y1=\"{SvgDocument.N(y - 4)}\" x2=\"{SvgDocument.N(Left + 30)}\" y2=\"{SvgDocument.N(y - 4)}\" stroke=\"{color}\" stroke-width=\"2.5\"{dashAttribute}/>");
            document.Text(Left + 36, y, label, 11);
            y += 15;
        }
    }

    private static string Tick(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
