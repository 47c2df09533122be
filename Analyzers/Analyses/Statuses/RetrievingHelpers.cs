using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Sizes;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Statuses;

/// <summary>A buffer a helper hands out through an <c>out</c> parameter: the parameter itself, or one of its members.</summary>
internal sealed class RetrievedOutput
{
    public RetrievedOutput(int parameter, ISymbol? member)
    {
        Parameter = parameter;
        Member = member;
    }

    /// <summary>The ordinal of the <c>out</c> parameter.</summary>
    public int Parameter { get; }

    /// <summary>The member of the parameter's structure that holds the buffer (<c>Packet.reportBuffer</c>); null for the parameter itself.</summary>
    public ISymbol? Member { get; }
}

/// <summary>
/// DRV022 through a helper: a method of the driver that returns an <c>NTSTATUS</c> and hands out, through an <c>out</c>
/// parameter (or a member of the structure it is: VHidMini2's <c>RequestGetHidXferPacket_ToWriteToDevice(Request, out
/// HID_XFER_PACKET Packet)</c> and <c>Packet.reportBuffer</c>), a buffer, memory object or MDL it retrieved from a request
/// (the <c>out</c> of a <c>WdfRequestRetrieve*</c>, or <c>WdfMemoryGetBuffer</c> of one). Every store into that output is
/// such a value or <c>NULL</c>, so on a failure the output is still <c>NULL</c>: a caller that uses it without testing
/// the helper's status has the retrieve's problem. The helper's call is then treated as a retrieve of those outputs.
/// One level: the helper's own retrieves, not its helpers'. Summaries live in the engine's
/// <see cref="SummaryCache{TSummary}"/> (method + depth), one per compilation.
/// </summary>
internal sealed class RetrievingHelpers
{
    private static readonly ImmutableArray<RetrievedOutput> None = ImmutableArray<RetrievedOutput>.Empty;

    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly SizeLocations _locations;
    private readonly SummaryCache<Summary> _cache;

    public RetrievingHelpers(AnalysisSession session, SizeDdis ddis, SizeLocations locations)
    {
        _session = session;
        _ddis = ddis;
        _locations = locations;
        _cache = new SummaryCache<Summary>(session.Telemetry);
    }

    /// <summary>The retrieved buffers a call of <paramref name="method"/> hands out; empty for anything but such a helper.</summary>
    public ImmutableArray<RetrievedOutput> Of(IMethodSymbol? method, EngineOptions options, CancellationToken cancellationToken)
    {
        if (!IsCandidate(method))
        {
            return None;
        }

        return _cache.Get(
            method!, options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), options.WorkBudget,
            (m, _, _, token) => Summarize(m, token), cancellationToken)?.Outputs ?? None;
    }

    /// <summary>A method of this compilation that returns an <c>NTSTATUS</c> and has an <c>out</c> parameter (nothing bound).</summary>
    private bool IsCandidate(IMethodSymbol? method)
    {
        if (method is null || method.MethodKind != MethodKind.Ordinary || MethodBodies.IsOverridable(method) ||
            method.DeclaringSyntaxReferences.Length != 1 || !SymbolEqualityComparer.Default.Equals(method.ReturnType, _ddis.Api.NtStatus) ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _session.Compilation.Assembly))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out)
            {
                return true;
            }
        }

        return false;
    }

    private Summary? Summarize(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_session.Bodies.GraphOf(method, cancellationToken) is not { } graph)
        {
            return null;
        }

        // The locals that hold what a retrieve handed out, and the stores into the out parameters' buffers.
        var retrieved = new HashSet<TrackedLocation>();
        var stores = new List<(RetrievedOutput Output, IOperation Value)>();
        foreach (var operation in HelperCopies.Operations(graph, branches: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            switch (operation)
            {
                case IInvocationOperation invocation when _ddis.Retrieve(invocation.TargetMethod, out _) != RetrieveKind.None:
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.RefKind == RefKind.Out && IsBufferType(argument.Value.Type) && _locations.Of(argument.Value) is { } output)
                        {
                            retrieved.Add(output);
                        }
                    }

                    break;
                case ISimpleAssignmentOperation assignment when IsBufferType(assignment.Target.Type):
                    if (OutputOf(method, assignment.Target) is { } handedOut)
                    {
                        stores.Add((handedOut, assignment.Value));
                    }
                    else if (_locations.Of(assignment.Target) is { IsVariable: true } local && RetrievedValue(assignment.Value, retrieved))
                    {
                        retrieved.Add(local);
                    }

                    break;
            }
        }

        var outputs = new Dictionary<(int, ISymbol?), RetrievedOutput>();
        var rejected = new HashSet<(int, ISymbol?)>();
        foreach (var (output, value) in stores)
        {
            var key = (output.Parameter, output.Member);
            if (IsNull(value))
            {
                continue;
            }

            if (RetrievedValue(value, retrieved))
            {
                outputs[key] = output;
            }
            else
            {
                rejected.Add(key);
            }
        }

        var result = ImmutableArray.CreateBuilder<RetrievedOutput>();
        foreach (var entry in outputs)
        {
            if (!rejected.Contains(entry.Key))
            {
                result.Add(entry.Value);
            }
        }

        return result.Count == 0 ? null : new Summary(result.ToImmutable());
    }

    /// <summary><c>Packet</c> or <c>Packet.member</c> of an <c>out</c> parameter of <paramref name="method"/>.</summary>
    private static RetrievedOutput? OutputOf(IMethodSymbol method, IOperation target)
    {
        target = OperationUnwrap.Unwrap(target)!;
        ISymbol? member = null;
        if (target is IFieldReferenceOperation { Instance: { } instance } field)
        {
            member = field.Field.OriginalDefinition;
            target = OperationUnwrap.Unwrap(instance)!;
        }

        return target is IParameterReferenceOperation { Parameter: { RefKind: RefKind.Out } parameter } &&
               SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
            ? new RetrievedOutput(parameter.Ordinal, member)
            : null;
    }

    /// <summary>A retrieved local, or <c>WdfMemoryGetBuffer</c> of one (the memory object a retrieve handed out).</summary>
    private bool RetrievedValue(IOperation value, HashSet<TrackedLocation> retrieved)
    {
        value = OperationUnwrap.Unwrap(value)!;
        if (value is IInvocationOperation call && _ddis.IsMemoryGetBuffer(call.TargetMethod))
        {
            value = OperationUnwrap.Unwrap(SizeDdis.Argument(call, 0))!;
        }

        return _locations.Of(value) is { } location && retrieved.Contains(location);
    }

    private bool IsNull(IOperation value) => StatusDomain.IsNull(_ddis.Api, value);

    private bool IsBufferType(ITypeSymbol? type) => StatusDomain.IsBufferType(_ddis.Api, type);

    /// <summary>A helper's retrieved outputs.</summary>
    private sealed class Summary
    {
        public Summary(ImmutableArray<RetrievedOutput> outputs) => Outputs = outputs;

        public ImmutableArray<RetrievedOutput> Outputs { get; }
    }
}
