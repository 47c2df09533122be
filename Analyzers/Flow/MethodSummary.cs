using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>What a helper method (or local function) does to one request it is given or captures.</summary>
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
/// The effect of a method in the same compilation on the requests, memory objects, buffers and MDLs it is given
/// (its parameters) or captures (for local functions, keyed by the captured variable), applied at call sites.
/// </summary>
internal sealed class MethodSummary
{
    public MethodSummary(
        ImmutableDictionary<ValueKey, RequestEffect> requests,
        ImmutableHashSet<ValueKey> usedValues,
        ImmutableHashSet<ValueKey> returnedFrom,
        ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>> outFrom)
    {
        Requests = requests;
        UsedValues = usedValues;
        ReturnedFrom = returnedFrom;
        OutFrom = outFrom;
    }

    /// <summary>The effect on each request parameter or captured request.</summary>
    public ImmutableDictionary<ValueKey, RequestEffect> Requests { get; }

    /// <summary>The memory, buffer and MDL parameters (or captured variables) the method uses.</summary>
    public ImmutableHashSet<ValueKey> UsedValues { get; }

    /// <summary>
    /// The inputs (request parameters, memory/buffer/MDL parameters, captured variables) the returned value may
    /// belong to: a helper that returns the buffer it retrieved from its request parameter returns "from" that parameter.
    /// </summary>
    public ImmutableHashSet<ValueKey> ReturnedFrom { get; }

    /// <summary>For each <c>out</c> parameter, the inputs the value it gives back may belong to.</summary>
    public ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>> OutFrom { get; }

    public bool Uses(IParameterSymbol parameter) => UsedValues.Contains(ValueKey.ForSymbol(parameter.OriginalDefinition));

    public RequestEffect? EffectOn(IParameterSymbol parameter) =>
        Requests.TryGetValue(ValueKey.ForSymbol(parameter.OriginalDefinition), out var effect) ? effect : null;
}
