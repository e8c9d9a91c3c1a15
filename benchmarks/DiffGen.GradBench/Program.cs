using System;
using System.Threading;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench;

/// <summary>The GradBench tool: protocol lines on stdin/stdout, diagnostics on stderr.</summary>
public static class Program
{
    // The evals keep their scratch vectors on the stack (ode at n = 100 000 needs several MB).
    private const int StackBytes = 256 * 1024 * 1024;

    public static int Main()
    {
        int status = 0;
        var worker = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            status = new Tool(Evals.EvalRegistry.All).Run(input, output, Console.Error);
        }, StackBytes);
        worker.Start();
        worker.Join();
        return status;
    }
}
