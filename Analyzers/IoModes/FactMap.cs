using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// A must-state for the I/O-mode rules: what holds on every path, as a map from a tracked key (a local or
/// parameter symbol, or a rule-defined key) to one fact (a domain may mark some facts as may-facts, kept where
/// only one path has them). A key missing from the map is unknown, and the rules
/// stay silent about unknown values. <see cref="Unreached"/> is the identity of <see cref="Join"/>.
/// The lattice has finite height (keys only disappear at joins), so the solver reaches a fixed point.
/// </summary>
internal sealed class FactMap<TFact>
    where TFact : class, IEquatable<TFact>
{
    private static readonly ImmutableDictionary<object, TFact> EmptyMap =
        ImmutableDictionary.Create<object, TFact>(KeyComparer.Instance);

    private readonly ImmutableDictionary<object, TFact>? _facts;

    private FactMap(ImmutableDictionary<object, TFact>? facts) => _facts = facts;

    public static FactMap<TFact> Unreached { get; } = new(null);

    public static FactMap<TFact> Empty { get; } = new(EmptyMap);

    public bool IsUnreached => _facts is null;

    public IEnumerable<KeyValuePair<object, TFact>> Facts =>
        (IEnumerable<KeyValuePair<object, TFact>>?)_facts ?? Array.Empty<KeyValuePair<object, TFact>>();

    public TFact? Get(object? key) =>
        key is not null && _facts is not null && _facts.TryGetValue(key, out var fact) ? fact : null;

    public FactMap<TFact> Set(object key, TFact fact) =>
        _facts is null ? this : new FactMap<TFact>(_facts.SetItem(key, fact));

    public FactMap<TFact> Remove(object? key) =>
        key is null || _facts is null || !_facts.ContainsKey(key) ? this : new FactMap<TFact>(_facts.Remove(key));

    /// <summary>Removes every key whose fact matches <paramref name="predicate"/>.</summary>
    public FactMap<TFact> RemoveWhere(Func<object, TFact, bool> predicate)
    {
        if (_facts is null)
        {
            return this;
        }

        var builder = _facts.ToBuilder();
        foreach (var pair in _facts)
        {
            if (predicate(pair.Key, pair.Value))
            {
                builder.Remove(pair.Key);
            }
        }

        return builder.Count == _facts.Count ? this : new FactMap<TFact>(builder.ToImmutable());
    }

    /// <summary>
    /// The facts that hold on both paths: a key present on both sides keeps <paramref name="joinFacts"/> of its two
    /// facts (null drops it); a key present on one side only is dropped, unless <paramref name="keepAlone"/> says
    /// its fact is a may-fact (true when it holds on some path).
    /// </summary>
    public FactMap<TFact> Join(FactMap<TFact> other, Func<TFact, TFact, TFact?> joinFacts, Func<TFact, bool>? keepAlone = null)
    {
        if (_facts is null)
        {
            return other;
        }

        if (other._facts is null)
        {
            return this;
        }

        var builder = EmptyMap.ToBuilder();
        foreach (var pair in _facts)
        {
            if (other._facts.TryGetValue(pair.Key, out var theirs))
            {
                var joined = pair.Value.Equals(theirs) ? pair.Value : joinFacts(pair.Value, theirs);
                if (joined is not null)
                {
                    builder[pair.Key] = joined;
                }
            }
            else if (keepAlone?.Invoke(pair.Value) == true)
            {
                builder[pair.Key] = pair.Value;
            }
        }

        if (keepAlone is not null)
        {
            foreach (var pair in other._facts)
            {
                if (!_facts.ContainsKey(pair.Key) && keepAlone(pair.Value))
                {
                    builder[pair.Key] = pair.Value;
                }
            }
        }

        return new FactMap<TFact>(builder.ToImmutable());
    }

    public bool IsSameAs(FactMap<TFact> other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_facts is null || other._facts is null)
        {
            return _facts is null && other._facts is null;
        }

        if (_facts.Count != other._facts.Count)
        {
            return false;
        }

        foreach (var pair in _facts)
        {
            if (!other._facts.TryGetValue(pair.Key, out var theirs) || !pair.Value.Equals(theirs))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Symbols compare with <see cref="SymbolEqualityComparer.Default"/>, everything else with <c>Equals</c>.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            x is ISymbol sx && y is ISymbol sy
                ? SymbolEqualityComparer.Default.Equals(sx, sy)
                : object.Equals(x, y);

        public int GetHashCode(object obj) =>
            obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
