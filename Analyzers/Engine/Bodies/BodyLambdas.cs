using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lambdas and anonymous methods a bound body creates (nested ones too), found without walking the body: the
/// tree's <see cref="SyntaxTreeIndex"/> says where they are, and each is reached by descending only into the operations
/// whose syntax contains it. A pre-filter that must look at lambdas' symbols (their parameters' types) pays for the
/// lambdas, not for the body; a body without one costs a binary search.
/// </summary>
internal static class BodyLambdas
{
    public static IEnumerable<IAnonymousFunctionOperation> Of(IOperation body, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var positions = SyntaxTreeIndex.For(body.Syntax.SyntaxTree, telemetry, cancellationToken).AnonymousFunctions;
        var span = body.Syntax.FullSpan;
        Stack<IOperation>? pending = null;
        for (var i = FirstAtOrAfter(positions, span.Start); i < positions.Count && positions[i] < span.End; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = positions[i];
            pending ??= new Stack<IOperation>();
            pending.Clear();
            pending.Push(body);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                if (operation is IAnonymousFunctionOperation lambda && Introduces(lambda, position))
                {
                    yield return lambda;
                    break;
                }

                // Implicit operations may share a syntax with their siblings: every child that contains the position.
                foreach (var child in operation.ChildOperations)
                {
                    if (child.Syntax.FullSpan.Contains(position))
                    {
                        pending.Push(child);
                    }
                }
            }
        }
    }

    /// <summary>True when the lambda's own arrow or <c>delegate</c> keyword is at <paramref name="position"/> (not a nested one's).</summary>
    private static bool Introduces(IAnonymousFunctionOperation lambda, int position)
    {
        foreach (var token in lambda.Syntax.ChildTokens())
        {
            if (token.SpanStart == position)
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstAtOrAfter(IReadOnlyList<int> positions, int start)
    {
        int low = 0, high = positions.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (positions[middle] < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
