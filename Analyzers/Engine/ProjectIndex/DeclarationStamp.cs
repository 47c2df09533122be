using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A 64-bit stamp of everything a compilation's code binds against except the bodies: each tree's declarations (its
/// tokens outside method, constructor, operator and accessor bodies and expression bodies, hashed once per tree object),
/// the references and the options. Binding a body depends only on its own text and on these, so a tree that did not
/// change binds the same in two compilations with the same stamp: an IDE edit inside a method body keeps the stamp, and
/// the facts bound from every other tree stay valid (<see cref="TreeFacts{TAnswer}"/>); an edit of a declaration, a
/// reference or an option changes it, and everything is bound again.
/// </summary>
internal static class DeclarationStamp
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Stands for a skipped body, so a declaration with a body differs from one without (a partial method's two parts).</summary>
    private const int BodyMarker = -1;

    private static readonly PerTree<StrongBox<ulong>> TreeStamps = new();
    private static readonly ConditionalWeakTable<Compilation, StrongBox<ulong>> CompilationStamps = new();

    /// <summary>The stamp of <paramref name="compilation"/> (computed once per compilation; each tree hashed once per tree object).</summary>
    public static ulong Of(Compilation compilation, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (CompilationStamps.TryGetValue(compilation, out var known))
        {
            return known.Value;
        }

        var hash = Offset;
        foreach (var tree in compilation.SyntaxTrees)
        {
            hash = Mix(hash, OfTree(tree, telemetry, cancellationToken));
        }

        foreach (var reference in compilation.References)
        {
            // The same reference object is the same assembly; a project reloaded with new objects is bound again.
            hash = Mix(hash, (ulong)RuntimeHelpers.GetHashCode(reference));
        }

        // By identity: an edit keeps the options object; a host's options may not implement value hashing (csc's
        // syntax-tree options provider throws NotImplementedException from GetHashCode).
        hash = Mix(hash, (ulong)RuntimeHelpers.GetHashCode(compilation.Options));
        hash = Mix(hash, (ulong)(compilation.AssemblyName?.GetHashCode() ?? 0));
        return CompilationStamps.GetValue(compilation, _ => new StrongBox<ulong>(hash)).Value;
    }

    /// <summary>The stamp of one tree's declarations (cached per tree object).</summary>
    public static ulong OfTree(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        TreeStamps.Get(tree, ct => new StrongBox<ulong>(Hash(tree, telemetry, ct)), cancellationToken).Value;

    private static ulong Hash(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        telemetry.TreeStamped();
        var hash = Offset;
        if (tree.Options is CSharpParseOptions parse)
        {
            hash = Mix(hash, (ulong)parse.LanguageVersion);
            foreach (var symbol in parse.PreprocessorSymbolNames)
            {
                hash = HashText(hash, symbol);
            }
        }

        var stack = new Stack<SyntaxNodeOrToken>();
        stack.Push(tree.GetRoot(cancellationToken));
        var steps = 0;
        while (stack.Count > 0)
        {
            if ((++steps & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var item = stack.Pop();
            if (item.IsToken)
            {
                var token = item.AsToken();
                hash = HashText(Mix(hash, (ulong)token.RawKind), token.Text);
                continue;
            }

            var node = item.AsNode()!;
            if (IsBody(node))
            {
                hash = Mix(hash, unchecked((ulong)BodyMarker));
                continue;
            }

            // Children pushed last-first so they are hashed in source order.
            var children = node.ChildNodesAndTokens();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }

        return hash;
    }

    /// <summary>A body whose text no other code binds against: of a method, constructor, operator, accessor, or an expression-bodied property or indexer.</summary>
    internal static bool IsBody(SyntaxNode node) => node.Parent switch
    {
        BaseMethodDeclarationSyntax method => node == method.Body || node == method.ExpressionBody,
        AccessorDeclarationSyntax accessor => node == accessor.Body || node == accessor.ExpressionBody,
        PropertyDeclarationSyntax property => node == property.ExpressionBody,
        IndexerDeclarationSyntax indexer => node == indexer.ExpressionBody,
        _ => false,
    };

    private static ulong HashText(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        return hash;
    }
}
