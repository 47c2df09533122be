using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lambdas and anonymous methods a bound body creates (nested ones too), found without walking the body: the
/// tree's <see cref="SyntaxTreeIndex"/> says where they are, and one descent reaches them all, entering only the
/// operations whose syntax contains one of those positions. The answer is kept with the body's operation, so every
/// analyzer class that asks about the same body (the request and registry-path pre-filters) shares one descent. A
/// pre-filter that must look at lambdas' symbols (their parameters' types) pays for the lambdas, not for the body; a body
/// without one costs a binary search.
/// </summary>
internal static class BodyLambdas
{
    private static readonly IReadOnlyList<IAnonymousFunctionOperation> None = Array.Empty<IAnonymousFunctionOperation>();
    private static readonly ConditionalWeakTable<IOperation, IReadOnlyList<IAnonymousFunctionOperation>> Found = new();

    /// <summary>The lambdas and anonymous methods of <paramref name="body"/>, outer ones before the ones they contain.</summary>
    public static IReadOnlyList<IAnonymousFunctionOperation> Of(IOperation body, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var positions = SyntaxTreeIndex.For(body.Syntax.SyntaxTree, telemetry, cancellationToken).AnonymousFunctions;
        var span = body.Syntax.FullSpan;
        if (!AnyIn(positions, span.Start, span.End))
        {
            return None;
        }

        if (Found.TryGetValue(body, out var known))
        {
            return known;
        }

        var lambdas = Descend(body, positions, cancellationToken);
        return Found.GetValue(body, _ => lambdas);
    }

    private static IReadOnlyList<IAnonymousFunctionOperation> Descend(IOperation body, IReadOnlyList<int> positions, CancellationToken cancellationToken)
    {
        var lambdas = new List<IAnonymousFunctionOperation>();
        var pending = new Stack<IOperation>();
        var children = new List<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation lambda && Introduced(lambda, positions))
            {
                lambdas.Add(lambda);
            }

            // Implicit operations may share a syntax with their siblings: every child that contains a position.
            children.Clear();
            foreach (var child in operation.ChildOperations)
            {
                var span = child.Syntax.FullSpan;
                if (AnyIn(positions, span.Start, span.End))
                {
                    children.Add(child);
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }

        return lambdas.Count == 0 ? None : lambdas;
    }

    /// <summary>True when the lambda's own arrow or <c>delegate</c> keyword is one of <paramref name="positions"/> (not a nested one's).</summary>
    private static bool Introduced(IAnonymousFunctionOperation lambda, IReadOnlyList<int> positions)
    {
        foreach (var token in lambda.Syntax.ChildTokens())
        {
            var at = FirstAtOrAfter(positions, token.SpanStart);
            if (at < positions.Count && positions[at] == token.SpanStart)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyIn(IReadOnlyList<int> positions, int start, int end)
    {
        var first = FirstAtOrAfter(positions, start);
        return first < positions.Count && positions[first] < end;
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
