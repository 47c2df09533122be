using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using DriverBuffers.Analyzers.Api;
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

    private static readonly string[] PrePassNames =
    {
        ReuseDdis.WdfRequestCreate, ReuseDdis.WdfRequestSetCompletionRoutine, ReuseDdis.WdfRequestSend,
    };

    private static ReuseModel Build(Compilation compilation, DriverApi api, CancellationToken cancellationToken)
    {
        var model = new ReuseModel(new HelperSummaries(compilation, api));
        var createdLocals = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
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
                var request = RequestKey.From(ReuseDdis.RequestArgument(invocation));
                if (api.IsWdf(method, ReuseDdis.WdfRequestCreate))
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
                    if (request is { Symbol: IParameterSymbol })
                    {
                        continue; // a routine setting itself again, or a framework request: tells nothing
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
                    RequestKey.From(assignment.Value) is { IsField: false } value && createdLocals.Contains(value.Symbol) &&
                    RequestKey.From(assignment.Target) is { IsField: true } target)
                {
                    model._driverCreatedMembers.Add(target.Symbol.OriginalDefinition);
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
                }
            }
        }

        return model;
    }

    /// <summary>The method or local function a completion-routine argument names, when it is a method group.</summary>
    public static IMethodSymbol? RoutineMethod(IOperation? routineArgument)
    {
        var operation = RequestKey.Unwrap(routineArgument);
        if (operation is IDelegateCreationOperation creation)
        {
            operation = RequestKey.Unwrap(creation.Target);
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
