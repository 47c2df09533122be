#pragma warning disable RS1030 // a helper's summary needs its body: computed once per method and depth, cached per compilation
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.UserAddresses;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ParameterEffects;

/// <summary>
/// The summaries of <see cref="ParameterEffects"/> (RULES.md: "a helper that ... frees what it is given counts at its
/// call site"), one per helper and depth in the engine's <see cref="SummaryCache{TSummary}"/>: for a method of this
/// compilation that is not a DDI, the effects of the statements at the top level of its body (run whenever the helper
/// runs to its end) on parameters it never reassigns; a top-level call of another helper passing a parameter on counts
/// with that helper's effects, down to <c>driverbuffers.helper_depth</c> levels (<see cref="EngineOptions.HelperDepth"/>:
/// default 3; before the engine, one). One per analysis session; thread-safe.
/// </summary>
internal sealed class ParameterEffectSummaries
{
    private readonly AnalysisSession _session;
    private readonly DdiCatalog _catalog;
    private readonly IoModeSymbols _symbols;
    private readonly SummaryCache<ParameterEffects> _cache;
    private readonly SummaryCache<ParameterEffects>.Compute _compute;

    private ParameterEffectSummaries(AnalysisSession session)
    {
        _session = session;
        _catalog = session.Catalog;
        _symbols = IoModeSymbols.For(session);
        _cache = new SummaryCache<ParameterEffects>(session.Telemetry);
        _compute = Compute;
    }

    public static ParameterEffectSummaries For(AnalysisSession session) => session.Feature(s => new ParameterEffectSummaries(s));

    /// <summary>The effects of <paramref name="method"/> followed <paramref name="options"/>' helper depth; <see cref="ParameterEffects.None"/> for anything but a source helper.</summary>
    public ParameterEffects Get(IMethodSymbol method, EngineOptions options, CancellationToken cancellationToken) =>
        Get(method, options.HelperDepth, ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default), options.WorkBudget, cancellationToken);

    private ParameterEffects Get(IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken)
    {
        var definition = method.OriginalDefinition;
        if (_catalog.IsDdi(definition) || definition.DeclaringSyntaxReferences.Length != 1 || definition.Parameters.Length == 0)
        {
            return ParameterEffects.None;
        }

        return _cache.Get(definition, depth, visiting, budget, _compute, cancellationToken) ?? ParameterEffects.None;
    }

    /// <summary>
    /// The parameter <paramref name="operation"/> gives a new value (an assignment to it, or passing it by <c>ref</c> or
    /// <c>out</c>), or null: a helper's effect on what its caller gave is read only from parameters nothing reassigns.
    /// </summary>
    internal static IParameterSymbol? ParameterReassignedBy(IOperation operation) => operation switch
    {
        IAssignmentOperation { Target: IParameterReferenceOperation target } => target.Parameter,
        IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: IParameterReferenceOperation passed } => passed.Parameter,
        _ => null,
    };

    private ParameterEffects? Compute(IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (syntax is not BaseMethodDeclarationSyntax || !_session.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return ParameterEffects.None; // Local functions and lambdas have their own graphs at the call site.
        }

        var model = _session.Compilation.GetSemanticModel(syntax.SyntaxTree);
        if (model.GetOperation(syntax, cancellationToken) is not IMethodBodyOperation body)
        {
            return ParameterEffects.None;
        }

        var reassigned = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        var probes = false;
        var calls = new List<IInvocationOperation>();
        var assignments = new List<ISimpleAssignmentOperation>();
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is IInvocationOperation call)
            {
                probes |= _catalog.Has(call.TargetMethod, DdiRole.ProbesUserAddress);
                calls.Add(call);
            }

            if (operation is ISimpleAssignmentOperation simple)
            {
                assignments.Add(simple);
            }

            if (ParameterReassignedBy(operation) is { } assigned)
            {
                reassigned.Add(assigned);
            }
        }

        var frees = new Dictionary<int, IOperation>();
        var flagChanges = new Dictionary<int, (IOperation, string)>();
        var touches = new Dictionary<int, IOperation>();
        var sends = new Dictionary<int, IInvocationOperation>();
        var initUses = new Dictionary<int, IInvocationOperation>();
        var stores = new Dictionary<int, IOperation>();
        foreach (var assignment in assignments)
        {
            // Kept beyond the call: a field, a static, a member of an object (not a local of the helper).
            if (IoModeSymbols.Unwrap(assignment.Target) is not (ILocalReferenceOperation or IParameterReferenceOperation) &&
                KeptParameter(assignment.Value, reassigned) is { } kept && !stores.ContainsKey(kept.Ordinal))
            {
                stores[kept.Ordinal] = assignment;
            }
        }
        foreach (var call in calls)
        {
            // Sends on any path: the request may be pending when the helper returns.
            if (_catalog.Has(call.TargetMethod, DdiRole.SendsRequest))
            {
                if (Parameter(IoModeSymbols.Argument(call, 0)?.Value, reassigned) is { } sent &&
                    IoModeSymbols.Argument(call, 2)?.Value is { } options && MemoryOwnership.MemoryOwnershipDomain.IsSurelyAsynchronous(options, _catalog.Api) &&
                    !sends.ContainsKey(sent.Ordinal))
                {
                    sends[sent.Ordinal] = call;
                }
            }
            else if (!_catalog.IsDdi(call.TargetMethod) && depth > 1)
            {
                var callee = Get(call.TargetMethod, depth - 1, visiting, WorkMeter.DefaultBudget, cancellationToken);
                foreach (var effect in callee.Sends)
                {
                    if (Parameter(IoModeSymbols.Argument(call, effect.Key)?.Value, reassigned) is { } sent && !sends.ContainsKey(sent.Ordinal))
                    {
                        sends[sent.Ordinal] = effect.Value;
                    }
                }

                InheritStores(call, callee, reassigned, stores);
            }
        }

        foreach (var statement in TopLevelStatements(body))
        {
            var operation = statement is IExpressionStatementOperation expression ? expression.Operation : statement;
            if (operation is IInvocationOperation invocation)
            {
                if (_symbols.UsesDeviceInit(invocation, out var init) &&
                    Parameter(init?.Value, reassigned) is { } initParameter && !initUses.ContainsKey(initParameter.Ordinal))
                {
                    initUses[initParameter.Ordinal] = invocation;
                }

                if (_catalog.Has(invocation.TargetMethod, DdiRole.FreesPool))
                {
                    if (Parameter(IoModeSymbols.Argument(invocation, 0)?.Value, reassigned) is { } freed)
                    {
                        frees[freed.Ordinal] = invocation;
                    }
                }
                else if (!_catalog.IsDdi(invocation.TargetMethod) && depth > 1)
                {
                    Inherit(invocation, Get(invocation.TargetMethod, depth - 1, visiting, WorkMeter.DefaultBudget, cancellationToken), reassigned, probes, frees, flagChanges, touches, initUses);
                }

                if (!probes)
                {
                    foreach (var address in UserMemoryAccess.TouchedAddresses(invocation, _catalog))
                    {
                        if (ParameterBehind(address) is { } touched && !reassigned.Contains(touched) && !touches.ContainsKey(touched.Ordinal))
                        {
                            touches[touched.Ordinal] = invocation;
                        }
                    }
                }
            }
            else if (operation is IAssignmentOperation assignment &&
                     BufferingFlags.IsFlags(assignment.Target, _symbols, out var device) &&
                     Parameter(device, reassigned) is { } deviceParameter &&
                     BufferingFlags.Named(assignment.Value, _catalog.Api) is { Length: > 0 } names)
            {
                flagChanges[deviceParameter.Ordinal] = (assignment, names);
            }
        }

        return frees.Count == 0 && flagChanges.Count == 0 && touches.Count == 0 && sends.Count == 0 && initUses.Count == 0 && stores.Count == 0
            ? ParameterEffects.None
            : new ParameterEffects(frees, flagChanges, touches, sends, initUses, stores);
    }

    /// <summary>A top-level call of another helper: its effects on what this helper passes on are this helper's.</summary>
    private static void Inherit(
        IInvocationOperation call, ParameterEffects callee, HashSet<IParameterSymbol> reassigned, bool probes,
        Dictionary<int, IOperation> frees, Dictionary<int, (IOperation, string)> flagChanges, Dictionary<int, IOperation> touches,
        Dictionary<int, IInvocationOperation> initUses)
    {
        if (callee.IsEmpty)
        {
            return;
        }

        foreach (var effect in callee.DeviceInitUses)
        {
            if (Parameter(IoModeSymbols.Argument(call, effect.Key)?.Value, reassigned) is { } passed && !initUses.ContainsKey(passed.Ordinal))
            {
                initUses[passed.Ordinal] = effect.Value;
            }
        }

        foreach (var effect in callee.Frees)
        {
            if (Parameter(IoModeSymbols.Argument(call, effect.Key)?.Value, reassigned) is { } passed && !frees.ContainsKey(passed.Ordinal))
            {
                frees[passed.Ordinal] = effect.Value;
            }
        }

        foreach (var effect in callee.FlagChanges)
        {
            if (Parameter(IoModeSymbols.Argument(call, effect.Key)?.Value, reassigned) is { } passed && !flagChanges.ContainsKey(passed.Ordinal))
            {
                flagChanges[passed.Ordinal] = effect.Value;
            }
        }

        if (probes)
        {
            return;
        }

        foreach (var effect in callee.Touches)
        {
            if (Parameter(IoModeSymbols.Argument(call, effect.Key)?.Value, reassigned) is { } passed && !touches.ContainsKey(passed.Ordinal))
            {
                touches[passed.Ordinal] = effect.Value;
            }
        }
    }

    /// <summary>
    /// A call (on any path) of a helper that keeps what it is given: what this helper passes on to it (a parameter, or its
    /// <c>Buffer</c>) is kept too, with the innermost store for the message (DRV046 through helpers, down to the depth).
    /// </summary>
    private static void InheritStores(
        IInvocationOperation call, ParameterEffects callee, HashSet<IParameterSymbol> reassigned, Dictionary<int, IOperation> stores)
    {
        foreach (var effect in callee.Stores)
        {
            if (IoModeSymbols.Argument(call, effect.Key)?.Value is { } argument &&
                KeptParameter(argument, reassigned) is { } passed && !stores.ContainsKey(passed.Ordinal))
            {
                stores[passed.Ordinal] = effect.Value;
            }
        }
    }

    /// <summary>A reference-type parameter, or its <c>Buffer</c> member, that <paramref name="value"/> is; else null.</summary>
    private static IParameterSymbol? KeptParameter(IOperation value, HashSet<IParameterSymbol> reassigned)
    {
        var unwrapped = IoModeSymbols.Unwrap(value);
        if (unwrapped is IPropertyReferenceOperation { Property.Name: "Buffer", Instance: { } instance })
        {
            unwrapped = IoModeSymbols.Unwrap(instance);
        }

        return unwrapped is IParameterReferenceOperation { Parameter.Type.IsReferenceType: true } parameter && !reassigned.Contains(parameter.Parameter)
            ? parameter.Parameter
            : null;
    }

    private static IParameterSymbol? Parameter(IOperation? value, HashSet<IParameterSymbol> reassigned) =>
        value is not null && IoModeSymbols.Unwrap(value) is IParameterReferenceOperation parameter && !reassigned.Contains(parameter.Parameter)
            ? parameter.Parameter
            : null;

    /// <summary>The <c>PVOID</c> parameter an address is (or is an offset of), or null.</summary>
    private IParameterSymbol? ParameterBehind(IOperation address)
    {
        var current = IoModeSymbols.Unwrap(address);
        for (var i = 0; i < 8 && current is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary &&
                        SymbolEqualityComparer.Default.Equals(binary.Type, _catalog.Api.Pvoid); i++)
        {
            current = IoModeSymbols.Unwrap(binary.LeftOperand);
        }

        return current is IParameterReferenceOperation parameter ? parameter.Parameter : null;
    }

    /// <summary>The statements directly in the body's block (or its expression body), not nested in branches or loops.</summary>
    private static IEnumerable<IOperation> TopLevelStatements(IMethodBodyOperation body)
    {
        var block = body.BlockBody ?? body.ExpressionBody;
        if (block is null)
        {
            yield break;
        }

        foreach (var statement in block.Operations)
        {
            // An expression body: "=> ExFreePool(p)" becomes a return (or an expression statement for void).
            yield return statement is IReturnOperation { ReturnedValue: { } returned } ? returned : statement;
        }
    }
}
