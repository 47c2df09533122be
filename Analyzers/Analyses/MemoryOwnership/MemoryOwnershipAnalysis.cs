using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.ParameterEffects;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.MemoryOwnership;

/// <summary>
/// The shared memory-ownership analysis: for every point of a body, where each WDFMEMORY location comes from (a memory
/// object that owns its buffer, or one over the driver's buffer), which requests are formatted with preallocated memory,
/// and which asynchronous sends of them may still be pending (DRV040, DRV041). Computed at most once per body (with its
/// lambdas and local functions, each on its own); helpers are read through <see cref="ParameterEffectSummaries"/>.
/// One per analysis session; thread-safe.
/// </summary>
internal sealed class MemoryOwnershipAnalysis
{
    private readonly SharedBodyResults<SolvedBody<MemoryOwnershipDomain, OwnershipFact>> _results;

    private MemoryOwnershipAnalysis(AnalysisSession session)
    {
        Session = session;
        Effects = ParameterEffectSummaries.For(session);
        LocalBufferType = session.Api.TypeOf("DriverBuffers." + LocalBuffer);
        FieldOrigins = new FieldMemoryOrigins(session);
        HelperSends = new HelperPendingSends(this);
        _results = new SharedBodyResults<SolvedBody<MemoryOwnershipDomain, OwnershipFact>>(session.Telemetry);
    }

    public AnalysisSession Session { get; }

    /// <summary>What helpers do to what they are given.</summary>
    public ParameterEffectSummaries Effects { get; }

    /// <summary><c>DriverBuffers.LOCAL_BUFFER</c>: storage on the kernel stack.</summary>
    public INamedTypeSymbol? LocalBufferType { get; }

    /// <summary>Device-lifetime preallocated memory kept in members, across the driver's methods.</summary>
    public FieldMemoryOrigins FieldOrigins { get; }

    /// <summary>Helpers that wrap a buffer they are given and may leave a send over it pending.</summary>
    public HelperPendingSends HelperSends { get; }

    public static MemoryOwnershipAnalysis For(AnalysisSession session) => session.Feature(s => new MemoryOwnershipAnalysis(s));

    /// <summary>
    /// The cheap syntactic pre-filter: the body names a DDI that wraps or assigns a buffer, or formats a request, or
    /// declares a <c>LOCAL_BUFFER</c> (which it may hand to a helper that wraps and sends it); confirmed by symbol later.
    /// </summary>
    public static bool MayMention(string identifier) =>
        identifier == LocalBuffer ||
        (DdiNames.RolesOfName(identifier) & (DdiRole.WrapsBuffer | DdiRole.AssignsBuffer | DdiRole.FormatsRequest)) != 0;

    private const string LocalBuffer = "LOCAL_BUFFER";

    /// <summary>The pre-filter of bodies (<see cref="MayMention"/>), answered from the tree's name index.</summary>
    public static readonly NameScreen Screen = new(MayMention);

    public SolvedBody<MemoryOwnershipDomain, OwnershipFact>? Analyze(OperationAnalysisContext context, IMethodSymbol owner, bool wanted) =>
        _results.Visit(context.Operation, wanted, (Analysis: this, context, owner), static s => s.Analysis.Compute(s.context, s.owner));

    private SolvedBody<MemoryOwnershipDomain, OwnershipFact>? Compute(OperationAnalysisContext context, IMethodSymbol owner) =>
        CallsAny(context, context.Operation, context.CancellationToken)
            ? SolvedBodies.Solve<MemoryOwnershipDomain, OwnershipFact>(
                context, Session, owner, (graph, _, options) => new MemoryOwnershipDomain(graph, this, options, context.CancellationToken))
            : null;

    /// <summary>
    /// A format DDI given device-lifetime preallocated memory kept in a member (<see cref="FieldMemoryOrigins"/>): the
    /// body may send it asynchronously while another method frees its buffer.
    /// </summary>
    private bool FormatsWithDeviceLifetimeMemory(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var catalog = Session.Catalog;
        if (!catalog.Has(invocation.TargetMethod, DdiRole.FormatsRequest))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, catalog.Api.WdfMemory) &&
                TrackedLocation.TryCreate(IoModeSymbols.Unwrap(argument.Value), catalog.ContextTypes) is { IsMember: true } memory &&
                FieldOrigins.Of(memory, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the body (with its lambdas) creates preallocated memory, assigns a buffer, or formats with device-lifetime
    /// preallocated memory, by symbol; or declares a <c>LOCAL_BUFFER</c> and calls a helper that wraps a buffer it is
    /// given and may leave a send over it pending.
    /// </summary>
    private bool CallsAny(OperationAnalysisContext context, IOperation body, CancellationToken cancellationToken)
    {
        var hasStackBuffer = false;
        List<IInvocationOperation>? helperCalls = null;
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation invocation)
            {
                if (Session.Catalog.Has(invocation.TargetMethod, DdiRole.WrapsBuffer | DdiRole.AssignsBuffer) ||
                    FormatsWithDeviceLifetimeMemory(invocation, cancellationToken))
                {
                    return true;
                }

                if (!Session.Catalog.IsDdi(invocation.TargetMethod) && invocation.TargetMethod.Parameters.Length > 0)
                {
                    (helperCalls ??= new List<IInvocationOperation>()).Add(invocation);
                }
            }
            else if (operation is IVariableDeclaratorOperation { Symbol.Type: var type } &&
                     SymbolEqualityComparer.Default.Equals(type, LocalBufferType))
            {
                hasStackBuffer = true;
            }
        }

        if (!hasStackBuffer || helperCalls is null)
        {
            return false;
        }

        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        var visiting = ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var call in helperCalls)
        {
            if (HelperSends.Get(call.TargetMethod, options, options.HelperDepth, visiting, cancellationToken).Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
