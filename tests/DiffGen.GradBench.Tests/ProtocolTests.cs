using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Tests;

/// <summary>The protocol rules of the SPEC (§1), through the tool's real loop.</summary>
public class ProtocolTests
{
    [Fact]
    public void Hello_chain_of_the_spec_gives_the_arithmetic_it_checks()
    {
        // SPEC §2 hello: square 1, double 1, square 2, double 4, square 8, double 64, square 128, double 16384.
        double[] inputs = [1, 1, 2, 4, 8, 64, 128, 16384];
        var lines = new[] { """{"id": 0, "kind": "start", "eval": "hello"}""", """{"id": 1, "kind": "define", "module": "hello"}""" }
            .Concat(inputs.Select((x, i) => $$"""{"id": {{i + 2}}, "kind": "evaluate", "module": "hello", "function": "{{(i % 2 == 0 ? "square" : "double")}}", "input": {{x:R}}}"""))
            .ToList();
        var (responses, _) = Harness.Exchange(lines);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = i % 2 == 0 ? inputs[i] * inputs[i] : 2 * inputs[i];
            double output = responses[i + 2].GetProperty("output").GetDouble();
            Assert.True(Math.Abs(output - expected) <= 1e-8 + 1e-5 * Math.Abs(expected), $"{lines[i + 2]} gave {output}");
        }
    }

    [Fact]
    public void Define_answers_false_with_an_error_for_modules_it_does_not_implement()
    {
        var (responses, _) = Harness.Exchange(
        [
            """{"id": 0, "kind": "start", "eval": "ht", "config": {"anything": [1, 2]}}""",
            """{"id": 1, "kind": "define", "module": "ht"}""",
        ]);
        Assert.False(responses[1].GetProperty("success").GetBoolean());
        Assert.Equal("ht is not implemented", responses[1].GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("lse")]
    [InlineData("llsq")]
    [InlineData("det")]
    [InlineData("gmm")]
    [InlineData("kmeans")]
    [InlineData("lstm")]
    [InlineData("ode")]
    [InlineData("ba")]
    public void Define_succeeds_for_every_implemented_module(string module)
    {
        var (responses, _) = Harness.Exchange([$$"""{"id": 0, "kind": "define", "module": "{{module}}"}"""]);
        Assert.True(responses[0].GetProperty("success").GetBoolean());
    }

    [Fact]
    public void Analysis_and_unknown_kinds_get_just_their_id()
    {
        var (responses, _) = Harness.Exchange(
        [
            """{"id": 0, "kind": "analysis", "of": 7, "valid": false, "error": "mismatch"}""",
            """{"id": 1, "kind": "something-new", "extra": {"x": 1}}""",
        ]);
        Assert.All(responses, r => Assert.Equal(["id"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Unknown_functions_and_bad_inputs_fail_the_evaluate_with_a_message_and_the_run_goes_on()
    {
        var (responses, log) = Harness.Exchange(
        [
            """{"id": 0, "kind": "evaluate", "module": "lse", "function": "hessian", "input": {"x": [1.0], "min_runs": 1, "min_seconds": 0}}""",
            """{"id": 1, "kind": "evaluate", "module": "det", "function": "primal", "input": {"A": [1.0, 2.0], "ell": 2, "min_runs": 1, "min_seconds": 0}}""",
            """{"id": 2, "kind": "evaluate", "module": "gmm", "function": "objective", "input": {"d": 2, "x": "not numbers"}}""",
            """{"id": 3, "kind": "evaluate", "module": "lse", "function": "primal", "input": {"x": [1.0, 2.0], "min_runs": 1, "min_seconds": 0}}""",
        ]);
        Assert.Contains("no function 'hessian'", responses[0].GetProperty("error").GetString());
        Assert.Contains("A has 2 values, ell² = 4", responses[1].GetProperty("error").GetString());
        Assert.False(responses[2].GetProperty("success").GetBoolean());
        Assert.All(responses.Take(3), r => Assert.False(r.TryGetProperty("output", out _)));
        Assert.True(responses[3].GetProperty("success").GetBoolean());
        Assert.Contains("lse.hessian", log);
    }

    [Fact]
    public void An_output_that_is_not_json_fails_instead_of_writing_NaN()
    {
        // Two centroids, the second nearest to no point: its Hessian diagonal is 0 and dir is 0/0.
        var output = Harness.Exchange(
        [
            """{"id": 0, "kind": "evaluate", "module": "kmeans", "function": "dir", "input": {"points": [[0.0], [1.0]], "centroids": [[0.5], [9.0]], "min_runs": 1, "min_seconds": 0}}""",
        ]).Responses[0];
        Assert.False(output.GetProperty("success").GetBoolean());
        Assert.False(output.TryGetProperty("output", out _));
    }

    [Fact]
    public void Runs_until_both_min_runs_and_min_seconds_are_met()
    {
        var (responses, _) = Harness.Exchange(
        [
            """{"id": 0, "kind": "evaluate", "module": "lse", "function": "gradient", "input": {"x": [1.0, 2.0], "min_runs": 5, "min_seconds": 0}}""",
            """{"id": 1, "kind": "evaluate", "module": "lse", "function": "gradient", "input": {"x": [1.0, 2.0], "min_runs": 1, "min_seconds": 0.05}}""",
        ]);
        long[] Evaluates(JsonElement r) => r.GetProperty("timings").EnumerateArray()
            .Where(t => t.GetProperty("name").GetString() == "evaluate").Select(t => t.GetProperty("nanoseconds").GetInt64()).ToArray();
        Assert.Equal(5, Evaluates(responses[0]).Length);
        Assert.True(Evaluates(responses[1]).Sum() >= 50_000_000, $"{Evaluates(responses[1]).Sum()} ns measured for min_seconds = 0.05");
    }

    [Fact]
    public void A_multi_megabyte_line_with_crlf_is_read_whole()
    {
        // lse at n = 200 000 is a 4 MB line: far beyond the reader's first buffer.
        var random = new Random(7);
        double[] x = Enumerable.Range(0, 200_000).Select(_ => random.NextDouble()).ToArray();
        string line = $$$"""{"id": 0, "kind": "evaluate", "module": "lse", "function": "gradient", "input": {"min_runs": 1, "min_seconds": 0, "x": {{{Harness.Array(x)}}}}}""" + "\r";
        var output = Harness.Exchange([line]).Responses[0];
        double[] gradient = Harness.Doubles(output.GetProperty("output"));
        Assert.Equal(x.Length, gradient.Length);
        Harness.Close(1.0, gradient.Sum(), 1e-12, "Σ softmax");
    }

    [Fact]
    public void End_of_input_without_messages_exits_cleanly()
    {
        var output = new MemoryStream();
        Assert.Equal(0, new Tool(EvalRegistry.All).Run(new MemoryStream(), output, TextWriter.Null));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Invalid_json_ends_the_run_with_status_1_and_a_message_on_the_log()
    {
        var log = new StringWriter();
        int status = new Tool(EvalRegistry.All).Run(new MemoryStream(Encoding.UTF8.GetBytes("{\"id\": 0, \"kind\"\n")), new MemoryStream(), log);
        Assert.Equal(1, status);
        Assert.Contains("not valid JSON", log.ToString());
    }

    [Fact]
    public void The_published_binary_speaks_the_protocol_on_stdin_and_stdout()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "diffgen-gradbench.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write("{\"id\": 0, \"kind\": \"start\"}\n{\"id\": 1, \"kind\": \"evaluate\", \"module\": \"hello\", \"function\": \"double\", \"input\": 3.5}\n");
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the tool did not exit at the end of its input");
        Assert.Equal(0, process.ExitCode);
        string[] lines = stdout.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"id":0,"tool":"diffgen"}""", lines[0]);
        using var evaluate = JsonDocument.Parse(lines[1]);
        Assert.Equal(7.0, evaluate.RootElement.GetProperty("output").GetDouble());
    }
}
