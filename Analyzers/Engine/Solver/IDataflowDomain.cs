using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// What a forward dataflow analysis knows and how operations change it. <see cref="ForwardDataflow"/>
/// solves a domain over a <see cref="ControlFlowGraph"/>; each rule supplies its own domain.
/// </summary>
/// <typeparam name="TState">
/// An immutable state. The lattice must have finite height (for example a map from tracked values to a
/// small set of facts), so that loops reach a fixed point.
/// </typeparam>
internal interface IDataflowDomain<TState>
{
    /// <summary>The state on entry to the method (or local function, or lambda).</summary>
    TState Entry { get; }

    /// <summary>The state of code not reached yet; the identity of <see cref="Join"/>.</summary>
    TState Unreached { get; }

    /// <summary>The state where two paths meet.</summary>
    TState Join(TState left, TState right);

    /// <summary>True when the two states hold the same facts.</summary>
    bool AreEqual(TState left, TState right);

    /// <summary>
    /// The state after <paramref name="operation"/>, a root operation of a basic block (a statement or a
    /// block's branch value), given the state before it.
    /// </summary>
    TState Transfer(TState state, IOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Refines the state on a conditional edge: <paramref name="condition"/> is the block's branch value
    /// (already transferred) and <paramref name="whenTrue"/> tells which outcome the edge stands for.
    /// Return <paramref name="state"/> when the condition tells nothing.
    /// </summary>
    TState AssumeCondition(TState state, IOperation condition, bool whenTrue);
}
