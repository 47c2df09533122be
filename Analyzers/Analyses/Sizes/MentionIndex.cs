using System.Collections.Generic;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Which locations' size facts name a location as a bound or a memory object (or name something computed from it): the
/// facts an assignment of that location must clean (<see cref="SizeState.Kill"/>). One index serves every state of one
/// solve: it only grows, so it lists every holder any path ever had, a superset of each state's (a holder whose facts no
/// longer name the location is checked and skipped). Kept beside the states instead of in them, it costs one table entry
/// per mention, where a per-state persistent index copied a path of its trie and a set at each new bound, and joined,
/// compared and diffed it at every block.
/// Not thread-safe, and needs not be: only the transfer functions of the solve that made it add to it or read it (the
/// states of a size analysis never start another solve; the rules read a solved state's facts, never its index).
/// </summary>
internal sealed class MentionIndex
{
    // Made at the first mention: most functions solved name no bound.
    private Dictionary<TrackedLocation, List<TrackedLocation>>? _holders;
    private HashSet<(TrackedLocation Named, TrackedLocation Holder)>? _pairs;

    /// <summary>Notes that <paramref name="holder"/>'s facts name <paramref name="named"/>.</summary>
    public void Add(TrackedLocation named, TrackedLocation holder)
    {
        if (!(_pairs ??= new HashSet<(TrackedLocation, TrackedLocation)>()).Add((named, holder)))
        {
            return;
        }

        _holders ??= new Dictionary<TrackedLocation, List<TrackedLocation>>();
        if (!_holders.TryGetValue(named, out var holders))
        {
            _holders[named] = holders = new List<TrackedLocation>(2);
        }

        holders.Add(holder);
    }

    /// <summary>The holders noted for <paramref name="named"/> so far; null when none.</summary>
    public IReadOnlyList<TrackedLocation>? HoldersOf(TrackedLocation named) =>
        _holders is not null && _holders.TryGetValue(named, out var holders) ? holders : null;

    /// <summary>
    /// The index of a state where two paths meet: the one both share (the usual case, free); else one that lists what
    /// either lists.
    /// </summary>
    public static MentionIndex? Join(MentionIndex? left, MentionIndex? right)
    {
        if (ReferenceEquals(left, right) || right is null)
        {
            return left;
        }

        if (left is null)
        {
            return right;
        }

        var joined = new MentionIndex();
        joined.AddAll(left);
        joined.AddAll(right);
        return joined;
    }

    private void AddAll(MentionIndex other)
    {
        if (other._pairs is null)
        {
            return;
        }

        foreach (var (named, holder) in other._pairs)
        {
            Add(named, holder);
        }
    }
}
