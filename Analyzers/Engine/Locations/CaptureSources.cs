using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The storage location each flow capture of one graph copies. The control flow graph spills a variable that is an
/// assignment's target when the value needs more than one block: <c>x = Call(c ? a : b)</c> becomes
/// <c>#0 = x; #1 = a | b; #0 = Call(#1)</c>, and <c>x = new T { … }</c> becomes <c>#0 = x; #1 = new T(); …; #0 = #1</c>,
/// so the assignment's target is the capture, not <c>x</c>; a condition may read a variable through a capture too.
/// A domain notes each capture as it steps through it (one instance per graph, shared by the domain's transfer and
/// replay) and asks what a capture reference stands for. A capture of one id that copies different locations on
/// different paths stands for none.
/// </summary>
internal sealed class CaptureSources
{
    private readonly Func<IOperation, TrackedLocation?> _storageOf;

    /// <summary>The location each capture copies; null when it is not one storage location (made at the first capture: most graphs have none).</summary>
    private Dictionary<CaptureId, TrackedLocation?>? _sources;

    /// <param name="storageOf">The storage location a captured value is, in the domain's terms (null: not one the domain follows).</param>
    public CaptureSources(Func<IOperation, TrackedLocation?> storageOf) => _storageOf = storageOf;

    public void Note(IFlowCaptureOperation capture)
    {
        var source = _storageOf(capture.Value);
        _sources ??= new Dictionary<CaptureId, TrackedLocation?>();
        if (_sources.TryGetValue(capture.Id, out var known) && !Equals(known, source))
        {
            source = null;
        }

        _sources[capture.Id] = source;
    }

    /// <summary>
    /// The location <paramref name="operation"/> stands for when it is (under conversions) a reference to a capture noted
    /// as copying one storage location; otherwise null.
    /// </summary>
    public TrackedLocation? Of(IOperation? operation) =>
        _sources is not null &&
        OperationUnwrap.Unwrap(operation) is IFlowCaptureReferenceOperation reference &&
        _sources.TryGetValue(reference.Id, out var source)
            ? source
            : null;

    /// <summary>True when <paramref name="operation"/> is (under conversions) a reference to a flow capture.</summary>
    public static bool IsCapture(IOperation? operation) => OperationUnwrap.Unwrap(operation) is IFlowCaptureReferenceOperation;
}
