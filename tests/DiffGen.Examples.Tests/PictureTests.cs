using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DiffGen.Examples.Backprop;

namespace DiffGen.Examples.Tests;

/// <summary>The pictures the example writes (ScottPlot PNG and SVG, and DOT for Graphviz users) are well-formed and show what they should.</summary>
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
        Assert.Equal(new[]
        {
            "circuit.png", "circuit.svg", "circuit.dot", "activations.png", "activations.svg",
            "descent.png", "descent.svg", "decision.png", "decision.svg",
        }, names);
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

    [Fact]
    public void Circuit_is_drawn_without_graphviz_with_values_and_gradients_in_their_colours()
    {
        var document = XDocument.Load(run.ChainRule.SvgPath);
        var texts = document.Descendants(Svg + "text").Select(t => (Text: t.Value.Trim(), Fill: (string?)t.Attribute("fill"))).ToList();
        foreach (string label in new[] { "x", "y", "z", "+", "×" })
        {
            Assert.Contains(texts, t => t.Text == label);
        }

        // Forward values in green, gradients in red: f = −12 and ∂f/∂f = 1 on the output wire; z carries −4 forward and 3 back; x, y and x + y carry −4 back.
        const string green = "#1B7D1B", red = "#C62828";
        Assert.Contains(("-12", green), texts.Select(t => (t.Text, t.Fill)));
        Assert.Contains(("1", red), texts.Select(t => (t.Text, t.Fill)));
        Assert.Equal(1, texts.Count(t => t.Text == "-4" && t.Fill == green));
        Assert.Equal(3, texts.Count(t => t.Text == "-4" && t.Fill == red));
        Assert.Contains(("3", red), texts.Select(t => (t.Text, t.Fill)));
    }

    [Theory]
    [InlineData("circuit", 4)]
    [InlineData("activations", 16)]
    [InlineData("descent", 6)]
    [InlineData("decision", 0)]
    public void Svg_and_png_files_are_well_formed_and_the_same_size(string name, int minimumPaths)
    {
        var document = XDocument.Load(Path.Combine(run.OutputDirectory, name + ".svg"));
        Assert.Equal(Svg + "svg", document.Root!.Name);
        int width = int.Parse(document.Root.Attribute("width")!.Value), height = int.Parse(document.Root.Attribute("height")!.Value);
        Assert.True(width > 0 && height > 0);
        Assert.True(document.Descendants(Svg + "path").Count() >= minimumPaths);
        foreach (var path in document.Descendants(Svg + "path"))
        {
            Assert.DoesNotContain("NaN", path.Attribute("d")?.Value ?? "");
        }

        // PNG: the signature, then the IHDR chunk's big-endian width and height.
        byte[] png = File.ReadAllBytes(Path.Combine(run.OutputDirectory, name + ".png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Decision_picture_shows_every_data_point()
    {
        var document = XDocument.Load(Path.Combine(run.OutputDirectory, "decision.svg"));
        // One marker per point (500), plus the two legend markers.
        Assert.Equal(502, document.Descendants(Svg + "ellipse").Count());
    }
}
