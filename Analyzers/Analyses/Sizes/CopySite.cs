using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A place where bytes move into or out of a buffer without a size check: <c>RtlCopyMemory</c>,
/// <c>RtlMoveMemory</c> or a <c>PVOID</c> accessor.
/// </summary>
internal sealed class CopySite
{
    public CopySite(string ddi, IOperation? destination, IOperation? source, IOperation? length, ITypeSymbol? elementType,
        IOperation? accessorOffset, IOperation? span)
    {
        Ddi = ddi;
        Destination = destination;
        Source = source;
        Length = length;
        ElementType = elementType;
        AccessorOffset = accessorOffset;
        Span = span;
    }

    /// <summary>How the copy is named in messages: <c>RtlCopyMemory</c>, <c>PVOID.Write&lt;int&gt;</c>, ...</summary>
    public string Ddi { get; }

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
