using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A forward domain over one <see cref="FactMap{TFact}"/> of "must" facts (<see cref="MustLattice{TFact}"/>) that an
/// analysis defines one operation at a time: <see cref="Step"/> sees every operation of a root operation in evaluation
/// order (walked once per root into a reused list, each step charged to the <see cref="WorkMeter"/>), with the basic
/// block it is in (for try regions). <see cref="Replay"/> gives a rule each reached operation with the state just
/// before it, so a finding inside a larger statement sees what the statement did before it.
/// </summary>
internal abstract class MustFactDomain<TFact> : IDataflowDomain<MustState<TFact>>
    where TFact : class, IEquatable<TFact>
{
    private readonly Dictionary<IOperation, BasicBlock> _blockOfRoot = new();

    protected MustFactDomain(ControlFlowGraph graph, MustLattice<TFact> lattice)
    {
        Graph = graph;
        Lattice = lattice;
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                _blockOfRoot[operation] = block;
            }

            if (block.BranchValue is { } branchValue)
            {
                _blockOfRoot[branchValue] = block;
            }
        }
    }

    public ControlFlowGraph Graph { get; }

    public MustLattice<TFact> Lattice { get; }

    public virtual MustState<TFact> Entry => MustState<TFact>.Empty;

    public MustState<TFact> Unreached => MustState<TFact>.Unreached;

    public MustState<TFact> Join(MustState<TFact> left, MustState<TFact> right) => MustState<TFact>.Join(left, right, Lattice);

    public bool AreEqual(MustState<TFact> left, MustState<TFact> right) => MustState<TFact>.AreEqual(left, right, Lattice);

    public MustState<TFact> Transfer(MustState<TFact> state, IOperation operation, CancellationToken cancellationToken)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        var block = BlockOf(operation);
        var order = RootWalks.Of(operation).Order;
        WorkMeter.Steps(order.Length);
        var facts = state.Facts;
        foreach (var op in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            facts = Step(facts, op, block);
        }

        return state.With(facts);
    }

    public MustState<TFact> AssumeCondition(MustState<TFact> state, IOperation condition, bool whenTrue) =>
        state.IsUnreached ? state : state.With(Assume(state.Facts, condition, whenTrue));

    /// <summary>The facts after <paramref name="operation"/>, one operation of a root operation in <paramref name="block"/>.</summary>
    protected abstract FactMap<TFact> Step(FactMap<TFact> facts, IOperation operation, BasicBlock? block);

    /// <summary>Refines the facts on a conditional edge; the default learns nothing.</summary>
    protected virtual FactMap<TFact> Assume(FactMap<TFact> facts, IOperation condition, bool whenTrue) => facts;

    /// <summary>The fact at <paramref name="location"/>, or null (also for no location).</summary>
    public static TFact? FactAt(FactMap<TFact> facts, TrackedLocation? location) =>
        location is not null && facts.TryGetValue(location, out var fact) ? fact : null;

    /// <summary>Sets (or, for null, removes) the fact at <paramref name="location"/>.</summary>
    protected FactMap<TFact> Set(FactMap<TFact> facts, TrackedLocation? location, TFact? fact) =>
        location is null ? facts : fact is null ? facts.Remove(location) : facts.SetItem(location, fact, Lattice);

    protected BasicBlock? BlockOf(IOperation root) => _blockOfRoot.TryGetValue(root, out var block) ? block : null;

    /// <summary>
    /// Calls <paramref name="visit"/> with every operation a solved <paramref name="result"/> reaches (evaluation order
    /// within each root operation), the facts just before it, and its block. Nothing when the solver did not converge.
    /// </summary>
    public void Replay(
        DataflowResult<MustState<TFact>> result, Action<IOperation, FactMap<TFact>, BasicBlock?> visit, CancellationToken cancellationToken)
    {
        if (!result.Converged)
        {
            return;
        }

        result.ReplaySteps(
            (root, before) =>
            {
                if (before.IsUnreached)
                {
                    return before;
                }

                var block = BlockOf(root);
                var facts = before.Facts;
                foreach (var op in RootWalks.Of(root).Order)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    visit(op, facts, block);
                    facts = Step(facts, op, block);
                }

                return before.With(facts);
            },
            cancellationToken);
    }
}
