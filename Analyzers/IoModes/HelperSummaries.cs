using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>What a helper does, unconditionally, to its parameters (one level deep).</summary>
internal sealed class HelperSummary
{
    public static readonly HelperSummary None = new(
        new Dictionary<int, IOperation>(), new Dictionary<int, (IOperation, string)>(), new Dictionary<int, IOperation>());

    public HelperSummary(
        IReadOnlyDictionary<int, IOperation> frees,
        IReadOnlyDictionary<int, (IOperation Assignment, string Flags)> flagChanges,
        IReadOnlyDictionary<int, IOperation> touches)
    {
        Frees = frees;
        FlagChanges = flagChanges;
        Touches = touches;
    }

    /// <summary>
    /// Parameter ordinal → the access that reads or writes through that <c>PVOID</c> parameter, in a helper that
    /// probes nothing (DRV042).
    /// </summary>
    public IReadOnlyDictionary<int, IOperation> Touches { get; }

    /// <summary>Parameter ordinal → the <c>ExFreePool*</c> call that frees it.</summary>
    public IReadOnlyDictionary<int, IOperation> Frees { get; }

    /// <summary>Parameter ordinal → the assignment to its <c>Flags</c> naming DO_BUFFERED_IO/DO_DIRECT_IO, and those names.</summary>
    public IReadOnlyDictionary<int, (IOperation Assignment, string Flags)> FlagChanges { get; }

    public bool IsEmpty => Frees.Count == 0 && FlagChanges.Count == 0 && Touches.Count == 0;
}

/// <summary>
/// Helper summaries for the I/O-mode rules (RULES.md: "a helper that ... frees what it is given counts at its call
/// site"): for a method of this compilation that is not a DDI, the parameters it frees with <c>ExFreePool</c>/
/// <c>ExFreePoolWithTag</c> (DRV040), the <c>PVOID</c> parameters it reads or writes through while probing nothing
/// (DRV042), and the <c>DEVICE_OBJECT</c> parameters whose buffering flags it changes (DRV044), counting only statements at the top level of its body (run whenever the helper runs to its end) and
/// parameters it never reassigns. One level deep: a helper's own helpers are not followed. Cached per
/// compilation; thread-safe.
/// </summary>
internal sealed class HelperSummaries
{
    private readonly IoModeSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, HelperSummary> _cache = new(SymbolEqualityComparer.Default);

    public HelperSummaries(IoModeSymbols symbols) => _symbols = symbols;

    /// <summary>The summary of <paramref name="method"/>, or <see cref="HelperSummary.None"/> when it is not a source helper.</summary>
    public HelperSummary Get(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var definition = method.OriginalDefinition;
        if (_symbols.Api.IsDdi(definition) || definition.DeclaringSyntaxReferences.Length != 1 || definition.Parameters.Length == 0)
        {
            return HelperSummary.None;
        }

        if (_cache.TryGetValue(definition, out var known))
        {
            return known;
        }

        var summary = Compute(definition, cancellationToken);
        return _cache.GetOrAdd(definition, summary);
    }

    private HelperSummary Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (syntax is not BaseMethodDeclarationSyntax)
        {
            return HelperSummary.None; // Local functions and lambdas have their own graphs at the call site.
        }

#pragma warning disable RS1030 // A helper's summary needs its body: one level deep, cached per compilation.
        var model = _symbols.Api.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(syntax, cancellationToken) is not IMethodBodyOperation body)
        {
            return HelperSummary.None;
        }

        var reassigned = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        var probes = false;
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation call && IsProbe(call.TargetMethod))
            {
                probes = true;
            }

            if (operation is IAssignmentOperation { Target: IParameterReferenceOperation target })
            {
                reassigned.Add(target.Parameter);
            }
            else if (operation is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: IParameterReferenceOperation passed })
            {
                reassigned.Add(passed.Parameter);
            }
        }

        var frees = new Dictionary<int, IOperation>();
        var flagChanges = new Dictionary<int, (IOperation, string)>();
        var touches = new Dictionary<int, IOperation>();
        foreach (var statement in TopLevelStatements(body))
        {
            var operation = statement is IExpressionStatementOperation expression ? expression.Operation : statement;
            if (operation is IInvocationOperation invocation &&
                (_symbols.Api.IsWdm(invocation.TargetMethod, "ExFreePoolWithTag") || _symbols.Api.IsWdm(invocation.TargetMethod, "ExFreePool")) &&
                IoModeSymbols.Argument(invocation, 0)?.Value is { } freed &&
                IoModeSymbols.Unwrap(freed) is IParameterReferenceOperation freedParameter &&
                !reassigned.Contains(freedParameter.Parameter))
            {
                frees[freedParameter.Parameter.Ordinal] = invocation;
            }
            else if (!probes && operation is IInvocationOperation access)
            {
                foreach (var address in UnprobedUserAddressAnalyzer.TouchedAddresses(access, _symbols.Api))
                {
                    if (ParameterBehind(address) is { } touchedParameter && !reassigned.Contains(touchedParameter) &&
                        !touches.ContainsKey(touchedParameter.Ordinal))
                    {
                        touches[touchedParameter.Ordinal] = access;
                    }
                }
            }
            else if (operation is IAssignmentOperation assignment &&
                     BufferingModeAnalyzer.IsFlags(assignment.Target, _symbols, out var device) &&
                     device is not null && IoModeSymbols.Unwrap(device) is IParameterReferenceOperation deviceParameter &&
                     !reassigned.Contains(deviceParameter.Parameter) &&
                     BufferingModeAnalyzer.BufferingFlagsNamed(assignment.Value, _symbols.Api) is { Length: > 0 } names)
            {
                flagChanges[deviceParameter.Parameter.Ordinal] = (assignment, names);
            }
        }

        return frees.Count == 0 && flagChanges.Count == 0 && touches.Count == 0
            ? HelperSummary.None
            : new HelperSummary(frees, flagChanges, touches);
    }

    private bool IsProbe(IMethodSymbol method)
    {
        var api = _symbols.Api;
        return api.IsWdm(method, "ProbeForRead") || api.IsWdm(method, "ProbeForWrite") ||
               api.IsWdm(method, "MmProbeAndLockPages") ||
               api.IsWdf(method, "WdfRequestProbeAndLockUserBufferForRead") ||
               api.IsWdf(method, "WdfRequestProbeAndLockUserBufferForWrite");
    }

    /// <summary>The <c>PVOID</c> parameter an address is (or is an offset of), or null.</summary>
    private IParameterSymbol? ParameterBehind(IOperation address)
    {
        var current = IoModeSymbols.Unwrap(address);
        for (var i = 0; i < 8 && current is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary &&
                        SymbolEqualityComparer.Default.Equals(binary.Type, _symbols.Api.Pvoid); i++)
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
            if (statement is IReturnOperation { ReturnedValue: { } returned })
            {
                // An expression body: "=> ExFreePool(p)" becomes a return (or an expression statement for void).
                yield return returned;
            }
            else
            {
                yield return statement;
            }
        }
    }
}
