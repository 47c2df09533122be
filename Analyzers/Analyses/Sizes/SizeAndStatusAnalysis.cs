using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Statuses;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The shared size and status analysis: for every point of a body, the sizes each buffer is known to hold and the bounds
/// known of each number (<see cref="KnownSizesDomain"/>), and which NTSTATUS results are still owed a test
/// (<see cref="StatusDomain"/>). Computed at most once per method body (with its lambdas and local functions) and read by
/// every rule that asks (DRV020–DRV023 today), whichever analyzer class it is in: the first to ask computes it, the
/// others get the same result (<see cref="SharedBodyResults{TResult}"/>). One per analysis session (compilation);
/// thread-safe.
/// </summary>
internal sealed class SizeAndStatusAnalysis
{
    /// <summary>The pre-filter: the body names a DDI of the size or status rules.</summary>
    private static readonly NameScreen Screen = new(SizeDdis.MayBeRelevant);

    private readonly SharedBodyResults<SizeAndStatusResult> _results;
    private readonly AnalysisSession _session;

    private SizeAndStatusAnalysis(AnalysisSession session)
    {
        _session = session;
        Ddis = new SizeDdis(session);
        Locations = new SizeLocations(session.Catalog);
        Helpers = new CompletionHelpers(Ddis, session);
        CallerSizes = new CallerBufferSizes(session, Ddis, Locations);
        HelperCopies = new HelperCopies(session, Ddis);
        HelperOutputs = new HelperOutputSizes(session, Ddis, Locations);
        RetrievingHelpers = new RetrievingHelpers(session, Ddis, Locations);
        ForwardedIoctls = new ForwardedIoctls(session);
        _results = new SharedBodyResults<SizeAndStatusResult>(session.Telemetry);
    }

    public SizeDdis Ddis { get; }

    public SizeLocations Locations { get; }

    /// <summary>Completion helpers (DRV023), summarized once per method and depth.</summary>
    public CompletionHelpers Helpers { get; }

    /// <summary>A helper's buffer parameters paired with the length parameters its callers size them with (DRV020, DRV024).</summary>
    public CallerBufferSizes CallerSizes { get; }

    /// <summary>The copies a helper makes through its parameters (DRV020 at the helper's call).</summary>
    public HelperCopies HelperCopies { get; }

    /// <summary>The sizes a helper hands out through its <c>out</c> parameters (DRV020, DRV024 after the helper's call).</summary>
    public HelperOutputSizes HelperOutputs { get; }

    /// <summary>The buffers a helper hands out from its own retrieves (DRV022 at the helper's call).</summary>
    public RetrievingHelpers RetrievingHelpers { get; }

    /// <summary>Completion routines of IOCTLs sent down as reads or writes (DRV023: the lower driver's information kept).</summary>
    public ForwardedIoctls ForwardedIoctls { get; }

    public static SizeAndStatusAnalysis For(AnalysisSession session) => session.Feature(s => new SizeAndStatusAnalysis(s));

    /// <summary>
    /// One consumer's visit of <paramref name="body"/>: its analysis when the body calls a DDI of the size or status rules
    /// (or, in a queue callback, a completion helper), computed now or by another rule before; null otherwise, when the
    /// body has no graph, or when its analysis went over the work budget (given up silently).
    /// </summary>
    public SizeAndStatusResult? Analyze(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner) =>
        _results.Visit(body, IsWanted(context, body, owner), (Analysis: this, context, body, owner), static s => s.Analysis.Compute(s.context, s.body, s.owner));

    /// <summary>
    /// The operation block action of a rule that judges calls: every body of the block visited once, and
    /// <paramref name="check"/> asked about each reached call with the sizes known just before it; each diagnostic
    /// reported once per location.
    /// </summary>
    public void ReportCalls(
        OperationBlockAnalysisContext block, Func<SizeFunctionResult, IInvocationOperation, SizeState, Diagnostic?> check)
    {
        if (block.OwningSymbol is not IMethodSymbol owner)
        {
            return;
        }

        foreach (var body in BodyRunner.Bodies(block.OperationBlocks))
        {
            if (Analyze(block, body, owner) is not { } result)
            {
                continue;
            }

            var reported = new HashSet<Location>();
            foreach (var function in result.Functions)
            {
                foreach (var (invocation, state) in function.Calls ?? Array.Empty<(IInvocationOperation, SizeState)>())
                {
                    if (check(function, invocation, state) is { } diagnostic && reported.Add(diagnostic.Location))
                    {
                        block.ReportDiagnostic(diagnostic);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The pre-filter: a token scan for the names of the DDIs (nothing bound), confirmed by symbol on the operations the
    /// compiler built; a queue callback (whose length parameters give its buffers' sizes) also when it calls a completion
    /// helper or a copy helper (<see cref="Sizes.HelperCopies"/>) of this compilation.
    /// </summary>
    private bool IsWanted(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner)
    {
        var named = Screen.Passes(body.Syntax, _session.Telemetry, context.CancellationToken);
        var queueCallback = KnownSizesDomain.IsQueueCallback(_session.Api, owner);
        if (!named && !queueCallback)
        {
            return false;
        }

        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        foreach (var operation in body.Descendants())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation invocation &&
                ((named && Ddis.IsRelevant(invocation.TargetMethod)) ||
                 (queueCallback && (Helpers.Get(invocation.TargetMethod, options, context.CancellationToken) is not null ||
                                    !HelperCopies.Of(invocation.TargetMethod, options, context.CancellationToken).IsEmpty))))
            {
                return true;
            }
        }

        return false;
    }

    private SizeAndStatusResult? Compute(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner)
    {
        var telemetry = _session.Telemetry;
        if (BodyRunner.GraphOf(context, body, telemetry) is not { } graph)
        {
            return null;
        }

        telemetry.BodyAnalyzed();
        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        SizeAndStatusResult? result = null;
        BodyRunner.TryRunWithinBudget(telemetry, options.WorkBudget, () => result = Run(graph, owner, options, context.CancellationToken));
        return result;
    }

    /// <summary>
    /// The body, then its lambdas and local functions, without recursion; each nested function starts from its own entry
    /// (it runs later, with sizes and statuses that may have changed since it was created).
    /// </summary>
    private SizeAndStatusResult Run(ControlFlowGraph root, IMethodSymbol owner, EngineOptions options, CancellationToken cancellationToken)
    {
        var functions = new List<SizeFunctionResult>();
        var helperOutputs = HelperOutputs.Lookup(
            options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), options.WorkBudget, cancellationToken);
        var queue = new FunctionQueue<SizeState>(_session.Bodies, root, owner, SizeState.Empty, cancellationToken);
        while (queue.TryNext(out var function))
        {
            var callerSizes = ReferenceEquals(function.Graph, root) ? CallerSizes.Of(owner, root, options, cancellationToken) : default;
            var callerSystemBuffer = ReferenceEquals(function.Graph, root) ? CallerSizes.SystemBufferOf(owner, root, options, cancellationToken) : null;
            var sizes = new KnownSizesDomain(Ddis, Locations, function.Symbol, callerSizes, helperOutputs, callerSystemBuffer);
            var sizesSolved = ForwardDataflow.Solve(function.Graph, sizes, cancellationToken);
            _session.Telemetry.FunctionSolved();
            var calls = new List<(IInvocationOperation, SizeState)>();
            var localStores = new List<(ISimpleAssignmentOperation, SizeState)>();
            if (sizesSolved.Converged)
            {
                sizes.Replay(sizesSolved, IsRecorded, (operation, state) =>
                {
                    switch (operation)
                    {
                        case IInvocationOperation invocation:
                            calls.Add((invocation, state));
                            break;
                        case ISimpleAssignmentOperation store:
                            localStores.Add((store, state));
                            break;
                        case IFlowAnonymousFunctionOperation lambda:
                            queue.AddLambda(function, lambda, SizeState.Empty);
                            break;
                    }
                }, cancellationToken);
            }

            var statuses = new StatusDomain(Ddis, Locations, m => RetrievingHelpers.Of(m, options, cancellationToken));
            var statusesSolved = ForwardDataflow.Solve(function.Graph, statuses, cancellationToken);
            _session.Telemetry.FunctionSolved();
            var events = new List<StatusEvent>();
            if (statusesSolved.Converged)
            {
                statuses.Replay(statusesSolved, events, cancellationToken);
            }

            functions.Add(new SizeFunctionResult(
                function.Symbol, options,
                sizes, sizesSolved.Converged ? calls : null, sizesSolved.Converged ? localStores : null,
                statusesSolved.Converged ? events : null,
                statusesSolved.Converged && !statusesSolved.StateAtExit.IsUnreached ? statusesSolved.StateAtExit : null));
            queue.AddLocalFunctions(function, SizeState.Empty);
        }

        return new SizeAndStatusResult(functions);
    }

    /// <summary>
    /// The operations the size replay records: calls (what the rules judge), stores of a constant or of a number read from a
    /// field, a property or another local into a local (DRV023: <see cref="StoredInformation"/>) and lambdas (analyzed next).
    /// The replay steps no further in a block than its last such operation.
    /// </summary>
    private static bool IsRecorded(IOperation operation) =>
        operation is IInvocationOperation or IFlowAnonymousFunctionOperation or
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation, Value.ConstantValue.HasValue: true } ||
        (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } store &&
         (store.Value is IFieldReferenceOperation or IPropertyReferenceOperation || OperationUnwrap.Unwrap(store.Value) is ILocalReferenceOperation) &&
         SizeLocations.IsNumber(target.Type));
}

/// <summary>The size and status analysis of one body: each of its functions (the body first, then lambdas and local functions).</summary>
internal sealed class SizeAndStatusResult
{
    public SizeAndStatusResult(IReadOnlyList<SizeFunctionResult> functions) => Functions = functions;

    public IReadOnlyList<SizeFunctionResult> Functions { get; }
}

/// <summary>One function of a body: its size domain (for the questions rules ask), its calls with the sizes known there, its status events.</summary>
internal sealed class SizeFunctionResult
{
    public SizeFunctionResult(
        IMethodSymbol symbol, EngineOptions options, KnownSizesDomain sizes, IReadOnlyList<(IInvocationOperation Call, SizeState State)>? calls,
        IReadOnlyList<(ISimpleAssignmentOperation Store, SizeState State)>? localStores, IReadOnlyList<StatusEvent>? statusEvents, StatusState? statusAtExit)
    {
        LocalStores = localStores;
        Symbol = symbol;
        Options = options;
        Sizes = sizes;
        Calls = calls;
        StatusEvents = statusEvents;
        StatusAtExit = statusAtExit;
    }

    /// <summary>The method, lambda or local function.</summary>
    public IMethodSymbol Symbol { get; }

    /// <summary>The interprocedural configuration of the body's tree.</summary>
    public EngineOptions Options { get; }

    public KnownSizesDomain Sizes { get; }

    /// <summary>Every reached call with the sizes known just before it; null when the size analysis did not converge.</summary>
    public IReadOnlyList<(IInvocationOperation Call, SizeState State)>? Calls { get; }

    /// <summary>
    /// Every reached store of a constant (<c>bytesTransferred = sizeof(X)</c>) or of a number read from a field or property
    /// (<c>information = DataLength</c>) into a local, with the sizes known just before it (DRV023 judges such an
    /// information where it was stored); null when the size analysis did not converge.
    /// </summary>
    public IReadOnlyList<(ISimpleAssignmentOperation Store, SizeState State)>? LocalStores { get; }

    /// <summary>What the status rules observe, in replay order; null when the status analysis did not converge.</summary>
    public IReadOnlyList<StatusEvent>? StatusEvents { get; }

    /// <summary>The statuses owed a test where the function returns; null when no path returns normally (or not converged).</summary>
    public StatusState? StatusAtExit { get; }

    private IReadOnlyList<(TrackedLocation End, BufferFacts Copied)>? _unfittedCopies;

    /// <summary>
    /// The copies (<c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>) into a buffer of known size that are not known to fit it
    /// (DRV020's judgement), each with the number its end is (its length at offset 0, else its offset plus its length:
    /// <see cref="SizeLocations.Plus"/>) and its destination's facts. Found once per function, at the first question
    /// (DRV023's information that counts copied bytes), so each completion asking costs the few such copies.
    /// </summary>
    public IReadOnlyList<(TrackedLocation End, BufferFacts Copied)> UnfittedCopies(SizeDdis ddis, CancellationToken cancellationToken)
    {
        if (_unfittedCopies is { } known)
        {
            return known;
        }

        var found = new List<(TrackedLocation, BufferFacts)>();
        foreach (var (call, state) in Calls ?? Array.Empty<(IInvocationOperation, SizeState)>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ddis.TryGetCopySite(call) is { IsRtlCopy: true, Destination: { } destination, Length: { } lengthOperation } &&
                Sizes.LocationOf(lengthOperation) is { } length &&
                Sizes.PointerFacts(state, destination) is { AtLeast.IsEmpty: false } copied &&
                KnownSizesDomain.IsBounded(state, copied, 0, Sizes.Evaluate(state, lengthOperation)) == false)
            {
                found.Add((copied.Offset == 0 ? length : SizeLocations.Plus(length, copied.Offset, string.Empty), copied));
            }
        }

        // A benign race: two analyzers asking at once compute the same list.
        return _unfittedCopies = found;
    }
}
