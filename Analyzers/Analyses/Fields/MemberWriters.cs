using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>
/// Which functions of the driver change a field of an object that already exists: every write of the field
/// (<see cref="MemberStores"/>) except those that build a new object (an object initializer, a constructor writing its
/// own instance, the field's declarator). A call cannot change a field that no function but the caller writes, so an
/// analysis that forgets fields at a call of the driver's own code may keep such a field's facts
/// (<see cref="IsWrittenOnlyIn"/>). Per field, once per compilation.
/// </summary>
internal sealed class MemberWriters
{
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<ISymbol, ImmutableArray<SyntaxNode>> _writers = new(SymbolEqualityComparer.Default);

    private MemberWriters(AnalysisSession session) => _session = session;

    public static MemberWriters For(AnalysisSession session) => session.Feature(s => new MemberWriters(s));

    /// <summary>
    /// True when <paramref name="field"/> is a field that only <paramref name="function"/> (a method, accessor, local
    /// function or lambda syntax node) changes on an existing object, or that nothing does.
    /// </summary>
    public bool IsWrittenOnlyIn(ISymbol field, SyntaxNode function, CancellationToken cancellationToken)
    {
        if (field is not IFieldSymbol)
        {
            // A property's getter may read other fields: a call that writes them changes it without writing it.
            return false;
        }

        var original = field.OriginalDefinition;
        if (!_writers.TryGetValue(original, out var writers))
        {
            writers = Compute(original, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            _writers.TryAdd(original, writers);
        }

        foreach (var writer in writers)
        {
            if (writer != function)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The functions that write <paramref name="field"/> on an existing object; a null node for a write outside any function.</summary>
    private ImmutableArray<SyntaxNode> Compute(ISymbol field, CancellationToken cancellationToken)
    {
        var writers = ImmutableArray.CreateBuilder<SyntaxNode>();
        foreach (var store in MemberStores.Of(_session, field, cancellationToken))
        {
            if (store.Site is VariableDeclaratorSyntax || store.Site.Parent is InitializerExpressionSyntax)
            {
                continue;
            }

            var function = EnclosingFunction(store.Site);
            if (function is ConstructorDeclarationSyntax constructor && store.Receiver is null &&
                constructor.Modifiers.Any(SyntaxKind.StaticKeyword) == field.IsStatic)
            {
                continue;
            }

            // A write outside any function (an attribute, a top-level statement) is some other writer.
            var writer = function ?? store.Site.SyntaxTree.GetRoot(cancellationToken);
            if (!writers.Contains(writer))
            {
                writers.Add(writer);
            }
        }

        return writers.ToImmutable();
    }

    /// <summary>The innermost method, accessor, local function or lambda around <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or
                AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax)
            {
                return current;
            }
        }

        return null;
    }
}
