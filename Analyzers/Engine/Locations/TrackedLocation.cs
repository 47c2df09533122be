using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>Where a <see cref="TrackedLocation"/> starts.</summary>
internal enum LocationRoot : byte
{
    /// <summary>A local variable (also one captured by a lambda or local function).</summary>
    Local,

    /// <summary>A parameter.</summary>
    Parameter,

    /// <summary>The members of <c>this</c>, or static members: <c>this.f</c>, <c>f</c>, <c>Type.f</c>.</summary>
    This,

    /// <summary>A value the control flow graph captured (the arms of <c>?:</c>, <c>??</c>, ...).</summary>
    FlowCapture,

    /// <summary>The result of one operation (a call whose result is tested in place).</summary>
    Operation,

    /// <summary>
    /// The typed context of an object, reached through <c>WdfObjectGetTypedContext&lt;T&gt;</c> or an accessor that
    /// returns it (<c>GetDeviceContext(device)</c>): one root per context type.
    /// </summary>
    Context,

    /// <summary>Not storage: the owner "the driver itself", for memory the driver created.</summary>
    Driver,

    /// <summary>
    /// A value computed from other locations (an array's length, an MDL's byte count, <c>offset + length</c>): known
    /// until one of its operands is assigned (see <see cref="TrackedLocation.Derived"/>).
    /// </summary>
    Derived,
}

/// <summary>
/// The one storage location the engine follows: a local, a parameter, a flow capture, an operation's result, or a
/// field/property path from one of them, from <c>this</c> (or a static), or from a typed context: <c>this.f</c>,
/// <c>f</c>, <c>local.f</c>, <c>param.f</c>, <c>GetDeviceContext(device).f</c>, up to <see cref="MaxMembers"/>
/// members. Other places (array elements, indexers, call results other than a context) are not followed.
/// Two paths are different locations even when they may alias at run time (no points-to analysis); an assignment kills
/// the paths that extend the assigned location (<see cref="FactMap{TFact}"/> keeps that index).
/// </summary>
internal sealed class TrackedLocation : IEquatable<TrackedLocation>
{
    /// <summary>The longest member path followed (<c>a.b.c</c>).</summary>
    public const int MaxMembers = 3;

    private static readonly ConditionalWeakTable<ISymbol, TrackedLocation> BySymbol = new();
    private static readonly ConditionalWeakTable<ITypeSymbol, TrackedLocation> ByContextType = new();

    /// <summary>The owner "the driver": memory it created, not retrieved from any request.</summary>
    public static readonly TrackedLocation Driver = new(LocationRoot.Driver, null, ImmutableArray<ISymbol>.Empty, null, "driver");

    private readonly object? _root;
    private readonly int _hash;
    private ImmutableHashSet<TrackedLocation>? _singleton;
    private TrackedLocation[]? _dependsOn;
    private TrackedLocation? _holder;

    /// <summary>
    /// The member paths made from this location so far, handed out again: the same access makes the same instance (no
    /// new location, name and member array per operation of every transfer; equal locations compare by reference). A
    /// few per location; replaced whole, so readers on other threads see a complete array.
    /// </summary>
    private TrackedLocation[] _memberPaths = Array.Empty<TrackedLocation>();

    private TrackedLocation(LocationRoot root, object? rootIdentity, ImmutableArray<ISymbol> members, ITypeSymbol? type, string name)
    {
        Root = root;
        _root = rootIdentity;
        Members = members;
        Type = type;
        Name = name;
        var hash = (int)root * 397;
        hash ^= rootIdentity switch
        {
            null => 0,
            ISymbol symbol => SymbolEqualityComparer.Default.GetHashCode(symbol),
            _ => rootIdentity.GetHashCode(),
        };
        foreach (var member in members)
        {
            hash = (hash * 31) ^ SymbolEqualityComparer.Default.GetHashCode(member);
        }

        _hash = hash;
    }

    public LocationRoot Root { get; }

    /// <summary>The fields and properties of the path, outermost first; empty for a variable, capture or operation.</summary>
    public ImmutableArray<ISymbol> Members { get; }

    /// <summary>The kind a derived location was made with (<see cref="Derived"/>); null for every other location.</summary>
    public string? DerivedKind => (_root as DerivedIdentity)?.Kind;

    /// <summary>The declared type of the location.</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>How the user wrote it (<c>buffer</c>, <c>Reader</c>, <c>ctx.Reader</c>); empty for captures and operations.</summary>
    public string Name { get; }

    /// <summary>The local or parameter of a variable; the last member of a path; null otherwise.</summary>
    public ISymbol? Symbol => Members.IsEmpty ? _root as ISymbol : Members[Members.Length - 1];

    /// <summary>The local or parameter a path starts from; null for <c>this</c>, statics, contexts.</summary>
    public ISymbol? RootSymbol => _root as ISymbol is { } symbol && Root is LocationRoot.Local or LocationRoot.Parameter ? symbol : null;

    /// <summary>A local or a parameter (not a path).</summary>
    public bool IsVariable => Members.IsEmpty && Root is LocationRoot.Local or LocationRoot.Parameter;

    /// <summary>A field or property path.</summary>
    public bool IsMember => !Members.IsEmpty;

    /// <summary>A member of <c>this</c> or a static member, one level deep: what a method shares with its callers.</summary>
    public bool IsOwnMember => Root == LocationRoot.This && Members.Length == 1;

    /// <summary>The one-element set of this location (cached: resolving an unaliased request is frequent).</summary>
    public ImmutableHashSet<TrackedLocation> AsSet => _singleton ??= ImmutableHashSet.Create(this);

    /// <summary>The location of a local, a parameter, or a field/property of <c>this</c> (or a static one).</summary>
    public static TrackedLocation ForSymbol(ISymbol symbol) =>
        BySymbol.GetValue(symbol is IFieldSymbol or IPropertySymbol ? symbol.OriginalDefinition : symbol, Create);

    public static TrackedLocation ForCapture(CaptureId id, ITypeSymbol? type) =>
        new(LocationRoot.FlowCapture, id, ImmutableArray<ISymbol>.Empty, type, string.Empty);

    public static TrackedLocation ForOperation(IOperation operation) =>
        new(LocationRoot.Operation, operation, ImmutableArray<ISymbol>.Empty, operation.Type, string.Empty);

    /// <summary>The typed context <paramref name="contextType"/> of an object.</summary>
    public static TrackedLocation ContextOf(ITypeSymbol contextType) =>
        ByContextType.GetValue(contextType, type => new(LocationRoot.Context, type, ImmutableArray<ISymbol>.Empty, type, type.Name));

    /// <summary>
    /// A value computed by <paramref name="kind"/> (a name the analysis chooses: <c>"Length"</c>, <c>"+"</c>) from
    /// <paramref name="operands"/>. Two derived locations are the same when kind and operands are; an assignment of any
    /// operand (or of what an operand depends on) kills it in a <see cref="FactMap{TFact}"/>.
    /// </summary>
    public static TrackedLocation Derived(string kind, ImmutableArray<TrackedLocation> operands, ITypeSymbol? type, string name) =>
        new(LocationRoot.Derived, new DerivedIdentity(kind, operands), ImmutableArray<ISymbol>.Empty, type, name);

    /// <summary>
    /// True when <see cref="DependsOn"/> is not empty (a member path or a derived value): the frequent case, a variable,
    /// answers without starting an enumeration.
    /// </summary>
    public bool HasDependencies => Holder is not null || _root is DerivedIdentity;

    /// <summary>
    /// The locations whose assignment invalidates this one: a path's holders (<c>ctx</c> and <c>ctx.a</c> for
    /// <c>ctx.a.b</c>), a derived value's operands and what they depend on. Computed once per instance (a kill, a join's
    /// index and a bound's mentions each ask; an iterator per question was a tenth of the size analysis' allocations).
    /// </summary>
    public IReadOnlyList<TrackedLocation> DependsOn => _dependsOn ??= Dependencies();

    private TrackedLocation[] Dependencies()
    {
        if (!HasDependencies)
        {
            return Array.Empty<TrackedLocation>();
        }

        var dependencies = new List<TrackedLocation>();
        for (var holder = Holder; holder is not null; holder = holder.Holder)
        {
            dependencies.Add(holder);
        }

        if (_root is DerivedIdentity derived)
        {
            foreach (var operand in derived.Operands)
            {
                dependencies.Add(operand);
                dependencies.AddRange(operand.DependsOn);
            }
        }

        return dependencies.ToArray();
    }

    /// <summary>This location's member <paramref name="member"/>; null past <see cref="MaxMembers"/>.</summary>
    public TrackedLocation? Member(ISymbol member)
    {
        if (Members.Length >= MaxMembers || Root is LocationRoot.Operation or LocationRoot.Driver or LocationRoot.Derived)
        {
            return null;
        }

        member = member.OriginalDefinition;
        var known = Volatile.Read(ref _memberPaths);
        foreach (var path in known)
        {
            if (SymbolEqualityComparer.Default.Equals(path.Members[path.Members.Length - 1], member))
            {
                return path;
            }
        }

        var name = Name.Length == 0 ? member.Name : Name + "." + member.Name;
        var created = new TrackedLocation(Root, _root, Members.Add(member), TypeOfMember(member), name) { _holder = this };
        if (known.Length < MaxMemberPathsKept)
        {
            var grown = new TrackedLocation[known.Length + 1];
            Array.Copy(known, grown, known.Length);
            grown[known.Length] = created;
            Interlocked.CompareExchange(ref _memberPaths, grown, known); // lost to another thread: that one is kept
        }

        return created;
    }

    /// <summary>How many member paths of one location are kept (a context with many fields makes the rest anew).</summary>
    private const int MaxMemberPathsKept = 32;

    /// <summary>The location one member shorter (<c>a.b</c> of <c>a.b.c</c>; <c>a</c> of <c>a.b</c>); null when there is none.</summary>
    public TrackedLocation? Holder
    {
        get
        {
            if (Members.IsEmpty || (Members.Length == 1 && Root == LocationRoot.This))
            {
                return null;
            }

            if (Members.Length == 1)
            {
                return Root switch
                {
                    LocationRoot.Local or LocationRoot.Parameter => ForSymbol((ISymbol)_root!),
                    LocationRoot.Context => ContextOf((ITypeSymbol)_root!),
                    LocationRoot.FlowCapture => _holder ??= new TrackedLocation(Root, _root, ImmutableArray<ISymbol>.Empty, null, string.Empty),
                    _ => null,
                };
            }

            if (_holder is { } holder)
            {
                return holder;
            }

            var members = Members.RemoveAt(Members.Length - 1);
            var name = Name.Substring(0, Math.Max(0, Name.LastIndexOf('.')));
            return _holder = new TrackedLocation(Root, _root, members, TypeOfMember(members[members.Length - 1]), name);
        }
    }

    /// <summary>
    /// The location <paramref name="operation"/> refers to (through <c>out var</c> declarations), or null when it is not
    /// followed. <paramref name="contextTypeOf"/> recognizes context accessors (a call that returns an object's typed
    /// context), so that <c>GetDeviceContext(device).Reader</c> is a path.
    /// </summary>
    public static TrackedLocation? TryCreate(IOperation? operation, Func<IInvocationOperation, ITypeSymbol?>? contextTypeOf = null)
    {
        // The frequent cases first, without allocating.
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return ForSymbol(local.Local);
            case IParameterReferenceOperation parameter:
                return ForSymbol(parameter.Parameter);
            case IFlowCaptureReferenceOperation capture:
                return ForCapture(capture.Id, capture.Type);
            case IFlowCaptureOperation capture:
                return ForCapture(capture.Id, capture.Value.Type);
            case IFieldReferenceOperation field when IsThisOrStatic(field.Field, field.Instance):
                return ForSymbol(field.Field);
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property when IsThisOrStatic(property.Property, property.Instance):
                return ForSymbol(property.Property);
        }

        // Walk down the receivers, collecting members, to the root; no recursion, at most MaxMembers members.
        var members = default(MemberPath);
        var current = operation;
        for (var guard = 0; current is not null && guard <= MaxMembers + 8; guard++)
        {
            switch (current)
            {
                case IDeclarationExpressionOperation declaration:
                    current = declaration.Expression;
                    continue;
                case IConversionOperation conversion when members.Count > 0:
                    current = conversion.Operand; // a receiver cast: ((Context)o).f is o.f
                    continue;
                case IParenthesizedOperation parenthesized:
                    current = parenthesized.Operand;
                    continue;
                case ILocalReferenceOperation local:
                    return Build(ForSymbol(local.Local), members);
                case IParameterReferenceOperation parameter:
                    return Build(ForSymbol(parameter.Parameter), members);
                case IFlowCaptureReferenceOperation capture when members.Count == 0:
                    return ForCapture(capture.Id, capture.Type);
                case IFlowCaptureReferenceOperation capture when IsStoredTo(operation):
                    // A member of a capture written: an object initializer's stores (new T { F = v } is #0 = new T(); #0.F = v).
                    // Not a read (foreach's #0.Current is a new value on each turn, not one location).
                    return Build(ForCapture(capture.Id, capture.Type), members);
                case IFlowCaptureOperation capture when members.Count == 0:
                    return ForCapture(capture.Id, capture.Value.Type);
                case IFieldReferenceOperation field:
                    if (!members.Add(field.Field))
                    {
                        return null;
                    }

                    if (IsThisOrStatic(field.Field, field.Instance))
                    {
                        return BuildFromThis(members);
                    }

                    current = field.Instance;
                    continue;
                case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                    if (!members.Add(property.Property))
                    {
                        return null;
                    }

                    if (IsThisOrStatic(property.Property, property.Instance))
                    {
                        return BuildFromThis(members);
                    }

                    current = property.Instance;
                    continue;
                case IInvocationOperation invocation when members.Count > 0 && contextTypeOf?.Invoke(invocation) is { } contextType:
                    return Build(ContextOf(contextType), members);
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="operation"/> is the target of a simple assignment.</summary>
    private static bool IsStoredTo(IOperation? operation) =>
        operation?.Parent is ISimpleAssignmentOperation assignment && assignment.Target == operation;

    /// <summary>A static member, or a member of <c>this</c>.</summary>
    private static bool IsThisOrStatic(ISymbol member, IOperation? instance) =>
        member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>The root with the collected members (collected innermost first).</summary>
    private static TrackedLocation? Build(TrackedLocation root, in MemberPath members)
    {
        var location = root;
        for (var i = members.Count - 1; i >= 0 && location is not null; i--)
        {
            location = location.Member(members[i]);
        }

        return location;
    }

    private static TrackedLocation? BuildFromThis(in MemberPath members)
    {
        var location = ForSymbol(members[members.Count - 1]);
        for (var i = members.Count - 2; i >= 0 && location is not null; i--)
        {
            location = location.Member(members[i]);
        }

        return location;
    }

    /// <summary>The members collected by <see cref="TryCreate"/>, innermost first: at most <see cref="MaxMembers"/>, no list.</summary>
    private struct MemberPath
    {
        private ISymbol? _first;
        private ISymbol? _second;
        private ISymbol? _third;

        public int Count { get; private set; }

        public ISymbol this[int index] => index switch
        {
            0 => _first!,
            1 => _second!,
            _ => _third!,
        };

        public bool Add(ISymbol member)
        {
            member = member.OriginalDefinition;
            switch (Count)
            {
                case 0:
                    _first = member;
                    break;
                case 1:
                    _second = member;
                    break;
                case 2:
                    _third = member;
                    break;
                default:
                    return false;
            }

            Count++;
            return true;
        }
    }

    private static TrackedLocation Create(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => new TrackedLocation(LocationRoot.Local, local, ImmutableArray<ISymbol>.Empty, local.Type, local.Name),
        IParameterSymbol parameter => new TrackedLocation(LocationRoot.Parameter, parameter, ImmutableArray<ISymbol>.Empty, parameter.Type, parameter.Name),
        IFieldSymbol or IPropertySymbol => new TrackedLocation(LocationRoot.This, null, ImmutableArray.Create(symbol), TypeOfMember(symbol), symbol.Name),
        _ => throw new ArgumentException("Only locals, parameters, fields and properties are locations.", nameof(symbol)),
    };

    /// <summary>The type of a field or property (null for any other symbol).</summary>
    public static ITypeSymbol? TypeOfMember(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    public bool Equals(TrackedLocation? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._hash != _hash || other.Root != Root || other.Members.Length != Members.Length)
        {
            return false;
        }

        var sameRoot = _root is ISymbol symbol
            ? SymbolEqualityComparer.Default.Equals(symbol, other._root as ISymbol)
            : Equals(_root, other._root);
        if (!sameRoot)
        {
            return false;
        }

        for (var i = 0; i < Members.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(Members[i], other.Members[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as TrackedLocation);

    public override int GetHashCode() => _hash;

    public override string ToString() => $"{Root}:{(Name.Length > 0 ? Name : _root?.ToString())}";

    /// <summary>The identity of a derived location: its kind and operands.</summary>
    private sealed class DerivedIdentity : IEquatable<DerivedIdentity>
    {
        private readonly int _hash;

        public DerivedIdentity(string kind, ImmutableArray<TrackedLocation> operands)
        {
            Kind = kind;
            Operands = operands;
            var hash = StringComparer.Ordinal.GetHashCode(kind);
            foreach (var operand in operands)
            {
                hash = (hash * 31) ^ operand.GetHashCode();
            }

            _hash = hash;
        }

        public string Kind { get; }

        public ImmutableArray<TrackedLocation> Operands { get; }

        public bool Equals(DerivedIdentity? other)
        {
            if (other is null || other._hash != _hash || other.Kind != Kind || other.Operands.Length != Operands.Length)
            {
                return false;
            }

            for (var i = 0; i < Operands.Length; i++)
            {
                if (!Operands[i].Equals(other.Operands[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as DerivedIdentity);

        public override int GetHashCode() => _hash;

        public override string ToString() => Kind + "(" + string.Join(", ", Operands) + ")";
    }
}
