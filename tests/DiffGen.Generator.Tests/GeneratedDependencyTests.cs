using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Generated code depends on the runtime package's small DiffGen.Primitives assembly, never on the
/// symbolic engine: the harness compiles it without DiffGen.Expr, and this test lists what it uses (the
/// Hessian-vector product of the loop borrows a buffer from ScratchPool).
/// </summary>
public class GeneratedDependencyTests
{
    private static readonly string[] RunTimeHelpers = { "ComplexPrimitives", "Primitives", "ScratchPool", "ValueStack" };

    [Fact]
    public void Generated_code_uses_the_run_time_helpers_and_not_the_engine()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class Model
            {
                // Sign and softplus print as helpers; the complex overload uses their complex forms.
                [Differentiable(Hessian = true)]
                public static double Scalar(double x, double y) => Math.Sign(y) * DiffGen.Nn.Activations.Softplus(x * y) + Math.Exp(x);

                // A reverse sweep over a loop saves overwritten values on the value stack.
                [Differentiable(Hessian = true)]
                public static double Loop(ReadOnlySpan<double> x, double y)
                {
                    double s = y;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s = Math.Sin(s) * DiffGen.Nn.Activations.Softplus(x[i]);
                    }

                    return s;
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        Assert.Empty(result.Diagnostics);
        GeneratorHarness.Load(output);

        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)))
        {
            var model = output.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol;
                var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
                Assert.NotEqual("DiffGen.Expr", type?.ContainingAssembly?.Name);
                if (type?.ContainingAssembly?.Name == "DiffGen.Primitives")
                {
                    used.Add(type.Name);
                }
            }
        }

        Assert.Equal(RunTimeHelpers, used);
    }
}
