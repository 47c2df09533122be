using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The lambdas and anonymous methods a bound body creates (nested ones too), found without walking the body: the
/// tree's <see cref="SyntaxTreeIndex"/> says where they may be (every <c>=&gt;</c> and <c>delegate</c>), and what each
/// such position is (a function and how many parameters it takes, or an expression body or a switch arm) is found in the
/// tree once per tree object and kept with it (<see cref="TreeFunctions"/>): the next pre-filter that asks about the same
/// body, and the next compilation of an IDE edit, read it. A pre-filter that must look at lambdas' parameters pays for
/// the lambdas, not for the body; one that asks for a shape of function (<see cref="MayTake"/>) reads the kept shapes
/// alone; a body without a lambda costs a binary search. A lambda's symbol is read from the operation the compiler built
/// for the body (the member's operation map), not bound again.
/// </summary>
internal static class BodyLambdas
{
    /// <summary>The symbols of the lambdas and anonymous methods of <paramref name="body"/>, in the order of the text.</summary>
    public static IReadOnlyList<IMethodSymbol> SymbolsOf(IOperation body, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var syntax = body.Syntax;
        var functions = TreeFunctions.Of(syntax.SyntaxTree, telemetry, cancellationToken);
        var (first, end) = functions.RangeOf(syntax);
        List<IMethodSymbol>? symbols = null;
        for (var i = first; i < end; i++)
        {
            if (functions.ParametersOf(i, syntax, telemetry, cancellationToken, out var found) == TreeFunctions.NotAFunction ||
                body.SemanticModel is not { } model ||
                (found ?? FunctionAt(syntax, functions.Positions[i])) is not { } function)
            {
                continue;
            }

            // The operation the compiler already made for the body (a look-up in the member's operation map), else the binder.
            var symbol = (model.GetOperation(function, cancellationToken) as IAnonymousFunctionOperation)?.Symbol ??
                model.GetSymbolInfo(function, cancellationToken).Symbol as IMethodSymbol;
            if (symbol is not null)
            {
                (symbols ??= new List<IMethodSymbol>()).Add(symbol);
            }
        }

        return symbols ?? (IReadOnlyList<IMethodSymbol>)Array.Empty<IMethodSymbol>();
    }

    /// <summary>
    /// True when <paramref name="body"/> may create a function of <paramref name="parameterCount"/> parameters, read from
    /// the syntax of its lambdas alone (an anonymous method without a parameter list may take any number): a pre-filter
    /// that asks for one shape of function (a <c>DriverEntry</c> takes two) binds nothing for a body whose lambdas have
    /// another (a query's <c>x =&gt; …</c>).
    /// </summary>
    public static bool MayTake(SyntaxNode body, int parameterCount, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var functions = TreeFunctions.Of(body.SyntaxTree, telemetry, cancellationToken);
        var (first, end) = functions.RangeOf(body);
        for (var i = first; i < end; i++)
        {
            var taken = functions.ParametersOf(i, body, telemetry, cancellationToken, out _);
            if (taken == parameterCount || taken == TreeFunctions.AnyNumber)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambda or anonymous method whose arrow or <c>delegate</c> keyword is at <paramref name="position"/> in <paramref name="body"/>, or null.</summary>
    private static AnonymousFunctionExpressionSyntax? FunctionAt(SyntaxNode body, int position) =>
        body.FindToken(position).Parent switch
        {
            SimpleLambdaExpressionSyntax simple when simple.ArrowToken.SpanStart == position => simple,
            ParenthesizedLambdaExpressionSyntax lambda when lambda.ArrowToken.SpanStart == position => lambda,
            AnonymousMethodExpressionSyntax method when method.DelegateKeyword.SpanStart == position => method,
            _ => null,
        };

    /// <summary>
    /// What each possible function position of one tree is, kept with the tree object: not looked at yet, not a function
    /// (an expression body, a switch arm), or a function taking so many parameters. Each position is looked up in the tree
    /// the first time a body that contains it is asked about (from that body's node: no node above it is created), counted
    /// in <see cref="EngineTelemetry.FunctionPositionsResolved"/>; every later question reads the kept answer. Only numbers
    /// are kept (no syntax node: the tree's red nodes stay collectable). Thread-safe: two threads that look up the same
    /// position find the same answer.
    /// </summary>
    private sealed class TreeFunctions
    {
        /// <summary>A position that is not a function's arrow or keyword.</summary>
        public const int NotAFunction = -1;

        /// <summary>An anonymous method without a parameter list: it converts to a delegate of any number of parameters.</summary>
        public const int AnyNumber = -2;

        private const short Unknown = 0;

        private static readonly PerTree<TreeFunctions> Trees = new();

        // Per position: Unknown, or the answer + 3 (NotAFunction is 2, AnyNumber 1, n parameters n + 3).
        private readonly short[] _answers;

        private TreeFunctions(IReadOnlyList<int> positions)
        {
            Positions = positions;
            _answers = new short[positions.Count];
        }

        /// <summary>The positions of the tree's possible functions, ascending (the index's).</summary>
        public IReadOnlyList<int> Positions { get; }

        public static TreeFunctions Of(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
            Trees.TryGet(tree, out var known) ? known : Create(tree, telemetry, cancellationToken);

        /// <summary>Apart from <see cref="Of"/>, so a tree already seen allocates no closure.</summary>
        private static TreeFunctions Create(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
            Trees.Get(tree, ct => new TreeFunctions(SyntaxTreeIndex.For(tree, telemetry, ct).AnonymousFunctions), cancellationToken);

        /// <summary>The first and past-the-last position inside <paramref name="body"/>.</summary>
        public (int First, int End) RangeOf(SyntaxNode body)
        {
            var span = body.FullSpan;
            var positions = Positions;
            int low = 0, high = positions.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (positions[middle] < span.Start)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            var end = low;
            while (end < positions.Count && positions[end] < span.End)
            {
                end++;
            }

            return (low, end);
        }

        /// <summary>
        /// The parameters the function at the <paramref name="i"/>-th position takes, <see cref="AnyNumber"/>, or
        /// <see cref="NotAFunction"/>; <paramref name="found"/> is the function when this question looked it up.
        /// </summary>
        public int ParametersOf(int i, SyntaxNode body, EngineTelemetry telemetry, CancellationToken cancellationToken, out AnonymousFunctionExpressionSyntax? found)
        {
            found = null;
            var answer = Volatile.Read(ref _answers[i]);
            if (answer == Unknown)
            {
                cancellationToken.ThrowIfCancellationRequested();
                found = FunctionAt(body, Positions[i]);
                var taken = found switch
                {
                    SimpleLambdaExpressionSyntax => 1,
                    ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters.Count,
                    AnonymousMethodExpressionSyntax method => method.ParameterList?.Parameters.Count ?? AnyNumber,
                    _ => NotAFunction,
                };
                answer = (short)(Math.Min(taken, short.MaxValue - 3) + 3);
                Volatile.Write(ref _answers[i], answer);
                telemetry.FunctionPositionsLookedUp(1);
            }

            return answer - 3;
        }
    }
}
