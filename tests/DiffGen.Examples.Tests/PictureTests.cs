using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DiffGen.Examples.Backprop;
using Spectre.Console;

namespace DiffGen.Examples.Tests;

/// <summary>The files the example writes open in a browser (SVG is well-formed XML) and in Graphviz.</summary>
[Collection(SectionCollection.Name)]
public sealed class PictureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly SectionFixture run;

    public PictureTests(SectionFixture run) => this.run = run;

    [Fact]
    public void Every_section_writes_into_the_output_directory()
    {
        string[] names = run.Context.WrittenFiles.Select(Path.GetFileName).ToArray()!;
        Assert.Equal(new[] { "circuit.dot", "activations.svg", "descent.svg", "decision.svg" }, names);
        Assert.All(run.Context.WrittenFiles, f => Assert.StartsWith(run.OutputDirectory, f));
    }

    [Fact]
    public void Circuit_dot_is_a_digraph_with_forward_values_and_gradients()
    {
        string dot = File.ReadAllText(run.ChainRule.DotPath);
        Assert.StartsWith("digraph", dot);
        Assert.EndsWith("}\n", dot);
        Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));
        // The output wire carries f = −12 forward and ∂f/∂f = 1 backward; z's wire carries −4 and 3.
        Assert.Contains("<font color=\"darkgreen\">-12</font><br/><font color=\"red\">1</font>", dot);
        Assert.Contains("<font color=\"darkgreen\">-4</font><br/><font color=\"red\">3</font>", dot);
    }

    [Theory]
    [InlineData("activations.svg", 8)]
    [InlineData("descent.svg", 6)]
    [InlineData("decision.svg", 0)]
    public void Svg_files_are_well_formed(string name, int minimumPolylines)
    {
        var document = XDocument.Load(Path.Combine(run.OutputDirectory, name));
        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.True(double.Parse(document.Root.Attribute("width")!.Value) > 0);
        Assert.True(document.Descendants(Svg + "polyline").Count() >= minimumPolylines);
        foreach (var polyline in document.Descendants(Svg + "polyline"))
        {
            Assert.DoesNotContain("NaN", polyline.Attribute("points")!.Value);
        }
    }

    [Fact]
    public void Decision_svg_shows_every_data_point()
    {
        var document = XDocument.Load(Path.Combine(run.OutputDirectory, "decision.svg"));
        Assert.Equal(500, document.Descendants(Svg + "circle").Count());
    }

    [Fact]
    public void Graphviz_rendering_is_optional()
    {
        // With `dot` on PATH the SVG must be well-formed; without it the section skips it and says so.
        string directory = Path.Combine(run.OutputDirectory, "graphviz");
        var silent = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var result = ChainRule.Run(new SectionContext(silent, directory));
        if (result.SvgPath is null)
        {
            Assert.False(File.Exists(Path.Combine(directory, "circuit.svg")));
        }
        else
        {
            Assert.Equal(Svg + "svg", XDocument.Load(result.SvgPath).Root!.Name);
        }
    }
}
