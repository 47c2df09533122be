using System.Collections.Generic;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The members an object initializer stores through a flow capture: the control flow graph makes
/// <c>entry = new T { Packet = block, PacketLen = n }</c> into <c>#0 = new T(); #0.Packet = block; #0.PacketLen = n;
/// entry = #0</c>. Notes each member written through a capture as a domain steps through the stores (one instance per
/// graph), so that the assignment of the capture hands their facts to the same members of its target
/// (<c>entry.Packet</c>, <c>entry.PacketLen</c>).
/// </summary>
internal sealed class InitializerStores
{
    /// <summary>Each capture's member locations written so far (a few per initializer; made at the first: most graphs have none).</summary>
    private Dictionary<TrackedLocation, List<TrackedLocation>>? _stores;

    /// <summary>Notes <paramref name="target"/> when it is a member path of a flow capture.</summary>
    public void Note(TrackedLocation target)
    {
        if (target.Root != LocationRoot.FlowCapture || !target.IsMember)
        {
            return;
        }

        var capture = target;
        while (capture.Holder is { } holder)
        {
            capture = holder;
        }

        _stores ??= new Dictionary<TrackedLocation, List<TrackedLocation>>();
        if (!_stores.TryGetValue(capture, out var members))
        {
            _stores[capture] = members = new List<TrackedLocation>(2);
        }

        if (!members.Contains(target))
        {
            members.Add(target);
        }
    }

    /// <summary>The member locations written through the capture <paramref name="capture"/> refers to; null when none.</summary>
    public IReadOnlyList<TrackedLocation>? Of(IFlowCaptureReferenceOperation capture) =>
        _stores is not null && _stores.TryGetValue(TrackedLocation.ForCapture(capture.Id, capture.Type), out var members) ? members : null;

    /// <summary><paramref name="member"/>'s path (rooted at a capture) from <paramref name="target"/> instead; null past the longest path.</summary>
    public static TrackedLocation? Rebase(TrackedLocation member, TrackedLocation target)
    {
        var location = target;
        foreach (var symbol in member.Members)
        {
            location = location?.Member(symbol);
        }

        return location;
    }
}
