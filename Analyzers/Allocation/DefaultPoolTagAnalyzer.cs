using System.Globalization;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV035: a default or placeholder pool tag (<c>'Ddk '</c>, <c>'Wdm '</c>, <c>'None'</c>, in either byte order) given
/// to an allocating DDI (the pool allocators, <c>WdfMemoryCreate</c>, the lookaside lists' <c>WdfLookasideListCreate</c> and
/// <c>ExInitializeNPagedLookasideList</c>), literally or
/// through a constant. Reported at the tag argument. The fix declares a new named tag constant for the type (as
/// DRV030's fix chooses one) and writes it there and in the type's frees that gave the same tag.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DefaultPoolTagAnalyzer : DriverApiAnalyzer
{
    public DefaultPoolTagAnalyzer()
        : base(Descriptors.DefaultPoolTag)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var catalog = session.Catalog;
        NamedOperations.RegisterInvocations(
            context, session, TakesATag,
            (invocation, report) =>
            {
                var ordinal = PoolCalls.TagOrdinal(catalog, invocation.TargetMethod);
                if (ordinal < 0 ||
                    PoolCalls.Argument(invocation, ordinal)?.Value is not { ConstantValue: { HasValue: true, Value: uint tag } } argument ||
                    DefaultPoolTags.NameOf(tag) is not { } name)
                {
                    return;
                }

                report(Diagnostic.Create(
                    Descriptors.DefaultPoolTag,
                    argument.Syntax.GetLocation(),
                    invocation.TargetMethod.Name,
                    argument.Syntax.ToString(),
                    name,
                    "0x" + tag.ToString("X8", CultureInfo.InvariantCulture)));
            });
    }

    /// <summary>The names of the DDIs <see cref="PoolCalls.TagOrdinal"/> reads a tag of.</summary>
    private static bool TakesATag(string name) =>
        (DdiNames.RolesOfName(name) & (DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated | DdiRole.CreatesMemory |
                                       DdiRole.CreatesLookaside | DdiRole.InitializesLookasideList)) != 0;
}
