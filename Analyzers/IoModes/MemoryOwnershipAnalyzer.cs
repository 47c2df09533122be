using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV040: a request formatted with memory from <c>WdfMemoryCreatePreallocated</c>, sent asynchronously, whose
/// buffer the same method then frees while the request may still be pending (reported at the send; the free,
/// the format and the creation are additional locations; a call of a helper that frees its parameter counts as the free). An asynchronous send whose buffer the driver keeps
/// alive until completion (e.g. frees it in the completion routine) is correct and stays silent.
/// DRV041: <c>WdfMemoryAssignBuffer</c> on memory that, on every path, comes from a DDI whose memory owns its
/// buffer. Both follow WDFMEMORY locals through one method (lambdas and local functions on their own) and say
/// nothing about memory whose origin is unknown on some path.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MemoryOwnershipAnalyzer : DriverApiAnalyzer
{
    public MemoryOwnershipAnalyzer()
        : base(Descriptors.PreallocatedMemorySentAsynchronously, Descriptors.AssignBufferOnOwnedMemory)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        IoModeAnalysis.RegisterMethodBodies(context, api, _ => true, AnalyzeBody);

    private static void AnalyzeBody(OperationAnalysisContext context, IoModeSymbols symbols)
    {
        var api = symbols.Api;
        if (!CallsAny(context.Operation, api))
        {
            return;
        }

        var reported = new HashSet<IOperation>();
        var reportedSends = new HashSet<IOperation>();
        foreach (var (graph, function) in FunctionGraphs.All(context.GetControlFlowGraph(), context.ContainingSymbol as IMethodSymbol, context.CancellationToken))
        {
            var domain = new MemoryOwnershipDomain(graph, symbols);
            domain.Replay(
                (operation, state, _) =>
                {
                    if (operation is not IInvocationOperation invocation || !reported.Add(invocation))
                    {
                        return;
                    }

                    if (api.IsWdm(invocation.TargetMethod, "ExFreePoolWithTag") ||
                        api.IsWdm(invocation.TargetMethod, "ExFreePool"))
                    {
                        ReportFreeWhilePending(context, invocation, IoModeSymbols.Argument(invocation, 0), state, reportedSends);
                    }
                    else if (!api.IsDdi(invocation.TargetMethod))
                    {
                        // A helper that frees what it is given counts as the free, at the call.
                        foreach (var ordinal in symbols.Helpers.Get(invocation.TargetMethod, context.CancellationToken).Frees.Keys)
                        {
                            ReportFreeWhilePending(context, invocation, IoModeSymbols.Argument(invocation, ordinal), state, reportedSends);
                        }
                    }
                    else if (api.IsWdf(invocation.TargetMethod, MemoryOwnershipDomain.WdfMemoryAssignBuffer))
                    {
                        ReportAssignBuffer(context, invocation, state);
                    }
                },
                context.CancellationToken);
        }
    }

    /// <summary>Cheap pre-filter: the body (with its lambdas) creates preallocated memory or assigns a buffer.</summary>
    private static bool CallsAny(IOperation body, DriverApi api)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation invocation &&
                (api.IsWdf(invocation.TargetMethod, MemoryOwnershipDomain.WdfMemoryCreatePreallocated) ||
                 api.IsWdf(invocation.TargetMethod, MemoryOwnershipDomain.WdfMemoryAssignBuffer)))
            {
                return true;
            }
        }

        return false;
    }

    private static void ReportFreeWhilePending(
        OperationAnalysisContext context, IInvocationOperation free, IArgumentOperation? freed, FactMap<OwnershipFact> state,
        HashSet<IOperation> reportedSends)
    {
        var buffer = IoModeSymbols.VariableOf(freed?.Value);
        if (buffer is null)
        {
            return;
        }

        foreach (var pair in state.Facts)
        {
            if (pair.Value is not PendingWithPreallocated { Sent: true } pending ||
                !SymbolEqualityComparer.Default.Equals(pending.Buffer, buffer) ||
                !reportedSends.Add(pending.Send))
            {
                continue;
            }

            var formatted = pending.Formatted;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.PreallocatedMemorySentAsynchronously,
                pending.Send.Syntax.GetLocation(),
                new[]
                {
                    free.Syntax.GetLocation(), formatted.Format.Syntax.GetLocation(),
                    formatted.Memory.Creation.Syntax.GetLocation(),
                },
                pending.Request.Name,
                SourceLines.LineOf(formatted.Format.Syntax),
                formatted.MemoryName,
                SourceLines.LineOf(formatted.Memory.Creation.Syntax),
                buffer.Name,
                SourceLines.LineOf(free.Syntax)));
        }
    }

    private static void ReportAssignBuffer(
        OperationAnalysisContext context, IInvocationOperation assign, FactMap<OwnershipFact> state)
    {
        var memory = IoModeSymbols.VariableOf(IoModeSymbols.Argument(assign, 0)?.Value);
        if (memory is null || state.Get(memory) is not MemoryOrigin { Preallocated: false } origin)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AssignBufferOnOwnedMemory,
            assign.Syntax.GetLocation(),
            new[] { origin.Creation.Syntax.GetLocation() },
            memory.Name,
            origin.Ddi,
            SourceLines.LineOf(origin.Creation.Syntax)));
    }
}
