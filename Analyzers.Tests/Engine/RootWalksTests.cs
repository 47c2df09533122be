using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The walks of a graph's statements are made once and shared by every domain solved or replayed over the graph
/// (<see cref="RootWalks"/>), in the evaluation order the domains step in; a replay whose visitor transfers
/// (<see cref="DataflowResult{TState}.ReplaySteps"/>) sees the states <see cref="DataflowResult{TState}.Replay"/> sees.
/// </summary>
public class RootWalksTests
{
    private const string Body = """
        class Driver { void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {
            NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, Length, out PVOID buffer, out nuint size);
            if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
            for (nuint i = 0; i < size; i++) { if (i == Length + 1) { break; } }
            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size);
        } }
        """;

    [Fact]
    public void WithinOneGraph_AStatementIsWalkedOnce_InEvaluationOrder()
    {
        var graphs = FlowTestGraphs.For(Body);
        var roots = graphs.Graph.Blocks.SelectMany(b => b.Operations).ToList();
        Assert.NotEmpty(roots);
        using (RootWalks.Enter(graphs.Graph))
        {
            foreach (var root in roots)
            {
                var first = RootWalks.Of(root);
                Assert.Same(first, RootWalks.Of(root));
                Assert.Equal(OperationOrder.PostOrder(root).ToList(), first.Order);
                Assert.Equal(first.Order.Length, first.Children.Length);
            }
        }

        using (RootWalks.Enter(graphs.Graph))
        {
            // Another domain entering the same graph later gets the same walks.
            Assert.Same(WalkOf(graphs.Graph, roots[0]), RootWalks.Of(roots[0]));
        }

        // Outside any graph a walk is made and not kept.
        Assert.NotSame(RootWalks.Of(roots[0]), RootWalks.Of(roots[0]));
    }

    [Fact]
    public void ScopesNest_AndRestoreTheOuterGraph()
    {
        var outer = FlowTestGraphs.For(Body);
        var inner = FlowTestGraphs.For(Body);
        var root = outer.Graph.Blocks.SelectMany(b => b.Operations).First();
        using (RootWalks.Enter(outer.Graph))
        {
            var kept = RootWalks.Of(root);
            using (RootWalks.Enter(inner.Graph))
            {
                Assert.NotSame(kept, RootWalks.Of(root));
            }

            Assert.Same(kept, RootWalks.Of(root));
        }
    }

    [Fact]
    public void ReplaySteps_SeesTheStatesReplaySees()
    {
        var graphs = FlowTestGraphs.For(Body);
        var solved = ForwardDataflow.Solve(graphs.Graph, graphs.Domain, CancellationToken.None);
        Assert.True(solved.Converged);

        var replayed = new List<(IOperation, RequestState)>();
        solved.Replay((operation, state) => replayed.Add((operation, state)), CancellationToken.None);
        var stepped = new List<(IOperation, RequestState)>();
        solved.ReplaySteps(
            (operation, state) =>
            {
                stepped.Add((operation, state));
                return graphs.Domain.Process(state, operation, observer: null);
            },
            CancellationToken.None);

        Assert.NotEmpty(replayed);
        Assert.Equal(replayed.Select(p => p.Item1), stepped.Select(p => p.Item1));
        for (var i = 0; i < replayed.Count; i++)
        {
            Assert.True(graphs.Domain.AreEqual(replayed[i].Item2, stepped[i].Item2), $"state before {replayed[i].Item1.Syntax}");
        }
    }

    private static RootWalk WalkOf(ControlFlowGraph graph, IOperation root)
    {
        using (RootWalks.Enter(graph))
        {
            return RootWalks.Of(root);
        }
    }
}
