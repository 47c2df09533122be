using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>Facts about a number, where paths meet: what both paths know (a "must" fact; no entry = nothing known).</summary>
internal sealed class ValueFactsLattice : FactLattice<ValueFacts>
{
    public static readonly ValueFactsLattice Instance = new();

    public override bool AreEqual(ValueFacts left, ValueFacts right) => ReferenceEquals(left, right) || left.Equals(right);

    public override ValueFacts Join(ValueFacts left, ValueFacts right) => ReferenceEquals(left, right) ? left : left.Join(right);

    public override bool JoinWithAbsent(ValueFacts fact, out ValueFacts joined)
    {
        joined = ValueFacts.None;
        return false;
    }

    public override bool AbsentKeepsFacts => false;

    public override bool AbsentDropsFacts => true;

    public override bool IsAbsent(ValueFacts fact) => fact.IsEmpty;
}

/// <summary>Facts about a buffer, where paths meet: what both paths know (<see cref="BufferFacts.Join"/>).</summary>
internal sealed class BufferFactsLattice : FactLattice<BufferFacts>
{
    public static readonly BufferFactsLattice Instance = new();

    public override bool AreEqual(BufferFacts left, BufferFacts right) => ReferenceEquals(left, right) || left.Equals(right);

    public override BufferFacts Join(BufferFacts left, BufferFacts right) =>
        ReferenceEquals(left, right) ? left : left.Join(right) ?? BufferFacts.None;

    public override bool JoinWithAbsent(BufferFacts fact, out BufferFacts joined)
    {
        joined = BufferFacts.None;
        return false;
    }

    public override bool AbsentKeepsFacts => false;

    public override bool AbsentDropsFacts => true;

    public override bool IsAbsent(BufferFacts fact) => ReferenceEquals(fact, BufferFacts.None);
}
