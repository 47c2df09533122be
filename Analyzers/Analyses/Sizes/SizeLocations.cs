using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The locations the size and status analyses follow, all <see cref="TrackedLocation"/>s: variables, flow captures and
/// field paths (also through a typed context: <c>GetDeviceContext(device).Buffer</c>), and values derived from them
/// (<see cref="TrackedLocation.Derived"/>): an array's or span's <c>Length</c>, an MDL's byte count, the size of a type
/// whose layout is unknown, a side-effect-free arithmetic expression, a request's input or output buffer. A derived
/// location is forgotten when one of its operands is assigned (<see cref="FactMap{TFact}.KillDependents"/>).
/// </summary>
internal sealed class SizeLocations
{
    private const string LengthKind = "Length";
    private const string MdlByteCountKind = "MmGetMdlByteCount";
    private const string OutputBufferKind = "OutputBuffer";
    private const string InputBufferKind = "InputBuffer";
    private const string SizeOfKind = "sizeof ";
    private const string ExpressionKind = "expression ";
    private const string PlusKind = "plus ";
    private const string ReachesKind = "reaches";
    private const string ReachesPrefix = "reaching ";

    private readonly Func<IInvocationOperation, ITypeSymbol?> _contextTypeOf;

    public SizeLocations(DdiCatalog catalog) => _contextTypeOf = catalog.ContextTypeOf;

    /// <summary>The location <paramref name="operation"/> refers to (through conversions and <c>out var</c>), or null.</summary>
    public TrackedLocation? Of(IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        return operation is null ? null : TrackedLocation.TryCreate(operation, _contextTypeOf);
    }

    /// <summary>The <c>Length</c> of the array or span held at <paramref name="holder"/>.</summary>
    public static TrackedLocation LengthOf(TrackedLocation holder) =>
        TrackedLocation.Derived(LengthKind, ImmutableArray.Create(holder), null, Display(holder) + ".Length");

    /// <summary><c>MmGetMdlByteCount(mdl)</c> of the MDL held at <paramref name="mdl"/>.</summary>
    public static TrackedLocation MdlByteCountOf(TrackedLocation mdl) =>
        TrackedLocation.Derived(MdlByteCountKind, ImmutableArray.Create(mdl), null, "MmGetMdlByteCount(" + Display(mdl) + ")");

    /// <summary>The output (or input) buffer of the request held at <paramref name="request"/>.</summary>
    public static TrackedLocation RequestBuffer(TrackedLocation request, bool output) =>
        TrackedLocation.Derived(output ? OutputBufferKind : InputBufferKind, ImmutableArray.Create(request), null,
            Display(request) + (output ? " (output buffer)" : " (input buffer)"));

    /// <summary>The size of a type whose size is not a compile-time constant.</summary>
    public static TrackedLocation SizeOfType(ITypeSymbol type) =>
        TrackedLocation.Derived(SizeOfKind + type.ToDisplayString(), ImmutableArray<TrackedLocation>.Empty, null,
            "sizeof(" + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ")");

    /// <summary>A side-effect-free arithmetic expression over <paramref name="operands"/>, compared by its text.</summary>
    public static TrackedLocation Expression(string display, ImmutableArray<TrackedLocation> operands) =>
        TrackedLocation.Derived(ExpressionKind + Normalize(display), operands, null, display);

    /// <summary>
    /// <paramref name="number"/> plus the constant <paramref name="constant"/> (<c>REGISTER_ADDR_SIZE + Length</c>,
    /// <c>Length + 1</c>): one key whichever side the constant is written on and however it is named, so that a check of
    /// the sum bounds a copy of <paramref name="number"/> bytes at that offset (<see cref="KnownSizesDomain.IsBounded"/>).
    /// </summary>
    public static TrackedLocation Plus(TrackedLocation number, ulong constant, string display) =>
        TrackedLocation.Derived(PlusKind + constant.ToString(System.Globalization.CultureInfo.InvariantCulture), ImmutableArray.Create(number), null, display);

    /// <summary>
    /// "May be equal to <paramref name="location"/>": a marker a number gets besides the bound <c>n</c> itself from a
    /// comparison that lets it reach <c>n</c> (<c>i &lt;= n</c>, or a guard <c>if (i &gt; n) return;</c>), so that an
    /// index that may reach a buffer's size (one past its last byte) is told from one kept below it (<c>i &lt; n</c>, which
    /// adds no marker and removes one). Forgotten with <paramref name="location"/>; dropped where paths meet unless every
    /// path has it.
    /// </summary>
    public static TrackedLocation Reaches(TrackedLocation location) =>
        TrackedLocation.Derived(ReachesKind, ImmutableArray.Create(location), null, ReachesPrefix + Display(location));

    /// <summary>True for a <see cref="Reaches"/> marker (never a size, never written in a message).</summary>
    public static bool IsReaches(TrackedLocation location) =>
        location.Root == LocationRoot.Derived && location.Name.StartsWith(ReachesPrefix, StringComparison.Ordinal);

    /// <summary><paramref name="bounds"/> without <see cref="Reaches"/> markers.</summary>
    public static BoundSet WithoutMarkers(BoundSet bounds)
    {
        foreach (var bound in bounds)
        {
            if (bound.Key is { } key && IsReaches(key))
            {
                return bounds.Where(b => b.Key is not { } k || !IsReaches(k));
            }
        }

        return bounds;
    }

    /// <summary>How a location reads in source, for messages and code fixes.</summary>
    public static string Display(TrackedLocation location) => location.Name.Length > 0 ? location.Name : "(captured value)";

    /// <summary>
    /// True when <see cref="Display"/> is an expression a code fix can write at the copy: not a flow capture, not a
    /// request's buffer, not a path through a typed context (the fix would have to fetch the context).
    /// </summary>
    public static bool IsWritable(TrackedLocation location) =>
        location.Root switch
        {
            LocationRoot.FlowCapture or LocationRoot.Operation or LocationRoot.Context or LocationRoot.Driver => false,
            LocationRoot.Derived => !location.Name.EndsWith(" buffer)", StringComparison.Ordinal),
            _ => true,
        };

    /// <summary>
    /// True when <paramref name="type"/> is a number a size can be (an integer, <c>nint</c>, <c>nuint</c>): the only values
    /// whose bounds the size rules ask about. Pointers, handles, statuses and flags get no value facts, so comparing many
    /// pointers with <c>NULL</c> (a static field) or assigning <c>NULL</c> to them builds no chain of bounds among them.
    /// </summary>
    public static bool IsNumber(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
            SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    /// <summary>True for an unsigned integer type.</summary>
    public static bool IsUnsigned(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or
            SpecialType.System_UInt64 or SpecialType.System_UIntPtr;

    /// <summary>
    /// True when the value of <paramref name="location"/> is never negative: a length, a byte count, a request's buffer, a
    /// type's size, or a number of an unsigned type.
    /// </summary>
    public static bool IsNeverNegative(TrackedLocation location) =>
        location.DerivedKind is { } kind
            ? kind is LengthKind or MdlByteCountKind or OutputBufferKind or InputBufferKind || kind.StartsWith(SizeOfKind, StringComparison.Ordinal)
            : IsUnsigned(location.Type);

    /// <summary>True when <paramref name="location"/> is <paramref name="assigned"/> or is computed from it.</summary>
    public static bool DependsOn(TrackedLocation location, TrackedLocation assigned)
    {
        if (location.Equals(assigned))
        {
            return true;
        }

        if (!location.HasDependencies)
        {
            return false;
        }

        foreach (var dependency in location.DependsOn)
        {
            if (dependency.Equals(assigned))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
