using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// What the reuse rules need to know across methods, computed once per compilation by a cheap pre-pass over
/// the few invocations of <c>WdfRequestCreate</c>, <c>WdfRequestSetCompletionRoutine</c> and
/// <c>WdfRequestSend</c>: which fields and properties hold a driver-created request, which of them are sent,
/// and which methods are completion routines of driver-created requests (registered as a method group).
/// </summary>
internal sealed class ReuseModel
{
    private static readonly ConditionalWeakTable<Compilation, ReuseModel> Cache = new();

    private readonly HashSet<ISymbol> _driverCreatedMembers = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _sentMembers = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, Registration> _memberRoutines = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, Registration?> _routines = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> _routinesOfOwnMemoryOnly = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _driverOwnedMemoryMembers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, List<CallSite>?> _callSites = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Method, ISymbol Member), bool> _freshOnEveryCall = new();
    private Compilation? _compilation;
    private DriverApi? _api;

    private ReuseModel(HelperSummaries helpers) => Helpers = helpers;

    /// <summary>What helper methods do to the requests they are given.</summary>
    public HelperSummaries Helpers { get; }

    /// <summary>A <c>WdfRequestSetCompletionRoutine</c> call: which request, which routine, which context.</summary>
    internal sealed class Registration
    {
        public Registration(IInvocationOperation invocation, ISymbol? requestSymbol, IMethodSymbol? routine, IOperation? context)
        {
            Invocation = invocation;
            RequestSymbol = requestSymbol;
            Routine = routine;
            Context = context;
        }

        public IInvocationOperation Invocation { get; }

        /// <summary>The local, parameter or field the request was passed as.</summary>
        public ISymbol? RequestSymbol { get; }

        /// <summary>The routine when it is a method group (a method or local function).</summary>
        public IMethodSymbol? Routine { get; }

        public IOperation? Context { get; }
    }

    /// <summary>The model of <paramref name="compilation"/>, computed on first use.</summary>
    public static ReuseModel Get(Compilation compilation, DriverApi api, CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(compilation, out var model))
        {
            return model;
        }

        model = Build(compilation, api, cancellationToken);
        return Cache.GetValue(compilation, _ => model);
    }

    /// <summary>True when the field or property holds a request from <c>WdfRequestCreate</c> somewhere in the compilation.</summary>
    public bool IsDriverCreatedMember(ISymbol member) => _driverCreatedMembers.Contains(member);

    /// <summary>True when the request in this field or property is sent with <c>WdfRequestSend</c> somewhere.</summary>
    public bool IsSentMember(ISymbol member) => _sentMembers.Contains(member);

    /// <summary>The completion routine set on the driver-created request held in <paramref name="member"/>.</summary>
    public Registration? RoutineOfMember(ISymbol member) =>
        _memberRoutines.TryGetValue(member, out var registration) ? registration : null;

    /// <summary>
    /// When <paramref name="method"/> is the completion routine of driver-created requests only (every
    /// registration of it is on one), one of those registrations; otherwise null.
    /// </summary>
    public Registration? RoutineRegistration(IMethodSymbol method) =>
        _routines.TryGetValue(method.OriginalDefinition, out var registration) ? registration : null;

    /// <summary>True when the field or property only ever holds memory the driver created (<c>WdfMemoryCreate*</c>).</summary>
    public bool IsDriverOwnedMemoryMember(ISymbol member) => _driverOwnedMemoryMembers.Contains(member);

    /// <summary>
    /// False when every request <paramref name="routine"/> is registered for was formatted only with memory the
    /// driver owns (so completing another request there cannot delete memory the request references).
    /// </summary>
    public bool RoutineMayHoldForeignMemory(IMethodSymbol routine) => !_routinesOfOwnMemoryOnly.Contains(routine.OriginalDefinition);

    private static readonly string[] PrePassNames =
    {
        ReuseDdis.WdfRequestCreate, ReuseDdis.WdfRequestSetCompletionRoutine, ReuseDdis.WdfRequestSend,
        ReuseDdis.WdfMemoryCreate, ReuseDdis.WdfMemoryCreatePreallocated, ReuseDdis.WdfMemoryCreateFromLookaside,
        ReuseDdis.WdfIoTargetFormatRequestForRead, ReuseDdis.WdfIoTargetFormatRequestForWrite, ReuseDdis.WdfIoTargetFormatRequestForIoctl,
    };

    private static ReuseModel Build(Compilation compilation, DriverApi api, CancellationToken cancellationToken)
    {
        var model = new ReuseModel(new HelperSummaries(compilation, api)) { _compilation = compilation, _api = api };
        var createdLocals = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var ownedMemoryLocals = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var formats = new List<(IInvocationOperation Format, RequestKey Request)>();
        var bodiesWithCreatedLocals = new Dictionary<SyntaxNode, SemanticModel>();
        var registrations = new List<(Registration Registration, bool RequestIsLocal)>();

        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SemanticModel? semanticModel = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocationSyntax ||
                    System.Array.IndexOf(PrePassNames, InvokedName(invocationSyntax)) < 0)
                {
                    continue;
                }

#pragma warning disable RS1030 // A compilation-wide pre-pass over a handful of invocations, cached per compilation.
                semanticModel ??= compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                if (semanticModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
                {
                    continue;
                }

                var method = invocation.TargetMethod;
                if (ReuseDdis.IsMemoryCreation(api, method))
                {
                    foreach (var memory in ReuseDdis.CreatedMemory(invocation))
                    {
                        if (RequestKey.From(memory) is not { } memoryKey)
                        {
                            continue;
                        }

                        if (memoryKey.IsField)
                        {
                            model._driverOwnedMemoryMembers.Add(memoryKey.Symbol.OriginalDefinition);
                        }
                        else if (ownedMemoryLocals.Add(memoryKey.Symbol) && EnclosingMember(invocationSyntax) is { } body)
                        {
                            bodiesWithCreatedLocals[body] = semanticModel;
                        }
                    }

                    continue;
                }

                var request = RequestKey.From(ReuseDdis.RequestArgument(invocation));
                if (ReuseDdis.IsFormat(api, method))
                {
                    if (request is { } formatted)
                    {
                        formats.Add((invocation, formatted));
                    }
                }
                else if (api.IsWdf(method, ReuseDdis.WdfRequestCreate))
                {
                    if (request is not { } key)
                    {
                        continue;
                    }

                    if (key.IsField)
                    {
                        model._driverCreatedMembers.Add(key.Symbol.OriginalDefinition);
                    }
                    else if (createdLocals.Add(key.Symbol) && EnclosingMember(invocationSyntax) is { } body)
                    {
                        bodiesWithCreatedLocals[body] = semanticModel;
                    }
                }
                else if (api.IsWdf(method, ReuseDdis.WdfRequestSend))
                {
                    if (request is { IsField: true } key)
                    {
                        model._sentMembers.Add(key.Symbol.OriginalDefinition);
                    }
                }
                else if (api.IsWdf(method, ReuseDdis.WdfRequestSetCompletionRoutine))
                {
                    var routine = RoutineMethod(ReuseDdis.Argument(invocation, "CompletionRoutine", 1)?.Value);
                    var context = ReuseDdis.Argument(invocation, "CompletionContext", 2)?.Value;
                    if (request is { Symbol: IParameterSymbol parameter } && !IsPresentedByTheFramework(parameter))
                    {
                        continue; // a routine setting itself again, or a helper's parameter: tells nothing
                    }

                    registrations.Add((new Registration(invocation, request?.Symbol, routine, context), request is { IsField: false }));
                }
            }
        }

        // A field assigned from a local that holds a request from WdfRequestCreate holds a driver-created request.
        foreach (var pair in bodiesWithCreatedLocals)
        {
            var semanticModel = pair.Value;
            foreach (var node in pair.Key.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (node is AssignmentExpressionSyntax assignmentSyntax &&
                    semanticModel.GetOperation(assignmentSyntax, cancellationToken) is ISimpleAssignmentOperation assignment &&
                    RequestKey.From(assignment.Value) is { IsField: false } value &&
                    RequestKey.From(assignment.Target) is { IsField: true } target)
                {
                    if (createdLocals.Contains(value.Symbol))
                    {
                        model._driverCreatedMembers.Add(target.Symbol.OriginalDefinition);
                    }
                    else if (ownedMemoryLocals.Contains(value.Symbol))
                    {
                        model._driverOwnedMemoryMembers.Add(target.Symbol.OriginalDefinition);
                    }
                }
            }
        }

        foreach (var (registration, requestIsLocal) in registrations)
        {
            var symbol = registration.RequestSymbol;
            var driverCreated = symbol is not null &&
                (requestIsLocal ? createdLocals.Contains(symbol) : model._driverCreatedMembers.Contains(symbol.OriginalDefinition));
            if (driverCreated && !requestIsLocal && !model._memberRoutines.ContainsKey(symbol!.OriginalDefinition))
            {
                model._memberRoutines[symbol.OriginalDefinition] = registration;
            }

            if (registration.Routine is { } routine)
            {
                var key = routine.OriginalDefinition;
                if (!driverCreated)
                {
                    model._routines[key] = null;
                }
                else if (!model._routines.ContainsKey(key))
                {
                    model._routines[key] = registration;
                    if (FormattedWithOwnMemoryOnly(api, model, symbol!, formats, ownedMemoryLocals))
                    {
                        model._routinesOfOwnMemoryOnly.Add(key);
                    }
                }
                else if (!FormattedWithOwnMemoryOnly(api, model, symbol!, formats, ownedMemoryLocals))
                {
                    model._routinesOfOwnMemoryOnly.Remove(key);
                }
            }
        }

        return model;
    }

    /// <summary>True when the request held in <paramref name="request"/> is formatted, and only ever with memory the driver owns.</summary>
    private static bool FormattedWithOwnMemoryOnly(
        DriverApi api, ReuseModel model, ISymbol request, List<(IInvocationOperation Format, RequestKey Request)> formats,
        HashSet<ISymbol> ownedMemoryLocals)
    {
        var found = false;
        foreach (var (format, key) in formats)
        {
            if (!SymbolEqualityComparer.Default.Equals(key.Symbol.OriginalDefinition, request.OriginalDefinition))
            {
                continue;
            }

            found = true;
            foreach (var memory in ReuseDdis.FormatMemory(api, format))
            {
                var memoryKey = RequestKey.From(memory);
                var owned = memoryKey is { } m &&
                    (m.IsField ? model._driverOwnedMemoryMembers.Contains(m.Symbol.OriginalDefinition) : ownedMemoryLocals.Contains(m.Symbol));
                if (!owned)
                {
                    return false;
                }
            }
        }

        return found;
    }

    /// <summary>A call of a method, and the member that calls it.</summary>
    private sealed class CallSite
    {
        public CallSite(SyntaxNode call, SyntaxNode callerBody, SemanticModel semanticModel)
        {
            Call = call;
            CallerBody = callerBody;
            SemanticModel = semanticModel;
        }

        public SyntaxNode Call { get; }

        public SyntaxNode CallerBody { get; }

        public SemanticModel SemanticModel { get; }
    }

    /// <summary>
    /// True when every call of <paramref name="method"/> in the compilation comes after the caller reused or
    /// created the request held in <paramref name="member"/> (in the caller's text; in a completion routine of that
    /// request, a reuse of its own <c>Request</c> counts). False when the method has no callers in the compilation
    /// (the framework calls it, again and again) or is used as a delegate.
    /// </summary>
    public bool FreshOnEveryCall(IMethodSymbol method, ISymbol member, CancellationToken cancellationToken)
    {
        if (method.MethodKind != MethodKind.Ordinary || _compilation is null || _api is null)
        {
            return false;
        }

        var key = (method.OriginalDefinition, member.OriginalDefinition);
        if (_freshOnEveryCall.TryGetValue(key, out var known))
        {
            return known;
        }

        var sites = _callSites.GetOrAdd(method.OriginalDefinition, m => FindCallSites(m, cancellationToken));
        var fresh = sites is { Count: > 0 };
        foreach (var site in sites ?? new List<CallSite>())
        {
            if (!ReusedBefore(site, member.OriginalDefinition, cancellationToken))
            {
                fresh = false;
                break;
            }
        }

        _freshOnEveryCall.TryAdd(key, fresh);
        return fresh;
    }

    private bool ReusedBefore(CallSite site, ISymbol member, CancellationToken cancellationToken)
    {
        var caller = site.SemanticModel.GetDeclaredSymbol(site.CallerBody, cancellationToken) as IMethodSymbol;
        var routineOfMember = caller is not null && RoutineRegistration(caller) is { } registration &&
            registration.RequestSymbol is { } registered &&
            SymbolEqualityComparer.Default.Equals(registered.OriginalDefinition, member);
        foreach (var node in site.CallerBody.DescendantNodes())
        {
            if (node.SpanStart >= site.Call.SpanStart)
            {
                break;
            }

            if (node is not InvocationExpressionSyntax invocationSyntax ||
                InvokedName(invocationSyntax) is not (ReuseDdis.WdfRequestReuse or ReuseDdis.WdfRequestCreate) ||
                site.SemanticModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation ||
                !(_api!.IsWdf(invocation.TargetMethod, ReuseDdis.WdfRequestReuse) || _api.IsWdf(invocation.TargetMethod, ReuseDdis.WdfRequestCreate)))
            {
                continue;
            }

            var key = RequestKey.From(ReuseDdis.RequestArgument(invocation));
            if (key is { IsField: true } field && SymbolEqualityComparer.Default.Equals(field.Symbol.OriginalDefinition, member))
            {
                return true;
            }

            if (routineOfMember && key is { Symbol: IParameterSymbol { Ordinal: 0 } parameter } &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, caller!.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every call of <paramref name="method"/> in the compilation; null when it is also used as a delegate.</summary>
    private List<CallSite>? FindCallSites(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var sites = new List<CallSite>();
        foreach (var tree in _compilation!.SyntaxTrees)
        {
            SemanticModel? semanticModel = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not SimpleNameSyntax name || name.Identifier.ValueText != method.Name)
                {
                    continue;
                }

#pragma warning disable RS1030 // Callers of one method, looked up by name first, cached per compilation.
                semanticModel ??= _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                var symbol = semanticModel.GetSymbolInfo(name, cancellationToken).Symbol;
                if (symbol is null || !SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, method))
                {
                    continue;
                }

                var invoked = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? (SyntaxNode)access : name;
                if (invoked.Parent is not InvocationExpressionSyntax call || call.Expression != invoked ||
                    EnclosingMember(call) is not { } callerBody)
                {
                    return null; // a method group: called by whoever holds the delegate
                }

                sites.Add(new CallSite(call, callerBody, semanticModel));
            }
        }

        return sites;
    }

    /// <summary>
    /// True for the request parameter of a queue callback (<c>EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, …)</c>)
    /// or of <c>EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)</c>: a request the framework presented.
    /// </summary>
    private static bool IsPresentedByTheFramework(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { Parameters: { Length: >= 2 } parameters } &&
        parameters[0].Type.Name is "WDFQUEUE" or "WDFDEVICE" &&
        parameter.Ordinal == 1;

    /// <summary>The method or local function a completion-routine argument names, when it is a method group.</summary>
    public static IMethodSymbol? RoutineMethod(IOperation? routineArgument)
    {
        var operation = OperationUnwrap.Unwrap(routineArgument);
        if (operation is IDelegateCreationOperation creation)
        {
            operation = OperationUnwrap.Unwrap(creation.Target);
        }

        return (operation as IMethodReferenceOperation)?.Method;
    }

    private static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The member whose body holds <paramref name="node"/> (lambdas and local functions included).</summary>
    private static SyntaxNode? EnclosingMember(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or GlobalStatementSyntax)
            {
                return ancestor is GlobalStatementSyntax ? ancestor.SyntaxTree.GetRoot() : ancestor;
            }
        }

        return null;
    }
}
