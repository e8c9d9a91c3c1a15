using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace DiffGen.Expr.Tests.Rules;

public class ScalarRulesSourceTests
{
    private static string CheckedInPath([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../src/Runtime/Numerics/ScalarRules.g.cs"));

    [Fact]
    public void Checked_in_scalar_rules_are_the_ones_OpTable_generates()
    {
        string expected = ScalarRulesSource.Write();
        string path = CheckedInPath();
        string actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected && Environment.GetEnvironmentVariable("DIFFGEN_UPDATE_RULES") == "1")
        {
            File.WriteAllText(path, expected);
            actual = expected;
        }

        Assert.True(actual == expected,
            $"{path} is not what OpTable generates: run this test with DIFFGEN_UPDATE_RULES=1, rebuild, and commit the file.");
    }
}
