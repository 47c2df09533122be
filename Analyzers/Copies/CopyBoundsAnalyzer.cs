using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Analyses.Sizes;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// DRV020: a copy DDI (<c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>, or a helper of the driver that copies through its
/// parameters with them or the raw side of <c>WdfMemoryCopy*Buffer</c>) into or out of a buffer of known size whose length
/// is not bounded by that size on every path. The <c>PVOID</c> accessors (<c>Read&lt;T&gt;</c>, <c>Write&lt;T&gt;</c>,
/// <c>CopyFrom</c>, <c>CopyTo</c>) are DRV024's at every offset (<see cref="PointerAccessAnalyzer"/>): one bug, one rule.
/// DRV023: <c>WdfRequestCompleteWithInformation</c> reporting more bytes than the request's buffer is known to hold.
/// Both read the facts of <see cref="KnownSizesDomain"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CopyBoundsAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: which code fix DRV020 can offer (<see cref="FixMemory"/> or <see cref="FixGuard"/>).</summary>
    public const string FixProperty = "Fix";
    public const string FixMemory = "Memory";
    public const string FixGuard = "Guard";

    /// <summary>Diagnostic property: <see cref="SideDestination"/> or <see cref="SideSource"/>, the side that overruns.</summary>
    public const string SideProperty = "Side";
    public const string SideDestination = "Destination";
    public const string SideSource = "Source";

    /// <summary>Diagnostic property: the memory object whose buffer the flagged pointer is.</summary>
    public const string MemoryProperty = "Memory";

    /// <summary>Diagnostic property: the constant offset of the flagged pointer into its buffer.</summary>
    public const string OffsetProperty = "Offset";

    /// <summary>Diagnostic property: the buffer's size as an expression a guard can compare with.</summary>
    public const string SizeProperty = "Size";

    public CopyBoundsAnalyzer()
        : base(Descriptors.UnboundedCopy, Descriptors.InformationExceedsBuffer)
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
            CheckCopy(analysis.Ddis, function.Sizes, state, invocation, block.CancellationToken) ??
            CheckHelperCopy(analysis, function, state, invocation, block.CancellationToken) ??
            CheckKeptInformation(analysis, function, invocation, block.CancellationToken) ??
            CheckInformation(analysis, function, state, invocation, BlockModel(block), block.CancellationToken)));
    }

    private static Diagnostic? CheckCopy(
        SizeDdis ddis, KnownSizesDomain domain, SizeState state, IInvocationOperation invocation, System.Threading.CancellationToken cancellationToken)
    {
        if (ddis.TryGetCopySite(invocation) is not { IsRtlCopy: true } site)
        {
            return null;
        }

        var length = domain.LengthOf(state, site, cancellationToken);
        foreach (var (pointer, isDestination) in new[] { (site.Destination, true), (site.Source, false) })
        {
            if (pointer is null)
            {
                continue;
            }

            // A size the callers give a helper's buffer bounds accessors (DRV024), not a copy's length (SizeOrigin.FromCallers).
            var buffer = domain.PointerFacts(state, pointer);
            if (KnownSizesDomain.IsBounded(state, buffer, 0, length) != false || buffer is null || buffer.Origin is { FromCallers: true })
            {
                continue;
            }

            return Report(invocation, site, pointer, isDestination, buffer, length);
        }

        return null;
    }

    /// <summary>
    /// A call of a helper that copies through its parameters (<see cref="HelperCopies"/>), judged as that copy with the
    /// call's arguments. Only a length the analysis follows (a constant, a variable, a field, an expression of them) is
    /// judged: a value read from memory (<c>descriptor.Read&lt;ushort&gt;(7)</c>, a header's own length) is not.
    /// </summary>
    private static Diagnostic? CheckHelperCopy(
        SizeAndStatusAnalysis analysis, SizeFunctionResult function, SizeState state, IInvocationOperation invocation,
        System.Threading.CancellationToken cancellationToken)
    {
        var domain = function.Sizes;
        foreach (var copy in analysis.HelperCopies.Of(invocation.TargetMethod, function.Options, cancellationToken))
        {
            var pointer = SizeDdis.Argument(invocation, copy.Pointer);
            var lengthOperation = SizeDdis.Argument(invocation, copy.Length);
            var length = domain.Evaluate(state, lengthOperation);
            if (pointer is null || lengthOperation is null || (length.Constant is null && length.Key is null) ||
                domain.PointerFacts(state, pointer) is not { } buffer || KnownSizesDomain.IsBounded(state, buffer, 0, length) != false)
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(SideProperty, copy.IntoPointer ? SideDestination : SideSource);
            var origin = buffer.Origin;
            return Diagnostic.Create(
                Descriptors.UnboundedCopy,
                invocation.Syntax.GetLocation(),
                origin is null ? null : new[] { origin.Location },
                properties,
                invocation.TargetMethod.Name + " (through " + copy.Through + ")",
                lengthOperation.Syntax.ToString(),
                copy.IntoPointer ? "into" : "out of",
                pointer.Syntax.ToString(),
                KnownSizesDomain.DescribeSize(buffer)?.Text ?? "a known number of",
                Describe(origin));
        }

        return null;
    }

    /// <summary>
    /// <c>WdfRequestComplete(Request, …)</c> in the completion routine of an IOCTL sent down as a read or a write
    /// (<see cref="ForwardedIoctls"/>): the request keeps the lower driver's information, a byte count of the write (or
    /// read), which the I/O manager takes as the IOCTL's output.
    /// </summary>
    private static Diagnostic? CheckKeptInformation(
        SizeAndStatusAnalysis analysis, SizeFunctionResult function, IInvocationOperation invocation, System.Threading.CancellationToken cancellationToken)
    {
        var routine = function.Symbol;
        if (invocation.TargetMethod.Name != DdiNames.WdfRequestComplete || !analysis.Ddis.Catalog.Has(invocation.TargetMethod, DdiRole.CompletesRequest) ||
            routine.Parameters.IsEmpty ||
            OperationUnwrap.Unwrap(SizeDdis.Argument(invocation, 0)) is not IParameterReferenceOperation { Parameter: var request } ||
            !SymbolEqualityComparer.Default.Equals(request, routine.Parameters[0]) ||
            analysis.ForwardedIoctls.Of(routine, cancellationToken) is not { } forwarded)
        {
            return null;
        }

        var sentAs = forwarded.Format.EndsWith("Write", StringComparison.Ordinal) ? "write" : "read";
        return Diagnostic.Create(
            Descriptors.InformationExceedsBuffer,
            invocation.Syntax.GetLocation(),
            new[] { forwarded.Location },
            "the lower driver's " + sentAs + " byte count",
            request.Name,
            forwarded.OutputLength,
            "an IOCTL sent down as a " + sentAs + " by " + forwarded.Format + ", line " +
                SourceLines.LineOf(forwarded.Location).ToString(CultureInfo.InvariantCulture),
            "WdfRequestComplete (keeping the lower driver's information)");
    }

    private static Diagnostic Report(
        IInvocationOperation invocation, CopySite site, IOperation pointer, bool isDestination, BufferFacts buffer, Term length)
    {
        var size = KnownSizesDomain.DescribeSize(buffer);
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[SideProperty] = isDestination ? SideDestination : SideSource;
        properties[OffsetProperty] = buffer.Offset.ToString(CultureInfo.InvariantCulture);
        if (buffer.Memory is { } memory && KnownSizesDomain.IsVariable(memory))
        {
            properties[FixProperty] = FixMemory;
            properties[MemoryProperty] = SizeLocations.Display(memory);
        }
        else if (size is { } s && (length.Constant is null || !s.IsConstant))
        {
            properties[FixProperty] = FixGuard;
            properties[SizeProperty] = s.Text;
        }

        var origin = buffer.Origin;
        var additional = origin is null ? null : new[] { origin.Location };
        return Diagnostic.Create(
            Descriptors.UnboundedCopy,
            invocation.Syntax.GetLocation(),
            additional,
            properties.ToImmutable(),
            site.Ddi,
            site.Length!.Syntax.ToString(),
            isDestination ? "into" : "out of",
            pointer.Syntax.ToString(),
            size?.Text ?? "a known number of",
            Describe(origin));
    }

    internal static string Describe(SizeOrigin? origin) =>
        origin is null ? "its known size" : origin.Ddi + ", line " + SourceLines.LineOf(origin.Location).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The information <paramref name="information"/> is at least the end of a copy the function makes into the request's
    /// buffer (a pointer sized by the same number as <paramref name="buffer"/>) that is not known to fit there (DRV020's
    /// judgement of the copy, <see cref="SizeFunctionResult.UnfittedCopies"/>): its offset plus its length, stored in the
    /// information (bluetooth/serialhcibus <c>BytesToReturn = HCI_CONTEXT_DATA_OFFSET + _PacketLength</c> before copying
    /// <c>_PacketLength</c> bytes after the header), or the length itself at offset 0. Such a number counts bytes of the
    /// buffer, so it is judged by the buffer's size like a buffer size is.
    /// </summary>
    private static bool CountsCopiedBytes(
        SizeDdis ddis, SizeFunctionResult function, SizeState state, BufferFacts buffer, TrackedLocation information,
        System.Threading.CancellationToken cancellationToken)
    {
        foreach (var (end, copied) in function.UnfittedCopies(ddis, cancellationToken))
        {
            if ((end.Equals(information) || state.FactsOf(end).Upper.Contains(Bound.Of(information))) &&
                copied.AtLeast.Any(size => !size.IsConstant && buffer.AtLeast.Contains(size)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The information <paramref name="information"/> is the unclamped side of a copy into the request's buffer that is
    /// clamped to that buffer: <c>RtlCopyMemory(buffer, source, bufLength &lt; needed ? bufLength : needed)</c> (either
    /// order, either comparison) completed with <c>needed</c> (usb/usbsamp's configuration descriptor returned to a buffer
    /// that holds only its header). The copy fits; the information, the number it was clamped from, still counts bytes of
    /// the data copied into the buffer, so it is judged by the buffer's size like a buffer size is. The copy is matched to
    /// the request's buffer with the sizes known at the copy (the completion may follow a switch where other cases
    /// retrieved nothing). Asked only of an information nothing else judges; only copies whose length is written as a
    /// conditional expression have their two sides bound (with the analyzer driver's model of the tree).
    /// </summary>
    private static bool IsClampedCopyOperand(
        SizeDdis ddis, SizeFunctionResult function, TrackedLocation request, TrackedLocation information,
        SemanticModel? model, System.Threading.CancellationToken cancellationToken)
    {
        if (model is null)
        {
            return false;
        }

        foreach (var (call, callState) in function.Calls ?? System.Array.Empty<(IInvocationOperation, SizeState)>())
        {
            // The flow graph lowers a conditional expression into branches: its two sides are read from the syntax.
            if (ddis.TryGetCopySite(call) is not { IsRtlCopy: true, Destination: { } destination, Length: { } lengthOperation } ||
                Unparenthesized(lengthOperation.Syntax) is not Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalExpressionSyntax conditional ||
                function.Sizes.PointerFacts(callState, destination) is not { Offset: 0 } copied ||
                (callState.BufferOf(SizeLocations.RequestBuffer(request, output: true)) ??
                 callState.BufferOf(SizeLocations.RequestBuffer(request, output: false))) is not { } buffer ||
                !copied.AtLeast.Any(size => !size.IsConstant && buffer.AtLeast.Contains(size)))
            {
                continue;
            }

            var first = function.Sizes.LocationOf(OperationUnwrap.Unwrap(model.GetOperation(conditional.WhenTrue, cancellationToken)));
            var second = function.Sizes.LocationOf(OperationUnwrap.Unwrap(model.GetOperation(conditional.WhenFalse, cancellationToken)));
            if ((first is { } a && second is { } b) &&
                ((a.Equals(information) && callState.IsBufferSize(b)) || (b.Equals(information) && callState.IsBufferSize(a))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The model the analyzer driver bound the block with (operations of a flow graph carry none).</summary>
    private static SemanticModel? BlockModel(OperationBlockAnalysisContext block) =>
        block.OperationBlocks.IsEmpty ? null : block.OperationBlocks[0].SemanticModel;

    private static SyntaxNode? Unparenthesized(SyntaxNode? node)
    {
        while (node is Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized.Expression;
        }

        return node;
    }

    private static Diagnostic? CheckInformation(
        SizeAndStatusAnalysis analysis, SizeFunctionResult function, SizeState state, IInvocationOperation invocation,
        SemanticModel? model, System.Threading.CancellationToken cancellationToken)
    {
        // WdfRequestCompleteWithInformation itself, or a helper that passes its parameters to it.
        var api = analysis.Ddis.Api;
        var domain = function.Sizes;
        var isDdi = analysis.Ddis.IsCompleteWithInformation(invocation.TargetMethod);
        var parameters = analysis.Helpers.Get(invocation.TargetMethod, function.Options, cancellationToken);
        if (parameters is null ||
            domain.LocationOf(SizeDdis.Argument(invocation, parameters.Request)) is not { } request || !KnownSizesDomain.IsVariable(request))
        {
            return null;
        }

        // A completion with a failure status copies nothing back; information then reports e.g. a required size.
        if (OperationUnwrap.Unwrap(SizeDdis.Argument(invocation, parameters.Status)) is IFieldReferenceOperation status &&
            status.Field.Name.StartsWith("STATUS_", System.StringComparison.Ordinal) && !api.IsConstant(status.Field, SizeDdis.StatusSuccess))
        {
            return null;
        }

        var buffer = state.BufferOf(SizeLocations.RequestBuffer(request, output: true)) ?? state.BufferOf(SizeLocations.RequestBuffer(request, output: false));
        var information = SizeDdis.Argument(invocation, parameters.Information);
        var length = domain.Evaluate(state, information);
        if (length.Constant is null &&
            StoredInformation.BeyondBuffer(analysis.Ddis, function, information, invocation, request, cancellationToken) is { } stored)
        {
            // A constant, or a copy's length, stored on one path: judged where it was stored.
            buffer = stored.Buffer;
        }
        else if (buffer is null || KnownSizesDomain.IsBounded(state, buffer, 0, length) != false ||
                 (length.Constant is null && (length.Key is not { } key ||
                     (!state.IsBufferSize(key) && !CountsCopiedBytes(analysis.Ddis, function, state, buffer, key, cancellationToken) &&
                      !IsClampedCopyOperand(analysis.Ddis, function, request, key, model, cancellationToken)))))
        {
            return null;
        }

        var origin = buffer.Origin;
        return Diagnostic.Create(
            Descriptors.InformationExceedsBuffer,
            invocation.Syntax.GetLocation(),
            origin is null ? null : new[] { origin.Location },
            information?.Syntax.ToString() ?? "?",
            SizeLocations.Display(request),
            KnownSizesDomain.DescribeSize(buffer)?.Text ?? "a known number of",
            Describe(origin),
            isDdi
                ? "WdfRequestCompleteWithInformation"
                : invocation.TargetMethod.Name + " (through WdfRequestCompleteWithInformation)");
    }
}
