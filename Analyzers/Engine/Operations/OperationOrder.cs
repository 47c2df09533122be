using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>Walks operation trees without recursion, so arbitrarily deep expressions cannot overflow the stack.</summary>
internal static class OperationOrder
{
    /// <summary>
    /// The operations of <paramref name="root"/> in evaluation order: children before their parent, left to right
    /// (the arguments of a call before the call, the operands of an assignment before the assignment).
    /// Nested lambdas and local functions are not entered: they run at another time.
    /// </summary>
    public static IEnumerable<IOperation> PostOrder(IOperation root)
    {
        var stack = new Stack<(IOperation Operation, bool ChildrenDone)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (operation, childrenDone) = stack.Pop();
            if (childrenDone)
            {
                yield return operation;
                continue;
            }

            stack.Push((operation, true));
            if (IsDeferredBody(operation) && !ReferenceEquals(operation, root))
            {
                continue;
            }

            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push((child, false));
            }
        }
    }

    /// <summary>
    /// <see cref="PostOrder(IOperation)"/> into lists the caller reuses (cleared first), with the number of children each
    /// operation has in the walk (0 for a nested lambda or local function, whose body is not entered): what an evaluator
    /// with a value stack needs, each operation popping the values of its children. <see cref="RootWalks"/> walks each
    /// statement of a graph with it once.
    /// </summary>
    public static void PostOrderWithChildren(
        IOperation root, List<IOperation> order, List<int> children, Stack<(IOperation Operation, int Children)> stack)
    {
        order.Clear();
        children.Clear();
        stack.Clear();
        stack.Push((root, -1));
        while (stack.Count > 0)
        {
            var (operation, count) = stack.Pop();
            if (count >= 0)
            {
                order.Add(operation);
                children.Add(count);
                continue;
            }

            if (IsDeferredBody(operation) && !ReferenceEquals(operation, root))
            {
                stack.Push((operation, 0));
                continue;
            }

            stack.Push((operation, operation.ChildOperations.Count));
            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push((child, -1));
            }
        }
    }

    /// <summary>Lambdas and local functions: their bodies do not run where they are written.</summary>
    public static bool IsDeferredBody(IOperation operation) =>
        operation.Kind is OperationKind.AnonymousFunction or OperationKind.FlowAnonymousFunction or OperationKind.LocalFunction;
}
