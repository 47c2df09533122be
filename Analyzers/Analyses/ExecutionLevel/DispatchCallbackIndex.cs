using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The methods of a compilation registered as callbacks that run at DISPATCH_LEVEL: the method given to
/// <c>WdfRequestSetCompletionRoutine</c>, <c>IoSetCompletionRoutine</c>, <c>WDF_TIMER_CONFIG_INIT(_PERIODIC)</c> or
/// <c>WDF_DPC_CONFIG_INIT</c> (the catalog's <see cref="DdiRole.RegistersDispatchCallback"/>, matched by symbol).
/// Answered lazily per callback name and cached per compilation, from the trees whose <see cref="SyntaxTreeIndex"/>
/// names both the method and a registering DDI: only those trees are bound, and only their registering calls whose
/// callback argument is that name (so many methods of one name cost one pass). Lambdas given directly are found by
/// <see cref="DispatchCode"/> where they are written.
/// </summary>
internal sealed class DispatchCallbackIndex
{
    private static readonly string[] RegisteringNames = DdiNames.Roles
        .Where(pair => (pair.Value & DdiRole.RegistersDispatchCallback) != 0)
        .Select(pair => pair.Key)
        .ToArray();

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _calls;
    private readonly DispatchQueueIndex _queues;
    private readonly ConcurrentDictionary<string, Dictionary<IMethodSymbol, DispatchContext>> _byName = new(StringComparer.Ordinal);

    public DispatchCallbackIndex(AnalysisSession session)
    {
        _session = session;
        _calls = new CallsInTreesNaming(session, RegisteringNames);
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
        var roots = RootsNamed(method.Name, cancellationToken);
        return roots.Count > 0 && roots.TryGetValue(method.OriginalDefinition, out var context)
            ? context
            : _queues.RootOf(method, cancellationToken);
    }

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
                var value = argument.Value;
                while (value is IConversionOperation or IDelegateCreationOperation)
                {
                    value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
                }

                return value is IMethodReferenceOperation or IAnonymousFunctionOperation ? value : null;
            }
        }

        return null;
    }

    /// <summary>The callbacks named <paramref name="name"/> registered anywhere (gathered once per name).</summary>
    private Dictionary<IMethodSymbol, DispatchContext> RootsNamed(string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }

        var roots = new Dictionary<IMethodSymbol, DispatchContext>(SymbolEqualityComparer.Default);
        foreach (var (call, model) in _calls.Find(name, cancellationToken))
        {
            if (CalledName(call) is not { } called || !IsRegisteringName(called) ||
                call.ArgumentList.Arguments.Count < 2 || !CallsInTreesNaming.EndsWithName(call.ArgumentList.Arguments[1].Expression, name) ||
                model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                RegisteredCallback(_session.Catalog, invocation) is not IMethodReferenceOperation reference)
            {
                continue;
            }

            var method = reference.Method.OriginalDefinition;
            if (!roots.ContainsKey(method))
            {
                roots[method] = DispatchContext.Callback(invocation.TargetMethod.Name, method.Name, call.GetLocation());
            }
        }

        return _byName.GetOrAdd(name, roots);
    }

    private static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
