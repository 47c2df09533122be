using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lambdas and anonymous methods a bound body creates (nested ones too), found without walking the body: the
/// tree's <see cref="SyntaxTreeIndex"/> says where they are, their syntax is found from there, and their symbols are
/// asked of the body's semantic model (which already bound them). A pre-filter that must look at lambdas' parameters
/// pays for the lambdas, not for the body; one that asks for a shape of function (<see cref="MayTake"/>) reads the
/// syntax alone; a body without a lambda costs a binary search. A lambda's symbol is read from the operation the compiler
/// built for the body (the member's operation map), not bound again.
/// </summary>
internal static class BodyLambdas
{
    /// <summary>The symbols of the lambdas and anonymous methods of <paramref name="body"/>, in the order of the text.</summary>
    public static IReadOnlyList<IMethodSymbol> SymbolsOf(IOperation body, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var functions = SyntaxOf(body.Syntax, telemetry, cancellationToken);
        if (functions.Count == 0 || body.SemanticModel is not { } model)
        {
            return Array.Empty<IMethodSymbol>();
        }

        var symbols = new List<IMethodSymbol>(functions.Count);
        foreach (var function in functions)
        {
            // The operation the compiler already made for the body (a look-up in the member's operation map), else the binder.
            var symbol = (model.GetOperation(function, cancellationToken) as IAnonymousFunctionOperation)?.Symbol ??
                model.GetSymbolInfo(function, cancellationToken).Symbol as IMethodSymbol;
            if (symbol is not null)
            {
                symbols.Add(symbol);
            }
        }

        return symbols;
    }

    /// <summary>
    /// True when <paramref name="body"/> may create a function of <paramref name="parameterCount"/> parameters, read from
    /// the syntax of its lambdas alone (an anonymous method without a parameter list may take any number): a pre-filter
    /// that asks for one shape of function (a <c>DriverEntry</c> takes two) binds nothing for a body whose lambdas have
    /// another (a query's <c>x =&gt; …</c>).
    /// </summary>
    public static bool MayTake(SyntaxNode body, int parameterCount, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        foreach (var function in SyntaxOf(body, telemetry, cancellationToken))
        {
            var taken = function switch
            {
                SimpleLambdaExpressionSyntax => 1,
                ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters.Count,
                AnonymousMethodExpressionSyntax method => method.ParameterList?.Parameters.Count ?? parameterCount,
                _ => -1,
            };
            if (taken == parameterCount)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambdas and anonymous methods in <paramref name="body"/>, from the positions the tree's index lists.</summary>
    private static IReadOnlyList<AnonymousFunctionExpressionSyntax> SyntaxOf(SyntaxNode body, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var positions = SyntaxTreeIndex.For(body.SyntaxTree, telemetry, cancellationToken).AnonymousFunctions;
        var span = body.FullSpan;
        List<AnonymousFunctionExpressionSyntax>? functions = null;
        for (var i = FirstAtOrAfter(positions, span.Start); i < positions.Count && positions[i] < span.End; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = positions[i];

            // The index lists every `=>` (expression bodies and switch arms too): only a function's own arrow or keyword.
            switch (body.FindToken(position).Parent)
            {
                case SimpleLambdaExpressionSyntax simple when simple.ArrowToken.SpanStart == position:
                    (functions ??= new()).Add(simple);
                    break;
                case ParenthesizedLambdaExpressionSyntax lambda when lambda.ArrowToken.SpanStart == position:
                    (functions ??= new()).Add(lambda);
                    break;
                case AnonymousMethodExpressionSyntax method when method.DelegateKeyword.SpanStart == position:
                    (functions ??= new()).Add(method);
                    break;
            }
        }

        return functions ?? (IReadOnlyList<AnonymousFunctionExpressionSyntax>)Array.Empty<AnonymousFunctionExpressionSyntax>();
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
