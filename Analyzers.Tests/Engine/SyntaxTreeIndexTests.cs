using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The name index lexes the text instead of walking the tree: it may name more than the tree (its readers confirm), but
/// it must never miss an identifier the compiler sees, at its position, nor a lambda or anonymous method.
/// </summary>
public class SyntaxTreeIndexTests
{
    private const string Tricky = """"
        using System;
        #if NEVER
        don't "unterminated
        #endif
        class @class
        {
            const char Quote = '"', Brace = '{', Apostrophe = '\'';
            string a = "// not a comment /* nor this", b = @"verbatim ""quoted"" { brace", c = "\"escaped\" {";
            string d = $"hole {First(1)} {{literal}} {Second($"nested {Third}")} {Fourth,5:N2} {(Func<int>)(() => Fifth)}";
            string e = $@"verbatim hole {Sixth} ""q"" {Seventh(@"x""y")}";
            string f = $$"""raw {{Eighth}} {literal} "quotes" "" {{Ninth("}")}}""";
            string g = """raw "no" {Tenth} """;
            /* block ' " comment */ int Eleventh => Twelfth;
            static int Twelfth => 1;
            int First(int x) => x; string Second(string s) => s; int Third, Fourth, Fifth, Sixth, Ninth(string s) => 0;
            string Seventh(string s) => s; int Eighth;
            void M()
            {
                Action a = delegate { Thirteenth(); };
                Action<int> b = delegate (int v) { };
                Func<int, int> c = x => x + 0x1F + 10u + 1_000;
                var @event = nameof(Fourteenth);
            }
            void Thirteenth() { } int Fourteenth;
        }
        """";

    [Fact]
    public void TrickyText_EveryIdentifierAndFunctionOfTheTreeIsIndexed() => AssertSuperset(Tricky, "tricky");

    [Fact]
    public void TrickyText_StringsAndCommentsAreNotNamed_HolesAre()
    {
        var names = Names(Tricky);
        Assert.Contains("First", names);
        Assert.Contains("Eighth", names);
        Assert.DoesNotContain("verbatim", names);
        Assert.DoesNotContain("quoted", names);
        Assert.DoesNotContain("escaped", names);
        Assert.DoesNotContain("comment", names);
        Assert.DoesNotContain("literal", names);
        Assert.DoesNotContain("no", names);
        Assert.DoesNotContain("Tenth", names);
        Assert.Contains("class", names); // @class
    }

    /// <summary>Every C# file of the repository (samples, the unseen-driver corpus, the runtime, the analyzers): a superset of the tree's.</summary>
    [Fact]
    public void RepositorySources_EveryIdentifierAndFunctionOfTheTreeIsIndexed()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"{files.Count} files under {root}");
        foreach (var file in files)
        {
            AssertSuperset(File.ReadAllText(file), file);
        }
    }

    private static void AssertSuperset(string text, string name)
    {
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
        var index = SyntaxTreeIndex.For(tree, new EngineTelemetry(), CancellationToken.None);
        var functions = index.AnonymousFunctions.ToHashSet();
        var positions = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                if (!positions.TryGetValue(token.ValueText, out var known))
                {
                    positions[token.ValueText] = known = index.PositionsOf(token.ValueText).ToHashSet();
                }

                Assert.True(known.Contains(token.SpanStart),
                    $"{name}: '{token.ValueText}' at {token.GetLocation().GetLineSpan().StartLinePosition} is not indexed");
            }
            else if ((token.IsKind(SyntaxKind.EqualsGreaterThanToken) && token.Parent is LambdaExpressionSyntax) ||
                     (token.IsKind(SyntaxKind.DelegateKeyword) && token.Parent is AnonymousMethodExpressionSyntax))
            {
                Assert.True(functions.Contains(token.SpanStart), $"{name}: the function at {token.GetLocation().GetLineSpan().StartLinePosition} is not indexed");
            }
        }
    }

    private static HashSet<string> Names(string text)
    {
        var index = SyntaxTreeIndex.For(CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)), new EngineTelemetry(), CancellationToken.None);
        return new[] { "verbatim", "quoted", "escaped", "comment", "literal", "no", "Tenth", "class", "First", "Eighth" }
            .Where(index.Mentions).ToHashSet();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no Analyzers.sln above " + AppContext.BaseDirectory);
    }
}
