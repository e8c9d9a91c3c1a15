using System;
using System.IO;
using DiffGen.Examples.Backprop;
using Spectre.Console;

namespace DiffGen.Examples.Tests;

/// <summary>
/// Runs every section once, silently, into a temporary directory; the test classes share the results
/// (section 8 trains a network, so running it once per assertion would be wasteful).
/// </summary>
public sealed class SectionFixture : IDisposable
{
    public SectionFixture()
    {
        OutputDirectory = Path.Combine(Path.GetTempPath(), "diffgen-examples-" + Guid.NewGuid().ToString("N"));
        var silent = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        Context = new SectionContext(silent, OutputDirectory);
        ChainRule = Backprop.ChainRule.Run(Context);
        Neuron = SigmoidNeuron.Run(Context);
        Activations = ActivationFunctions.Run(Context);
        Modes = ForwardVersusReverse.Run(Context);
        Numerical = NumericalDerivatives.Run(Context);
        Descent = GradientDescent.Run(Context);
        Matrix = MatrixCalculus.Run(Context);
        Network = NetworkTraining.Run(Context);
    }

    public string OutputDirectory { get; }
    public SectionContext Context { get; }
    public ChainRuleResult ChainRule { get; }
    public SigmoidNeuronResult Neuron { get; }
    public ActivationsResult Activations { get; }
    public ForwardVersusReverseResult Modes { get; }
    public NumericalDerivativesResult Numerical { get; }
    public GradientDescentResult Descent { get; }
    public MatrixCalculusResult Matrix { get; }
    public NetworkTrainingResult Network { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SectionCollection : ICollectionFixture<SectionFixture>
{
    public const string Name = "Sections";
}
