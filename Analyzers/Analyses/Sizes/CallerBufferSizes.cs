using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A helper's <c>PVOID</c> parameter paired with the length parameter its callers size it with: in
/// <c>QueueProcessWriteBytes(context, WdfMemoryGetBuffer(memory, NULL), Length)</c> every caller passes a buffer known to
/// hold at least the bytes it passes as <c>Length</c>, so inside the helper <c>Characters</c> holds at least
/// <c>Length</c> bytes. Paired from the call sites, never by name: each caller's size analysis at the call. One level
/// (when <c>driverbuffers.helper_depth</c> is not 0): a caller's own parameters are not sized by its callers, so a chain
/// of helpers costs each helper one more solve of its caller. A helper whose
/// every call is not known (it is passed as a delegate, called from a lambda or another assembly, overridable) pairs
/// nothing. Asked only for a function that reads or writes one of its <c>PVOID</c> parameters through an accessor (the
/// sizes serve DRV024, and DRV020's accessors at a constant offset; a copy's length is not judged against them, see
/// <see cref="SizeOrigin.FromCallers"/>); summaries live
/// in the engine's <see cref="SummaryCache{TSummary}"/> (method + depth).
/// </summary>
internal sealed class CallerBufferSizes
{
    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly SizeLocations _locations;
    private readonly SummaryCache<Pairs> _cache;

    private readonly SummaryCache<CallerSystemBuffer> _irpCache;

    public CallerBufferSizes(AnalysisSession session, SizeDdis ddis, SizeLocations locations)
    {
        _session = session;
        _ddis = ddis;
        _locations = locations;
        _cache = new SummaryCache<Pairs>(session.Telemetry);
        _irpCache = new SummaryCache<CallerSystemBuffer>(session.Telemetry);
    }

    /// <summary>
    /// The IRP form of the pairing: the IRP parameter of <paramref name="method"/> whose system buffer the function reads
    /// (<c>Irp.AssociatedIrp.SystemBuffer</c>) when every caller passes its own IRP under a METHOD_BUFFERED IOCTL's
    /// <c>switch</c> case (<see cref="SystemBuffers.IsUnderBufferedIoctl"/>), with the bytes every caller checked that IRP's
    /// system buffer holds (the smallest, over the calls, of the largest stack-location length checked before the call).
    /// Same rules as the buffer pairs: one level, every call known, answered from the function's own graph (no caller
    /// looked at) when it reads no system buffer of a parameter; null otherwise.
    /// </summary>
    public CallerSystemBuffer? SystemBufferOf(IMethodSymbol? method, ControlFlowGraph graph, EngineOptions options, CancellationToken cancellationToken) =>
        options.HelperDepth > 0 && IsIrpCandidate(method) && ReadSystemBuffer(method!, graph, cancellationToken) is { } irp
            ? _irpCache.Get(method!, options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), options.WorkBudget,
                (m, _, _, token) => SummarizeSystemBuffer(m, irp, token), cancellationToken)
            : null;

    /// <summary>A method of this compilation whose calls can all be found, with an IRP parameter.</summary>
    private bool IsIrpCandidate(IMethodSymbol? method) =>
        method is not null && method.MethodKind == MethodKind.Ordinary && !MethodBodies.IsOverridable(method) &&
        method.DeclaringSyntaxReferences.Length == 1 && _ddis.Api.Irp is { } irpType &&
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _session.Compilation.Assembly) &&
        method.Parameters.Any(p => p.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(p.Type, irpType));

    /// <summary>The IRP parameter whose <c>AssociatedIrp.SystemBuffer</c> <paramref name="graph"/> reads (the first one); null when none.</summary>
    private IParameterSymbol? ReadSystemBuffer(IMethodSymbol method, ControlFlowGraph graph, CancellationToken cancellationToken)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var root in block.Operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    WorkMeter.Steps(1);
                    if (operation is IPropertyReferenceOperation && _locations.Of(operation) is { } location && _ddis.SystemBuffers.IsSystemBuffer(location) &&
                        location.Holder?.Holder is { IsMember: false, Symbol: IParameterSymbol parameter } &&
                        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) && parameter.RefKind == RefKind.None)
                    {
                        return parameter;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Every caller's METHOD_BUFFERED call and the system-buffer bytes it checked; null when one call is not so.</summary>
    private CallerSystemBuffer? SummarizeSystemBuffer(IMethodSymbol method, IParameterSymbol irp, CancellationToken cancellationToken)
    {
        if (CallsOf(method, cancellationToken) is not { Count: > 0 } calls)
        {
            return null;
        }

        ulong? atLeast = null;
        var allBuffered = VisitCalls(calls, (_, call, state) =>
        {
            if (!_ddis.SystemBuffers.IsUnderBufferedIoctl(call.Syntax, cancellationToken) ||
                _locations.Of(SizeDdis.Argument(call, irp.Ordinal)) is not { } passed ||
                _ddis.SystemBuffers.SystemBufferOf(passed) is not { } systemBuffer)
            {
                return false;
            }

            var checkedBytes = state.BufferOf(systemBuffer) is { } facts ? KnownSizesDomain.ConstantSize(state, facts) : 0;
            atLeast = atLeast is { } known ? System.Math.Min(known, checkedBytes) : checkedBytes;
            return true;
        }, cancellationToken);

        if (!allBuffered)
        {
            return null;
        }

        return atLeast is { } bytes ? new CallerSystemBuffer(irp, bytes) : null;
    }

    /// <summary>
    /// The buffer parameters of <paramref name="method"/> (whose graph is <paramref name="graph"/>) each paired with the
    /// length parameter every caller sizes it with. A method that reads or writes none of its <c>PVOID</c> parameters
    /// through an accessor is answered from its own graph, with no summary and no caller looked at.
    /// </summary>
    public ImmutableArray<(IParameterSymbol Buffer, IParameterSymbol Length)> Of(
        IMethodSymbol? method, ControlFlowGraph graph, EngineOptions options, CancellationToken cancellationToken) =>
        options.HelperDepth > 0 && IsCandidate(method) && AccessedBuffers(graph, cancellationToken) is { Count: > 0 } buffers &&
        MayMatter(method!, graph, buffers, cancellationToken) &&
        _cache.Get(method!, options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), options.WorkBudget,
            (m, _, _, token) => Summarize(m, buffers, token), cancellationToken) is { } pairs
            ? pairs.Ordinals.Select(p => (method!.Parameters[p.Buffer], method.Parameters[p.Length])).ToImmutableArray()
            : ImmutableArray<(IParameterSymbol, IParameterSymbol)>.Empty;

    /// <summary>
    /// Whether the callers' sizes could change what the rules say about <paramref name="method"/>: they only add sizes, and
    /// an accessor through a buffer sized by its callers is judged (DRV020 at a constant offset, DRV024 at an index) only
    /// when that size does not bound it. So the function is first solved on its own, once per number parameter
    /// <c>n</c>, as if every caller sized each accessed buffer with <c>n</c>: when every such accessor is at a constant
    /// offset that <c>n</c> bounds on its path, no pairing of buffers with lengths the callers could confirm leaves one
    /// unbounded (more sizes only bound more), and no caller is looked at, no tree bound. In a chain of helpers that
    /// test <c>length</c> before each read (<c>if (length &gt; 4) buffer.Read&lt;byte&gt;(4)</c>) this is every helper.
    /// </summary>
    private bool MayMatter(IMethodSymbol method, ControlFlowGraph graph, HashSet<int> buffers, CancellationToken cancellationToken)
    {
        var lengths = LengthParameters(method);
        if (lengths.Count > MaxHypotheses)
        {
            return true;
        }

        foreach (var length in lengths)
        {
            var domain = new KnownSizesDomain(_ddis, _locations, method, buffers.Select(b => (method.Parameters[b], length)).ToImmutableArray());
            var solved = ForwardDataflow.Solve(graph, domain, cancellationToken);
            _session.Telemetry.FunctionSolved();
            if (!solved.Converged)
            {
                return true;
            }

            var unbounded = false;
            domain.Replay(solved, o => !unbounded && o is IInvocationOperation, (operation, state) =>
            {
                if (_ddis.TryGetCopySite((IInvocationOperation)operation) is not { AccessorOffset: { } offset } site)
                {
                    return;
                }

                foreach (var pointer in new[] { site.Destination, site.Source })
                {
                    if (domain.PointerFacts(state, pointer) is { Origin.FromCallers: true } buffer &&
                        KnownSizesDomain.IsBounded(state, buffer, domain.Evaluate(state, offset).Constant, domain.LengthOf(state, site, cancellationToken)) != true)
                    {
                        unbounded = true;
                    }
                }
            }, cancellationToken);
            if (unbounded)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Past this many number parameters the callers are asked without first trying each as the size.</summary>
    private const int MaxHypotheses = 4;

    /// <summary>A method of this compilation whose calls can all be found, with a <c>PVOID</c> and a number parameter (nothing bound).</summary>
    private bool IsCandidate(IMethodSymbol? method) =>
        method is not null && method.MethodKind == MethodKind.Ordinary && !MethodBodies.IsOverridable(method) &&
        method.DeclaringSyntaxReferences.Length == 1 && method.Parameters.Length >= 2 &&
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _session.Compilation.Assembly) &&
        !KnownSizesDomain.IsQueueCallback(_ddis.Api, method) &&
        method.Parameters.Any(IsBuffer) && method.Parameters.Any(p => SizeLocations.IsNumber(p.Type));

    /// <summary>The number parameters passed by value: what a caller may size a buffer parameter with.</summary>
    private static List<IParameterSymbol> LengthParameters(IMethodSymbol method) =>
        method.Parameters.Where(p => p.RefKind == RefKind.None && SizeLocations.IsNumber(p.Type)).ToList();

    private bool IsBuffer(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(parameter.Type, _ddis.Api.Pvoid);

    /// <summary>The (buffer, length) pairs every caller confirms, of the accessed <paramref name="buffers"/> (ordinals) of <paramref name="method"/>.</summary>
    private Pairs? Summarize(IMethodSymbol method, HashSet<int> buffers, CancellationToken cancellationToken)
    {
        var lengths = LengthParameters(method);
        var candidates = buffers.SelectMany(b => lengths.Select(n => (Buffer: b, Length: n.Ordinal))).ToList();
        // One call that cannot size a buffer settles it without binding every tree that names the helper.
        var unconfirmable = UnconfirmableBuffers(method, buffers, cancellationToken);
        candidates.RemoveAll(c => unconfirmable.Contains(c.Buffer));
        if (candidates.Count == 0 || CallsOf(method, cancellationToken) is not { Count: > 0 } calls)
        {
            return null;
        }

        var confirmed = VisitCalls(calls, (domain, call, state) =>
        {
            candidates.RemoveAll(c => domain.Evaluate(state, SizeDdis.Argument(call, c.Length)) is not { Constant: not 0 } length ||
                                      KnownSizesDomain.IsBounded(state, domain.PointerFacts(state, SizeDdis.Argument(call, c.Buffer)), 0, length) != true);
            return candidates.Count > 0;
        }, cancellationToken);
        if (!confirmed)
        {
            return null;
        }

        return new Pairs(candidates.ToImmutableArray());
    }

    /// <summary>
    /// Each caller of a helper solved as it is, without sizes from its own callers (one level, so a chain of helpers costs
    /// each helper one more solve of its caller, not one per depth), and <paramref name="visit"/> asked at each of its calls
    /// of the helper with the state just before it, until it answers false. False when it did, or when a caller has no
    /// graph or its solve does not converge: then the callers confirm nothing.
    /// </summary>
    private bool VisitCalls(
        List<(IMethodSymbol Caller, SyntaxNode Call)> calls, Func<KnownSizesDomain, IInvocationOperation, SizeState, bool> visit,
        CancellationToken cancellationToken)
    {
        foreach (var caller in calls.GroupBy(c => c.Caller, SymbolEqualityComparer.Default))
        {
            var callerMethod = (IMethodSymbol)caller.Key!;
            if (_session.Bodies.GraphOf(callerMethod, cancellationToken) is not { } callerGraph)
            {
                return false;
            }

            var sites = caller.Select(c => c.Call).ToImmutableHashSet();
            var domain = new KnownSizesDomain(_ddis, _locations, callerMethod);
            var solved = ForwardDataflow.Solve(callerGraph, domain, cancellationToken);
            _session.Telemetry.FunctionSolved();
            if (!solved.Converged)
            {
                return false;
            }

            var going = true;
            domain.Replay(solved, o => o is IInvocationOperation && sites.Contains(o.Syntax), (operation, state) =>
            {
                if (going)
                {
                    going = visit(domain, (IInvocationOperation)operation, state);
                }
            }, cancellationToken);
            if (!going)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The buffer ordinals of <paramref name="method"/> that some call in its own tree passes a parameter of the calling
    /// method that this never assigns (<c>Step2(request, buffer, length)</c> inside <c>Step1(…, PVOID buffer, …)</c>): a
    /// caller's own parameters are not sized (one level), so no such call can confirm a size for that buffer. Found from
    /// the tree's name index and the call's syntax; only a call that passes such a parameter is bound, and one binding call
    /// settles the buffer. Helper chains, whose helpers pass their buffer on, ask no other tree.
    /// </summary>
    private HashSet<int> UnconfirmableBuffers(IMethodSymbol method, HashSet<int> buffers, CancellationToken cancellationToken)
    {
        var unconfirmable = new HashSet<int>();
        var tree = method.DeclaringSyntaxReferences[0].SyntaxTree;
        SemanticModel? model = null;
        foreach (var name in NameMentions.Names(tree, _session.Index(tree, cancellationToken), method.Name, cancellationToken))
        {
            if (NameMentions.CallOf(name) is { } call &&
                buffers.Where(b => !unconfirmable.Contains(b) && PassesOwnParameter(call, b)).ToList() is { Count: > 0 } passed)
            {
                model ??= _session.Compilation.GetSemanticModel(tree);
                _session.Telemetry.NamedNodeBound();
                if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(call, cancellationToken).Symbol?.OriginalDefinition, method))
                {
                    unconfirmable.UnionWith(passed);
                    if (unconfirmable.Count == buffers.Count)
                    {
                        break;
                    }
                }
            }
        }

        return unconfirmable;
    }

    /// <summary>
    /// The call's positional argument <paramref name="ordinal"/> is a parameter of the method whose own body makes the call
    /// (not a lambda's or local function's), passed by value, which that method never assigns nor passes by reference.
    /// </summary>
    private static bool PassesOwnParameter(InvocationExpressionSyntax call, int ordinal)
    {
        var arguments = call.ArgumentList.Arguments;
        if (arguments.Count <= ordinal || arguments.Any(a => a.NameColon is not null) ||
            arguments[ordinal] is not { RefKindKeyword.RawKind: 0, Expression: IdentifierNameSyntax { Identifier.ValueText: var name } })
        {
            return false;
        }

        var function = call.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
        if (function is not BaseMethodDeclarationSyntax { ParameterList.Parameters: var parameters } declaration ||
            !parameters.Any(p => p.Identifier.ValueText == name && p.Modifiers.Count == 0))
        {
            return false;
        }

        foreach (var node in declaration.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } when left.Identifier.ValueText == name:
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } when passed.Identifier.ValueText == name:
                case PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax incremented } when incremented.Identifier.ValueText == name:
                case PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax decremented } when decremented.Identifier.ValueText == name:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The ordinals of the <c>PVOID</c> parameters an accessor of <paramref name="graph"/> (<c>Read</c>, <c>Write</c>, <c>CopyFrom</c>, <c>CopyTo</c> at an offset) goes through.</summary>
    private HashSet<int> AccessedBuffers(ControlFlowGraph graph, CancellationToken cancellationToken)
    {
        var buffers = new HashSet<int>();
        foreach (var block in graph.Blocks)
        {
            foreach (var root in block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue))
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    WorkMeter.Steps(1);
                    if (operation is IInvocationOperation invocation && _ddis.TryGetCopySite(invocation) is { AccessorOffset: not null } site)
                    {
                        foreach (var pointer in new[] { site.Destination, site.Source })
                        {
                            if (OperationUnwrap.Unwrap(pointer) is IParameterReferenceOperation { Parameter: var parameter } && IsBuffer(parameter) &&
                                parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary })
                            {
                                buffers.Add(parameter.Ordinal);
                            }
                        }
                    }
                }
            }
        }

        return buffers;
    }

    /// <summary>
    /// Every call of <paramref name="method"/> in the compilation with the method it is in, from the trees whose name index
    /// mentions the method's name; null when one mention is not a call from a method's or constructor's own body (a
    /// delegate, a lambda, a local function): then not every caller is known.
    /// </summary>
    private List<(IMethodSymbol Caller, SyntaxNode Call)>? CallsOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var calls = new List<(IMethodSymbol, SyntaxNode)>();
        foreach (var (model, name) in MethodMentions.For(_session).Of(method, cancellationToken))
        {
            if (NameMentions.CallOf(name) is not { } call ||
                model.GetEnclosingSymbol(call.SpanStart, cancellationToken) is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } caller)
            {
                return null;
            }

            calls.Add((caller, call));
        }

        return calls;
    }

    /// <summary>A summary: (buffer, length) parameter ordinals.</summary>
    private sealed class Pairs
    {
        public Pairs(ImmutableArray<(int Buffer, int Length)> ordinals) => Ordinals = ordinals;

        public ImmutableArray<(int Buffer, int Length)> Ordinals { get; }
    }
}
