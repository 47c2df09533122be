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
        var files = RepositoryFiles();
        foreach (var file in files)
        {
            AssertSuperset(File.ReadAllText(file), file);
        }
    }

    /// <summary>
    /// The scanner reads characters, not tokens: on every C# file of the repository that it reads itself, its names are the
    /// lexer's identifier tokens exactly (each at its position, no more), and its functions include every lambda and
    /// anonymous method; only texts it cannot read alone go to the lexer.
    /// </summary>
    [Fact]
    public void RepositorySources_ScannerFindsTheLexersIdentifiersExactly()
    {
        var scanned = 0;
        foreach (var file in RepositoryFiles())
        {
            var text = File.ReadAllText(file);
            var builder = new SyntaxTreeIndex.Builder();
            if (!IdentifierScanner.TryScan(text, builder, CancellationToken.None))
            {
                continue;
            }

            scanned++;
            var lexed = new HashSet<(string, int)>();
            foreach (var token in SyntaxFactory.ParseTokens(text, options: new CSharpParseOptions(LanguageVersion.Latest)))
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    lexed.Add((token.ValueText, token.SpanStart));
                }
            }

            var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
            foreach (var interpolated in tree.GetRoot().DescendantNodes().OfType<InterpolatedStringExpressionSyntax>())
            {
                // The lexer's identifiers there: the parser makes some contextual keywords (`is "a" or "b"`) keyword tokens.
                foreach (var inner in interpolated.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) || SyntaxFacts.IsContextualKeyword(t.Kind())))
                {
                    lexed.Add((inner.ValueText, inner.SpanStart));
                }
            }

            var index = builder.ToIndex();
            var names = lexed.Select(n => n.Item1).Distinct().ToList();
            var found = names.SelectMany(name => index.PositionsOf(name).Select(p => (name, p))).ToHashSet();
            Assert.True(lexed.SetEquals(found), $"{file}: missing {string.Join(", ", lexed.Except(found).Take(5))}; extra {string.Join(", ", found.Except(lexed).Take(5))}");
            Assert.Equal(lexed.Count, index.PositionsOf(_ => true).Count);
            AssertSuperset(text, file);
        }

        Assert.True(scanned > 100, $"only {scanned} files scanned without the lexer");
    }

    [Theory]
    [InlineData("class C { int \\u0061 = 1; }")]
    [InlineData("class C {\n#if DEBUG\n int a;\n#endif\n}")]
    [InlineData("class C { string s = \"\"\"raw\"\"\"; }")]
    [InlineData("class C { string s = \"unterminated\n; }")]
    [InlineData("class C { /* unterminated }")]
    public void TextsTheScannerCannotReadAlone_AreLexed(string text)
    {
        Assert.False(IdentifierScanner.TryScan(text, new SyntaxTreeIndex.Builder(), CancellationToken.None));
        var telemetry = new EngineTelemetry();
        SyntaxTreeIndex.For(CSharpSyntaxTree.ParseText(text), telemetry, CancellationToken.None);
        Assert.Equal(1, telemetry.TreesLexed);
    }

    [Fact]
    public void HoleFormatsAndNestedStrings_AreScannedAsTheLexerDoes()
    {
        const string text = """"
            class C
            {
                string M(double x, System.DateTime d, int[] a) =>
                    $"{x,8:N2} {d:yyyy'-'MM} {(x > 0 ? "a}" : Pick(@"q""{"))} {a[x > 1 ? 0 : 1]} {new[] { Alpha }[0]}" + @$"{Beta}
                    {{Gamma}} ""{Delta}""" + 'x' + '\'' + Epsilon;
            }
            """";
        var telemetry = new EngineTelemetry();
        var index = SyntaxTreeIndex.For(CSharpSyntaxTree.ParseText(text), telemetry, CancellationToken.None);
        Assert.Equal(0, telemetry.TreesLexed);
        foreach (var name in new[] { "x", "d", "Pick", "a", "Alpha", "Beta", "Delta", "Epsilon" })
        {
            Assert.True(index.Mentions(name), name);
        }

        foreach (var name in new[] { "N2", "yyyy", "MM", "q", "Gamma" })
        {
            Assert.False(index.Mentions(name), name);
        }

        AssertSuperset(text, "holes");
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

    private static List<string> RepositoryFiles()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"{files.Count} files under {root}");
        return files;
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
