using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>
/// Picks names for new locals that clash with nothing: not with a symbol in scope where the local goes, not with
/// any local, parameter or local function declared anywhere in the member (C# forbids a nested declaration to
/// hide one), and not with a name this fix (or a Fix All over the document) has already introduced there.
/// A clashing name gets a number: <c>name1</c>, <c>name2</c>, … (or from <c>name2</c> on, see the constructor).
/// </summary>
internal sealed class LocalNames
{
    private readonly Dictionary<SyntaxNode, HashSet<string>> _taken = new();
    private readonly int _firstSuffix;

    /// <param name="firstSuffix">The number the first renamed candidate gets (1: <c>status1</c>; 2: <c>status2</c>).</param>
    public LocalNames(int firstSuffix = 1) => _firstSuffix = firstSuffix;

    /// <summary>One name, for a fix that introduces a single local: <c>status</c>, else <c>status2</c>, <c>status3</c>, ….</summary>
    public static string Unique(SemanticModel semanticModel, SyntaxNode at, string baseName) =>
        new LocalNames(firstSuffix: 2).Allocate(semanticModel, at, baseName);

    /// <summary>A name for a new local declared at <paramref name="at"/>, remembered as taken for the next call.</summary>
    public string Allocate(SemanticModel semanticModel, SyntaxNode at, string baseName)
    {
        var member = (SyntaxNode?)at.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? at.SyntaxTree.GetRoot();
        if (!_taken.TryGetValue(member, out var taken))
        {
            _taken[member] = taken = DeclaredNames(member);
        }

        var visible = new HashSet<string>();
        foreach (var symbol in semanticModel.LookupSymbols(at.SpanStart))
        {
            visible.Add(symbol.Name);
        }

        var name = baseName;
        for (var i = _firstSuffix; taken.Contains(name) || visible.Contains(name); i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(name);
        return name;
    }

    private static HashSet<string> DeclaredNames(SyntaxNode member)
    {
        var names = new HashSet<string>();
        foreach (var node in member.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    names.Add(declarator.Identifier.ValueText);
                    break;
                case SingleVariableDesignationSyntax designation:
                    names.Add(designation.Identifier.ValueText);
                    break;
                case ParameterSyntax parameter:
                    names.Add(parameter.Identifier.ValueText);
                    break;
                case LocalFunctionStatementSyntax localFunction:
                    names.Add(localFunction.Identifier.ValueText);
                    break;
                case ForEachStatementSyntax forEach:
                    names.Add(forEach.Identifier.ValueText);
                    break;
                case CatchDeclarationSyntax catchDeclaration:
                    names.Add(catchDeclaration.Identifier.ValueText);
                    break;
                case QueryClauseSyntax or QueryContinuationSyntax or FromClauseSyntax:
                    foreach (var token in node.ChildTokens())
                    {
                        if (token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken))
                        {
                            names.Add(token.ValueText);
                        }
                    }

                    break;
            }
        }

        return names;
    }
}
