using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>What a domain's <see cref="IDataflowDomain{TState}.AssumeCondition"/> reads of a branch condition.</summary>
internal static class BranchConditions
{
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
