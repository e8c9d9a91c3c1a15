using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Tests;

/// <summary>Regression tests of issue 8 through the generator driver: each construct gets its members or a located DG, never a silent copy or a crash.</summary>
public class ReliabilityTests
{
    [Fact]
    public void A_ref_local_to_a_scalar_is_reported_not_copied()
    {
        var d = DiagnosticTests.Expect("DG0005", """
            public static partial class Model
            {
                [Differentiable] public static double F(double x)
                {
                    double y = x;
                    ref double r = ref y;
                    r = r * r;
                    return y;
                }
            }
            """, "r = ref y");
        Assert.Contains("ref locals are not supported", d.GetMessage());
    }

    [Fact]
    public void A_ref_local_to_a_span_element_is_reported_not_copied() => DiagnosticTests.Expect("DG0005", """
        public static partial class Model
        {
            [Differentiable] public static double F(ReadOnlySpan<double> x)
            {
                Span<double> h = stackalloc double[x.Length];
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    ref double e = ref h[i];
                    e = x[i] * x[i];
                    s += h[i];
                }

                return s;
            }
        }
        """, "e = ref h[i]");
}
