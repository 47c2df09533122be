using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What the request analysis shares across the bodies of one compilation: the catalog, the followed types, the
/// summaries of helpers and the cross-method index of driver-created requests. One per analysis session.
/// </summary>
internal sealed class RequestAnalysisContext
{
    private readonly System.Func<IInvocationOperation, ITypeSymbol?> _contextTypeOf;

    private RequestAnalysisContext(AnalysisSession session)
    {
        Session = session;
        _contextTypeOf = session.Catalog.ContextTypeOf;
        Summaries = new RequestSummaries(this);
        Index = new CreatedRequestIndex(session);
        CancelRoutines = new CancelRoutineIndex(session);
        HeldStores = new HeldRequestStores(this);
        CompletionParamsType = session.Api.TypeOf("DriverBuffers.WDF_REQUEST_COMPLETION_PARAMS");
    }

    /// <summary><c>WDF_REQUEST_COMPLETION_PARAMS</c>: the memory a completion routine's parameters name is its request's.</summary>
    public INamedTypeSymbol? CompletionParamsType { get; }

    public AnalysisSession Session { get; }

    public DriverApi Api => Session.Api;

    public DdiCatalog Catalog => Session.Catalog;

    public RequestSummaries Summaries { get; }

    /// <summary>Which fields hold driver-created requests, which methods are their completion routines, … (lazily, per symbol).</summary>
    public CreatedRequestIndex Index { get; }

    /// <summary>What the stores of the compilation leave in a field that holds a driver-created request (lazily, per member).</summary>
    public HeldRequestStores HeldStores { get; }

    /// <summary>Which methods are cancel routines, and which cancel routines requests kept in a member were marked with (lazily).</summary>
    public CancelRoutineIndex CancelRoutines { get; }

    public static RequestAnalysisContext For(AnalysisSession session) => session.Feature(s => new RequestAnalysisContext(s));

    /// <summary><c>WDFREQUEST</c>: the framework's request (queue callbacks, completion and cancel routines, driver-created requests).</summary>
    public bool IsRequestType(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, Api.WdfRequest);

    /// <summary>The WDM <c>IRP</c>: followed for its completion (<c>IoCompleteRequest</c>, DRV002) and hand-off (<c>IoCallDriver</c>).</summary>
    public bool IsIrpType(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, Api.Irp);

    /// <summary>A <c>WDFQUEUE</c> parameter taken by value: a queue a helper may take the caller's forwarded requests from.</summary>
    public bool IsQueueParameter(IParameterSymbol? parameter) =>
        parameter is { RefKind: RefKind.None } && Api.WdfQueue is { } queue && SymbolEqualityComparer.Default.Equals(parameter.Type, queue);

    /// <summary>
    /// The values whose lifetime the analysis follows: a <c>WDFREQUEST</c> or an <c>IRP</c> (aliases, completion, hand-off,
    /// helpers' effects). Everything WDF-specific (routines, driver-created requests, request DDIs) stays with <see cref="IsRequestType"/>.
    /// </summary>
    public bool IsFollowedRequestType(ITypeSymbol? type) => IsRequestType(type) || IsIrpType(type);

    /// <summary>Memory objects, buffer pointers and MDLs: the values that die with the request they belong to.</summary>
    public bool IsBufferType(ITypeSymbol? type) =>
        type is not null &&
        (SymbolEqualityComparer.Default.Equals(type, Api.Pvoid) ||
         SymbolEqualityComparer.Default.Equals(type, Api.WdfMemory) ||
         SymbolEqualityComparer.Default.Equals(type, Api.Pmdl));

    /// <summary>The location an operation refers to, with context accessors recognized (see <see cref="TrackedLocation.TryCreate"/>).</summary>
    public TrackedLocation? LocationOf(IOperation? operation) => TrackedLocation.TryCreate(operation, _contextTypeOf);
}
