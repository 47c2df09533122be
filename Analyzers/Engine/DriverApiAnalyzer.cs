using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The start every DriverBuffers analyzer shares: concurrent, generated code skipped, and nothing registered on a
/// compilation that does not reference the driver-buffer API, or whose code cannot use it (no tree names its namespace
/// and no other reference exposes it: <see cref="ApiUseInSource"/>): zero cost per body on other code. A rule registers
/// its actions in <see cref="Register"/> with the API's symbols in hand.
/// </summary>
public abstract class DriverApiAnalyzer : DiagnosticAnalyzer
{
    private protected DriverApiAnalyzer(params DiagnosticDescriptor[] descriptors) =>
        SupportedDiagnostics = ImmutableArray.Create(descriptors);

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DriverApi.TryGet(start.Compilation) is { } api &&
                ApiUseInSource.MayUse(start.Compilation, api, start.CancellationToken))
            {
                Register(start, api);
            }
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references the API.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, DriverApi api);
}
