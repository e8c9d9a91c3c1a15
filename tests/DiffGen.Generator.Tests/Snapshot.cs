using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Checked-in snapshots of generated source. A mismatch fails; with DIFFGEN_UPDATE_SNAPSHOTS=1 the
/// file is (re)written instead, so a reviewer sees the change in the diff.
/// </summary>
internal static class Snapshot
{
    public static string ProjectDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static void Match(string name, string actual)
    {
        string file = Path.Combine(ProjectDirectory(), "Snapshots", name);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("DIFFGEN_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, actual);
            return;
        }

        Assert.True(File.Exists(file), $"Snapshot {file} is missing; run the tests with DIFFGEN_UPDATE_SNAPSHOTS=1 to write it.");
        string expected = File.ReadAllText(file).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
