using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Analyses.Sizes;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// DRV024: a <c>PVOID</c> accessor (<c>Read&lt;T&gt;</c>, <c>Write&lt;T&gt;</c>, <c>CopyFrom</c>, <c>CopyTo</c>) into a
/// buffer of known size, at an offset or a length that size does not bound: at a constant offset, the bytes it moves
/// (the element's size, the span's length) not bounded by the buffer's size on every path; at an index that is not a
/// constant (a loop variable, an offset the request gave), an index whose bound is not the buffer's size (the
/// <c>PrintChars</c>-style loop over a length the buffer does not have). Every accessor is DRV024's, at any offset, as
/// RULES.md lists them and the runtime names them; copy DDIs are DRV020's (<see cref="CopyBoundsAnalyzer"/>). Reads the
/// facts of the shared size analysis (<see cref="SizeAndStatusAnalysis"/>). No code fix.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PointerAccessAnalyzer : DriverApiAnalyzer
{
    public PointerAccessAnalyzer()
        : base(Descriptors.PointerAccessOutOfBounds)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = SizeAndStatusAnalysis.For(session);
        context.RegisterOperationBlockAction(block => analysis.ReportCalls(block, (function, invocation, state) =>
            Check(analysis.Ddis, function.Sizes, state, invocation, block.CancellationToken)));
    }

    private static Diagnostic? Check(
        SizeDdis ddis, KnownSizesDomain domain, SizeState state, IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        if (ddis.TryGetCopySite(invocation) is not { IsRtlCopy: false, AccessorOffset: { } offsetOperation } site ||
            (site.Destination ?? site.Source) is not { } pointer)
        {
            return null;
        }

        var offset = domain.Evaluate(state, offsetOperation);
        return offset.Constant is { } constant
            ? CheckAtConstantOffset(domain, state, invocation, site, pointer, constant, cancellationToken)
            : CheckAtIndex(domain, state, invocation, site, pointer, offset);
    }

    /// <summary>
    /// An accessor at a constant offset (<c>Write&lt;long&gt;(0, …)</c> into a buffer retrieved with a minimum of 4, a
    /// <c>CopyFrom(data, 0)</c> of a span whose length nothing compared with the size): the bytes it moves must fit in the
    /// size known on every path (<see cref="KnownSizesDomain.IsBounded"/>).
    /// </summary>
    private static Diagnostic? CheckAtConstantOffset(
        KnownSizesDomain domain, SizeState state, IInvocationOperation invocation, CopySite site, IOperation pointer, ulong offset,
        CancellationToken cancellationToken)
    {
        var length = domain.LengthOf(state, site, cancellationToken);
        if (domain.PointerFacts(state, pointer) is not { } buffer || KnownSizesDomain.IsBounded(state, buffer, offset, length) != false)
        {
            return null;
        }

        var moved = length.Constant is { } bytes
            ? bytes.ToString(CultureInfo.InvariantCulture) + (bytes == 1 ? " byte" : " bytes")
            : "'" + LengthText(site) + "' bytes";

        // Past a constant size, always; past a size in a variable, unless a check the analysis does not see bounds it.
        var past = length.Constant is not null && KnownSizesDomain.DescribeSize(buffer, state) is { IsConstant: true } ? "beyond" : "not bounded by";
        return Report(invocation, site, pointer, buffer, state, " (" + moved + "), " + past);
    }

    /// <summary>How the bytes an accessor moves read in source: <c>sizeof(T)</c>, or the span's <c>Length</c>.</summary>
    private static string LengthText(CopySite site) =>
        site.ElementType is { } type
            ? "sizeof(" + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ")"
            : site.Span?.Syntax.ToString() + ".Length";

    /// <summary>
    /// An accessor at an index that is not a constant: judged only when the index is a variable bounded by something (a
    /// loop's length, a constant) and none of its bounds keeps the access inside the buffer.
    /// </summary>
    private static Diagnostic? CheckAtIndex(
        KnownSizesDomain domain, SizeState state, IInvocationOperation invocation, CopySite site, IOperation pointer, Term offset)
    {
        if (domain.PointerFacts(state, pointer) is not { AtLeast.IsEmpty: false } buffer ||
            AccessLength(domain, state, site) is not { } length)
        {
            return null;
        }

        var bounds = offset.Facts.Upper.Where(b => offset.Key is null || !b.Equals(Bound.Of(offset.Key))).ToList();
        if (bounds.Count == 0 || bounds.Any(b => BoundsTheBuffer(state, buffer, b, length, offset.Facts.Upper)))
        {
            return null;
        }

        // Judged only when the index is a variable bounded by something (a loop's length, a constant); an index with no
        // known bound, or an expression, is left alone.
        if (offset.Key is not { } index || !KnownSizesDomain.IsStorage(index))
        {
            return null;
        }

        var bound = bounds.OrderBy(b => b.IsConstant ? 1 : b.Key is { } k && SizeLocations.IsReaches(k) ? 2 : 0).ThenBy(b => b.Text, StringComparer.Ordinal).First();
        var reaches = bound.Key is { } boundKey && offset.Facts.Upper.Contains(Bound.Of(SizeLocations.Reaches(boundKey)));
        return Report(invocation, site, pointer, buffer, state, ", bounded by '" + bound.Text + "'" + (reaches ? ", which it may reach," : string.Empty) + " but not by");
    }

    /// <param name="why">What the accessor does with the offset against the size: the words between the offset and the size.</param>
    private static Diagnostic Report(IInvocationOperation invocation, CopySite site, IOperation pointer, BufferFacts buffer, SizeState state, string why)
    {
        var origin = buffer.Origin;
        return Diagnostic.Create(
            Descriptors.PointerAccessOutOfBounds,
            invocation.Syntax.GetLocation(),
            origin is null ? null : new[] { origin.Location },
            site.Ddi,
            site.Destination is null ? "reads" : "writes",
            pointer.Syntax.ToString(),
            site.AccessorOffset!.Syntax.ToString(),
            why,
            KnownSizesDomain.DescribeSize(buffer, state)?.Text ?? "a known number of",
            CopyBoundsAnalyzer.Describe(origin));
    }

    /// <summary>The constant number of bytes the accessor moves at its index, or null.</summary>
    private static ulong? AccessLength(KnownSizesDomain domain, SizeState state, CopySite site)
    {
        if (site.ElementType is { } type)
        {
            return domain.SizeOf(state, type).Constant;
        }

        return site.Span is { } span && OperationUnwrap.Unwrap(span) is IArrayCreationOperation { DimensionSizes.Length: 1 } array
            ? domain.Evaluate(state, array.DimensionSizes[0]).Constant
            : null;
    }

    /// <summary>
    /// True when an index at most <paramref name="bound"/> stays inside the buffer: a constant bound that fits with the
    /// access, or a size of the buffer (or a number at most one) that the index is not known to reach (<c>i &lt; n</c>, as
    /// a loop has it, stays below; <c>i &lt;= n</c> reaches the byte past the end). <paramref name="index"/> is everything
    /// known to bound the index.
    /// </summary>
    private static bool BoundsTheBuffer(SizeState state, BufferFacts buffer, Bound bound, ulong length, BoundSet index)
    {
        if (bound.IsConstant)
        {
            return bound.Constant + length + buffer.Offset <= KnownSizesDomain.ConstantSize(state, buffer);
        }

        if (SizeLocations.IsReaches(bound.Key!))
        {
            // A marker: judged with the number it names (always a bound of the index too).
            return false;
        }

        var reaches = index.Contains(Bound.Of(SizeLocations.Reaches(bound.Key!)));
        if (buffer.AtLeast.Contains(bound))
        {
            return !reaches;
        }

        // i <= n (or i < n) with n <= m and m a size of the buffer: past m only when i may reach n and n may reach m.
        var facts = state.FactsOf(bound.Key!);
        return facts.Upper.Any(b =>
            (buffer.AtLeast.Contains(b) && (b.IsConstant || !reaches || !facts.Upper.Contains(Bound.Of(SizeLocations.Reaches(b.Key!))))) ||
            (b.IsConstant && b.Constant + length + buffer.Offset <= KnownSizesDomain.ConstantSize(state, buffer) + 1));
    }
}
