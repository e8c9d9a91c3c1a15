using DiffGen;

namespace PackageApp;

// Built as if by an older compiler, which cannot load the generator: the build must say that nothing is generated.
internal static partial class Functions
{
    [Differentiable]
    internal static double Square(double x) => x * x;
}
