using System.Collections.Generic;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// Flow captures of a variable that the CFG spilled as an assignment target: <c>x = Call(c ? a : b)</c> becomes
/// <c>#0 = x; #1 = a | b; #0 = Call(#1)</c>, so the assignment's target is the capture, not <c>x</c>. Notes what
/// each capture holds as the flow analysis steps through it (one instance per graph) and answers the variable an
/// assignment really writes.
/// </summary>
internal sealed class CaptureAliases
{
    /// <summary>The variable each capture stands for; null when it is not one variable.</summary>
    private readonly Dictionary<CaptureId, ValueKey?> _sources = new();

    public void Note(IFlowCaptureOperation capture)
    {
        var source = ValueKey.ForReference(capture.Value) is { Kind: ValueKeyKind.Symbol } key ? key : null;
        if (_sources.TryGetValue(capture.Id, out var known) && !Equals(known, source))
        {
            source = null;
        }

        _sources[capture.Id] = source;
    }

    /// <summary>The variable an assignment to <paramref name="target"/> writes: through a spilled capture when it is one.</summary>
    public ValueKey? AssignedKey(IOperation target) =>
        OperationUnwrap.Unwrap(target) is IFlowCaptureReferenceOperation reference &&
        _sources.TryGetValue(reference.Id, out var source) && source is not null
            ? source
            : ValueKey.ForReference(target);
}
