using System;
using System.IO;
using DiffGen.Examples.Backprop;
using Spectre.Console;

// Backpropagation, section by section. Pictures go to ./out (or the directory given as the first argument).
string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "out");
// Redirected output (a file, a pipe) has no width; give the tables room instead of Spectre's 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 120;
    AnsiConsole.Profile.Capabilities.Ansi = false;
}

var context = new SectionContext(AnsiConsole.Console, outputDirectory);
var started = System.Diagnostics.Stopwatch.StartNew();

ChainRule.Run(context);
SigmoidNeuron.Run(context);
ActivationFunctions.Run(context);
ForwardVersusReverse.Run(context);
NumericalDerivatives.Run(context);
GradientDescent.Run(context);
MatrixCalculus.Run(context);
NetworkTraining.Run(context);

context.Heading($"Done in {started.Elapsed.TotalSeconds:F1} s");
context.Console.WriteLine($"Pictures are in {outputDirectory}:");
foreach (string file in context.WrittenFiles)
{
    context.Console.WriteLine($"  {file}");
}
