using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Expr;

namespace DiffGen.Expr.Tests;

/// <summary>
/// The save plan of the reverse sweep (issue 10: analyses apart from the sweeps; issue 11: save less), and
/// differentiation in a graph of its own.
/// </summary>
public class SavePlanTests
{
    [Fact]
    public void Differentiating_leaves_the_procedure_and_its_graph_unchanged()
    {
        var p = ProcedureTests.Rosenbrock();
        int nodes = p.Graph.NodeCount;
        var gradient = ProcedureDerivatives.Gradient(p, n => "d" + n);
        var tangent = ProcedureDerivatives.Tangent(p, n => "t" + n);
        Assert.Equal(nodes, p.Graph.NodeCount);
        Assert.NotSame(p.Graph, gradient.Graph);
        Assert.NotSame(p.Graph, tangent.Graph);
        Assert.Equal(ProcedureTests.Rosenbrock(), p);
    }
}
