using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 11: what the generated reverse sweeps save, counted in the generated source of the README's
/// Rosenbrock (as the consumer tests write it) and of the models' MLP and GMM, read from those projects. Their gradients are
/// checked against complex step in tests/DiffGen.Consumer.Tests and tests/DiffGen.Models.Tests.
/// </summary>
public class SaveLessTests
{
    /// <summary>The text of one generated member: from its signature to the next member.</summary>
    private static string Member(string source, string signature)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);
        string all = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        int start = all.IndexOf(signature, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{signature} was not generated");
        int end = all.IndexOf("[global::System.CodeDom.Compiler.GeneratedCode", start, StringComparison.Ordinal);
        return end < 0 ? all[start..] : all[start..end];
    }

    private static string Source(params string[] path) =>
        File.ReadAllText(Path.Combine(new[] { Snapshot.ProjectDirectory(), ".." }.Concat(path).ToArray()));

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;

    [Fact]
    public void Rosenbrock_gradient_saves_nothing()
    {
        string gradient = Member(Source("DiffGen.Consumer.Tests", "SpanModels.cs"), "double RosenbrockGradient(");
        Assert.DoesNotContain("_stack", gradient);
        // a and b: computed once per iteration (the reverse loop runs inside the forward loop and uses them)
        Assert.Equal(2, Count(gradient, @"\n\s*a = 1\.0 - |\n\s*b = x\[i \+ 1\] - "));
    }

    [Fact]
    public void Gmm_gradient_steps_its_packed_index_back_instead_of_saving_it()
    {
        string gradient = Member(Source("DiffGen.Models.Tests", "Models", "Gmm.cs"), "double ObjectiveGradient(");
        // once per (point, component): the index's value at the end of the previous component
        Assert.Equal(1, Count(gradient, @"_stack\.Push\(next\)"));
        Assert.Contains("next -= 1;", gradient);
    }

    [Fact]
    public void Mlp_gradient_saves_no_accumulator_and_recomputes_the_sample_features()
    {
        string gradient = Member(Source("DiffGen.Models.Tests", "Models", "Mlp.cs"), "double LossGradient(");
        // tanh′(a) is read from the stored h2[j] = tanh(a): the neuron's accumulator a is not saved
        Assert.Equal(0, Count(gradient, @"_stack\.Push\(a\)"));
        Assert.Equal(0, Count(gradient, @"_stack\.Push\(x[01]\)"));
        // what remains per sample: the old h1[j], h2[j] (read by the previous sample's reverse) and z
        Assert.Equal(3, Count(gradient, @"_stack\.Push\("));
    }
}
