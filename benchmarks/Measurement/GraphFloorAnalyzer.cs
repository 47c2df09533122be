using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// The graph floor: the least any flow-sensitive analysis of every body pays, whatever its domain. An operation-block
/// analyzer that builds the control-flow graph of each body (the analyzer driver's cached
/// <see cref="OperationBlockAnalysisContext.GetControlFlowGraph(IOperation)"/>, as the package's body runner asks for
/// it) and looks once at each operation of each block, doing nothing else. Beside the <see cref="FloorAnalyzer"/> it
/// shows what a budget leaves for the analysis itself once a graph is built for a body.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GraphFloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "FLOOR002", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockAction(block =>
        {
            var operations = 0;
            foreach (var body in block.OperationBlocks)
            {
                ControlFlowGraph graph;
                try
                {
                    graph = block.GetControlFlowGraph(body);
                }
                catch (System.ArgumentException)
                {
                    continue; // not a body with a graph (an attribute, a parameter's default value)
                }

                foreach (var basicBlock in graph.Blocks)
                {
                    foreach (var operation in basicBlock.Operations)
                    {
                        operations += operation is null ? 0 : 1;
                    }

                    operations += basicBlock.BranchValue is null ? 0 : 1;
                }
            }

            if (operations < 0)
            {
                block.ReportDiagnostic(Diagnostic.Create(Never, Location.None));
            }
        });
    }
}
