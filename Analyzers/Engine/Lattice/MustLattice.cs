using System;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lattice of "must" facts: what holds on every path. An entry on one side of a join only is dropped (unless the
/// analysis marks its fact as a "may" fact, <see cref="HoldsOnSomePath"/>: a possibly pending send survives a path that
/// never sent); two different facts for one location join through <see cref="JoinDifferent"/>, which may drop the
/// entry (null). Facts compare with <see cref="IEquatable{T}.Equals(T)"/>.
/// </summary>
internal abstract class MustLattice<TFact> : FactLattice<TFact>
    where TFact : class, IEquatable<TFact>
{
    public override bool AbsentKeepsFacts => false;

    public override bool AreEqual(TFact left, TFact right) => ReferenceEquals(left, right) || left.Equals(right);

    public override TFact Join(TFact left, TFact right) =>
        AreEqual(left, right) ? left : JoinDifferent(left, right)!;

    public override bool JoinWithAbsent(TFact fact, out TFact joined)
    {
        joined = fact;
        return HoldsOnSomePath(fact);
    }

    public override bool IsAbsent(TFact fact) => fact is null;

    /// <summary>The fact where two paths with different facts meet; null drops the location (nothing known).</summary>
    protected abstract TFact? JoinDifferent(TFact left, TFact right);

    /// <summary>True for a "may" fact, kept where only one of two joining paths has it. Default: none.</summary>
    protected virtual bool HoldsOnSomePath(TFact fact) => false;
}

/// <summary>A state of one <see cref="FactMap{TFact}"/> under a <see cref="MustLattice{TFact}"/>, or unreached code.</summary>
internal sealed class MustState<TFact>
    where TFact : class, IEquatable<TFact>
{
    public static readonly MustState<TFact> Unreached = new(null);

    public static readonly MustState<TFact> Empty = new(FactMap<TFact>.Empty);

    private MustState(FactMap<TFact>? facts) => Facts = facts ?? FactMap<TFact>.Empty;

    public bool IsUnreached => ReferenceEquals(this, Unreached);

    public FactMap<TFact> Facts { get; }

    /// <summary>The fact at <paramref name="location"/>, or null.</summary>
    public TFact? Get(TrackedLocation? location) =>
        location is not null && Facts.TryGetValue(location, out var fact) ? fact : null;

    /// <summary>This state with <paramref name="facts"/>; this instance when nothing changed (and for unreached code).</summary>
    public MustState<TFact> With(FactMap<TFact> facts) =>
        IsUnreached || ReferenceEquals(facts, Facts) ? this : new MustState<TFact>(facts);

    public static MustState<TFact> Join(MustState<TFact> left, MustState<TFact> right, MustLattice<TFact> lattice) =>
        left.IsUnreached ? right
        : right.IsUnreached ? left
        : left.With(FactMap<TFact>.Join(left.Facts, right.Facts, lattice));

    public static bool AreEqual(MustState<TFact> left, MustState<TFact> right, MustLattice<TFact> lattice) =>
        ReferenceEquals(left, right) ||
        (!left.IsUnreached && !right.IsUnreached && FactMap<TFact>.AreEqual(left.Facts, right.Facts, lattice));
}
