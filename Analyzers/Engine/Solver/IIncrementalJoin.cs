namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A domain whose join can be computed from what changed between two states that reach the same block, one after the
/// other (optional, beside <see cref="IDataflowDomain{TState}"/>). Where many edges meet (the <c>goto</c>s of a cleanup
/// label, each taken a few operations after the last), joining each incoming state into the block's state walks
/// everything that differs between them, which grows with the edges met so far; the difference between two consecutive
/// incoming states does not. <see cref="ForwardDataflow"/> keeps the state last flowed into each block and asks here first.
/// </summary>
internal interface IIncrementalJoin<TState>
{
    /// <summary>
    /// <paramref name="joined"/> joined with <paramref name="next"/>, given that <paramref name="joined"/> already holds
    /// <paramref name="previous"/> (it was joined into it); false when the domain cannot tell cheaply (the solver then
    /// joins as usual). The lattice must be a semilattice: join associative, commutative and idempotent.
    /// </summary>
    bool TryJoinChanges(TState joined, TState previous, TState next, out TState result);
}
