using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The methods of a compilation registered as callbacks that run at DISPATCH_LEVEL: the method given to
/// <c>WdfRequestSetCompletionRoutine</c>, <c>IoSetCompletionRoutine</c>, <c>WdfRequestMarkCancelable(Ex)</c> (KMDF calls an
/// <c>EvtRequestCancel</c> at IRQL &lt;= DISPATCH_LEVEL), <c>WDF_TIMER_CONFIG_INIT(_PERIODIC)</c> or <c>WDF_DPC_CONFIG_INIT</c> (the catalog's <see cref="DdiRole.RegistersDispatchCallback"/>, matched by symbol).
/// Answered lazily per callback name and cached per compilation, from the trees whose <see cref="SyntaxTreeIndex"/>
/// names both the method and a registering DDI: only those trees are bound (each once, kept across IDE edits), and only their registering calls whose
/// callback argument is that name (so many methods of one name cost one pass). Lambdas given directly are found by
/// <see cref="DispatchCode"/> where they are written.
/// </summary>
internal sealed class DispatchCallbackIndex
{
    private static readonly string[] RegisteringNames = DdiNames.Roles
        .Where(pair => (pair.Value & DdiRole.RegistersDispatchCallback) != 0)
        .Select(pair => pair.Key)
        .ToArray();

    /// <summary>The config properties that take a DISPATCH_LEVEL callback (<c>config.EvtTimerFunc = EvtTimer</c>), with the config type.</summary>
    private static readonly string[] CallbackProperties = { "EvtTimerFunc", "EvtDpcFunc" };

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _calls;
    private readonly DispatchQueueIndex _queues;
    private static readonly TreeFacts<Registration[]> TreeRegistrations = new();

    private readonly ConcurrentDictionary<string, RegistrationsOfName> _byName = new(StringComparer.Ordinal);

    public DispatchCallbackIndex(AnalysisSession session)
    {
        _session = session;
        _calls = new CallsInTreesNaming(session, RegisteringNames.Concat(CallbackProperties).ToArray());
        _queues = new DispatchQueueIndex(session);
    }

    /// <summary>True when <paramref name="name"/> is the name of a DDI that registers a DISPATCH_LEVEL callback (pre-filter only).</summary>
    public static bool IsRegisteringName(string name) => (DdiNames.RolesOfName(name) & DdiRole.RegistersDispatchCallback) != 0;

    /// <summary>
    /// Why <paramref name="method"/> runs at DISPATCH_LEVEL when it is a registered callback, or an I/O callback of a
    /// queue created with <c>ExecutionLevel = WdfExecutionLevelDispatch</c> (<see cref="DispatchQueueIndex"/>); otherwise null.
    /// </summary>
    public DispatchContext? RootOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var registrations = RegistrationsNamed(method.Name, cancellationToken);
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            foreach (var (tree, registration) in registrations.OfLocalFunctions)
            {
                if (registration.CallbackKey == SymbolIds.KeyIn(method, tree))
                {
                    return DispatchContext.Callback(registration.RegisteredBy, method.Name, Location.Create(tree, registration.Call));
                }
            }
        }
        else if (SymbolIds.IdOf(method) is { } id && registrations.ById.TryGetValue(id, out var found))
        {
            // One look-up: the many methods of one name (a completion routine per class) are not each compared with
            // every registration of the name.
            return DispatchContext.Callback(found.Registration.RegisteredBy, method.Name, Location.Create(found.Tree, found.Registration.Call));
        }

        return _queues.RootOf(method, cancellationToken);
    }

    /// <summary>Why the lambda <paramref name="lambda"/> runs at DISPATCH_LEVEL when it is set as a callback of a dispatch-level queue; otherwise null.</summary>
    public DispatchContext? LambdaRootOf(SyntaxNode lambda, CancellationToken cancellationToken) => _queues.LambdaRootOf(lambda, cancellationToken);

    /// <summary>True when <paramref name="body"/> sets a lambda as a callback of a dispatch-level queue.</summary>
    public bool HasLambdaRootIn(SyntaxNode body, CancellationToken cancellationToken) => _queues.HasLambdaRootIn(body, cancellationToken);

    /// <summary>
    /// The callback <paramref name="invocation"/> registers (its second argument), or null when it is not a registering
    /// DDI: the method group's method, or the lambda.
    /// </summary>
    public static IOperation? RegisteredCallback(DdiCatalog catalog, IInvocationOperation invocation)
    {
        if (!catalog.Has(invocation.TargetMethod, DdiRole.RegistersDispatchCallback))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 1)
            {
                var value = DelegateTarget(argument.Value);
                return value is IMethodReferenceOperation or IAnonymousFunctionOperation ? value : null;
            }
        }

        return null;
    }

    /// <summary>The registrations of callbacks named <paramref name="name"/> anywhere, each with its tree (gathered once per name).</summary>
    private RegistrationsOfName RegistrationsNamed(string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }

        var registrations = new RegistrationsOfName();
        foreach (var (tree, answer) in _calls.Answers(TreeRegistrations, name, (model, index, ct) => Bind(model, index, name, ct), cancellationToken))
        {
            foreach (var registration in answer)
            {
                registrations.Add(tree, registration);
            }
        }

        return _byName.GetOrAdd(name, registrations);
    }

    /// <summary>
    /// One tree's answer: its registering calls whose callback argument is a method named <paramref name="name"/>, and its
    /// assignments of such a method to a timer or DPC config's callback property (from the name's mentions).
    /// </summary>
    private Registration[] Bind(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var registrations = new List<Registration>();
        foreach (var mention in CallsInTreesNaming.Mentions(model.SyntaxTree, index, name, cancellationToken))
        {
            if (PropertyRegistration(model, mention, cancellationToken) is { } assigned)
            {
                registrations.Add(assigned);
                continue;
            }

            // Symbols of the call and of the argument only (GetOperation would build the enclosing method's whole operation
            // tree): the registering DDI by symbol, the callback as the method the method group converts to.
            if (CallsInTreesNaming.ArgumentOf(mention) is not ({ } call, 1) ||
                mention.Parent is ArgumentSyntax { NameColon: not null } ||
                CalledName(call) is not { } called || !IsRegisteringName(called) ||
                model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol ddi ||
                !_session.Catalog.Has(ddi, DdiRole.RegistersDispatchCallback) ||
                model.GetSymbolInfo(mention, cancellationToken).Symbol is not IMethodSymbol callback ||
                SymbolIds.KeyIn(callback, model.SyntaxTree) is not { } key)
            {
                continue;
            }

            registrations.Add(new Registration(key, ddi.Name, call.Span));
        }

        return registrations.ToArray();
    }

    /// <summary>
    /// <c>config.EvtTimerFunc = Method</c> (or <c>EvtDpcFunc</c>, or in an initializer) on the API's <c>WDF_TIMER_CONFIG</c> or
    /// <c>WDF_DPC_CONFIG</c>: a registration by "WDF_TIMER_CONFIG.EvtTimerFunc"; otherwise null.
    /// </summary>
    private Registration? PropertyRegistration(SemanticModel model, ExpressionSyntax mention, CancellationToken cancellationToken)
    {
        if (mention.Parent is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment || assignment.Right != mention ||
            !Array.Exists(CallbackProperties, property => CallsInTreesNaming.EndsWithName(assignment.Left, property)) ||
            model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is not IPropertySymbol property ||
            !SymbolEqualityComparer.Default.Equals(property.ContainingAssembly, _session.Api.Wdf.ContainingAssembly))
        {
            return null;
        }

        return model.GetSymbolInfo(mention, cancellationToken).Symbol is IMethodSymbol callback && SymbolIds.KeyIn(callback, model.SyntaxTree) is { } key
            ? new Registration(key, property.ContainingType.Name + "." + property.Name, assignment.Span)
            : null;
    }

    /// <summary>What a delegate value is made of, under conversions and delegate creations: a method reference, a lambda.</summary>
    private static IOperation DelegateTarget(IOperation value)
    {
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }

        return value;
    }

    private static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// The registrations of callbacks of one name: by the callback's ID (the first registration in tree order), and those
    /// of local functions, whose key holds only in their own tree.
    /// </summary>
    private sealed class RegistrationsOfName
    {
        public Dictionary<string, (SyntaxTree Tree, Registration Registration)> ById { get; } = new(StringComparer.Ordinal);

        public List<(SyntaxTree Tree, Registration Registration)> OfLocalFunctions { get; } = new();

        public void Add(SyntaxTree tree, Registration registration)
        {
            if (registration.CallbackKey.StartsWith("@", StringComparison.Ordinal))
            {
                OfLocalFunctions.Add((tree, registration));
            }
            else if (!ById.ContainsKey(registration.CallbackKey))
            {
                ById.Add(registration.CallbackKey, (tree, registration));
            }
        }
    }

    /// <summary>A registration kept with its tree: the callback's key (<see cref="SymbolIds.KeyIn"/>), the registering DDI, the call's span.</summary>
    private sealed class Registration
    {
        public Registration(string callbackKey, string registeredBy, Microsoft.CodeAnalysis.Text.TextSpan call)
        {
            CallbackKey = callbackKey;
            RegisteredBy = registeredBy;
            Call = call;
        }

        public string CallbackKey { get; }

        public string RegisteredBy { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan Call { get; }
    }
}
