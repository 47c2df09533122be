using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>What a helper method (or local function) does to the lifetime of one request it is given or captures.</summary>
internal readonly struct RequestEffect
{
    public RequestEffect(CompletionState completion, OwnershipState ownership, bool callsRequestDdi, string? completedBy)
    {
        Completion = completion;
        Ownership = ownership;
        CallsRequestDdi = callsRequestDdi;
        CompletedBy = completedBy;
    }

    /// <summary>Completed on all paths, some paths, or none.</summary>
    public CompletionState Completion { get; }

    /// <summary>Completed, forwarded, sent or kept on all paths, some paths, or none.</summary>
    public OwnershipState Ownership { get; }

    /// <summary>True when the helper calls a request DDI on the request.</summary>
    public bool CallsRequestDdi { get; }

    /// <summary>The DDI that completes it inside the helper, if any.</summary>
    public string? CompletedBy { get; }
}

/// <summary>
/// The effect of a method of the same compilation on the requests, memory objects, buffers and MDLs it is given (its
/// parameters), captures (local functions: keyed by the captured variable) or shares (requests held in fields of
/// <c>this</c> or in statics), applied at its call sites. One summary serves every rule of the request analysis.
/// </summary>
internal sealed class RequestSummary
{
    public RequestSummary(
        ImmutableDictionary<TrackedLocation, RequestEffect> requests,
        ImmutableHashSet<TrackedLocation> usedValues,
        ImmutableHashSet<TrackedLocation> returnedFrom,
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> outFrom,
        ImmutableArray<HelperEffect> parameterEffects,
        ImmutableDictionary<ISymbol, HelperEffect> memberEffects,
        ImmutableDictionary<int, ConditionalEffects> outFlags,
        ConditionalEffects? returnedSuccess,
        ConditionalEffects? returnedPending,
        bool setsIrpCompletionRoutine)
    {
        SetsIrpCompletionRoutine = setsIrpCompletionRoutine;
        OutFlags = outFlags;
        ReturnedSuccess = returnedSuccess;
        ReturnedPending = returnedPending;
        Requests = requests;
        UsedValues = usedValues;
        ReturnedFrom = returnedFrom;
        OutFrom = outFrom;
        ParameterEffects = parameterEffects;
        MemberEffects = memberEffects;
    }

    /// <summary>The lifetime effect on each request parameter or captured request.</summary>
    public ImmutableDictionary<TrackedLocation, RequestEffect> Requests { get; }

    /// <summary>The memory, buffer and MDL parameters (or captured variables) the method uses.</summary>
    public ImmutableHashSet<TrackedLocation> UsedValues { get; }

    /// <summary>
    /// The inputs (request parameters, memory/buffer/MDL parameters, captured variables) the returned value may
    /// belong to: a helper that returns the buffer it retrieved from its request parameter returns "from" that parameter.
    /// </summary>
    public ImmutableHashSet<TrackedLocation> ReturnedFrom { get; }

    /// <summary>For each <c>out</c> parameter, the inputs the value it gives back may belong to.</summary>
    public ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> OutFrom { get; }

    /// <summary>What the method may do to a driver-created request passed as each parameter (by ordinal).</summary>
    public ImmutableArray<HelperEffect> ParameterEffects { get; }

    /// <summary>What the method may do to driver-created requests held in fields of <c>this</c> or in statics.</summary>
    public ImmutableDictionary<ISymbol, HelperEffect> MemberEffects { get; }

    /// <summary>
    /// For each <c>out bool</c> parameter (by ordinal) that tells what the method did with a request (an
    /// <c>out bool CompleteRequest</c> set FALSE only where the request was forwarded): the effect on each request
    /// parameter when the flag comes back true, and when it comes back false.
    /// </summary>
    public ImmutableDictionary<int, ConditionalEffects> OutFlags { get; }

    /// <summary>
    /// The effects on each request parameter on the paths where the returned <c>NTSTATUS</c> is a success
    /// (<c>NT_SUCCESS</c>), or the returned <c>bool</c> is true, and where it is not; null when they do not differ or
    /// are not known (<c>if (!NT_SUCCESS(status)) { IoCompleteRequest(Irp, …); return status; }</c>).
    /// </summary>
    public ConditionalEffects? ReturnedSuccess { get; }

    /// <summary>
    /// The effects on each request parameter on the paths where the returned <c>NTSTATUS</c> is <c>STATUS_PENDING</c>, and
    /// where it is not; null when they do not differ or are not known (the WDK cancel sample's <c>CsampPollDevice</c>
    /// completes its IRP exactly when it does not return <c>STATUS_PENDING</c>).
    /// </summary>
    public ConditionalEffects? ReturnedPending { get; }

    /// <summary>True when the method (or a helper it gives an IRP) calls <c>IoSetCompletionRoutine</c>: see <c>IoCallDriver</c> in DRV002.</summary>
    public bool SetsIrpCompletionRoutine { get; }

    public bool Uses(IParameterSymbol parameter) => UsedValues.Contains(TrackedLocation.ForSymbol(parameter.OriginalDefinition));

    public RequestEffect? EffectOn(IParameterSymbol parameter) =>
        Requests.TryGetValue(TrackedLocation.ForSymbol(parameter.OriginalDefinition), out var effect) ? effect : null;

    public HelperEffect CreatedEffectOn(int ordinal) =>
        ordinal >= 0 && ordinal < ParameterEffects.Length ? ParameterEffects[ordinal] : HelperEffect.None;
}

/// <summary>
/// A helper's effects on its request parameters on the paths where a value it gives back is true, and false: an
/// <c>out bool</c> flag, <c>NT_SUCCESS</c> of its returned status, its returned status being <c>STATUS_PENDING</c>.
/// </summary>
internal sealed class ConditionalEffects
{
    public ConditionalEffects(ImmutableDictionary<TrackedLocation, RequestEffect> whenTrue, ImmutableDictionary<TrackedLocation, RequestEffect> whenFalse)
    {
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public ImmutableDictionary<TrackedLocation, RequestEffect> WhenTrue { get; }

    public ImmutableDictionary<TrackedLocation, RequestEffect> WhenFalse { get; }
}
