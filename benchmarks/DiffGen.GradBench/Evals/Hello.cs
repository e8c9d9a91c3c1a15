using System;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

/// <summary>hello: <c>square</c> is x², <c>double</c> its derivative 2x, from the generated gradient.</summary>
public static partial class Hello
{
    [Differentiable]
    public static double Square(double x) => x * x;

    public sealed class Eval : IEval
    {
        public string Module => "hello";

        public Workload Prepare(string function, ReadOnlySpan<byte> message)
        {
            double x = Input.Read(message, GradBenchJsonContext.Default.Double);
            double result = 0;
            Action run = function switch
            {
                "square" => () => result = Square(x),
                "double" => () => SquareGradient(x, out result),
                _ => throw Input.UnknownFunction(Module, function),
            };
            return new DelegateWorkload(new RunSettings(), run, writer => writer.WriteNumberValue(result));
        }
    }
}
