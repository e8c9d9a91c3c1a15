using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace DiffGen.Notebooks.Tests;

/// <summary>
/// Executes a notebook cell by cell with the real C# kernel, in this process, from the notebooks folder
/// (so its <c>#r "../artifacts/notebooks/…"</c> lines resolve as they do in Jupyter). Any failing cell
/// fails the run. With DIFFGEN_WRITE_NOTEBOOKS=1 the outputs are written back into the .ipynb, as
/// Jupyter saves them (stream text, image/png plots, plain-text results).
/// </summary>
public sealed class NotebookRun : IDisposable
{
    private readonly CompositeKernel _kernel;

    private NotebookRun(CompositeKernel kernel, string path, TimeSpan elapsed, int cells)
    {
        _kernel = kernel;
        Path = path;
        Elapsed = elapsed;
        CodeCells = cells;
    }

    /// <summary>The notebook file.</summary>
    public string Path { get; }

    /// <summary>Wall time of all cells.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How many code cells ran.</summary>
    public int CodeCells { get; }

    /// <summary>The notebooks folder of the repository (found upwards from the test's directory).</summary>
    public static string NotebooksDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "DiffGen.sln")))
                {
                    return System.IO.Path.Combine(dir.FullName, "notebooks");
                }
            }

            throw new DirectoryNotFoundException("DiffGen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static bool WriteOutputs => Environment.GetEnvironmentVariable("DIFFGEN_WRITE_NOTEBOOKS") == "1";

    /// <summary>Runs every code cell of <paramref name="fileName"/>; throws naming the first cell that fails.</summary>
    public static async Task<NotebookRun> ExecuteAsync(string fileName)
    {
        string path = System.IO.Path.Combine(NotebooksDirectory, fileName);
        string text = await File.ReadAllTextAsync(path);
        var document = Notebook.Parse(text);
        var json = JsonNode.Parse(text)!;
        var cells = json["cells"]!.AsArray();
        var elements = document.Elements.ToList();
        Assert.Equal(cells.Count, elements.Count);

        var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
        kernel.DefaultKernelName = "csharp";
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = NotebooksDirectory;
        var watch = Stopwatch.StartNew();
        int executed = 0;
        try
        {
            for (int i = 0; i < elements.Count; i++)
            {
                if ((string?)cells[i]!["cell_type"] != "code")
                {
                    continue;
                }

                var element = elements[i];
                Assert.True(element.KernelName is null or "csharp", $"cell {i} of {fileName} is for kernel '{element.KernelName}'");
                var result = await kernel.SendAsync(new SubmitCode(element.Contents));
                var outputs = new JsonArray();
                foreach (var e in result.Events)
                {
                    switch (e)
                    {
                        case CommandFailed failed:
                            throw new InvalidOperationException($"{fileName}, cell {i} failed: {failed.Message}\n--- cell ---\n{element.Contents}");
                        case ErrorProduced error:
                            throw new InvalidOperationException($"{fileName}, cell {i} produced an error: {error.Message}");
                        case StandardOutputValueProduced stdout:
                            AppendStream(outputs, "stdout", stdout.FormattedValues);
                            break;
                        case StandardErrorValueProduced stderr:
                            AppendStream(outputs, "stderr", stderr.FormattedValues);
                            break;
                        case ReturnValueProduced value:
                            outputs.Add(Display("execute_result", value.FormattedValues, executed + 1));
                            break;
                        case DisplayedValueProduced shown:
                            outputs.Add(Display("display_data", shown.FormattedValues, null));
                            break;
                    }
                }

                executed++;
                cells[i]!["outputs"] = outputs;
                cells[i]!["execution_count"] = executed;
            }
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        watch.Stop();
        if (WriteOutputs)
        {
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            await File.WriteAllTextAsync(path, json.ToJsonString(options) + "\n", new UTF8Encoding(false));
        }

        return new NotebookRun(kernel, path, watch.Elapsed, executed);
    }

    /// <summary>The value of a C# expression in the notebook's state after its last cell.</summary>
    public async Task<T> ValueAsync<T>(string expression)
    {
        var result = await _kernel.SendAsync(new SubmitCode(expression));
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, $"'{expression}' failed: {failed?.Message}");
        var value = result.Events.OfType<ReturnValueProduced>().Single().Value;
        return Assert.IsAssignableFrom<T>(value);
    }

    public void Dispose() => _kernel.Dispose();

    private static void AppendStream(JsonArray outputs, string name, IReadOnlyCollection<FormattedValue> values)
    {
        string text = values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.First().Value;
        // Consecutive writes form one stream output, as Jupyter shows them.
        if (outputs.Count > 0 && outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
        {
            var lines = last["text"]!.AsArray();
            foreach (var line in SplitLines(text))
            {
                lines.Add(line);
            }

            return;
        }

        outputs.Add(new JsonObject
        {
            ["output_type"] = "stream",
            ["name"] = name,
            ["text"] = new JsonArray(SplitLines(text).Select(l => (JsonNode)l).ToArray()),
        });
    }

    private static JsonObject Display(string kind, IReadOnlyCollection<FormattedValue> values, int? executionCount)
    {
        var data = new JsonObject();
        var png = values.FirstOrDefault(v => v.MimeType == "image/png");
        var plain = values.FirstOrDefault(v => v.MimeType == "text/plain");
        if (png is not null)
        {
            data["image/png"] = png.Value;
        }
        else if (plain is not null)
        {
            data["text/plain"] = new JsonArray(SplitLines(plain.Value).Select(l => (JsonNode)l).ToArray());
        }
        else
        {
            var first = values.First();
            data[first.MimeType] = new JsonArray(SplitLines(first.Value).Select(l => (JsonNode)l).ToArray());
        }

        var output = new JsonObject { ["output_type"] = kind, ["data"] = data, ["metadata"] = new JsonObject() };
        if (executionCount is { } count)
        {
            output["execution_count"] = count;
        }

        return output;
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        var parts = text.Split('\n');
        for (int i = 0; i < parts.Length; i++)
        {
            if (i < parts.Length - 1)
            {
                yield return parts[i] + "\n";
            }
            else if (parts[i].Length > 0)
            {
                yield return parts[i];
            }
        }
    }
}
