using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The evaluation order of a root operation (<see cref="OperationOrder.PostOrderWithChildren"/>) and the
/// number of children each operation pops: walked once per root.
/// </summary>
internal sealed class RootWalk
{
    private RootWalk(IOperation[] order, int[] children)
    {
        Order = order;
        Children = children;
    }

    /// <summary>The operations, children before their parent, left to right; nested function bodies not entered.</summary>
    public IOperation[] Order { get; }

    /// <summary>For each operation of <see cref="Order"/>, how many operations before it are its children.</summary>
    public int[] Children { get; }

    [ThreadStatic]
    private static (List<IOperation> Order, List<int> Children, Stack<(IOperation, int)> Stack)? t_scratch;

    /// <summary>Walks <paramref name="root"/> into this thread's reused lists: the walk allocates its two arrays only.</summary>
    public static RootWalk Of(IOperation root)
    {
        var (order, children, stack) = t_scratch ??= (new List<IOperation>(), new List<int>(), new Stack<(IOperation, int)>());
        OperationOrder.PostOrderWithChildren(root, order, children, stack);
        var walk = new RootWalk(order.ToArray(), children.ToArray());
        order.Clear(); // hold no operation of a compilation past the walk
        return walk;
    }
}

/// <summary>
/// The walks of one graph's root operations, shared by every domain solved or replayed over that graph (sizes, statuses,
/// requests, pool blocks, the must-fact domains: each walked every statement itself, twice, so a statement was walked
/// eight times or more). The graph being solved or replayed on this thread is ambient, as the <see cref="WorkMeter"/> is:
/// <see cref="ForwardDataflow"/> and <see cref="DataflowResult{TState}"/> enter it; a walk asked outside any is made and
/// not kept. Thread-safe: two domains of one body may run at once on two threads.
/// </summary>
internal sealed class RootWalks
{
    private static readonly ConditionalWeakTable<ControlFlowGraph, RootWalks> ByGraph = new();
    private static readonly ConditionalWeakTable<ControlFlowGraph, RootWalks>.CreateValueCallback NewWalks = _ => new RootWalks();

    [ThreadStatic]
    private static RootWalks? t_current;

    /// <summary>
    /// The walks made so far, under a lock (a concurrent dictionary allocated a node for every statement of every graph;
    /// this keeps its entries in one array).
    /// </summary>
    private readonly Dictionary<IOperation, RootWalk> _walks = new();

    /// <summary>Makes <paramref name="graph"/>'s walks the ambient ones until the scope is disposed (scopes nest).</summary>
    public static Scope Enter(ControlFlowGraph graph)
    {
        var previous = t_current;
        t_current = ByGraph.GetValue(graph, NewWalks);
        return new Scope(previous);
    }

    /// <summary>The walk of <paramref name="root"/>: kept with the ambient graph's walks, or made now when there is none.</summary>
    public static RootWalk Of(IOperation root)
    {
        var current = t_current;
        if (current is null)
        {
            return RootWalk.Of(root);
        }

        var walks = current._walks;
        lock (walks)
        {
            if (walks.TryGetValue(root, out var walk))
            {
                return walk;
            }
        }

        var made = RootWalk.Of(root);
        lock (walks)
        {
            // Another thread may have walked the same root meanwhile: every caller gets the same walk.
            if (walks.TryGetValue(root, out var walk))
            {
                return walk;
            }

            walks.Add(root, made);
            return made;
        }
    }

    /// <summary>Restores the ambient walks that were current before <see cref="Enter"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly RootWalks? _previous;

        public Scope(RootWalks? previous) => _previous = previous;

        public void Dispose() => t_current = _previous;
    }
}
