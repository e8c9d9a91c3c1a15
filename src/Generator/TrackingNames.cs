namespace DiffGen.Generator;

/// <summary>Names of the pipeline's steps, for incremental-caching tests (<c>trackIncrementalGeneratorSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>[Differentiable] methods, parsed and lowered to models with their diagnostics.</summary>
    public const string Methods = nameof(Methods);

    /// <summary>The diagnostics of each method.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The models of methods that lowered without errors.</summary>
    public const string Models = nameof(Models);
}
