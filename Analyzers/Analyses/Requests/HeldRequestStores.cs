using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What the stores of the compilation leave in a field or property that holds a driver-created request, for the call that
/// loads it next: a request sent and not reused since (a send failed and the request was put back as it was: the next call
/// must reuse it before it formats or sends it again, DRV011), or a request whose completion routine a reuse cleared (the
/// completion routine reused it before putting it back: the next send needs <c>WdfRequestSetCompletionRoutine</c> first,
/// DRV012). Each storing method is replayed once (<see cref="RequestOwnershipDomain.JudgesStores"/>: its loads start
/// fresh and no helper is followed, so the question never asks itself) under its own work budget; the answers are kept per
/// member and per method for the compilation. The stores are the member's assignments among its writes in the compilation
/// (<see cref="MemberStores"/>).
/// </summary>
internal sealed class HeldRequestStores
{
    private readonly RequestAnalysisContext _context;
    private readonly ConcurrentDictionary<ISymbol, StoredRequests> _members = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableDictionary<ISymbol, StoredRequests>> _methods = new(SymbolEqualityComparer.Default);

    public HeldRequestStores(RequestAnalysisContext context) => _context = context;

    /// <summary>What the stores into <paramref name="member"/> (any instance of it) may leave there.</summary>
    public StoredRequests Of(ISymbol member, EngineOptions options, CancellationToken cancellationToken)
    {
        member = member.OriginalDefinition;
        if (_members.TryGetValue(member, out var known))
        {
            return known;
        }

        return _members.GetOrAdd(member, Compute(member, options, cancellationToken));
    }

    private StoredRequests Compute(ISymbol member, EngineOptions options, CancellationToken cancellationToken)
    {
        var result = StoredRequests.Clean;
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var store in MemberStores.Of(_context.Session, member, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.Site is not AssignmentExpressionSyntax ||
                TreeRequestFacts.EnclosingMember(store.Site) is not BaseMethodDeclarationSyntax declaration ||
                store.Model.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol method ||
                !seen.Add(method.OriginalDefinition))
            {
                continue;
            }

            if (StoresOf(method.OriginalDefinition, options, cancellationToken).TryGetValue(member, out var stored))
            {
                result = result.Join(stored);
            }
        }

        return result;
    }

    /// <summary>What <paramref name="method"/> stores in each member, from one replay of its body (cached).</summary>
    private ImmutableDictionary<ISymbol, StoredRequests> StoresOf(IMethodSymbol method, EngineOptions options, CancellationToken cancellationToken)
    {
        if (_methods.TryGetValue(method, out var known))
        {
            return known;
        }

        var stores = ImmutableDictionary<ISymbol, StoredRequests>.Empty.WithComparers(SymbolEqualityComparer.Default);
        if (_context.Session.Bodies.GraphOf(method, cancellationToken) is { } graph)
        {
            var telemetry = _context.Session.Telemetry;
            BodyRunner.TryRunWithinBudget(telemetry, options.WorkBudget, () => stores = Replay(graph, method, options, cancellationToken));
        }

        return _methods.GetOrAdd(method, stores);
    }

    private ImmutableDictionary<ISymbol, StoredRequests> Replay(
        Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph graph, IMethodSymbol method, EngineOptions options, CancellationToken cancellationToken)
    {
        // A completion routine of driver-created requests starts with its request sent, as in RequestOwnership.
        var routine = CompletionRoutine.Registered(_context, method, cancellationToken);
        var entry = RequestOwnership.WithRoutine(RequestState.Empty, routine);
        var domain = new RequestOwnershipDomain(
            _context, graph, method, method, options, helperDepth: 0,
            ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, method), entry, routine, cancellationToken,
            RequestAnalysisPurpose.StoresReplay);
        var solved = ForwardDataflow.Solve(graph, domain, cancellationToken);
        _context.Session.Telemetry.FunctionSolved();
        var recorder = new Recorder(domain, method);
        if (solved.Converged)
        {
            solved.ReplaySteps((operation, state) => domain.Process(state, operation, recorder), cancellationToken);
        }

        return recorder.Stores;
    }

    /// <summary>Records, at each store of a driver-created request in a member, what the request carries there.</summary>
    private sealed class Recorder : RequestObserver
    {
        private readonly RequestOwnershipDomain _domain;
        private readonly IMethodSymbol _method;

        public Recorder(RequestOwnershipDomain domain, IMethodSymbol method)
        {
            _domain = domain;
            _method = method;
        }

        public ImmutableDictionary<ISymbol, StoredRequests> Stores { get; private set; } =
            ImmutableDictionary<ISymbol, StoredRequests>.Empty.WithComparers(SymbolEqualityComparer.Default);

        public override void OnStore(ISimpleAssignmentOperation assignment, TrackedLocation target, ImmutableHashSet<TrackedLocation> requests, RequestState state)
        {
            var facts = _domain.CreatedFactsOf(state, requests);
            // A request stored while its send may still be in flight is judged by its completion routine, not here.
            var sent = facts?.Sent == true && facts.BackWithDriver;
            if (target.Symbol is not { } member || facts is null || !(sent || facts.RoutineCleared))
            {
                return;
            }

            var store = new HeldRequestStore(assignment.Target.Syntax.ToString(), _method.Name, assignment.Syntax.GetLocation(), facts.Reuse);
            var stored = new StoredRequests(sent ? store : null, facts.RoutineCleared ? store : null);
            member = member.OriginalDefinition;
            Stores = Stores.SetItem(member, Stores.TryGetValue(member, out var before) ? before.Join(stored) : stored);
        }
    }
}

/// <summary>What the stores into one member may leave there: each with the first store (in source order) that does.</summary>
internal sealed class StoredRequests
{
    public static readonly StoredRequests Clean = new(null, null);

    public StoredRequests(HeldRequestStore? sentUnreused, HeldRequestStore? routineCleared)
    {
        SentUnreused = sentUnreused;
        RoutineCleared = routineCleared;
    }

    /// <summary>A store of a request sent and not reused since.</summary>
    public HeldRequestStore? SentUnreused { get; }

    /// <summary>A store of a request whose completion routine a reuse cleared (and nothing set again).</summary>
    public HeldRequestStore? RoutineCleared { get; }

    public StoredRequests Join(StoredRequests other) =>
        new(HeldRequestStore.First(SentUnreused, other.SentUnreused), HeldRequestStore.First(RoutineCleared, other.RoutineCleared));
}

/// <summary>One store of a driver-created request in a member: the target as written, the storing method, where.</summary>
internal sealed class HeldRequestStore
{
    public HeldRequestStore(string target, string method, Location location, IOperation? reuse)
    {
        Target = target;
        Method = method;
        Location = location;
        var span = location.GetLineSpan();
        File = Path.GetFileName(span.Path);
        Line = span.StartLinePosition.Line + 1;
        ReuseLine = reuse is null ? Line : reuse.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
    }

    /// <summary>The member as the store wrote it (<c>targetInfo.ReadRequest</c>).</summary>
    public string Target { get; }

    public string Method { get; }

    public Location Location { get; }

    /// <summary>The file's name (no folder).</summary>
    public string File { get; }

    public int Line { get; }

    /// <summary>The line of the <c>WdfRequestReuse</c> before the store, in the storing method (the store's own line when it is not there).</summary>
    public int ReuseLine { get; }

    /// <summary>File name and line (<c>ToastMon.cs:394</c>).</summary>
    public string Where => $"{File}:{Line}";

    /// <summary>The one earlier in the compilation's order (tree path, then position); null when neither exists.</summary>
    public static HeldRequestStore? First(HeldRequestStore? left, HeldRequestStore? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        var byPath = string.CompareOrdinal(left.Location.SourceTree?.FilePath, right.Location.SourceTree?.FilePath);
        return byPath < 0 || (byPath == 0 && left.Location.SourceSpan.Start <= right.Location.SourceSpan.Start) ? left : right;
    }
}
