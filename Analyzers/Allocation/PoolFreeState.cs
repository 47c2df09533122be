using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
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
/// A pool pointer the DRV034 analysis follows: a local or parameter of type <c>PVOID</c>, a static <c>PVOID</c>
/// field, or a <c>PVOID</c> field of <c>this</c>, of a local or parameter, or of a static field
/// (<c>Context.WriteBuffer</c>).
/// </summary>
internal sealed class PoolKey : IEquatable<PoolKey>
{
    public PoolKey(ISymbol root, IFieldSymbol? field = null)
    {
        Root = root;
        Field = field;
    }

    /// <summary>The local, parameter or static field; for <c>this.F</c>, the containing type.</summary>
    public ISymbol Root { get; }

    /// <summary>The field read from <see cref="Root"/>, or null when the root itself is the pointer.</summary>
    public IFieldSymbol? Field { get; }

    /// <summary>True for a pointer held in a field, which a call of the driver's own code may change.</summary>
    public bool IsField => Field is not null || Root is IFieldSymbol;

    public bool Equals(PoolKey? other) =>
        other is not null &&
        SymbolEqualityComparer.Default.Equals(Root, other.Root) &&
        SymbolEqualityComparer.Default.Equals(Field, other.Field);

    public override bool Equals(object? obj) => Equals(obj as PoolKey);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Root) * 397) ^ (Field is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Field));
}

/// <summary>
/// The DRV034 dataflow state: for each followed pointer (<see cref="PoolKey"/>), the set of facts that may hold
/// (a may-analysis: the join is the union, so "freed on some path" survives a merge). A variable without
/// an entry is unknown. Immutable.
/// </summary>
internal sealed class PoolFreeState
{
    public static readonly PoolFreeState Unreached = new(null);

    public static readonly PoolFreeState Empty =
        new(ImmutableDictionary<PoolKey, ImmutableHashSet<PoolFact>>.Empty);

    private PoolFreeState(ImmutableDictionary<PoolKey, ImmutableHashSet<PoolFact>>? facts) => Facts = facts;

    /// <summary>Null only for <see cref="Unreached"/>.</summary>
    public ImmutableDictionary<PoolKey, ImmutableHashSet<PoolFact>>? Facts { get; }

    public ImmutableHashSet<PoolFact> Get(PoolKey key) =>
        Facts is not null && Facts.TryGetValue(key, out var facts) ? facts : ImmutableHashSet<PoolFact>.Empty;

    public PoolFreeState Set(PoolKey key, ImmutableHashSet<PoolFact> facts)
    {
        var map = Facts ?? Empty.Facts!;
        return new PoolFreeState(facts.IsEmpty ? map.Remove(key) : map.SetItem(key, facts));
    }

    public PoolFreeState Set(PoolKey key, PoolFact fact) => Set(key, ImmutableHashSet.Create(fact));

    public PoolFreeState Forget(PoolKey key) => Set(key, ImmutableHashSet<PoolFact>.Empty);

    /// <summary>Forgets the pointers read through <paramref name="root"/> (<c>root.F</c>) after <paramref name="root"/> changed.</summary>
    public PoolFreeState ForgetFieldsOf(ISymbol root) =>
        Forget(key => key.Field is not null && SymbolEqualityComparer.Default.Equals(key.Root, root));

    /// <summary>Forgets every pointer held in a field, after a call that may change fields.</summary>
    public PoolFreeState ForgetFields() => Forget(key => key.IsField);

    private PoolFreeState Forget(Func<PoolKey, bool> which)
    {
        if (Facts is null)
        {
            return this;
        }

        var map = Facts;
        foreach (var key in Facts.Keys)
        {
            if (which(key))
            {
                map = map.Remove(key);
            }
        }

        return ReferenceEquals(map, Facts) ? this : new PoolFreeState(map);
    }

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
    public PoolFreeEvent(
        IInvocationOperation free, PoolKey pointer, string pointerText, ImmutableHashSet<PoolFact> facts, uint? tag, string? tagText, bool byHelper)
    {
        Free = free;
        Pointer = pointer;
        PointerText = pointerText;
        Facts = facts;
        Tag = tag;
        TagText = tagText;
        ByHelper = byHelper;
    }

    /// <summary>The freeing call: <c>ExFreePool*</c>, or the helper's call.</summary>
    public IInvocationOperation Free { get; }

    public PoolKey Pointer { get; }

    /// <summary>The pointer as the free wrote it, e.g. <c>Context.WriteBuffer</c>.</summary>
    public string PointerText { get; }

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
                case IAssignmentOperation assignment:
                    if (Root(assignment.Target) is { } assignedRoot)
                    {
                        state = state.ForgetFieldsOf(assignedRoot);
                    }

                    if (Tracked(assignment.Target) is { } target)
                    {
                        state = assignment is ISimpleAssignmentOperation simple
                            ? Assign(state, target, simple.Value)
                            : state.Forget(target);
                    }

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

    private PoolFreeState Assign(PoolFreeState state, PoolKey target, IOperation value)
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
                invocation, pointer, pointerArgument.Value.Syntax.ToString(), state.Get(pointer),
                tag?.ConstantValue is { HasValue: true, Value: uint value } ? value : null, tag?.Syntax.ToString(), byHelper: false));
            return state.Set(pointer, new PoolFact(PoolFactKind.Freed, invocation, null));
        }

        if (_api.IsDdi(method))
        {
            return ForgetWritten(state, invocation);
        }

        // The driver's own code: a helper may free what it is given, and may change any field.
        var helperFrees = new List<PoolKey>();
        if (_summaries?.FreedParameters(method, _helperBudget) is { Count: > 0 } freed)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter &&
                    freed.TryGetValue(parameter.Ordinal, out var helperFree) &&
                    Tracked(PoolDdis.WithoutConversions(argument.Value)) is { } helperPointer)
                {
                    onFree?.Invoke(new PoolFreeEvent(
                        invocation, helperPointer, argument.Value.Syntax.ToString(), state.Get(helperPointer),
                        helperFree.Tag, helperFree.TagText, byHelper: true));
                    helperFrees.Add(helperPointer);
                }
            }
        }

        state = ForgetWritten(state, invocation).ForgetFields();
        foreach (var helperPointer in helperFrees)
        {
            state = state.Set(helperPointer, new PoolFact(PoolFactKind.Freed, invocation, null));
        }

        return state;
    }

    /// <summary>Forgets what a call may write through <c>ref</c> and <c>out</c> arguments.</summary>
    private PoolFreeState ForgetWritten(PoolFreeState state, IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is not (RefKind.Ref or RefKind.Out))
            {
                continue;
            }

            if (Tracked(argument.Value) is { } written)
            {
                state = state.Forget(written);
            }

            if (Root(argument.Value) is { } root)
            {
                state = state.ForgetFieldsOf(root);
            }
        }

        return state;
    }

    private bool IsAllocator(IMethodSymbol method) =>
        PoolDdis.DeprecatedAllocator(_api, method) is not null || PoolDdis.IsFlagsAllocator(_api, method);

    /// <summary>The pointer of type <c>PVOID</c> that <paramref name="operation"/> reads or writes, or null.</summary>
    private PoolKey? Tracked(IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local when IsPvoid(local.Local.Type):
                return new PoolKey(local.Local);
            case IParameterReferenceOperation parameter when IsPvoid(parameter.Parameter.Type):
                return new PoolKey(parameter.Parameter);
            case IFieldReferenceOperation field when IsPvoid(field.Field.Type):
                if (field.Field.IsStatic)
                {
                    return new PoolKey(field.Field);
                }

                return field.Instance switch
                {
                    IInstanceReferenceOperation => new PoolKey(field.Field.ContainingType, field.Field),
                    { } instance when Root(instance) is { } root => new PoolKey(root, field.Field),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The local, parameter or static field an operation names (the root of <c>root.F</c>), or null.</summary>
    private static ISymbol? Root(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Field.IsStatic: true } field => field.Field,
        _ => null,
    };

    private bool IsPvoid(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _api.Pvoid);
}
