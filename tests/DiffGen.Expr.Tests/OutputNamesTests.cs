using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>The output-naming rule the generator and Diff.Compile share (README: d + name, then name_, name_2, …).</summary>
public class OutputNamesTests
{
    [Fact]
    public void A_free_name_is_kept()
    {
        var names = new OutputNames(new[] { "x", "y" });
        Assert.Equal("dx", names.Pick("dx"));
        Assert.Equal("dy", names.Pick("dy"));
    }

    [Fact]
    public void A_clash_with_a_parameter_or_an_earlier_output_gets_an_underscore_then_a_number()
    {
        // parameters x, dx and dx_: the output of x cannot be dx or dx_
        var names = new OutputNames(new[] { "x", "dx", "dx_" });
        Assert.Equal("dx_2", names.Pick("dx"));
        Assert.Equal("ddx", names.Pick("ddx"));
        Assert.Equal("ddx_", names.Pick("ddx"));
        Assert.Contains("dx_2", names.Taken);
    }
}
