using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lambdas a graph creates (reached or not), for analyses whose lambdas start from an empty state and so need not
/// find them in a replay: each to hand to <see cref="FunctionQueue{TState}.AddLambda"/>.
/// </summary>
internal static class FunctionLambdas
{
    public static IEnumerable<IFlowAnonymousFunctionOperation> Of(ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var node in operation.DescendantsAndSelf())
                {
                    if (node is IFlowAnonymousFunctionOperation lambda)
                    {
                        yield return lambda;
                    }
                }
            }

            if (block.BranchValue is { } branch)
            {
                foreach (var node in branch.DescendantsAndSelf())
                {
                    if (node is IFlowAnonymousFunctionOperation lambda)
                    {
                        yield return lambda;
                    }
                }
            }
        }
    }
}
