using System;
using System.Collections;
using System.Collections.Generic;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// An immutable set of <see cref="Bound"/>s: the upper bounds of a number (<see cref="ValueFacts.Upper"/>) and the sizes a
/// buffer holds at least (<see cref="BufferFacts.AtLeast"/>). Most hold one to four bounds, and the size analysis makes a
/// new one at most operations it steps, so a set is a plain array in insertion order: adding to a small set copies a few
/// bounds, where a hash set built a tree of nodes, and enumerating it allocates nothing. Past
/// <see cref="IndexedFrom"/> bounds a lookup table is built once per set (sets that large are rare: the sizes a number is
/// compared with in a long method), so membership stays constant time and every operation stays linear in the sets'
/// sizes. An operation that changes nothing returns the same instance.
/// </summary>
internal sealed class BoundSet : IEnumerable<Bound>
{
    /// <summary>The size from which <see cref="Contains"/> uses a lookup table instead of a scan.</summary>
    private const int IndexedFrom = 12;

    public static readonly BoundSet Empty = new(Array.Empty<Bound>());

    private readonly Bound[] _bounds;
    private HashSet<Bound>? _index;

    private BoundSet(Bound[] bounds) => _bounds = bounds;

    public int Count => _bounds.Length;

    public bool IsEmpty => _bounds.Length == 0;

    public static BoundSet Create(Bound bound) => new(new[] { bound });

    /// <summary>The distinct bounds of <paramref name="bounds"/>, in their order.</summary>
    public static BoundSet From(IEnumerable<Bound> bounds) => Empty.Union(bounds);

    public bool Contains(Bound bound)
    {
        if (_bounds.Length >= IndexedFrom)
        {
            var index = _index ??= new HashSet<Bound>(_bounds);
            return index.Contains(bound);
        }

        foreach (var b in _bounds)
        {
            if (b.Equals(bound))
            {
                return true;
            }
        }

        return false;
    }

    public BoundSet Add(Bound bound)
    {
        if (Contains(bound))
        {
            return this;
        }

        var bounds = new Bound[_bounds.Length + 1];
        Array.Copy(_bounds, bounds, _bounds.Length);
        bounds[_bounds.Length] = bound;
        return new BoundSet(bounds);
    }

    public BoundSet Remove(Bound bound) => Contains(bound) ? Where(b => !b.Equals(bound)) : this;

    public BoundSet Union(BoundSet other)
    {
        if (other.IsEmpty || ReferenceEquals(other, this))
        {
            return this;
        }

        return IsEmpty ? other : Union((IEnumerable<Bound>)other);
    }

    public BoundSet Union(IEnumerable<Bound> other)
    {
        var builder = new Builder(this);
        foreach (var bound in other)
        {
            builder.Add(bound);
        }

        return builder.ToSet();
    }

    /// <summary>The bounds of this set that <paramref name="other"/> also has.</summary>
    public BoundSet Intersect(BoundSet other) => ReferenceEquals(other, this) ? this : Where(other.Contains);

    /// <summary>The bounds <paramref name="keep"/> accepts; the same instance when it accepts all.</summary>
    public BoundSet Where(Func<Bound, bool> keep) => Filter(keep, static (bound, test) => test(bound));

    /// <summary>
    /// The bounds that do not name <paramref name="assigned"/> nor a location made of it (<see cref="SizeLocations.DependsOn"/>);
    /// the same instance when none does. No delegate: asked on every assignment and kill.
    /// </summary>
    public BoundSet WithoutDependentsOf(Engine.TrackedLocation assigned) =>
        Filter(assigned, static (bound, location) => bound.Key is not { } key || !SizeLocations.DependsOn(key, location));

    /// <summary>
    /// The bounds <paramref name="keep"/> accepts given <paramref name="argument"/>; the same instance when it accepts all.
    /// The predicate is static and takes its argument, so a caller's filter allocates no closure.
    /// </summary>
    private BoundSet Filter<TArgument>(TArgument argument, Func<Bound, TArgument, bool> keep)
    {
        for (var i = 0; i < _bounds.Length; i++)
        {
            if (keep(_bounds[i], argument))
            {
                continue;
            }

            var kept = new List<Bound>(_bounds.Length - 1);
            for (var j = 0; j < i; j++)
            {
                kept.Add(_bounds[j]);
            }

            for (var j = i + 1; j < _bounds.Length; j++)
            {
                if (keep(_bounds[j], argument))
                {
                    kept.Add(_bounds[j]);
                }
            }

            return kept.Count == 0 ? Empty : new BoundSet(kept.ToArray());
        }

        return this;
    }

    /// <summary>True when <paramref name="test"/> holds for a bound of the set (no enumerator allocated).</summary>
    public bool Any(Func<Bound, bool> test)
    {
        foreach (var bound in _bounds)
        {
            if (test(bound))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The smallest constant bound; null when there is none.</summary>
    public ulong? SmallestConstant()
    {
        ulong? smallest = null;
        foreach (var bound in _bounds)
        {
            if (bound.IsConstant && (smallest is null || bound.Constant < smallest))
            {
                smallest = bound.Constant;
            }
        }

        return smallest;
    }

    public bool SetEquals(BoundSet other)
    {
        if (ReferenceEquals(other, this))
        {
            return true;
        }

        if (other.Count != Count)
        {
            return false;
        }

        foreach (var bound in _bounds)
        {
            if (!other.Contains(bound))
            {
                return false;
            }
        }

        return true;
    }

    public Enumerator GetEnumerator() => new(_bounds);

    IEnumerator<Bound> IEnumerable<Bound>.GetEnumerator() => ((IEnumerable<Bound>)_bounds).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _bounds.GetEnumerator();

    /// <summary>
    /// A set built by many additions (the sizes at least a constant, gathered from every buffer of a state): each added
    /// bound costs a lookup, and the set is copied once at the end, not once per addition.
    /// </summary>
    public sealed class Builder
    {
        private readonly BoundSet _start;
        private List<Bound>? _added;
        private HashSet<Bound>? _index;

        public Builder(BoundSet start) => _start = start;

        public void Add(Bound bound)
        {
            if (_start.Contains(bound))
            {
                return;
            }

            if (_added is null)
            {
                _added = new List<Bound> { bound };
                return;
            }

            if (_added.Count >= IndexedFrom || _index is not null)
            {
                if ((_index ??= new HashSet<Bound>(_added)).Add(bound))
                {
                    _added.Add(bound);
                }

                return;
            }

            if (!_added.Contains(bound))
            {
                _added.Add(bound);
            }
        }

        public void AddRange(BoundSet bounds)
        {
            foreach (var bound in bounds)
            {
                Add(bound);
            }
        }

        public BoundSet ToSet()
        {
            if (_added is null)
            {
                return _start;
            }

            var bounds = new Bound[_start.Count + _added.Count];
            Array.Copy(_start._bounds, bounds, _start.Count);
            _added.CopyTo(bounds, _start.Count);
            return new BoundSet(bounds);
        }
    }

    /// <summary>Enumerates the bounds without allocating (a <c>foreach</c> over the set uses it).</summary>
    public struct Enumerator
    {
        private readonly Bound[] _bounds;
        private int _index;

        internal Enumerator(Bound[] bounds)
        {
            _bounds = bounds;
            _index = -1;
        }

        public Bound Current => _bounds[_index];

        public bool MoveNext() => ++_index < _bounds.Length;
    }
}
