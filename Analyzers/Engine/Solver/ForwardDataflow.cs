using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// Solves a forward dataflow problem over a <see cref="ControlFlowGraph"/> with a worklist, until a fixed
/// point. Branches refine the state through <see cref="IDataflowDomain{TState}.AssumeCondition"/>. A branch that
/// leaves through <c>finally</c> regions flows through them and on to its destination; a block inside a
/// <c>try</c> also flows into the region's <c>catch</c> and filter handlers with the state before each of its
/// operations, since an exception may leave it at any of them. A <c>finally</c> is analyzed on the paths that reach it
/// normally (falling out of the try, <c>return</c>, <c>break</c>, <c>goto</c>); after an exception it rethrows, so
/// states from exceptional paths are not carried through it to the code after the try. Nothing recurses, so deep nesting
/// cannot overflow the stack.
/// </summary>
/// <remarks>
/// Cost: a state that reaches a block unchanged (the same instance) costs no join; a domain whose transfer returns the
/// same instance when an operation changes nothing (as <see cref="FactMap{TFact}"/>-based states do) therefore pays
/// nothing for the try-to-catch fan-out of operations that do not touch its facts. Every block visit and root operation
/// is charged to the ambient <see cref="WorkMeter"/>.
/// </remarks>
internal static class ForwardDataflow
{
    /// <summary>Guards against a domain whose lattice is not of finite height: blocks × this many visits at most.</summary>
    private const int MaxVisitsPerBlock = 64;

    public static DataflowResult<TState> Solve<TState>(
        ControlFlowGraph cfg, IDataflowDomain<TState> domain, CancellationToken cancellationToken)
    {
        using (RootWalks.Enter(cfg))
        {
            return SolveWithinGraph(cfg, domain, cancellationToken);
        }
    }

    private static DataflowResult<TState> SolveWithinGraph<TState>(
        ControlFlowGraph cfg, IDataflowDomain<TState> domain, CancellationToken cancellationToken)
    {
        var blocks = cfg.Blocks;
        var inStates = new TState[blocks.Length];
        var outStates = new TState[blocks.Length];
        for (var i = 0; i < blocks.Length; i++)
        {
            inStates[i] = domain.Unreached;
            outStates[i] = domain.Unreached;
        }

        // A graph without a finally has no branch through one: its branches' finally regions are not asked for (each
        // branch computes and keeps an array of the regions it leaves on the first question).
        var handlers = ExceptionHandlerEntries(cfg, out var hasFinally);
        var finallyExits = hasFinally ? FinallyContinuations(cfg) : null;

        var worklist = new BlockWorklist(blocks.Length);

        // The state last flowed into each block, for a domain that joins from what changed since (IIncrementalJoin).
        var incremental = domain as IIncrementalJoin<TState>;
        var lastFlowed = incremental is null ? null : new TState[blocks.Length];
        var flowedBefore = incremental is null ? null : new bool[blocks.Length];

        void Flow(int target, TState state)
        {
            var current = inStates[target];
            TState? previous = default;
            var hasPrevious = false;
            if (incremental is not null)
            {
                previous = lastFlowed![target];
                hasPrevious = flowedBefore![target];
                lastFlowed[target] = state;
                flowedBefore[target] = true;
            }

            if (ReferenceEquals(current, state))
            {
                return;
            }

            var joined = hasPrevious && incremental!.TryJoinChanges(current, previous!, state, out var changed)
                ? changed
                : domain.Join(current, state);
            if (!ReferenceEquals(joined, current) && !domain.AreEqual(joined, current))
            {
                inStates[target] = joined;
                worklist.Add(target);
            }
        }

        void FlowAlong(ControlFlowBranch? branch, TState state)
        {
            if (branch is null)
            {
                return;
            }

            if (hasFinally && !branch.FinallyRegions.IsEmpty)
            {
                // The first finally runs first; FinallyContinuations takes the state on from each finally's end.
                Flow(branch.FinallyRegions[0].FirstBlockOrdinal, state);
                return;
            }

            if (branch.Destination is { } destination)
            {
                Flow(destination.Ordinal, state);
            }
        }

        Action<int, TState> flow = Flow; // one delegate per solve, not one per visit of a block in a try
        inStates[0] = domain.Entry;
        worklist.Add(0);
        var budget = Math.Max(1, blocks.Length) * MaxVisitsPerBlock;
        var converged = true;

        while (worklist.TryTakeFirst(out var ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (--budget < 0)
            {
                converged = false;
                break;
            }

            var block = blocks[ordinal];
            WorkMeter.Blocks(1);
            var state = handlers is not null && handlers.TryGetValue(ordinal, out var handlerEntries)
                ? TransferBlockIntoHandlers(block, inStates[ordinal], domain, handlerEntries, flow, cancellationToken)
                : TransferBlock(block, inStates[ordinal], domain, cancellationToken);
            outStates[ordinal] = state;

            if (block.ConditionalSuccessor is { } conditional && block.BranchValue is { } condition)
            {
                var jumpsWhenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                FlowAlong(conditional, domain.AssumeCondition(state, condition, jumpsWhenTrue));
                FlowAlong(block.FallThroughSuccessor, domain.AssumeCondition(state, condition, !jumpsWhenTrue));
            }
            else
            {
                FlowAlong(block.FallThroughSuccessor, state);
            }

            if (finallyExits is not null && finallyExits.TryGetValue(ordinal, out var continuations))
            {
                foreach (var next in continuations)
                {
                    Flow(next, state);
                }
            }
        }

        return new DataflowResult<TState>(cfg, domain, inStates, outStates, converged);
    }

    /// <summary>The state after the block's operations and its branch value, before any condition is assumed.</summary>
    internal static TState TransferBlock<TState>(
        BasicBlock block, TState state, IDataflowDomain<TState> domain, CancellationToken cancellationToken)
    {
        WorkMeter.Operations(block.Operations.Length + (block.BranchValue is null ? 0 : 1));
        foreach (var operation in block.Operations)
        {
            state = domain.Transfer(state, operation, cancellationToken);
        }

        if (block.BranchValue is { } branchValue)
        {
            state = domain.Transfer(state, branchValue, cancellationToken);
        }

        return state;
    }

    /// <summary>
    /// <see cref="TransferBlock"/> for a block inside a <c>try</c>: an exception can leave it just before any of its
    /// operations (or its branch value), so the state before each of them flows into the handlers. The state after
    /// the last operation of a block without a branch value does not: nothing is left in the block to throw.
    /// </summary>
    private static TState TransferBlockIntoHandlers<TState>(
        BasicBlock block,
        TState state,
        IDataflowDomain<TState> domain,
        List<int> handlers,
        Action<int, TState> flow,
        CancellationToken cancellationToken)
    {
        WorkMeter.Operations(block.Operations.Length + (block.BranchValue is null ? 0 : 1));

        // The state before an operation that changed nothing is the instance already flowed: no join for it.
        object? flowed = null;
        void IntoHandlers(TState before)
        {
            if (flowed is not null && ReferenceEquals(flowed, before))
            {
                return;
            }

            flowed = before;
            foreach (var handler in handlers)
            {
                flow(handler, before);
            }
        }

        if (block.Operations.IsEmpty && block.BranchValue is null)
        {
            IntoHandlers(state);
            return state;
        }

        foreach (var operation in block.Operations)
        {
            IntoHandlers(state);
            state = domain.Transfer(state, operation, cancellationToken);
        }

        if (block.BranchValue is { } branchValue)
        {
            IntoHandlers(state);
            state = domain.Transfer(state, branchValue, cancellationToken);
        }

        return state;
    }

    /// <summary>
    /// For each block inside a <c>try</c>, the first blocks of the catch and filter handlers an exception thrown there
    /// can reach (null when the graph has no catch); and whether the graph has a <c>finally</c>. One walk of the regions.
    /// </summary>
    private static Dictionary<int, List<int>>? ExceptionHandlerEntries(ControlFlowGraph cfg, out bool hasFinally)
    {
        Dictionary<int, List<int>>? result = null;
        hasFinally = false;
        if (cfg.Root.NestedRegions.IsEmpty)
        {
            return null; // a body without locals, try or lambdas: nothing to walk
        }

        var regions = new Stack<ControlFlowRegion>();
        regions.Push(cfg.Root);
        while (regions.Count > 0)
        {
            var region = regions.Pop();
            foreach (var nested in region.NestedRegions)
            {
                regions.Push(nested);
            }

            hasFinally |= region.Kind == ControlFlowRegionKind.Finally;

            // Only catch and filter handlers: after an exception a finally rethrows, it does not go on to the code
            // after the try; flowing exceptional states into a finally would carry them on to that code as if the
            // try had completed normally (a lock statement would lose every fact established in its body).
            if (region.Kind != ControlFlowRegionKind.TryAndCatch || region.NestedRegions.Length < 2)
            {
                continue;
            }

            result ??= new Dictionary<int, List<int>>();
            var tryRegion = region.NestedRegions[0];
            for (var h = 1; h < region.NestedRegions.Length; h++)
            {
                var handlerEntry = region.NestedRegions[h].FirstBlockOrdinal;
                for (var b = tryRegion.FirstBlockOrdinal; b <= tryRegion.LastBlockOrdinal; b++)
                {
                    if (!result.TryGetValue(b, out var list))
                    {
                        result[b] = list = new List<int>();
                    }

                    list.Add(handlerEntry);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// For the last block of each <c>finally</c> region, where control goes when it ends: the next finally of a
    /// branch that leaves through several, or the branch's destination.
    /// </summary>
    private static Dictionary<int, HashSet<int>> FinallyContinuations(ControlFlowGraph cfg)
    {
        var result = new Dictionary<int, HashSet<int>>();
        foreach (var block in cfg.Blocks)
        {
            AddContinuations(block.FallThroughSuccessor, result);
            AddContinuations(block.ConditionalSuccessor, result);
        }

        return result;
    }

    private static void AddContinuations(ControlFlowBranch? branch, Dictionary<int, HashSet<int>> result)
    {
        if (branch is null || branch.FinallyRegions.IsEmpty)
        {
            return;
        }

        var finallies = branch.FinallyRegions;
        for (var i = 0; i < finallies.Length; i++)
        {
            int? next = i + 1 < finallies.Length
                ? finallies[i + 1].FirstBlockOrdinal
                : branch.Destination?.Ordinal;
            if (next is null)
            {
                continue;
            }

            var last = finallies[i].LastBlockOrdinal;
            if (!result.TryGetValue(last, out var set))
            {
                result[last] = set = new HashSet<int>();
            }

            set.Add(next.Value);
        }
    }
}
