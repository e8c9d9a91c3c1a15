using System.Collections.Generic;
using System.IO;
using System.Text;
using Spectre.Console;

namespace DiffGen.Examples.Backprop;

/// <summary>Where a section prints (a Spectre console) and where it writes its pictures.</summary>
public sealed class SectionContext
{
    private readonly List<string> writtenFiles = new();

    /// <summary>Prints to <paramref name="console"/> and writes files under <paramref name="outputDirectory"/> (created on first write).</summary>
    public SectionContext(IAnsiConsole console, string outputDirectory)
    {
        Console = console;
        OutputDirectory = outputDirectory;
    }

    /// <summary>The console sections print to.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The directory pictures are written to.</summary>
    public string OutputDirectory { get; }

    /// <summary>Every file written so far, full paths, in order.</summary>
    public IReadOnlyList<string> WrittenFiles => writtenFiles;

    /// <summary>A section heading: a rule with the title.</summary>
    public void Heading(string title)
    {
        Console.WriteLine();
        Console.Write(new Rule($"[bold yellow]{Markup.Escape(title)}[/]").LeftJustified());
    }

    /// <summary>One line of plain text (no markup, so brackets in formulas are safe).</summary>
    public void Line(string text = "") => Console.WriteLine(text);

    /// <summary>A table with the given headers and rows of already formatted cells.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        }

        table.Columns[0].LeftAligned();
        foreach (var row in rows)
        {
            var cells = new List<Text>();
            foreach (string cell in row)
            {
                cells.Add(new Text(cell));
            }

            table.AddRow(cells);
        }

        Console.Write(table);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to out/<paramref name="fileName"/>, prints and returns the full path.</summary>
    public string WriteFile(string fileName, string text)
    {
        Directory.CreateDirectory(OutputDirectory);
        string path = Path.Combine(OutputDirectory, fileName);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writtenFiles.Add(path);
        Line($"Wrote {path}");
        return path;
    }

    /// <summary>Writes out/<paramref name="name"/>.png and .svg (ScottPlot), prints both and returns the SVG's full path.</summary>
    public string WriteFigure(string name, DiffGen.Plotting.Figure figure)
    {
        string png = figure.Save(Path.Combine(OutputDirectory, name + ".png"));
        writtenFiles.Add(png);
        string svg = figure.Save(Path.Combine(OutputDirectory, name + ".svg"));
        writtenFiles.Add(svg);
        Line($"Wrote {png} and {Path.GetFileName(svg)}");
        return svg;
    }
}
