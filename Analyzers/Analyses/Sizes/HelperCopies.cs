using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>A helper copies as many bytes as its parameter <see cref="Length"/> says into or out of its parameter <see cref="Pointer"/>.</summary>
internal sealed class HelperCopy
{
    public HelperCopy(int pointer, int length, bool intoPointer, string through)
    {
        Pointer = pointer;
        Length = length;
        IntoPointer = intoPointer;
        Through = through;
    }

    /// <summary>The ordinal of the <c>PVOID</c> parameter copied into or out of.</summary>
    public int Pointer { get; }

    /// <summary>The ordinal of the number parameter that is the copy's length.</summary>
    public int Length { get; }

    /// <summary>True when the helper writes the buffer, false when it reads it.</summary>
    public bool IntoPointer { get; }

    /// <summary>The copy inside the helper (<c>RtlCopyMemory</c>, <c>WdfMemoryCopyFromBuffer</c>), for messages.</summary>
    public string Through { get; }
}

/// <summary>
/// DRV020 through a helper: the copies a source method makes with its own parameters, as VHidMini2's
/// <c>RequestCopyFromBuffer(Request, SourceBuffer, NumBytesToCopyFrom)</c> reads <c>NumBytesToCopyFrom</c> bytes of
/// <c>SourceBuffer</c> with <c>WdfMemoryCopyFromBuffer</c>: a raw copy (<c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>) or the
/// raw side of a checked copy (the buffer <c>WdfMemoryCopyFromBuffer</c> reads, <c>WdfMemoryCopyToBuffer</c> writes) whose
/// pointer and length are parameters the helper never assigns, directly or through its own helpers up to
/// <c>driverbuffers.helper_depth</c> levels. A call is then judged as that copy, with the caller's arguments. Summaries live
/// in the engine's <see cref="SummaryCache{TSummary}"/> (method + depth), one per compilation.
/// </summary>
internal sealed class HelperCopies
{
    private static readonly ImmutableArray<HelperCopy> None = ImmutableArray<HelperCopy>.Empty;

    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly SummaryCache<Summary> _cache;

    public HelperCopies(AnalysisSession session, SizeDdis ddis)
    {
        _session = session;
        _ddis = ddis;
        _cache = new SummaryCache<Summary>(session.Telemetry);
    }

    /// <summary>The copies a call of <paramref name="method"/> makes through its parameters; empty for anything but such a helper.</summary>
    public ImmutableArray<HelperCopy> Of(IMethodSymbol? method, EngineOptions options, CancellationToken cancellationToken) =>
        Get(method, options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), options, cancellationToken);

    private ImmutableArray<HelperCopy> Get(
        IMethodSymbol? method, int depth, ImmutableHashSet<IMethodSymbol> visiting, EngineOptions options, CancellationToken cancellationToken)
    {
        if (!IsCandidate(method))
        {
            return None;
        }

        return _cache.Get(method!, depth, visiting, options.WorkBudget, (m, d, v, token) => Summarize(m, d, v, options, token), cancellationToken)?.Copies ?? None;
    }

    /// <summary>A method of this compilation with a <c>PVOID</c> and a number parameter (cheap checks, nothing bound).</summary>
    private bool IsCandidate(IMethodSymbol? method)
    {
        if (method is null || method.MethodKind != MethodKind.Ordinary || MethodBodies.IsOverridable(method) || method.DeclaringSyntaxReferences.Length != 1 ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _session.Compilation.Assembly))
        {
            return false;
        }

        bool pointer = false, number = false;
        foreach (var parameter in method.Parameters)
        {
            pointer |= IsPointer(parameter);
            number |= parameter.RefKind == RefKind.None && SizeLocations.IsNumber(parameter.Type);
        }

        return pointer && number;
    }

    private bool IsPointer(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(parameter.Type, _ddis.Api.Pvoid);

    private Summary? Summarize(IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, EngineOptions options, CancellationToken cancellationToken)
    {
        if (_session.Bodies.GraphOf(method, cancellationToken) is not { } graph)
        {
            return null;
        }

        var copies = ImmutableArray.CreateBuilder<HelperCopy>();
        var assigned = new HashSet<int>();
        foreach (var operation in Operations(graph))
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            var written = operation switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                ICompoundAssignmentOperation compound => compound.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (OperationUnwrap.Unwrap(written) is IParameterReferenceOperation parameter)
            {
                assigned.Add(parameter.Parameter.Ordinal);
            }
            else if (operation is IInvocationOperation invocation)
            {
                AddCopies(method, invocation, depth, visiting, options, copies, cancellationToken);
            }
        }

        copies.RemoveAll(c => assigned.Contains(c.Pointer) || assigned.Contains(c.Length));
        return copies.Count == 0 ? null : new Summary(copies.ToImmutable());
    }

    private void AddCopies(
        IMethodSymbol method, IInvocationOperation invocation, int depth, ImmutableHashSet<IMethodSymbol> visiting, EngineOptions options,
        ImmutableArray<HelperCopy>.Builder copies, CancellationToken cancellationToken)
    {
        var callee = invocation.TargetMethod;
        if (_ddis.TryGetCopySite(invocation) is { Length: { } length } site)
        {
            Add(method, site.Destination, length, intoPointer: true, site.Ddi, copies);
            Add(method, site.Source, length, intoPointer: false, site.Ddi, copies);
        }
        else if (_ddis.IsCheckedCopy(callee) && callee.Parameters.Length == 4)
        {
            // WdfMemoryCopyFromBuffer(memory, offset, buffer, length) reads the buffer; WdfMemoryCopyToBuffer writes it.
            Add(method, SizeDdis.Argument(invocation, 2), SizeDdis.Argument(invocation, 3),
                intoPointer: callee.Name == "WdfMemoryCopyToBuffer", callee.Name, copies);
        }
        else
        {
            foreach (var inner in Get(callee, depth - 1, visiting, options, cancellationToken))
            {
                Add(method, SizeDdis.Argument(invocation, inner.Pointer), SizeDdis.Argument(invocation, inner.Length), inner.IntoPointer, inner.Through, copies);
            }
        }
    }

    private void Add(
        IMethodSymbol method, IOperation? pointer, IOperation? length, bool intoPointer, string through, ImmutableArray<HelperCopy>.Builder copies)
    {
        if (ParameterOf(method, pointer) is { } p && IsPointer(p) && ParameterOf(method, length) is { } n && SizeLocations.IsNumber(n.Type))
        {
            copies.Add(new HelperCopy(p.Ordinal, n.Ordinal, intoPointer, through));
        }
    }

    /// <summary>A by-value parameter of <paramref name="method"/> itself (not of a lambda or local function in it).</summary>
    private static IParameterSymbol? ParameterOf(IMethodSymbol method, IOperation? operation) =>
        OperationUnwrap.Unwrap(operation) is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } &&
        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
            ? parameter
            : null;

    /// <summary>
    /// Every operation of the graph's blocks, and of their branch values when <paramref name="branches"/> (a summary's walk
    /// of a helper; its lambdas and local functions are not the helper's own operations).
    /// </summary>
    public static IEnumerable<IOperation> Operations(ControlFlowGraph graph, bool branches = true)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var root in block.Operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    yield return operation;
                }
            }

            if (branches && block.BranchValue is { } branch)
            {
                foreach (var operation in branch.DescendantsAndSelf())
                {
                    yield return operation;
                }
            }
        }
    }

    /// <summary>A helper's copies.</summary>
    private sealed class Summary
    {
        public Summary(ImmutableArray<HelperCopy> copies) => Copies = copies;

        public ImmutableArray<HelperCopy> Copies { get; }
    }
}
