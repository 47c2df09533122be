using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Every mention of a method of the driver in the compilation (a call, a method group given as a callback), found and
/// bound once per name and tree (<see cref="NameMentions"/>): the cross-method questions "who calls this helper" and
/// "who registers this routine". Thread-safe.
/// </summary>
internal sealed class MethodMentions
{
    private readonly NameMentions _names;

    private MethodMentions(AnalysisSession session) =>
        _names = new NameMentions(session, "methods", _ => true, symbol => symbol is IMethodSymbol);

    public static MethodMentions For(AnalysisSession session) => session.Feature(s => new MethodMentions(s));

    /// <summary>The names that bind to <paramref name="method"/> (its original definition), each with its tree's model.</summary>
    public IReadOnlyList<(SemanticModel Model, SimpleNameSyntax Name)> Of(IMethodSymbol method, CancellationToken cancellationToken) =>
        _names.Of(method, cancellationToken);

    /// <summary><paramref name="name"/>, or the member access it ends (<c>Driver.Helper</c>): the expression a call or an argument holds.</summary>
    public static ExpressionSyntax Expression(SimpleNameSyntax name) => NameMentions.Expression(name);
}
