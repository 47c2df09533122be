using System.Collections.Generic;
using DriverBuffers.Analyzers.Analyses.MemoryOwnership;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV040: a request formatted with memory from <c>WdfMemoryCreatePreallocated</c>, sent asynchronously (by
/// <c>WdfRequestSend</c>, or by a helper that may send the request it is given), whose buffer is then freed while the
/// request may still be pending: freed by the same method (or by a helper that frees its parameter), or a
/// <c>LOCAL_BUFFER</c> on the stack whose scope ends with the request still pending. Reported at the send; the free (or
/// the scope's end), the format and the creation are additional locations. An asynchronous send whose buffer the
/// driver keeps alive until completion (e.g. frees it in the completion routine) is correct and stays silent.
/// DRV041: <c>WdfMemoryAssignBuffer</c> on memory that, on every path, comes from a DDI whose memory owns its buffer.
/// Both follow WDFMEMORY locations (locals, parameters, field and context paths) through one function (lambdas and local
/// functions on their own), helpers through their summaries (<c>driverbuffers.helper_depth</c> levels), and say nothing
/// about memory whose origin is unknown on some path. An observer of the shared <see cref="MemoryOwnershipAnalysis"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MemoryOwnershipAnalyzer : DriverApiAnalyzer
{
    public MemoryOwnershipAnalyzer()
        : base(Descriptors.PreallocatedMemorySentAsynchronously, Descriptors.AssignBufferOnOwnedMemory)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = MemoryOwnershipAnalysis.For(session);
        SolvedBodies.RegisterMethodBodies(context, (body, method) =>
        {
            var wanted = MemoryOwnershipAnalysis.Screen.Passes(body.Operation.Syntax, session.Telemetry, body.CancellationToken);
            if (analysis.Analyze(body, method, wanted) is { } result)
            {
                Report(body, analysis, result);
            }
        });
    }

    private static void Report(OperationAnalysisContext context, MemoryOwnershipAnalysis analysis, SolvedBody<MemoryOwnershipDomain, OwnershipFact> result)
    {
        var catalog = analysis.Session.Catalog;
        var reported = new HashSet<IOperation>();
        var reportedSends = new HashSet<IOperation>();
        foreach (var function in result.Functions)
        {
            var domain = function.Domain;
            function.Replay(
                (operation, state, _) =>
                {
                    if (operation is not IInvocationOperation invocation || !reported.Add(invocation))
                    {
                        return;
                    }

                    if (catalog.Has(invocation.TargetMethod, DdiRole.FreesPool))
                    {
                        ReportFreeWhilePending(context, domain, invocation, IoModeSymbols.Argument(invocation, 0), state, reportedSends);
                    }
                    else if (!catalog.IsDdi(invocation.TargetMethod))
                    {
                        // A helper that frees what it is given counts as the free, at the call.
                        foreach (var ordinal in analysis.Effects.Get(invocation.TargetMethod, result.Options, context.CancellationToken).Frees.Keys)
                        {
                            ReportFreeWhilePending(context, domain, invocation, IoModeSymbols.Argument(invocation, ordinal), state, reportedSends);
                        }
                    }
                    else if (catalog.Has(invocation.TargetMethod, DdiRole.AssignsBuffer))
                    {
                        ReportAssignBuffer(context, domain, invocation, state);
                    }
                },
                context.CancellationToken);

            if (function.Solved.Converged && !function.Solved.StateAtExit.IsUnreached)
            {
                ReportStackBufferPendingAtExit(context, function.Solved.StateAtExit.Facts, reportedSends);
            }
        }
    }

    private static void ReportFreeWhilePending(
        OperationAnalysisContext context, MemoryOwnershipDomain domain, IInvocationOperation free, IArgumentOperation? freed,
        FactMap<OwnershipFact> state, HashSet<IOperation> reportedSends)
    {
        var buffer = domain.LocationOf(freed?.Value);
        if (buffer is null)
        {
            return;
        }

        foreach (var pair in state)
        {
            if (pair.Value is not PendingWithPreallocated { Sent: true } pending || !pending.Buffer.Equals(buffer) ||
                !reportedSends.Add(pending.Send))
            {
                continue;
            }

            Report(context, pending, free.Syntax, buffer.Name);
        }
    }

    /// <summary>
    /// A request that may still be pending where the function returns, over a <c>LOCAL_BUFFER</c> of the function: the
    /// buffer dies with its scope (the target would write into a dead stack frame); or over a device-lifetime buffer held
    /// in a member that another method of the driver frees.
    /// </summary>
    private static void ReportStackBufferPendingAtExit(
        OperationAnalysisContext context, FactMap<OwnershipFact> exit, HashSet<IOperation> reportedSends)
    {
        foreach (var pair in exit)
        {
            if (pair.Value is PendingWithPreallocated { Sent: true, Formatted.Memory.FreedElsewhere: { } free } deviceLifetime &&
                reportedSends.Add(deviceLifetime.Send))
            {
                // Device-lifetime memory: its buffer is freed by another method (the cleanup callback) while this send may be pending.
                Report(context, deviceLifetime, free.Syntax, deviceLifetime.Buffer.Name);
                continue;
            }

            if (pair.Value is not PendingWithPreallocated { Sent: true, Formatted.Memory.StackBuffer: { } stack } pending ||
                !reportedSends.Add(pending.Send))
            {
                continue;
            }

            // The storage dies where the LOCAL_BUFFER's scope ends: the closing brace of the block that declares it.
            var declaration = stack.DeclaringSyntaxReferences.Length > 0 ? stack.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) : null;
            SyntaxNode? scope = declaration;
            while (scope is not null and not BlockSyntax)
            {
                scope = scope.Parent;
            }

            var end = scope is BlockSyntax blockSyntax ? blockSyntax.CloseBraceToken.GetLocation() : pending.Send.Syntax.GetLocation();
            Report(context, pending, pending.Send.Syntax, stack.Name, end);
        }
    }

    /// <summary>Reported at the send; the free (or the scope's end), the format, the creation, and a helper's own send are additional locations.</summary>
    private static void Report(
        OperationAnalysisContext context, PendingWithPreallocated pending, SyntaxNode free, string bufferName, Location? freeLocation = null)
    {
        var formatted = pending.Formatted;
        var line = freeLocation is not null ? freeLocation.GetLineSpan().StartLinePosition.Line + 1 : SourceLines.LineOf(free);
        var additional = new List<Location>
        {
            freeLocation ?? free.GetLocation(), formatted.Format.Syntax.GetLocation(), formatted.Memory.Creation.Syntax.GetLocation(),
        };
        if (pending.Through is not null)
        {
            additional.Add(pending.Through.Syntax.GetLocation());
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.PreallocatedMemorySentAsynchronously,
            pending.Send.Syntax.GetLocation(),
            additional,
            pending.Request,
            SourceLines.LineOf(formatted.Format.Syntax),
            formatted.MemoryName,
            SourceLines.LineOf(formatted.Memory.Creation.Syntax),
            bufferName,
            line));
    }

    private static void ReportAssignBuffer(
        OperationAnalysisContext context, MemoryOwnershipDomain domain, IInvocationOperation assign, FactMap<OwnershipFact> state)
    {
        var memory = domain.LocationOf(IoModeSymbols.Argument(assign, 0)?.Value);
        if (MemoryOwnershipDomain.FactAt(state, memory) is not MemoryOrigin { Preallocated: false } origin)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AssignBufferOnOwnedMemory,
            assign.Syntax.GetLocation(),
            new[] { origin.Creation.Syntax.GetLocation() },
            memory!.Name,
            origin.Ddi,
            SourceLines.LineOf(origin.Creation.Syntax)));
    }
}
