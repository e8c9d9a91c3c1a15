using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Generated members skip the zeroing of locals ([SkipLocalsInit]) exactly when the user's compilation allows unsafe
/// code; they then clear every fixed-size buffer they stackalloc themselves.
/// </summary>
public class SkipLocalsInitTests
{
    private const string Source = """
        using System;
        using DiffGen;
        namespace Models;
        public static partial class Net
        {
            [Differentiable]
            public static double Loss(ReadOnlySpan<double> p, [NoDiff] double x)
            {
                Span<double> h = stackalloc double[4];
                for (int j = 0; j < 4; j++)
                {
                    h[j] = Math.Tanh(p[j] * x);
                }

                double s = 0;
                for (int j = 0; j < 4; j++)
                {
                    s += p[4 + j] * h[j] * h[j];
                }

                return s;
            }
        }
        """;

    private static string Generated(bool allowUnsafe)
    {
        var compilation = GeneratorHarness.Compilation(Source);
        compilation = compilation.WithOptions(((CSharpCompilationOptions)compilation.Options).WithAllowUnsafe(allowUnsafe));
        var (result, output) = GeneratorHarness.Run(compilation);
        GeneratorHarness.Load(output);
        return string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
    }

    [Fact]
    public void Members_skip_zeroing_locals_only_where_unsafe_code_is_allowed()
    {
        string unsafeAllowed = Generated(allowUnsafe: true);
        int members = unsafeAllowed.Split("[global::System.CodeDom.Compiler.GeneratedCode(").Length - 1;
        Assert.True(members >= 3);
        Assert.Equal(members, unsafeAllowed.Split("[global::System.Runtime.CompilerServices.SkipLocalsInit]").Length - 1);
        Assert.Contains("stackalloc double[4];\n            h.Clear();", unsafeAllowed.Replace("\r\n", "\n"), System.StringComparison.Ordinal);
        Assert.Contains("_d_h.Clear();", unsafeAllowed, System.StringComparison.Ordinal);

        Assert.DoesNotContain("SkipLocalsInit", Generated(allowUnsafe: false), System.StringComparison.Ordinal);
    }
}
