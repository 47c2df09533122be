using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A place where bytes move into or out of a buffer without a size check: <c>RtlCopyMemory</c>,
/// <c>RtlMoveMemory</c> or a <c>PVOID</c> accessor.
/// </summary>
internal sealed class CopySite
{
    private readonly IMethodSymbol _method;
    private string? _ddi;

    public CopySite(IMethodSymbol method, IOperation? destination, IOperation? source, IOperation? length, ITypeSymbol? elementType,
        IOperation? accessorOffset, IOperation? span)
    {
        _method = method;
        Destination = destination;
        Source = source;
        Length = length;
        ElementType = elementType;
        AccessorOffset = accessorOffset;
        Span = span;
    }

    /// <summary>
    /// How the copy is named in messages: <c>RtlCopyMemory</c>, <c>PVOID.Write&lt;int&gt;</c>, ... (made when a message
    /// asks: every copy site of every transfer is found again, few are reported).
    /// </summary>
    public string Ddi => _ddi ??= Name(_method, ElementType, Length is not null);

    private static string Name(IMethodSymbol method, ITypeSymbol? elementType, bool rawCopy) =>
        rawCopy ? method.Name
        : elementType is not null ? "PVOID." + method.Name + "<" + elementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">"
        : "PVOID." + method.Name;

    /// <summary>The pointer written (the argument, or the accessor's receiver).</summary>
    public IOperation? Destination { get; }

    /// <summary>The pointer read.</summary>
    public IOperation? Source { get; }

    /// <summary>The length argument of <c>RtlCopyMemory</c>/<c>RtlMoveMemory</c>.</summary>
    public IOperation? Length { get; }

    /// <summary>The <c>T</c> of <c>Read&lt;T&gt;</c>/<c>Write&lt;T&gt;</c>: the length is its size.</summary>
    public ITypeSymbol? ElementType { get; }

    /// <summary>The offset argument of an accessor, added to its receiver.</summary>
    public IOperation? AccessorOffset { get; }

    /// <summary>The span of <c>CopyFrom</c>/<c>CopyTo</c>: the length is its length.</summary>
    public IOperation? Span { get; }

    public bool IsRtlCopy => Length is not null;
}
