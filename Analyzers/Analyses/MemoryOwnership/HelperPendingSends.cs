#pragma warning disable RS1030 // a helper's summary needs its body: computed once per method and depth, cached per compilation
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.ParameterEffects;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.MemoryOwnership;

/// <summary>
/// The summaries of helpers that wrap a buffer they are given in preallocated memory and send a request formatted with
/// it asynchronously: the sends that may still be pending when the helper returns, over a buffer reached from one of
/// its parameters (the parameter itself, a <c>PVOID</c>, or a member of it: bluetooth/bthecho's
/// <c>BthEchoSharedSendBrbAsync(IoTarget, Request, Brb, …)</c> wraps <c>Brb.Block</c> with
/// <c>WdfMemoryCreatePreallocated</c>, formats the request with it and sends it with <c>WDF_NO_SEND_OPTIONS</c>). A caller
/// that hands such a helper a <c>LOCAL_BUFFER</c> of its own (directly, or in the member) returns while the target may
/// still write into it (DRV040, reported at the call). Read from the helper's own memory-ownership state at its exit,
/// one per helper and depth in the engine's <see cref="SummaryCache{TSummary}"/> (helpers of helpers down to
/// <c>driverbuffers.helper_depth</c> levels). One per analysis session; thread-safe.
/// </summary>
internal sealed class HelperPendingSends
{
    private static readonly PendingWithPreallocated[] None = Array.Empty<PendingWithPreallocated>();

    private readonly MemoryOwnershipAnalysis _analysis;
    private readonly SummaryCache<PendingWithPreallocated[]> _cache;

    public HelperPendingSends(MemoryOwnershipAnalysis analysis)
    {
        _analysis = analysis;
        _cache = new SummaryCache<PendingWithPreallocated[]>(analysis.Session.Telemetry);
    }

    /// <summary>
    /// The sends of <paramref name="method"/> (summarized at <paramref name="depth"/>) that may be pending at its exit over a
    /// buffer reached from a parameter it never reassigns; empty for anything but a source helper.
    /// </summary>
    public IReadOnlyList<PendingWithPreallocated> Get(
        IMethodSymbol method, EngineOptions options, int depth, ImmutableHashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        var definition = method.OriginalDefinition;
        if (_analysis.Session.Catalog.IsDdi(definition) || definition.Parameters.Length == 0)
        {
            return None;
        }

        return _cache.Get(
            definition, depth, visiting, options.WorkBudget,
            (helper, helperDepth, helperVisiting, token) => Compute(helper, options, helperDepth, helperVisiting, token),
            cancellationToken) ?? None;
    }

    private PendingWithPreallocated[]? Compute(
        IMethodSymbol method, EngineOptions options, int depth, ImmutableHashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        if (_analysis.Session.Bodies.GraphOf(method, cancellationToken) is not { } graph)
        {
            return None;
        }

        var domain = new MemoryOwnershipDomain(graph, _analysis, options, cancellationToken, depth - 1, visiting);
        var solved = ForwardDataflow.Solve(graph, domain, cancellationToken);
        _analysis.Session.Telemetry.FunctionSolved();
        if (!solved.Converged || solved.StateAtExit.IsUnreached)
        {
            return None;
        }

        List<PendingWithPreallocated>? pending = null;
        foreach (var pair in solved.StateAtExit.Facts)
        {
            if (pair.Value is PendingWithPreallocated { Sent: true } send &&
                send.Buffer.RootSymbol is IParameterSymbol parameter &&
                !Reassigned(graph.OriginalOperation, parameter))
            {
                (pending ??= new List<PendingWithPreallocated>()).Add(send);
            }
        }

        return pending is null ? None : pending.ToArray();
    }

    /// <summary>True when the helper assigns the parameter (its buffer at the send may not be the caller's).</summary>
    private static bool Reassigned(IOperation body, IParameterSymbol parameter)
    {
        foreach (var operation in body.Descendants())
        {
            if (SymbolEqualityComparer.Default.Equals(ParameterEffectSummaries.ParameterReassignedBy(operation), parameter))
            {
                return true;
            }
        }

        return false;
    }
}
