using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// Chooses the tag for an allocation that has none (an untagged deprecated allocator, or tag 0): the one tag
/// constant the type already allocates (or frees, with <c>ExFreePoolWithTag</c>) with, other than a default tag (DRV035), if there is exactly one
/// (with several, the one called <c>PoolTag</c>, if any); else a new <c>private const uint PoolTag</c> made of the type's name, declared once
/// per type. Never 0. Decisions are cached per type declaration, so Fix All declares one constant per type.
/// </summary>
internal sealed class PoolTagChooser
{
    public const string NewTagName = "PoolTag";

    private readonly SemanticModel _model;
    private readonly DdiCatalog _catalog;
    private readonly Dictionary<TypeDeclarationSyntax, Choice> _choices = new();

    public PoolTagChooser(SemanticModel model, DdiCatalog catalog)
    {
        _model = model;
        _catalog = catalog;
    }

    /// <summary>The tag expression for an allocation at <paramref name="site"/>, or null where no type holds it (top-level code).</summary>
    public ExpressionSyntax? TagFor(SyntaxNode site, CancellationToken cancellationToken)
    {
        var declaration = site.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (declaration is null || declaration is InterfaceDeclarationSyntax ||
            _model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        if (!_choices.TryGetValue(declaration, out var choice))
        {
            choice = Choose(declaration, type, site.SpanStart, cancellationToken);
            _choices.Add(declaration, choice);
        }

        return choice.Existing is { } field ? SyntaxNames.For(field, _model, site.SpanStart)
            : choice.NewName is { } name ? SyntaxFactory.IdentifierName(name)
            : null;
    }

    /// <summary>The constants to declare: one per type that needed a new tag.</summary>
    public IEnumerable<(TypeDeclarationSyntax Type, MemberDeclarationSyntax Field)> NewConstants()
    {
        foreach (var entry in _choices)
        {
            if (entry.Value.NewName is { } name)
            {
                yield return (entry.Key, NewConstant(name, entry.Key.Identifier.ValueText, EndOfLine(entry.Key)));
            }
        }
    }

    private Choice Choose(TypeDeclarationSyntax declaration, INamedTypeSymbol type, int position, CancellationToken cancellationToken)
    {
        var tags = new List<IFieldSymbol>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellationToken);
            var model = node.SyntaxTree == _model.SyntaxTree
                ? _model
                : _model.Compilation.GetSemanticModel(node.SyntaxTree);
            foreach (var call in node.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (call.FirstAncestorOrSelf<TypeDeclarationSyntax>() != node ||
                    model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
                {
                    continue;
                }

                var ordinal = _catalog.Has(invocation.TargetMethod, DdiRole.FreesPool)
                    ? 1
                    : PoolCalls.TagOrdinal(_catalog, invocation.TargetMethod);
                if (ordinal >= 0 &&
                    PoolCalls.Argument(invocation, ordinal)?.Value is { } tag &&
                    PoolCalls.WithoutConversions(tag) is IFieldReferenceOperation
                    {
                        Field: { IsConst: true, ConstantValue: uint value } field,
                    } &&
                    value != 0 && !DefaultPoolTags.IsDefault(value) &&
                    _model.IsAccessible(position, field) &&
                    !tags.Contains(field, SymbolEqualityComparer.Default))
                {
                    tags.Add(field);
                }
            }
        }

        if (tags.Count == 1)
        {
            return new Choice(tags[0], null);
        }

        if (tags.FirstOrDefault(t => t.Name == NewTagName) is { } named)
        {
            return new Choice(named, null);
        }

        if (!IsFirstDeclaration(declaration, type, cancellationToken))
        {
            // A partial type declared in several places gets its new constant in its first declaration only, so
            // that fixing several files at once (Fix All in project) cannot declare it twice. The calls in the other
            // parts are fixed once the constant exists.
            return new Choice(null, null);
        }

        var name = NewTagName;
        for (var i = 2; type.GetMembers(name).Length > 0 || declaration.Identifier.ValueText == name; i++)
        {
            name = NewTagName + i.ToString(CultureInfo.InvariantCulture);
        }

        return new Choice(null, name);
    }

    private static bool IsFirstDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var first = type.DeclaringSyntaxReferences
            .OrderBy(r => r.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        return first is null ||
               (first.SyntaxTree == declaration.SyntaxTree && first.Span.Start == declaration.SpanStart) ||
               first.GetSyntax(cancellationToken) == declaration;
    }

    /// <summary>
    /// <c>private const uint PoolTag = 0x6F686345; // "Echo"</c>: four characters of the type's name, stored so
    /// that a pool dump (<c>!poolused</c>, <c>!pool</c>) shows them in order, as C's <c>'ohcE'</c> does.
    /// </summary>
    private static MemberDeclarationSyntax NewConstant(string name, string typeName, SyntaxTrivia endOfLine)
    {
        var letters = new StringBuilder();
        foreach (var c in typeName)
        {
            if (c < 128 && char.IsLetterOrDigit(c) && letters.Length < 4)
            {
                letters.Append(c);
            }
        }

        while (letters.Length < 4)
        {
            letters.Append('_');
        }

        uint value = 0;
        for (var i = 3; i >= 0; i--)
        {
            value = (value << 8) | letters[i];
        }

        var text = string.Format(
            CultureInfo.InvariantCulture,
            "private const uint {0} = 0x{1:X8}; // \"{2}\" in pool dumps",
            name,
            value,
            letters);

        // A blank line separates the constant from the member that follows it.
        return SyntaxFactory.ParseMemberDeclaration(text)!
            .WithTrailingTrivia(
                SyntaxFactory.Space,
                SyntaxFactory.Comment(text.Substring(text.IndexOf("//", System.StringComparison.Ordinal))),
                endOfLine,
                endOfLine)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The line break the file uses (after the type's opening brace), or <c>\n</c>.</summary>
    private static SyntaxTrivia EndOfLine(TypeDeclarationSyntax type)
    {
        foreach (var trivia in type.OpenBraceToken.TrailingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.EndOfLine("\n");
    }

    private readonly struct Choice
    {
        public Choice(IFieldSymbol? existing, string? newName)
        {
            Existing = existing;
            NewName = newName;
        }

        public IFieldSymbol? Existing { get; }

        public string? NewName { get; }
    }
}
