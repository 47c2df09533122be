using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// DRV020: a raw copy (<c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>, a <c>PVOID</c> accessor) into or out of a
/// buffer of known size whose length is not bounded by that size on every path.
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
        var helpers = new CompletionHelpers(api, context.Compilation);
        context.RegisterOperationBlockAction(block => MethodGraphs.Analyze(
            block,
            method => CopyDdis.IsSizeRelevant(api, method) || helpers.Get(method, block.CancellationToken) is not null,
            (graph, function) => AnalyzeGraph(block, api, helpers, graph, function)));
    }

    private static void AnalyzeGraph(
        OperationBlockAnalysisContext context, DriverApi api, CompletionHelpers helpers, ControlFlowGraph graph, IMethodSymbol? function)
    {
        var domain = new KnownSizesDomain(api, function);
        var result = ForwardDataflow.Solve(graph, domain, context.CancellationToken);
        if (!result.Converged)
        {
            return;
        }

        var reported = new HashSet<Location>();
        StepwiseDataflow.ReplayOperations(result, domain, (operation, state) =>
        {
            if (operation is IInvocationOperation invocation &&
                (CheckCopy(api, domain, state, invocation) ??
                 CheckInformation(api, helpers, domain, state, invocation, context.CancellationToken)) is { } diagnostic &&
                reported.Add(diagnostic.Location))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }, context.CancellationToken);
    }

    private static Diagnostic? CheckCopy(DriverApi api, KnownSizesDomain domain, SizeState state, IInvocationOperation invocation)
    {
        if (CopyDdis.TryGetCopySite(api, invocation) is not { } site)
        {
            return null;
        }

        var length = LengthOf(domain, state, site);
        ulong? accessorOffset = site.AccessorOffset is null ? 0 : domain.Evaluate(state, site.AccessorOffset).Constant;
        foreach (var (pointer, isDestination) in new[] { (site.Destination, true), (site.Source, false) })
        {
            if (pointer is null)
            {
                continue;
            }

            var buffer = domain.PointerFacts(state, pointer);
            if (KnownSizesDomain.IsBounded(state, buffer, accessorOffset, length) != false || buffer is null)
            {
                continue;
            }

            return Report(state, invocation, site, pointer, isDestination, buffer, accessorOffset ?? 0, length);
        }

        return null;
    }

    private static Term LengthOf(KnownSizesDomain domain, SizeState state, CopySite site)
    {
        if (site.Length is not null)
        {
            return domain.Evaluate(state, site.Length);
        }

        if (site.ElementType is not null)
        {
            return domain.SizeOf(state, site.ElementType);
        }

        switch (OperationUnwrap.Unwrap(site.Span))
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                return domain.Evaluate(state, array.DimensionSizes[0]);
            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" or "AsMemory" } slice when slice.Arguments.Length >= 2:
                return domain.Evaluate(state, slice.Arguments[slice.Arguments.Length - 1].Value);
            case { } span when ValueKey.ForReference(span) is { Kind: ValueKeyKind.Symbol, Symbol: { } holder }:
                return KnownSizesDomain.KeyTerm(state, ValueKey.LengthOf(holder));
            default:
                return Term.Unknown;
        }
    }

    private static Diagnostic Report(
        SizeState state, IInvocationOperation invocation, CopySite site, IOperation pointer, bool isDestination,
        BufferFacts buffer, ulong accessorOffset, Term length)
    {
        var size = KnownSizesDomain.DescribeSize(buffer);
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[SideProperty] = isDestination ? SideDestination : SideSource;
        var offset = buffer.Offset + accessorOffset;
        properties[OffsetProperty] = offset.ToString(CultureInfo.InvariantCulture);
        if (site.IsRtlCopy && buffer.Memory is { Kind: ValueKeyKind.Symbol } memory)
        {
            properties[FixProperty] = FixMemory;
            properties[MemoryProperty] = memory.Display;
        }
        else if (size is { } s && (length.Constant is null || !s.IsConstant))
        {
            properties[FixProperty] = FixGuard;
            properties[SizeProperty] = s.Text;
        }

        var lengthText = site.Length?.Syntax.ToString()
            ?? (site.ElementType is { } type ? "sizeof(" + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ")" : null)
            ?? site.Span?.Syntax.ToString() + ".Length";
        var origin = buffer.Origin;
        var additional = origin is null ? null : new[] { origin.Location };
        return Diagnostic.Create(
            Descriptors.UnboundedCopy,
            invocation.Syntax.GetLocation(),
            additional,
            properties.ToImmutable(),
            site.Ddi,
            lengthText,
            isDestination ? "into" : "out of",
            pointer.Syntax.ToString(),
            size?.Text ?? "a known number of",
            Describe(origin));
    }

    private static string Describe(SizeOrigin? origin) =>
        origin is null ? "its known size" : origin.Ddi + ", line " + SourceLines.LineOf(origin.Location).ToString(CultureInfo.InvariantCulture);

    private static Diagnostic? CheckInformation(
        DriverApi api, CompletionHelpers helpers, KnownSizesDomain domain, SizeState state, IInvocationOperation invocation,
        System.Threading.CancellationToken cancellationToken)
    {
        // WdfRequestCompleteWithInformation itself, or a helper that passes its parameters to it.
        var parameters = api.IsWdf(invocation.TargetMethod, "WdfRequestCompleteWithInformation")
            ? new CompletionHelpers.Parameters(0, 1, 2)
            : helpers.Get(invocation.TargetMethod, cancellationToken);
        if (parameters is null ||
            ValueKey.ForReference(CopyDdis.Argument(invocation, parameters.Request)) is not { Kind: ValueKeyKind.Symbol, Symbol: { } request })
        {
            return null;
        }

        // A completion with a failure status copies nothing back; information then reports e.g. a required size.
        if (OperationUnwrap.Unwrap(CopyDdis.Argument(invocation, parameters.Status)) is IFieldReferenceOperation status &&
            status.Field.Name.StartsWith("STATUS_", System.StringComparison.Ordinal) && !api.IsConstant(status.Field, CopyDdis.StatusSuccess))
        {
            return null;
        }

        var buffer = state.BufferOf(ValueKey.RequestBuffer(request, output: true)) ?? state.BufferOf(ValueKey.RequestBuffer(request, output: false));
        var information = CopyDdis.Argument(invocation, parameters.Information);
        var length = domain.Evaluate(state, information);
        if (buffer is null || KnownSizesDomain.IsBounded(state, buffer, 0, length) != false ||
            (length.Constant is null && (length.Key is not { } key || !state.IsBufferSize(key))))
        {
            return null;
        }

        var origin = buffer.Origin;
        return Diagnostic.Create(
            Descriptors.InformationExceedsBuffer,
            invocation.Syntax.GetLocation(),
            origin is null ? null : new[] { origin.Location },
            information?.Syntax.ToString() ?? "?",
            request.Name,
            KnownSizesDomain.DescribeSize(buffer)?.Text ?? "a known number of",
            Describe(origin),
            api.IsWdf(invocation.TargetMethod, "WdfRequestCompleteWithInformation")
                ? "WdfRequestCompleteWithInformation"
                : invocation.TargetMethod.Name + " (through WdfRequestCompleteWithInformation)");
    }
}
