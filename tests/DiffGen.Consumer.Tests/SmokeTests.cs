namespace DiffGen.Consumer.Tests;

public class SmokeTests
{
    [Fact]
    public void Circuit()
    {
        double f = Lectures.CircuitGradient(-2, 5, -4, out double dx, out double dy, out double dz);
        Assert.Equal(-12, f);
        Assert.Equal((-4, -4, 3), (dx, dy, dz));
    }
}
