using System.Collections.Immutable;
using DriverBuffers.Analyzers.Api;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// The start every Allocation analyzer shares: concurrent, generated code skipped, and nothing registered on a
/// compilation that does not reference the driver-buffer API.
/// </summary>
public abstract class AllocationAnalyzer : DiagnosticAnalyzer
{
    private protected AllocationAnalyzer(DiagnosticDescriptor descriptor) =>
        SupportedDiagnostics = ImmutableArray.Create(descriptor);

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DriverApi.TryGet(start.Compilation) is { } api)
            {
                Register(start, api);
            }
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references the API.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, DriverApi api);
}
