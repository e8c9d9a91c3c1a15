using System.Collections.Generic;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Evals;

/// <summary>The modules this tool implements; <c>define</c> answers false for every other.</summary>
public static class EvalRegistry
{
    public static IReadOnlyList<IEval> All { get; } =
    [
        new Hello.Eval(),
        new Lse.Eval(),
        new Llsq.Eval(),
        new Det.Eval(),
        new Gmm.Eval(),
        new KMeans.Eval(),
        new Lstm.Eval(),
        new Ode.Eval(),
        new Ba.Eval(),
    ];
}
