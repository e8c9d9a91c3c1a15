namespace DiffGen.Generator.Tests;

/// <summary>Constant data a method may not use as it wishes: each is a located DG, never a wrong derivative.</summary>
public class ConstantDataDiagnosticTests
{
    [Fact]
    public void Writing_an_element_of_a_static_table_is_DG0008() => DiagnosticTests.Expect("DG0008", """
        public static partial class Model
        {
            static readonly double[] Table = { 1.0, 2.0 };

            [Differentiable]
            public static double F(double x)
            {
                Table[0] = x;
                return x * Table[1];
            }
        }
        """, "Table[0]");

    [Fact]
    public void A_span_property_that_does_not_return_constant_data_is_not_read() => DiagnosticTests.Expect("DG0005", """
        public static partial class Model
        {
            static double[] _data = { 1.0, 2.0 };
            static ReadOnlySpan<double> Data => _data;

            [Differentiable]
            public static double F(double x) => x * Data[1];
        }
        """, "Data[1]");

    [Fact]
    public void A_spread_in_a_local_collection_expression_is_DG0014() => DiagnosticTests.Expect("DG0014", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x)
            {
                ReadOnlySpan<double> c = [.. x, 1.0];
                return c[0];
            }
        }
        """, "c = [");

    [Fact]
    public void A_local_array_with_an_initializer_is_DG0014() => DiagnosticTests.Expect("DG0014", """
        public static partial class Model
        {
            [Differentiable]
            public static double F(double x)
            {
                double[] c = { 1.0, 2.0 };
                return c[0] * x;
            }
        }
        """, "c = {");
}
