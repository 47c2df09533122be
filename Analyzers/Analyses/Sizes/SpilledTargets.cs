using System.Collections.Generic;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Flow captures of a variable that the control flow graph spilled as an assignment target: <c>x = Call(c ? a : b)</c>
/// becomes <c>#0 = x; #1 = a | b; #0 = Call(#1)</c>, so the assignment's target is the capture, not <c>x</c>. Notes what
/// each capture holds as a domain steps through it (one instance per graph) and answers the location an assignment
/// really writes.
/// </summary>
internal sealed class SpilledTargets
{
    private readonly SizeLocations _locations;

    /// <summary>The location each capture stands for; null when it is not one storage location.</summary>
    private readonly Dictionary<CaptureId, TrackedLocation?> _sources = new();

    public SpilledTargets(SizeLocations locations) => _locations = locations;

    public void Note(IFlowCaptureOperation capture)
    {
        var source = _locations.Of(capture.Value) is { } location && KnownSizesDomain.IsStorage(location) ? location : null;
        if (_sources.TryGetValue(capture.Id, out var known) && !Equals(known, source))
        {
            source = null;
        }

        _sources[capture.Id] = source;
    }

    /// <summary>The location an assignment to <paramref name="target"/> writes: through a spilled capture when it is one.</summary>
    public TrackedLocation? AssignedLocation(Microsoft.CodeAnalysis.IOperation target) =>
        OperationUnwrap.Unwrap(target) is IFlowCaptureReferenceOperation reference &&
        _sources.TryGetValue(reference.Id, out var source) && source is not null
            ? source
            : _locations.Of(target);
}
