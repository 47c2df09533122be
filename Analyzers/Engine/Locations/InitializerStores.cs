using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

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

    /// <summary>
    /// When <paramref name="value"/> is (under conversions) a capture an object initializer stored members through, each
    /// of those member locations and the same member of <paramref name="target"/> the assignment hands it to (paths past
    /// the longest are left out); empty otherwise.
    /// </summary>
    public IReadOnlyList<(TrackedLocation Stored, TrackedLocation Member)> HandedTo(IOperation value, TrackedLocation target)
    {
        if (_stores is null || OperationUnwrap.Unwrap(value) is not IFlowCaptureReferenceOperation capture ||
            !_stores.TryGetValue(TrackedLocation.ForCapture(capture.Id, capture.Type), out var stores))
        {
            return Array.Empty<(TrackedLocation, TrackedLocation)>();
        }

        var handed = new List<(TrackedLocation, TrackedLocation)>(stores.Count);
        foreach (var stored in stores)
        {
            if (Rebase(stored, target) is { } member)
            {
                handed.Add((stored, member));
            }
        }

        return handed;
    }

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
