using System.Linq;

namespace DiffGen.Generator.Tests;

public class SnapshotTests
{
    /// <summary>The sigmoid neuron of the lectures, exactly as the generator writes it (Snapshots/Neuron.g.cs).</summary>
    [Fact]
    public void Sigmoid_neuron_generated_source()
    {
        const string source = """
            using System;
            using DiffGen;

            namespace Lectures;

            public static partial class Model
            {
                [Differentiable(Hessian = true)]
                public static double Neuron(double w0, double w1, double w2, double x0, double x1)
                    => 1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        var generated = Assert.Single(result.Results.Single().GeneratedSources);
        Assert.Equal("Lectures.Model.Neuron.g.cs", generated.HintName);
        GeneratorHarness.Load(output);
        Snapshot.Match("Neuron.g.cs", generated.SourceText.ToString());
    }
}
