using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// How allocations, frees, uses, NULL assignments and NULL checks change <see cref="PoolState"/>. Followed: every
/// location (<see cref="TrackedLocation"/>: variable, field or context path) of type <c>PVOID</c>, <c>PMDL</c> or
/// <c>WDFMEMORY</c>. A copy (<c>q = p</c>, <c>q = p + 4</c>, <c>WdfMemoryGetBuffer(memory)</c>) shares the block's
/// facts; freeing one copy frees every location known to hold the same allocation. A call of the driver's own code may
/// change any field (members are forgotten) and may free or use what it is given (its summary, to
/// <c>driverbuffers.helper_depth</c> levels).
/// </summary>
internal sealed class PoolDomain : IDataflowDomain<PoolState>, IIncrementalJoin<PoolState>
{
    private readonly PoolAnalysisContext _context;
    private readonly ControlFlowGraph _graph;
    private readonly EngineOptions _options;
    private readonly int _depth;
    private readonly ImmutableHashSet<IMethodSymbol> _visiting;
    private readonly CancellationToken _cancellationToken;
    private readonly InitializerStores _initializers = new();
    private readonly CaptureSources _captures;

    public PoolDomain(
        PoolAnalysisContext context, ControlFlowGraph graph, EngineOptions options, int depth, ImmutableHashSet<IMethodSymbol> visiting,
        PoolState entry, CancellationToken cancellationToken)
    {
        _context = context;
        _graph = graph;
        _options = options;
        _depth = depth;
        _visiting = visiting;
        Entry = entry;
        _cancellationToken = cancellationToken;
        _captures = new CaptureSources(value => CaptureSources.IsCapture(value) ? null : TrackedLocation.TryCreate(PoolCalls.WithoutConversions(value), context.Catalog.ContextTypes));
    }

    public PoolState Entry { get; }

    public PoolState Unreached => PoolState.Unreached;

    public PoolState Join(PoolState left, PoolState right) => PoolState.Join(left, right);

    public bool AreEqual(PoolState left, PoolState right) => PoolState.AreEqual(left, right);

    public bool TryJoinChanges(PoolState joined, PoolState previous, PoolState next, out PoolState result)
    {
        result = PoolState.JoinChanges(joined, previous, next)!;
        return result is not null;
    }

    public PoolState Transfer(PoolState state, IOperation operation, CancellationToken cancellationToken) => Process(state, operation, null);

    /// <summary>Applies the operations of <paramref name="root"/> in evaluation order, telling <paramref name="observer"/> each free and use.</summary>
    public PoolState Process(PoolState state, IOperation root, PoolObserver? observer)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        var order = RootWalks.Of(root).Order;
        WorkMeter.Steps(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            switch (order[i])
            {
                case IAssignmentOperation assignment:
                    state = Assign(state, assignment);
                    break;
                case IInvocationOperation invocation:
                    state = Invoke(state, invocation, observer);
                    break;
                case IFlowCaptureOperation capture:
                    _captures.Note(capture);
                    break;
            }
        }

        return state;
    }

    public PoolState AssumeCondition(PoolState state, IOperation condition, bool whenTrue)
    {
        condition = PoolCalls.WithoutConversions(condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            whenTrue = !whenTrue;
            condition = PoolCalls.WithoutConversions(not.Operand);
        }

        if (state.IsUnreached ||
            condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison)
        {
            return state;
        }

        var api = _context.Catalog.Api;
        var block = Tracked(comparison.LeftOperand) ?? Tracked(comparison.RightOperand);
        if (block is null || !(PoolCalls.IsNull(api, comparison.LeftOperand) || PoolCalls.IsNull(api, comparison.RightOperand)))
        {
            return state;
        }

        var isNull = (comparison.OperatorKind == BinaryOperatorKind.Equals) == whenTrue;
        return isNull ? state.Set(block, PoolFact.NullPointer) : state.Set(block, state.Get(block).Remove(PoolFact.NullPointer));
    }

    /// <summary>The followed location <paramref name="operation"/> reads or writes (through conversions and flow captures), or null.</summary>
    public TrackedLocation? Tracked(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        operation = PoolCalls.WithoutConversions(operation);
        if (CaptureSources.IsCapture(operation))
        {
            return _captures.Of(operation) is { } captured && _context.IsBlockType(captured.Type) ? captured : null;
        }

        var location = TrackedLocation.TryCreate(operation, _context.Catalog.ContextTypes);
        return location is not null && _context.IsBlockType(location.Type) ? location : null;
    }

    private PoolState Assign(PoolState state, IAssignmentOperation assignment)
    {
        // x = new T { ... } spills x: #0 = x; #1 = new T(); ...; #0 = #1. The assignment writes x.
        var assigned = CaptureSources.IsCapture(assignment.Target)
            ? _captures.Of(assignment.Target)
            : TrackedLocation.TryCreate(assignment.Target, _context.Catalog.ContextTypes);
        if (assigned is not { } target)
        {
            return state;
        }

        state = state.KillDependents(target);
        if (!_context.IsBlockType(target.Type))
        {
            // entry = #0 after #0.Block = block; #0.Inner = block + 48 (an object initializer): entry.Block, entry.Inner.
            return InitializedMembers(state, _initializers.HandedTo(assignment.Value, target));
        }

        _initializers.Note(target);

        if (assignment is not ISimpleAssignmentOperation simple)
        {
            return state.Forget(target);
        }

        var value = PoolCalls.WithoutConversions(simple.Value);
        if (value is IInvocationOperation invocation && _context.Catalog.Has(invocation.TargetMethod, DdiRole.AllocatesBlock))
        {
            return state.Set(target, new PoolFact(PoolFactKind.Allocated, invocation, TagOf(invocation)));
        }

        if (PoolCalls.IsNull(_context.Catalog.Api, value))
        {
            return state.Set(target, PoolFact.NullPointer);
        }

        if (SourceOf(value) is not { } source)
        {
            return state.Forget(target);
        }

        var facts = FactsOf(state, source);
        return state.Set(target, facts).ShareBlocks(facts, source, target);
    }

    /// <summary>The block members an object initializer stored through a capture, now members of <paramref name="target"/> too.</summary>
    private static PoolState InitializedMembers(PoolState state, IReadOnlyList<(TrackedLocation Stored, TrackedLocation Member)> handed)
    {
        foreach (var (stored, member) in handed)
        {
            var facts = state.Get(stored);
            if (!facts.IsEmpty)
            {
                state = state.Set(member, facts).ShareBlocks(facts, stored, member);
            }
        }

        return state;
    }

    /// <summary>
    /// The facts of <paramref name="location"/>; for a field or property path this function knows nothing about, the
    /// allocations stored into that member anywhere in the driver (<see cref="FieldPoolTags"/>).
    /// </summary>
    private ImmutableHashSet<PoolFact> FactsOf(PoolState state, TrackedLocation location)
    {
        var facts = state.Get(location);
        return facts.IsEmpty && location.IsMember ? _context.FieldTags.Of(location, _cancellationToken) : facts;
    }

    /// <summary>The block a value comes from: a copy, a pointer into it (<c>p + offset</c>), the buffer of a memory object.</summary>
    private TrackedLocation? SourceOf(IOperation value)
    {
        switch (value)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } offset:
                return Tracked(offset.LeftOperand);
            case IInvocationOperation invocation when _context.Catalog.Has(invocation.TargetMethod, DdiRole.DerivesFromArgument):
                return invocation.Arguments.Length > 0 ? Tracked(invocation.Arguments[0].Value) : null;
            default:
                return Tracked(value);
        }
    }

    private PoolState Invoke(PoolState state, IInvocationOperation invocation, PoolObserver? observer)
    {
        var method = invocation.TargetMethod;
        var catalog = _context.Catalog;
        var roles = catalog.RolesOf(method);
        if ((roles & DdiRole.Frees) != 0 && FreedArgument(invocation, roles, out var kind) is { } freedArgument)
        {
            UseArguments(state, invocation, freedArgument, observer);
            if (Tracked(freedArgument.Value) is { } block)
            {
                var facts = FactsOf(state, block);
                if (observer is not null)
                {
                    var tag = roles.HasFlag(DdiRole.FreesPool) ? PoolCalls.Argument(invocation, 1)?.Value : null;
                    observer.OnFree(new PoolFreeEvent(
                        invocation, kind, block, freedArgument.Value, facts,
                        tag?.ConstantValue is { HasValue: true, Value: uint value } ? value : null, tag, null, byHelper: false));
                }

                state = MarkFreed(state, block, facts, invocation);
            }

            return state;
        }

        if (catalog.IsDdi(method))
        {
            UseArguments(state, invocation, null, observer);
            return Written(state, invocation, (roles & DdiRole.CreatesMemory) != 0);
        }

        if (_context.IsApiMember(method))
        {
            // An accessor of the API's own types (PVOID.Write, Read, CopyFrom, CopyTo, ...) uses its receiver.
            if (observer is not null && Tracked(invocation.Instance) is { } receiver)
            {
                observer.OnUse(new PoolUseEvent(invocation, receiver, invocation.Instance!, state.Get(receiver), null));
            }

            UseArguments(state, invocation, null, observer);
            return Written(state, invocation, allocates: false);
        }

        if (!_context.IsDriverCode(method, invocation) || catalog.ContextTypeOf(invocation) is not null)
        {
            // Not the driver's code, or a context accessor (GetDeviceContext(device)): changes no field.
            return Written(state, invocation, allocates: false);
        }

        // The driver's own code: a helper may free or use what it is given, and may change any field.
        var freedByHelper = new List<TrackedLocation>();
        if (_context.Summaries.Get(method, _graph, _options, _depth, _visiting, _cancellationToken) is { } summary)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is not { } parameter || Tracked(argument.Value) is not { } block)
                {
                    continue;
                }

                if (summary.Frees(parameter.Ordinal, out var helperFree))
                {
                    observer?.OnFree(new PoolFreeEvent(
                        invocation, helperFree.Kind, block, argument.Value, state.Get(block), helperFree.Tag, null, helperFree.TagText, byHelper: true));
                    freedByHelper.Add(block);
                }
                else if (summary.Uses(parameter.Ordinal))
                {
                    observer?.OnUse(new PoolUseEvent(invocation, block, argument.Value, state.Get(block), method.Name));
                }
            }
        }

        var before = state;
        state = ForgetMembersTheCallMayChange(Written(state, invocation, allocates: false), invocation);
        foreach (var block in freedByHelper)
        {
            state = MarkFreed(state, block, before.Get(block), invocation);
        }

        return state;
    }

    /// <summary>
    /// A call of the driver's own code may change any field, except a field that no function but this one writes on an
    /// existing object (<see cref="MemberWriters"/>: a pointer into a block set by an object initializer, a block kept
    /// in a field only this function assigns), read through a holder the call cannot replace (a local or parameter of a
    /// class type not passed by reference, <c>this</c>, a typed context). The others are forgotten.
    /// </summary>
    private PoolState ForgetMembersTheCallMayChange(PoolState state, IInvocationOperation invocation)
    {
        if (state.Members.IsEmpty)
        {
            return state;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: not RefKind.None })
            {
                return state.ForgetMembers();
            }
        }

        var function = _graph.OriginalOperation.Syntax;
        var writers = MemberWriters.For(_context.Session);
        return state.ForgetMembers(location => IsFixedHolder(location) && AllWrittenOnlyHere(location, function, writers));
    }

    private static bool IsFixedHolder(TrackedLocation location) => location.Root switch
    {
        LocationRoot.This or LocationRoot.Context => true,
        LocationRoot.Local or LocationRoot.Parameter => location.RootSymbol switch
        {
            ILocalSymbol local => local.Type.IsReferenceType && local.RefKind == RefKind.None,
            IParameterSymbol parameter => parameter.Type.IsReferenceType && parameter.RefKind == RefKind.None,
            _ => false,
        },
        _ => false,
    };

    private bool AllWrittenOnlyHere(TrackedLocation location, SyntaxNode function, MemberWriters writers)
    {
        foreach (var member in location.Members)
        {
            if (!writers.IsWrittenOnlyIn(member, function, _cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The argument a freeing DDI frees, and what it is.</summary>
    private static IArgumentOperation? FreedArgument(IInvocationOperation invocation, DdiRole roles, out FreeKind kind)
    {
        if ((roles & DdiRole.FreesLookasideEntry) != 0)
        {
            kind = FreeKind.LookasideEntry;
            return PoolCalls.Argument(invocation, 1);
        }

        kind = (roles & DdiRole.FreesPool) != 0 ? FreeKind.Pool : (roles & DdiRole.FreesMdl) != 0 ? FreeKind.Mdl : FreeKind.Object;
        return PoolCalls.Argument(invocation, 0);
    }

    /// <summary>
    /// The block is freed at <paramref name="free"/>: its location, and every other location known to hold one of the
    /// same allocations (an alias), now hold a freed block.
    /// </summary>
    private PoolState MarkFreed(PoolState state, TrackedLocation block, ImmutableHashSet<PoolFact> facts, IInvocationOperation free)
    {
        var freed = new PoolFact(PoolFactKind.Freed, free, null);
        var origins = new List<IInvocationOperation>();
        foreach (var fact in facts)
        {
            if (fact.Kind == PoolFactKind.Allocated && fact.Site is not null)
            {
                origins.Add(fact.Site);
            }
        }

        foreach (var origin in origins)
        {
            foreach (var holder in state.HoldersOf(origin))
            {
                var held = state.Get(holder);
                if (holder.Equals(block) || held.IsEmpty)
                {
                    continue;
                }

                var updated = held;
                foreach (var fact in held)
                {
                    if (fact.Kind == PoolFactKind.Allocated && ReferenceEquals(fact.Site, origin))
                    {
                        updated = updated.Remove(fact).Add(new PoolFact(PoolFactKind.Freed, free, null, origin));
                    }
                }

                if (!ReferenceEquals(updated, held))
                {
                    state = state.Set(holder, updated);
                }
            }
        }

        return state.Set(block, freed);
    }

    /// <summary>Tells the observer each block a call is given by value (other than <paramref name="except"/>).</summary>
    private void UseArguments(PoolState state, IInvocationOperation invocation, IArgumentOperation? except, PoolObserver? observer)
    {
        if (observer is null)
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (ReferenceEquals(argument, except) || argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref ||
                Tracked(argument.Value) is not { } block)
            {
                continue;
            }

            observer.OnUse(new PoolUseEvent(invocation, block, argument.Value, state.Get(block), null));
        }
    }

    /// <summary>What a call writes through <c>ref</c> and <c>out</c> arguments: a new object when it <paramref name="allocates"/>, else unknown.</summary>
    private PoolState Written(PoolState state, IInvocationOperation invocation, bool allocates)
    {
        TrackedLocation? created = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is not (RefKind.Ref or RefKind.Out) ||
                TrackedLocation.TryCreate(argument.Value, _context.Catalog.ContextTypes) is not { } written)
            {
                continue;
            }

            state = state.Forget(written);
            if (allocates && argument.Parameter.RefKind == RefKind.Out && _context.IsBlockType(written.Type))
            {
                // WdfMemoryCreate's memory object and its buffer: one block, ended by deleting the object.
                var facts = ImmutableHashSet.Create(new PoolFact(PoolFactKind.Allocated, invocation, TagOf(invocation)));
                state = state.Set(written, facts);
                state = created is null ? state : state.ShareBlocks(facts, created, written);
                created = written;
            }
        }

        return state;
    }

    private uint? TagOf(IInvocationOperation invocation)
    {
        var ordinal = PoolCalls.TagOrdinal(_context.Catalog, invocation.TargetMethod);
        return ordinal >= 0 && PoolCalls.Argument(invocation, ordinal)?.Value.ConstantValue is { HasValue: true, Value: uint constant }
            ? constant
            : null;
    }
}
