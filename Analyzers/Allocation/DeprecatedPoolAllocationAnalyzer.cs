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
/// DRV030: a call to one of the five deprecated pool allocators (<c>ExAllocatePool</c>, <c>…WithTag</c>,
/// <c>…WithQuota</c>, <c>…WithQuotaTag</c>, <c>…WithTagPriority</c>), reported at the call with the
/// <c>ExAllocatePool2</c>/<c>ExAllocatePool3</c> form that replaces it. The pool type the call passes is part of
/// this one finding: an executable <c>NonPagedPool</c> given to a deprecated allocator is not reported again by
/// DRV031 (the fix chooses between the non-executable and the executable flag).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeprecatedPoolAllocationAnalyzer : DriverApiAnalyzer
{
    /// <summary>Property set when the call's pool type maps to flags, so the fix can offer the new call.</summary>
    public const string MappableProperty = "Mappable";

    /// <summary>Property set when the pool type is executable (the fix then offers a second, executable variant).</summary>
    public const string ExecutableProperty = "Executable";

    public DeprecatedPoolAllocationAnalyzer()
        : base(Descriptors.DeprecatedPoolAllocation)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is { } session)
        {
            NamedOperations.RegisterInvocations(
                context, session, name => (DdiNames.RolesOfName(name) & DdiRole.AllocatesPoolDeprecated) != 0,
                (invocation, report) => Analyze(invocation, report, session.Catalog));
        }
    }

    private static void Analyze(IInvocationOperation invocation, Action<Diagnostic> report, DdiCatalog catalog)
    {
        var name = PoolCalls.DeprecatedAllocator(catalog, invocation.TargetMethod);
        if (name is null)
        {
            return;
        }

        var poolType = PoolCalls.Argument(invocation, 0);
        var mapping = poolType is null ? null : PoolTypeMapping.TryMap(catalog.Api, poolType.Value);
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (mapping is not null)
        {
            properties = properties.Add(MappableProperty, "true");
            if (mapping.IsExecutable)
            {
                properties = properties.Add(ExecutableProperty, "true");
            }
        }

        report(Diagnostic.Create(
            Descriptors.DeprecatedPoolAllocation,
            invocation.Syntax.GetLocation(),
            properties,
            name,
            Replacement(name, mapping)));
    }

    /// <summary>What to use instead, in the message: the new DDI with the flags the fix writes.</summary>
    internal static string Replacement(string deprecatedName, PoolTypeMapping? mapping)
    {
        var ddi = deprecatedName == DdiNames.ExAllocatePoolWithTagPriority ? DdiNames.ExAllocatePool3 : DdiNames.ExAllocatePool2;
        var quota = PoolCalls.ChargesQuota(deprecatedName);
        string text;
        if (mapping is null)
        {
            text = ddi + " with the POOL_FLAG_* flags for this pool type" + (quota ? " and POOL_FLAG_USE_QUOTA" : string.Empty);
        }
        else
        {
            text = ddi + " with " + string.Join(" | ", mapping.Flags(keepExecutable: false, quota));
            if (mapping.IsExecutable)
            {
                text += " (" + PoolTypeMapping.FlagNonPagedExecute + " only if the memory must be executable)";
            }
        }

        if (deprecatedName == DdiNames.ExAllocatePoolWithTagPriority)
        {
            text += " and a PoolExtendedParameterPriority parameter";
        }

        if (PoolCalls.IsUntagged(deprecatedName))
        {
            text += " and a pool tag";
        }

        return text;
    }
}
