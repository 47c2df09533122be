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
/// DRV033: <c>ExAllocatePool2</c>/<c>ExAllocatePool3</c> given a <c>POOL_TYPE</c> where they expect
/// <c>POOL_FLAGS</c> (it compiles through <c>POOL_TYPE</c>'s conversion to <c>ulong</c>, and the allocation fails),
/// or given the tag 0. Reported at the argument. An executable <c>NonPagedPool</c> passed as flags is this one
/// finding, not also DRV031 (the fix offers the non-executable flag first).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolTypeAsPoolFlagsAnalyzer : DriverApiAnalyzer
{
    /// <summary>Property naming what the diagnostic is about: <see cref="FlagsKind"/> or <see cref="TagKind"/>.</summary>
    public const string KindProperty = "Kind";
    public const string FlagsKind = "Flags";
    public const string TagKind = "Tag";

    public PoolTypeAsPoolFlagsAnalyzer()
        : base(Descriptors.PoolTypeAsPoolFlags)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (api.PoolType is not null && AnalysisSession.For(context.Compilation) is { } session)
        {
            NamedOperations.RegisterInvocations(
                context, session, name => (DdiNames.RolesOfName(name) & DdiRole.AllocatesPool) != 0,
                (invocation, report) => Analyze(invocation, report, session.Catalog));
        }
    }

    private static void Analyze(IInvocationOperation invocation, Action<Diagnostic> report, DdiCatalog catalog)
    {
        var api = catalog.Api;
        if (!PoolCalls.IsFlagsAllocator(catalog, invocation.TargetMethod))
        {
            return;
        }

        var ddi = invocation.TargetMethod.Name;
        if (PoolCalls.Argument(invocation, 0)?.Value is IConversionOperation conversion &&
            SymbolEqualityComparer.Default.Equals(conversion.Operand.Type, api.PoolType))
        {
            var mapping = PoolTypeMapping.TryMap(api, conversion.Operand);
            var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, FlagsKind);
            string instead;
            if (mapping is null)
            {
                instead = "the POOL_FLAG_* flags for this pool type";
            }
            else
            {
                properties = properties.Add(DeprecatedPoolAllocationAnalyzer.MappableProperty, "true");
                instead = string.Join(" | ", mapping.Flags(keepExecutable: false, chargesQuota: false));
                if (mapping.IsExecutable)
                {
                    properties = properties.Add(DeprecatedPoolAllocationAnalyzer.ExecutableProperty, "true");
                    instead += " (" + PoolTypeMapping.FlagNonPagedExecute + " only if the memory must be executable)";
                }
            }

            report(Diagnostic.Create(
                Descriptors.PoolTypeAsPoolFlags,
                conversion.Syntax.GetLocation(),
                properties,
                ddi,
                "the pool type " + conversion.Operand.Syntax + " as its POOL_FLAGS",
                instead));
        }

        if (PoolCalls.Argument(invocation, 2)?.Value is { ConstantValue: { HasValue: true, Value: uint tag } } tagArgument && tag == 0)
        {
            report(Diagnostic.Create(
                Descriptors.PoolTypeAsPoolFlags,
                tagArgument.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, TagKind),
                ddi,
                "the pool tag 0",
                "a non-zero pool tag constant"));
        }
    }
}
