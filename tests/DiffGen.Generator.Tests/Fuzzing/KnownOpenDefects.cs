using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Generator.Tests.Fuzzing;

/// <summary>
/// Defects known and being fixed on another branch (issue 8), and defects this fuzzer found outside
/// the files of this branch (reported with a repro). A fuzz failure in a case using one of these
/// constructs, or whose failure message shows one of these symptoms, is counted and printed apart
/// instead of failing the test; every other failure fails it. Remove entries as the fixes merge:
/// both lists must end empty.
/// </summary>
public static class KnownOpenDefects
{
    /// <summary>Construct (a case kind or a feature) → the issue-8 item being fixed.</summary>
    public static readonly IReadOnlyDictionary<string, string> Items = new Dictionary<string, string>
    {
    };

    /// <summary>
    /// Symptom (a substring of the failure), in cases whose kind starts with a prefix → the defect found by
    /// this fuzzer outside this branch's files (src/Generator/Emitting, src/Expr/Procedures).
    /// </summary>
    public static readonly IReadOnlyList<(string Symptom, string KindPrefix, string Defect)> Symptoms =
        Array.Empty<(string, string, string)>();

    /// <summary>Deep sums whose lowering still recurses with the depth: not run (a stack overflow kills the test host).</summary>
    public static bool SkipsDeepSum(int terms) => Items.ContainsKey($"deep/sum-{terms}");

    /// <summary>
    /// The known-open defect a case's failure belongs to, or null. A case kind covers every failure of
    /// the case; a feature used along the way (a cast) covers only wrong numbers, the symptom of its
    /// defect, so a crash or a dropped method in such a case still fails the test.
    /// </summary>
    public static string? Covering(FuzzCase c, string failure)
    {
        if (Items.TryGetValue(c.Kind, out var item))
        {
            return item;
        }

        var byFeature = FuzzRunner.IsNumericMismatch(failure)
            ? c.Features.Select(f => Items.TryGetValue(f, out var i) ? i : null).FirstOrDefault(i => i is not null)
            : null;
        return byFeature ?? Symptoms
            .Where(s => c.Kind.StartsWith(s.KindPrefix, StringComparison.Ordinal) && failure.Contains(s.Symptom, StringComparison.Ordinal))
            .Select(s => s.Defect).FirstOrDefault();
    }
}
