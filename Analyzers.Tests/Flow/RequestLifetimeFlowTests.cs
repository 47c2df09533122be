using System;
using System.Linq;
using System.Text;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Engine;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Flow;

/// <summary>
/// The shared solver (<see cref="ForwardDataflow"/>) with the request-lifetime domain: fixed points in loops,
/// exceptional flow through try/catch/finally, goto, switch, very deep nesting, cancellation.
/// </summary>
public class RequestLifetimeFlowTests
{
    private static RequestFacts ExitFacts(string body, out bool converged)
    {
        var graphs = FlowTestGraphs.For("class Driver { void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" + body + "\n} }");
        var result = ForwardDataflow.Solve(graphs.Graph, graphs.Domain, CancellationToken.None);
        converged = result.Converged;
        return result.StateAtExit.FactsOf(graphs.Parameter("Request"));
    }

    [Fact]
    public void StraightCompletion_IsCompletedAndReleased()
    {
        var facts = ExitFacts("WdfRequestComplete(Request, STATUS_SUCCESS);", out var converged);
        Assert.True(converged);
        Assert.Equal(CompletionState.Completed, facts.Completion);
        Assert.Equal(OwnershipState.Released, facts.Ownership);
        Assert.Equal("WdfRequestComplete", facts.Site?.CompletedBy);
    }

    [Fact]
    public void CompletionInBranch_JoinsToMaybe()
    {
        var facts = ExitFacts("if (Length > 0) { WdfRequestComplete(Request, STATUS_SUCCESS); }", out _);
        Assert.Equal(CompletionState.MaybeCompleted, facts.Completion);
        Assert.Equal(OwnershipState.MaybeReleased, facts.Ownership);
    }

    [Fact]
    public void Loop_ReachesFixedPoint()
    {
        var facts = ExitFacts(
            "for (nuint i = 0; i < Length; i++) { for (int j = 0; j < 3; j++) { if (j == 1) WdfRequestComplete(Request, STATUS_SUCCESS); } }",
            out var converged);
        Assert.True(converged);
        Assert.Equal(CompletionState.MaybeCompleted, facts.Completion);
    }

    [Fact]
    public void Finally_RunsOnEveryPath()
    {
        var facts = ExitFacts(
            "try { if (Length == 0) return; Length--; } finally { WdfRequestComplete(Request, STATUS_SUCCESS); }",
            out _);
        Assert.Equal(CompletionState.Completed, facts.Completion);
    }

    [Fact]
    public void Finally_DoesNotCarryExceptionalStatesToTheCodeAfterIt()
    {
        var facts = ExitFacts("try { Length++; WdfRequestComplete(Request, STATUS_SUCCESS); } finally { Length--; }", out _);
        Assert.Equal(CompletionState.Completed, facts.Completion);
        Assert.Equal(OwnershipState.Released, facts.Ownership);
    }

    [Fact]
    public void Catch_SeesStateFromInsideTry()
    {
        var graphs = FlowTestGraphs.For("""
            class Driver
            {
                void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                {
                    try { WdfRequestComplete(Request, STATUS_SUCCESS); Other(); }
                    catch (Exception) { Marker(); }
                }
                static void Other() { }
                static void Marker() { }
            }
            """);
        var result = ForwardDataflow.Solve(graphs.Graph, graphs.Domain, CancellationToken.None);
        var catchBlock = graphs.Graph.Blocks.First(b => b.Operations.Any(o => o.Syntax.ToString().StartsWith("Marker", StringComparison.Ordinal)));
        Assert.Equal(CompletionState.MaybeCompleted, result.StateOnEntry(catchBlock).FactsOf(graphs.Parameter("Request")).Completion);
        Assert.Equal(CompletionState.MaybeCompleted, result.StateAtExit.FactsOf(graphs.Parameter("Request")).Completion);
    }

    [Fact]
    public void Goto_JumpsOverCompletion()
    {
        var facts = ExitFacts("if (Length == 0) goto Done; WdfRequestComplete(Request, STATUS_SUCCESS); Done: ;", out _);
        Assert.Equal(CompletionState.MaybeCompleted, facts.Completion);
    }

    [Fact]
    public void Goto_BackwardLoop_Converges()
    {
        var facts = ExitFacts("Again: if (Length > 0) { Length--; goto Again; } WdfRequestComplete(Request, STATUS_SUCCESS);", out var converged);
        Assert.True(converged);
        Assert.Equal(CompletionState.Completed, facts.Completion);
    }

    [Fact]
    public void Switch_AllCasesComplete()
    {
        var facts = ExitFacts(
            "switch (Length) { case 0: WdfRequestComplete(Request, STATUS_SUCCESS); break; case 1: WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 1); break; default: WdfRequestComplete(Request, STATUS_UNSUCCESSFUL); break; }",
            out _);
        Assert.Equal(CompletionState.Completed, facts.Completion);
    }

    [Fact]
    public void Switch_MissingDefault_IsMaybe()
    {
        var facts = ExitFacts("switch (Length) { case 0: WdfRequestComplete(Request, STATUS_SUCCESS); break; }", out _);
        Assert.Equal(CompletionState.MaybeCompleted, facts.Completion);
    }

    [Fact]
    public void FailedSendBranch_RestoresOwnership()
    {
        var facts = ExitFacts(
            "var t = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)); bool ok = WdfRequestSend(Request, t, WDF_NO_SEND_OPTIONS); if (!ok) { return; }",
            out _);
        Assert.Equal(OwnershipState.MaybeReleased, facts.Ownership);
        Assert.Equal(CompletionState.Live, facts.Completion);
    }

    [Fact]
    public void OriginsFollowOutArgumentsAndArithmetic()
    {
        var graphs = FlowTestGraphs.For("""
            class Driver
            {
                void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                {
                    WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                    PVOID p = WdfMemoryGetBuffer(memory, out nuint size) + 8;
                    nuint copied = size;
                }
            }
            """);
        var result = ForwardDataflow.Solve(graphs.Graph, graphs.Domain, CancellationToken.None);
        var exit = result.StateAtExit;
        var p = exit.Owners.Keys.First(k => k.Name == "p");
        Assert.Equal(new[] { "Request" }, exit.OwnersOf(p).Select(k => k.Name));
        Assert.DoesNotContain(exit.Owners.Keys, k => k.Name is "size" or "copied");
    }

    [Fact]
    public void ThousandsOfNestedBlocks_NoStackOverflow()
    {
        const int depth = 2000;
        var body = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            body.Append("if (Length > ").Append(i).Append(") {\n");
        }

        body.Append("WdfRequestComplete(Request, STATUS_SUCCESS);\n").Append('}', depth);
        var facts = ExitFacts(body.ToString(), out var converged);
        Assert.True(converged);
        Assert.Equal(CompletionState.MaybeCompleted, facts.Completion);
    }

    [Fact]
    public void Cancellation_IsHonoured()
    {
        var graphs = FlowTestGraphs.For("class Driver { void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) { WdfRequestComplete(Request, STATUS_SUCCESS); } }");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ForwardDataflow.Solve(graphs.Graph, graphs.Domain, cancelled.Token));
    }
}
