using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV032: a call to the obsolete <c>MmGetSystemAddressForMdl</c>, which bug-checks when mapping space runs
/// out. The fix calls <c>MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute)</c> and,
/// where the method has a recognisable error convention, checks the result for NULL.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ObsoleteMdlMappingAnalyzer : DriverApiAnalyzer
{
    public ObsoleteMdlMappingAnalyzer()
        : base(Descriptors.ObsoleteMdlMapping)
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
            context, session, name => name == DdiNames.MmGetSystemAddressForMdl,
            (invocation, report) =>
            {
                if (catalog.Has(invocation.TargetMethod, DdiRole.MapsMdl) && invocation.TargetMethod.Name == DdiNames.MmGetSystemAddressForMdl)
                {
                    var mdl = PoolCalls.Argument(invocation, 0)?.Value.Syntax.ToString() ?? "mdl";
                    report(Diagnostic.Create(Descriptors.ObsoleteMdlMapping, invocation.Syntax.GetLocation(), mdl));
                }
            });
    }
}
