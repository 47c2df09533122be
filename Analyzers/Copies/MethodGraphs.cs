using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// Hands each method body that calls a relevant DDI, with its lambdas and local functions, to a flow analysis.
/// Methods that call none cost one walk of their operations and no control flow graph.
/// </summary>
internal static class MethodGraphs
{
    public static void Analyze(
        OperationBlockAnalysisContext context,
        Func<IMethodSymbol, bool> isRelevant,
        Action<ControlFlowGraph, IMethodSymbol?> analyze)
    {
        foreach (var block in context.OperationBlocks)
        {
            if (block.Kind is OperationKind.Attribute or OperationKind.ParameterInitializer ||
                !block.Descendants().Any(o => o is IInvocationOperation invocation && isRelevant(invocation.TargetMethod)))
            {
                continue;
            }

            var graph = context.GetControlFlowGraph(block);
            foreach (var (function, symbol) in FunctionGraphs.All(graph, context.OwningSymbol as IMethodSymbol, context.CancellationToken))
            {
                analyze(function, symbol);
            }
        }
    }
}
