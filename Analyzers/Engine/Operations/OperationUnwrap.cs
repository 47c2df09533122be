using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The value an operation stands for, looking through conversions (to <c>WDFOBJECT</c>, casts), parentheses and
/// <c>out var</c> declarations; bounded, so a deeply nested expression costs nothing unbounded.
/// </summary>
internal static class OperationUnwrap
{
    private const int MaxDepth = 32;

    /// <summary>
    /// The value <paramref name="operation"/> stands for. With <paramref name="implicitConversionsOnly"/>, an explicit
    /// cast is kept (it is part of what the user wrote, e.g. <c>(PMDL)pointer</c>).
    /// </summary>
    public static IOperation? Unwrap(IOperation? operation, bool implicitConversionsOnly = false)
    {
        for (var depth = 0; operation is not null && depth < MaxDepth; depth++)
        {
            switch (operation)
            {
                case IConversionOperation conversion when conversion.IsImplicit || !implicitConversionsOnly:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IDeclarationExpressionOperation declaration:
                    operation = declaration.Expression;
                    continue;
                default:
                    return operation;
            }
        }

        return operation;
    }
}
