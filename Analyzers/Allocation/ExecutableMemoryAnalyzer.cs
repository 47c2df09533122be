using System;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV031: executable pool or an executable MDL mapping. Reports an executable pool type (<c>NonPagedPool</c>,
/// <c>NonPagedPoolExecute</c>, <c>NonPagedPoolCacheAligned</c>, <c>NonPagedPoolMustSucceed</c>) or
/// <c>POOL_FLAG_NON_PAGED_EXECUTE</c> where it asks for memory (an argument, an initializer, an assignment, a
/// return value), and <c>MmGetSystemAddressForMdlSafe</c> whose constant priority lacks <c>MdlMappingNoExecute</c>.
/// An executable pool type given to a deprecated allocator is reported here and by DRV030 (as PREfast reports C30030
/// beside C28751): a driver that still runs before Windows 10 2004 turns DRV030 off and must still hear about
/// executable memory; DRV030's fix resolves both, this rule's fix only the pool type. A pool type given as
/// <c>ExAllocatePool2/3</c> flags is DRV033's alone (the call fails whatever the type; its fix writes the NX flag).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExecutableMemoryAnalyzer : DriverApiAnalyzer
{
    /// <summary>Property: the constant that replaces the reported one (the NX form).</summary>
    public const string ReplacementProperty = "Replacement";

    /// <summary>Property set on a <c>MmGetSystemAddressForMdlSafe</c> priority that needs <c>| MdlMappingNoExecute</c>.</summary>
    public const string AddNoExecuteProperty = "AddNoExecute";

    public ExecutableMemoryAnalyzer()
        : base(Descriptors.ExecutableMemory)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        NamedOperations.RegisterFieldReferences(
            context, session, name => PoolTypeMapping.ExecutableTypes.ContainsKey(name) || name == PoolCalls.PoolFlagNonPagedExecute,
            (reference, report) => AnalyzeConstant(reference, report, session.Catalog));
        NamedOperations.RegisterInvocations(
            context, session, name => name == DdiNames.MmGetSystemAddressForMdlSafe,
            (invocation, report) => AnalyzeMapping(invocation, report, session.Catalog));
    }

    private static void AnalyzeConstant(IFieldReferenceOperation reference, Action<Diagnostic> report, DdiCatalog catalog)
    {
        var api = catalog.Api;
        var field = reference.Field;
        if (!SymbolEqualityComparer.Default.Equals(field.ContainingType, api.Wdm))
        {
            return;
        }

        var isPoolType = PoolTypeMapping.ExecutableTypes.TryGetValue(field.Name, out var replacement);
        if (!isPoolType)
        {
            if (field.Name != PoolCalls.PoolFlagNonPagedExecute)
            {
                return;
            }

            replacement = PoolTypeMapping.FlagNonPaged;
        }

        // Climb through the expression that combines the constant (|, ?:, conversions) to where it is used.
        IOperation top = reference;
        while (top.Parent is IConversionOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } or
               IConditionalOperation { IsRef: false })
        {
            if (top.Parent is IConditionalOperation conditional && ReferenceEquals(conditional.Condition, top))
            {
                return;
            }

            top = top.Parent;
        }

        string? ddi = null;
        switch (top.Parent)
        {
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                if (isPoolType && PoolCalls.IsFlagsAllocator(catalog, invocation.TargetMethod))
                {
                    return; // DRV033 owns this finding.
                }

                ddi = invocation.TargetMethod.Name;
                break;
            case IArgumentOperation:
            case IVariableInitializerOperation:
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
            case IReturnOperation:
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, top):
                break;
            default:
                return; // A comparison, a switch label, ...: not a request for memory.
        }

        report(Diagnostic.Create(
            Descriptors.ExecutableMemory,
            reference.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, replacement),
            ddi is null ? field.Name : ddi + " with " + field.Name,
            replacement));
    }

    private static void AnalyzeMapping(IInvocationOperation invocation, Action<Diagnostic> report, DdiCatalog catalog)
    {
        if (!catalog.Has(invocation.TargetMethod, DdiRole.MapsMdl) || invocation.TargetMethod.Name != DdiNames.MmGetSystemAddressForMdlSafe ||
            PoolCalls.Argument(invocation, 1)?.Value is not { } priority ||
            priority.ConstantValue is not { HasValue: true, Value: uint value })
        {
            return;
        }

        var noExecute = NoExecuteBit(catalog.Api);
        if (noExecute == 0 || (value & noExecute) != 0)
        {
            return;
        }

        report(Diagnostic.Create(
            Descriptors.ExecutableMemory,
            priority.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(AddNoExecuteProperty, "true"),
            DdiNames.MmGetSystemAddressForMdlSafe + " with " + priority.Syntax,
            priority.Syntax + " | " + PoolCalls.MdlMappingNoExecute));
    }

    private static uint NoExecuteBit(DriverApi api)
    {
        foreach (var member in api.Wdm.GetMembers(PoolCalls.MdlMappingNoExecute))
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: uint bit })
            {
                return bit;
            }
        }

        return 0;
    }
}
