using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Every mention of a method of the driver in the compilation (a call, a method group given as a callback), found in the
/// trees whose <see cref="SyntaxTreeIndex"/> mentions its name (the others are not read) and bound: the cross-method
/// questions "who calls this helper" and "who registers this routine". Callers cache what they derive per method.
/// </summary>
internal static class MethodMentions
{
    /// <summary>The names that bind to <paramref name="method"/>, each with its tree's model.</summary>
    public static IEnumerable<(SemanticModel Model, SimpleNameSyntax Name)> Of(AnalysisSession session, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var compilation = session.Compilation;
        var definition = method.OriginalDefinition;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var index = session.Index(tree, cancellationToken);
            if (!index.Mentions(method.Name))
            {
                continue;
            }

#pragma warning disable RS1030 // the mentions of a method are in other bodies (and trees) of the same compilation; callers cache per method
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            var root = tree.GetRoot(cancellationToken);
            foreach (var position in index.PositionsOf(method.Name))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (root.FindToken(position).Parent is SimpleNameSyntax name &&
                    SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, definition))
                {
                    yield return (model, name);
                }
            }
        }
    }

    /// <summary><paramref name="name"/>, or the member access it ends (<c>Driver.Helper</c>): the expression a call or an argument holds.</summary>
    public static ExpressionSyntax Expression(SimpleNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
}
