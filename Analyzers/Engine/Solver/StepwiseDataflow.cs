using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A domain whose transfer is defined one operation at a time, in evaluation order (<see cref="OperationOrder.PostOrder"/>),
/// so that a rule can see the state just before any operation inside a statement, not only before the statement.
/// </summary>
internal interface IStepwiseDomain<TState> : IDataflowDomain<TState>
{
    /// <summary>The state after <paramref name="operation"/>, whose children have been stepped already.</summary>
    TState Step(TState state, IOperation operation);

    /// <summary>True for <see cref="IDataflowDomain{TState}.Unreached"/>: nothing to step.</summary>
    bool IsUnreached(TState state);
}

internal static class StepwiseDataflow
{
    /// <summary><see cref="IDataflowDomain{TState}.Transfer"/> of a stepwise domain: every operation of the root, in order.</summary>
    public static TState Transfer<TState>(IStepwiseDomain<TState> domain, TState state, IOperation root, CancellationToken cancellationToken)
    {
        if (domain.IsUnreached(state))
        {
            return state;
        }

        foreach (var operation in OperationOrder.PostOrder(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = domain.Step(state, operation);
        }

        return state;
    }

    /// <summary>
    /// <see cref="DataflowResult{TState}.Replay"/> at the granularity of operations: <paramref name="visit"/> sees
    /// every reached operation once, with the state just before it.
    /// </summary>
    public static void ReplayOperations<TState>(
        DataflowResult<TState> result, IStepwiseDomain<TState> domain, Action<IOperation, TState> visit, CancellationToken cancellationToken)
    {
        result.Replay((root, before) =>
        {
            var state = before;
            foreach (var operation in OperationOrder.PostOrder(root))
            {
                if (domain.IsUnreached(state))
                {
                    return;
                }

                visit(operation, state);
                state = domain.Step(state, operation);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Strips conversions and logical negations from a branch condition, flipping <paramref name="whenTrue"/> for
    /// each negation: what <see cref="IDataflowDomain{TState}.AssumeCondition"/> then tests.
    /// </summary>
    public static IOperation StripNegations(IOperation condition, ref bool whenTrue)
    {
        var operation = condition;
        for (var depth = 0; depth < 64; depth++)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    whenTrue = !whenTrue;
                    operation = not.Operand;
                    continue;
            }

            break;
        }

        return operation;
    }
}
