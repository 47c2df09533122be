using System;
using System.Collections.Concurrent;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>How an IOCTL was sent down as a read or a write: the format DDI, where, and the callback's output length.</summary>
internal sealed class ForwardedIoctl
{
    public ForwardedIoctl(string format, Location location, string outputLength)
    {
        Format = format;
        Location = location;
        OutputLength = outputLength;
    }

    /// <summary><c>WdfIoTargetFormatRequestForWrite</c> or <c>…ForRead</c>.</summary>
    public string Format { get; }

    /// <summary>The format call.</summary>
    public Location Location { get; }

    /// <summary>The name of the IOCTL callback's output length parameter.</summary>
    public string OutputLength { get; }
}

/// <summary>
/// DRV023's completion routines of IOCTLs sent down as reads or writes (the PreallocatedConfigBlock shape): an
/// <c>EvtIoDeviceControl</c>-style callback formats its own request with <c>WdfIoTargetFormatRequestForWrite</c> (or
/// <c>…ForRead</c>), sets a completion routine for it and sends it. The lower driver's information is then a write's (or
/// read's) byte count, not data for the IOCTL's output buffer; a routine that completes the request with
/// <c>WdfRequestComplete</c> keeps it as the IOCTL's information. A routine is such a routine when every mention of it in
/// the compilation (found through the project's name index) is its registration by
/// <c>WdfRequestSetCompletionRoutine(Request, Routine, …)</c> in such a callback for the callback's own request. One level;
/// computed once per routine and compilation.
/// </summary>
internal sealed class ForwardedIoctls
{
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<IMethodSymbol, ForwardedIoctl?> _routines = new(SymbolEqualityComparer.Default);

    public ForwardedIoctls(AnalysisSession session) => _session = session;

    /// <summary>How the request <paramref name="routine"/> completes was sent down, when it is an IOCTL sent as a read or write; else null.</summary>
    public ForwardedIoctl? Of(IMethodSymbol routine, CancellationToken cancellationToken)
    {
        if (routine.MethodKind != MethodKind.Ordinary || routine.Parameters.Length != 4 ||
            !SymbolEqualityComparer.Default.Equals(routine.Parameters[0].Type, _session.Api.WdfRequest) ||
            !SymbolEqualityComparer.Default.Equals(routine.ContainingAssembly, _session.Compilation.Assembly))
        {
            return null;
        }

        routine = routine.OriginalDefinition;
        if (_routines.TryGetValue(routine, out var known))
        {
            return known;
        }

        var forwarded = Compute(routine, cancellationToken);
        return _routines.GetOrAdd(routine, forwarded);
    }

    private ForwardedIoctl? Compute(IMethodSymbol routine, CancellationToken cancellationToken)
    {
        ForwardedIoctl? found = null;
        foreach (var (model, name) in MethodMentions.For(_session).Of(routine, cancellationToken))
        {
            if (Registration(model, name, cancellationToken) is not { } forwarded)
            {
                return null;
            }

            found ??= forwarded;
        }

        return found;
    }

    /// <summary>The format of the IOCTL whose registration of the routine <paramref name="name"/> is; null when it is anything else.</summary>
    private ForwardedIoctl? Registration(SemanticModel model, SimpleNameSyntax name, CancellationToken cancellationToken)
    {
        if (MethodMentions.Expression(name).Parent is not ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } ||
            OperationUnwrap.Unwrap(model.GetOperation(call, cancellationToken)) is not IInvocationOperation registration ||
            !_session.Catalog.Has(registration.TargetMethod, DdiRole.SetsCompletionRoutine) ||
            OperationUnwrap.Unwrap(SizeDdis.Argument(registration, 0)) is not IParameterReferenceOperation { Parameter: var request } ||
            request.ContainingSymbol is not IMethodSymbol callback || !KnownSizesDomain.IsQueueCallback(_session.Api, callback) ||
            callback.Parameters.Length != 5 || !SymbolEqualityComparer.Default.Equals(callback.Parameters[1], request) ||
            call.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is not { } declaration)
        {
            return null;
        }

        foreach (var invocation in declaration.DescendantNodes())
        {
            if (invocation is InvocationExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax } formatCall &&
                IsReadOrWriteFormat(formatCall.Expression) &&
                OperationUnwrap.Unwrap(model.GetOperation(formatCall, cancellationToken)) is IInvocationOperation format &&
                _session.Catalog.Has(format.TargetMethod, DdiRole.FormatsRequest) &&
                OperationUnwrap.Unwrap(SizeDdis.Argument(format, 1)) is IParameterReferenceOperation formatted &&
                SymbolEqualityComparer.Default.Equals(formatted.Parameter, request))
            {
                return new ForwardedIoctl(format.TargetMethod.Name, formatCall.GetLocation(), callback.Parameters[2].Name);
            }
        }

        return null;
    }

    /// <summary>The call names <c>WdfIoTargetFormatRequestForRead</c> or <c>…ForWrite</c> (a pre-filter; the symbol is confirmed).</summary>
    private static bool IsReadOrWriteFormat(ExpressionSyntax expression)
    {
        var text = expression is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText : ((IdentifierNameSyntax)expression).Identifier.ValueText;
        return text.EndsWith("FormatRequestForRead", StringComparison.Ordinal) || text.EndsWith("FormatRequestForWrite", StringComparison.Ordinal);
    }
}
