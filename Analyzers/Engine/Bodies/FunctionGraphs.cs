using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A method's control flow graph and those of the lambdas and local functions inside it, each with the
/// symbol of the function it belongs to. Found with an explicit stack: no recursion.
/// </summary>
internal static class FunctionGraphs
{
    public static IEnumerable<(ControlFlowGraph Graph, IMethodSymbol? Function)> All(
        ControlFlowGraph root, IMethodSymbol? rootFunction, CancellationToken cancellationToken)
    {
        var pending = new Stack<(ControlFlowGraph, IMethodSymbol?)>();
        pending.Push((root, rootFunction));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (graph, function) = pending.Pop();
            yield return (graph, function);

            foreach (var localFunction in graph.LocalFunctions)
            {
                pending.Push((graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), localFunction));
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in BlockRoots(block))
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation lambda)
                        {
                            pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol));
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<IOperation> BlockRoots(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } branch)
        {
            yield return branch;
        }
    }
}
