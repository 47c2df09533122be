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
        var operations = new Stack<IOperation>();
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
                foreach (var operation in block.Operations)
                {
                    PushLambdas(graph, operation, operations, pending, cancellationToken);
                }

                if (block.BranchValue is { } branch)
                {
                    PushLambdas(graph, branch, operations, pending, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The graphs of the lambdas in <paramref name="root"/> onto <paramref name="pending"/>, in the order of
    /// <c>DescendantsAndSelf</c> (before their parent's siblings, left to right), with one reused stack and no iterator.
    /// </summary>
    private static void PushLambdas(
        ControlFlowGraph graph,
        IOperation root,
        Stack<IOperation> operations,
        Stack<(ControlFlowGraph, IMethodSymbol?)> pending,
        CancellationToken cancellationToken)
    {
        operations.Push(root);
        while (operations.Count > 0)
        {
            var node = operations.Pop();
            if (node is IFlowAnonymousFunctionOperation lambda)
            {
                pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol));
            }

            foreach (var child in node.ChildOperations.Reverse())
            {
                operations.Push(child);
            }
        }
    }
}
