using System;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// The paths that met at a join, kept apart while nothing changes their request facts: each path's state (only its
/// <see cref="RequestState.Lifetime"/>, <see cref="RequestState.Branches"/> and <see cref="RequestState.Outcomes"/> are
/// read), so that a later test of a tested local keeps the paths on which the test can hold and joins only those.
/// A relation between two tested locals needs it: bluetooth/serialhcibus forwards the request in one case, sets
/// <c>CompleteRequest = TRUE</c> in another and fails in the default, then completes where
/// <c>!NT_SUCCESS(Status) || CompleteRequest</c>; the false edge of that test holds only on the forwarding path, which
/// the facts of each local's two sides, joined at the switch, cannot tell (<see cref="BranchCorrelation"/>).
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="Cap"/> paths (the same facts are kept once); past the cap, <see cref="TooMany"/>, which
/// absorbs every later join until the facts change (so a loop head settles), and tests use the joined state alone as
/// before. A split costs only where it lives: a join compares the new path with each kept one, a test refines each kept
/// path, and an operation that touches request facts drops the split (the paths are not stepped).
/// </remarks>
internal sealed class JoinedPaths
{
    /// <summary>The most paths kept apart at one point.</summary>
    public const int Cap = 8;

    /// <summary>More paths met than are kept: the joined state alone.</summary>
    public static readonly JoinedPaths TooMany = new(Array.Empty<RequestState>());

    private JoinedPaths(RequestState[] paths) => Paths = paths;

    /// <summary>Each path's state (none for <see cref="TooMany"/>); no path has a split of its own.</summary>
    public RequestState[] Paths { get; }

    public bool IsTooMany => ReferenceEquals(this, TooMany);

    /// <summary>
    /// The paths of a join of <paramref name="left"/> and <paramref name="right"/>: the kept paths of each side (a side
    /// without a split is one path). Null when neither side is split and a split would tell a test nothing: no tested
    /// local or pending outcome on either side, or the same request facts and outcomes on both.
    /// </summary>
    public static JoinedPaths? Join(RequestState left, RequestState right)
    {
        if (left.Paths is { IsTooMany: true } || right.Paths is { IsTooMany: true })
        {
            return TooMany;
        }

        if (left.Paths is null && right.Paths is null && !WorthSplitting(left, right))
        {
            return null;
        }

        // The right side's paths not kept already are added; nothing is allocated when there is none.
        var leftPaths = left.Paths?.Paths;
        var rightPaths = right.Paths?.Paths;
        var leftCount = leftPaths?.Length ?? 1;
        var rightCount = rightPaths?.Length ?? 1;
        RequestState[]? merged = null;
        var count = leftCount;
        for (var i = 0; i < rightCount; i++)
        {
            var path = rightPaths is null ? right : rightPaths[i];
            var kept = merged is not null ? IndexOf(merged, count, path) >= 0
                : leftPaths is not null ? IndexOf(leftPaths, leftCount, path) >= 0
                : SameFacts(left, path);
            if (kept)
            {
                continue;
            }

            if (count == Cap)
            {
                return TooMany;
            }

            if (merged is null)
            {
                merged = new RequestState[Math.Min(Cap, leftCount + rightCount - i)];
                if (leftPaths is null)
                {
                    merged[0] = left;
                }
                else
                {
                    Array.Copy(leftPaths, merged, leftCount);
                }
            }

            merged[count++] = path;
        }

        if (merged is null)
        {
            return left.Paths; // every path of the right side is kept already (or both sides are one path)
        }

        if (count < merged.Length)
        {
            Array.Resize(ref merged, count);
        }

        return new JoinedPaths(merged);
    }

    /// <summary>The paths after a test: those on which it can hold, refined (null when fewer than two are left).</summary>
    public static JoinedPaths? Of(RequestState[] paths, int count)
    {
        if (count < 2)
        {
            return null;
        }

        if (count < paths.Length)
        {
            Array.Resize(ref paths, count);
        }

        return new JoinedPaths(paths);
    }

    /// <summary>
    /// Every path changed the same way (a local assigned, a constant stored in a flag); this instance when none changed.
    /// </summary>
    public JoinedPaths Map<TArgument>(Func<RequestState, TArgument, RequestState> change, TArgument argument)
    {
        if (IsTooMany)
        {
            return this;
        }

        RequestState[]? changed = null;
        for (var i = 0; i < Paths.Length; i++)
        {
            var next = change(Paths[i], argument);
            if (changed is null && ReferenceEquals(next, Paths[i]))
            {
                continue;
            }

            if (changed is null)
            {
                changed = new RequestState[Paths.Length];
                Array.Copy(Paths, changed, i);
            }

            changed[i] = next;
        }

        return changed is null ? this : new JoinedPaths(changed);
    }

    public static bool AreEqual(JoinedPaths? left, JoinedPaths? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.IsTooMany || right.IsTooMany || left.Paths.Length != right.Paths.Length)
        {
            return false;
        }

        foreach (var path in left.Paths)
        {
            if (IndexOf(right.Paths, right.Paths.Length, path) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A split can tell a later test something only when a tested local or a pending outcome is known on some side and
    /// the sides' request facts or outcomes differ.
    /// </summary>
    private static bool WorthSplitting(RequestState left, RequestState right)
    {
        if (left.Branches.IsEmpty && right.Branches.IsEmpty && left.Outcomes.IsEmpty && right.Outcomes.IsEmpty)
        {
            return false;
        }

        return !FactMap<RequestFacts>.AreEqual(left.Lifetime, right.Lifetime, RequestFactsLattice.Instance) ||
            !FactMap<HandOffOutcome?>.AreEqual(left.Outcomes, right.Outcomes, HandOffOutcomeLattice.Instance);
    }

    private static int IndexOf(RequestState[] paths, int count, RequestState path)
    {
        for (var i = 0; i < count; i++)
        {
            if (SameFacts(paths[i], path))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Two paths a test cannot tell apart: the same request facts, tested locals and pending outcomes.</summary>
    private static bool SameFacts(RequestState left, RequestState right) =>
        ReferenceEquals(left, right) ||
        (FactMap<RequestFacts>.AreEqual(left.Lifetime, right.Lifetime, RequestFactsLattice.Instance) &&
         FactMap<HandOffOutcome?>.AreEqual(left.Outcomes, right.Outcomes, HandOffOutcomeLattice.Instance) &&
         RequestState.SameBranches(left, right));
}
