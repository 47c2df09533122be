using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Api;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>What may hold for a pool pointer at a program point (DRV034).</summary>
internal enum PoolFactKind
{
    /// <summary>Allocated at <see cref="PoolFact.Site"/> with <see cref="PoolFact.Tag"/> (null: untagged or not a constant).</summary>
    Allocated,

    /// <summary>Freed at <see cref="PoolFact.Site"/>.</summary>
    Freed,

    /// <summary>NULL (assigned NULL, or on the NULL side of a check).</summary>
    Null,

    /// <summary>The value a parameter had on entry (only when summarising a helper, see <see cref="PoolFreeSummaries"/>).</summary>
    Incoming,
}

/// <summary>One fact about a pool pointer: the allocation or free that produced it.</summary>
internal sealed class PoolFact : IEquatable<PoolFact>
{
    public static readonly PoolFact NullPointer = new(PoolFactKind.Null, null, null);

    public static readonly PoolFact IncomingValue = new(PoolFactKind.Incoming, null, null);

    public PoolFact(PoolFactKind kind, IInvocationOperation? site, uint? tag)
    {
        Kind = kind;
        Site = site;
        Tag = tag;
    }

    public PoolFactKind Kind { get; }

    /// <summary>The allocating or freeing call.</summary>
    public IInvocationOperation? Site { get; }

    public uint? Tag { get; }

    public bool Equals(PoolFact? other) =>
        other is not null && Kind == other.Kind && ReferenceEquals(Site, other.Site) && Tag == other.Tag;

    public override bool Equals(object? obj) => Equals(obj as PoolFact);

    public override int GetHashCode() => ((int)Kind * 397) ^ (Site?.GetHashCode() ?? 0);
}

/// <summary>
/// The DRV034 dataflow state: for each local or parameter of type <c>PVOID</c>, the set of facts that may hold
/// (a may-analysis: the join is the union, so "freed on some path" survives a merge). A variable without
/// an entry is unknown. Immutable.
/// </summary>
internal sealed class PoolFreeState
{
    public static readonly PoolFreeState Unreached = new(null);

    public static readonly PoolFreeState Empty =
        new(ImmutableDictionary.Create<ISymbol, ImmutableHashSet<PoolFact>>(SymbolEqualityComparer.Default));

    private PoolFreeState(ImmutableDictionary<ISymbol, ImmutableHashSet<PoolFact>>? facts) => Facts = facts;

    /// <summary>Null only for <see cref="Unreached"/>.</summary>
    public ImmutableDictionary<ISymbol, ImmutableHashSet<PoolFact>>? Facts { get; }

    public ImmutableHashSet<PoolFact> Get(ISymbol symbol) =>
        Facts is not null && Facts.TryGetValue(symbol, out var facts) ? facts : ImmutableHashSet<PoolFact>.Empty;

    public PoolFreeState Set(ISymbol symbol, ImmutableHashSet<PoolFact> facts)
    {
        var map = Facts ?? Empty.Facts!;
        return new PoolFreeState(facts.IsEmpty ? map.Remove(symbol) : map.SetItem(symbol, facts));
    }

    public PoolFreeState Set(ISymbol symbol, PoolFact fact) => Set(symbol, ImmutableHashSet.Create(fact));

    public PoolFreeState Forget(ISymbol symbol) => Set(symbol, ImmutableHashSet<PoolFact>.Empty);

    public static PoolFreeState Join(PoolFreeState left, PoolFreeState right)
    {
        if (left.Facts is null)
        {
            return right;
        }

        if (right.Facts is null)
        {
            return left;
        }

        var map = left.Facts;
        foreach (var entry in right.Facts)
        {
            map = map.SetItem(entry.Key, map.TryGetValue(entry.Key, out var existing) ? existing.Union(entry.Value) : entry.Value);
        }

        return new PoolFreeState(map);
    }

    public static bool AreEqual(PoolFreeState left, PoolFreeState right)
    {
        if (left.Facts is null || right.Facts is null)
        {
            return left.Facts is null && right.Facts is null;
        }

        if (left.Facts.Count != right.Facts.Count)
        {
            return false;
        }

        foreach (var entry in left.Facts)
        {
            if (!right.Facts.TryGetValue(entry.Key, out var other) || !other.SetEquals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A free of a tracked pointer (by a DDI or by a helper that frees its parameter), with the facts just before it.</summary>
internal readonly struct PoolFreeEvent
{
    public PoolFreeEvent(IInvocationOperation free, ISymbol pointer, ImmutableHashSet<PoolFact> facts, uint? tag, string? tagText, bool byHelper)
    {
        Free = free;
        Pointer = pointer;
        Facts = facts;
        Tag = tag;
        TagText = tagText;
        ByHelper = byHelper;
    }

    /// <summary>The freeing call: <c>ExFreePool*</c>, or the helper's call.</summary>
    public IInvocationOperation Free { get; }

    public ISymbol Pointer { get; }

    public ImmutableHashSet<PoolFact> Facts { get; }

    /// <summary>The constant tag given to <c>ExFreePoolWithTag</c>; null for <c>ExFreePool</c> or a tag not known.</summary>
    public uint? Tag { get; }

    /// <summary>The tag as written at the free.</summary>
    public string? TagText { get; }

    /// <summary>True when a helper method frees the pointer (see <see cref="PoolFreeSummaries"/>).</summary>
    public bool ByHelper { get; }
}

/// <summary>How allocations, frees, NULL assignments and NULL checks change <see cref="PoolFreeState"/>.</summary>
internal sealed class PoolFreeDomain : IDataflowDomain<PoolFreeState>
{
    private readonly DriverApi _api;
    private readonly PoolFreeSummaries? _summaries;
    private readonly int _helperBudget;

    /// <param name="api">The API of the compilation.</param>
    /// <param name="summaries">Helpers that free their parameters, followed at call sites; null to not follow them.</param>
    /// <param name="helperBudget">How many helper levels the calls of this body may still follow.</param>
    /// <param name="entry">The state on entry; <see cref="PoolFreeState.Empty"/> for a method analysed for itself.</param>
    public PoolFreeDomain(DriverApi api, PoolFreeSummaries? summaries, int helperBudget, PoolFreeState entry)
    {
        _api = api;
        _summaries = summaries;
        _helperBudget = helperBudget;
        Entry = entry;
    }

    public PoolFreeState Entry { get; }

    public PoolFreeState Unreached => PoolFreeState.Unreached;

    public PoolFreeState Join(PoolFreeState left, PoolFreeState right) => PoolFreeState.Join(left, right);

    public bool AreEqual(PoolFreeState left, PoolFreeState right) => PoolFreeState.AreEqual(left, right);

    public PoolFreeState Transfer(PoolFreeState state, IOperation operation, CancellationToken cancellationToken) =>
        Apply(state, operation, null, cancellationToken);

    /// <summary>
    /// Applies the operations of <paramref name="root"/> in evaluation order, calling <paramref name="onFree"/> at
    /// each free of a tracked pointer with the facts just before it.
    /// </summary>
    public PoolFreeState Apply(
        PoolFreeState state, IOperation root, Action<PoolFreeEvent>? onFree, CancellationToken cancellationToken)
    {
        if (state.Facts is null)
        {
            return state;
        }

        foreach (var operation in OperationOrder.PostOrder(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when Tracked(assignment.Target) is { } target:
                    state = Assign(state, target, assignment.Value);
                    break;
                case IInvocationOperation invocation:
                    state = Invoke(state, invocation, onFree);
                    break;
            }
        }

        return state;
    }

    public PoolFreeState AssumeCondition(PoolFreeState state, IOperation condition, bool whenTrue)
    {
        condition = PoolDdis.WithoutConversions(condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            whenTrue = !whenTrue;
            condition = PoolDdis.WithoutConversions(not.Operand);
        }

        if (condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison)
        {
            return state;
        }

        var pointer = Tracked(comparison.LeftOperand) ?? Tracked(comparison.RightOperand);
        if (pointer is null ||
            !(PoolDdis.IsNull(_api, comparison.LeftOperand) || PoolDdis.IsNull(_api, comparison.RightOperand)))
        {
            return state;
        }

        var isNull = (comparison.OperatorKind == BinaryOperatorKind.Equals) == whenTrue;
        return isNull ? state.Set(pointer, PoolFact.NullPointer) : state.Set(pointer, state.Get(pointer).Remove(PoolFact.NullPointer));
    }

    private PoolFreeState Assign(PoolFreeState state, ISymbol target, IOperation value)
    {
        value = PoolDdis.WithoutConversions(value);
        if (value is IInvocationOperation invocation && IsAllocator(invocation.TargetMethod))
        {
            var tagOrdinal = PoolDdis.TagOrdinal(_api, invocation.TargetMethod);
            uint? tag = tagOrdinal >= 0 &&
                        PoolDdis.Argument(invocation, tagOrdinal)?.Value.ConstantValue is { HasValue: true, Value: uint constant }
                ? constant
                : null;
            return state.Set(target, new PoolFact(PoolFactKind.Allocated, invocation, tag));
        }

        if (PoolDdis.IsNull(_api, value))
        {
            return state.Set(target, PoolFact.NullPointer);
        }

        return Tracked(value) is { } source ? state.Set(target, state.Get(source)) : state.Forget(target);
    }

    private PoolFreeState Invoke(PoolFreeState state, IInvocationOperation invocation, Action<PoolFreeEvent>? onFree)
    {
        var method = invocation.TargetMethod;
        var isFreeWithTag = _api.IsWdm(method, PoolDdis.ExFreePoolWithTag);
        if ((isFreeWithTag || _api.IsWdm(method, PoolDdis.ExFreePool)) &&
            PoolDdis.Argument(invocation, 0) is { } pointerArgument &&
            Tracked(PoolDdis.WithoutConversions(pointerArgument.Value)) is { } pointer)
        {
            var tag = isFreeWithTag ? PoolDdis.Argument(invocation, 1)?.Value : null;
            onFree?.Invoke(new PoolFreeEvent(
                invocation, pointer, state.Get(pointer), tag?.ConstantValue is { HasValue: true, Value: uint value } ? value : null,
                tag?.Syntax.ToString(), byHelper: false));
            return state.Set(pointer, new PoolFact(PoolFactKind.Freed, invocation, null));
        }

        if (_summaries?.FreedParameters(method, _helperBudget) is { Count: > 0 } freed)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter &&
                    freed.TryGetValue(parameter.Ordinal, out var helperFree) &&
                    Tracked(PoolDdis.WithoutConversions(argument.Value)) is { } helperPointer)
                {
                    onFree?.Invoke(new PoolFreeEvent(invocation, helperPointer, state.Get(helperPointer), helperFree.Tag, helperFree.TagText, byHelper: true));
                    state = state.Set(helperPointer, new PoolFact(PoolFactKind.Freed, invocation, null));
                }
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && Tracked(argument.Value) is { } written)
            {
                state = state.Forget(written);
            }
        }

        return state;
    }

    private bool IsAllocator(IMethodSymbol method) =>
        PoolDdis.DeprecatedAllocator(_api, method) is not null || PoolDdis.IsFlagsAllocator(_api, method);

    /// <summary>The local or parameter of type <c>PVOID</c> that <paramref name="operation"/> reads or writes, or null.</summary>
    private ISymbol? Tracked(IOperation operation)
    {
        ISymbol? symbol = operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return type is not null && SymbolEqualityComparer.Default.Equals(type, _api.Pvoid) ? symbol : null;
    }
}
