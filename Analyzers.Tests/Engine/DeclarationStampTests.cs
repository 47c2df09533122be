using System.Linq;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The declaration stamp decides when facts bound from an unchanged tree may be kept across an IDE edit: an edit inside a
/// body must keep it (else every edit binds the whole project again), an edit of anything other code binds against must
/// change it (else a kept fact would be stale).
/// </summary>
public class DeclarationStampTests
{
    private const string Source = """
        class Extension
        {
            public PVOID FileContext;
            public const uint Size = 16;
            public int Count { get; set; }
            public int Twice => Count * 2;

            public void Reset()
            {
                Count = 0;
            }

            public Extension(int count) : this() { Count = count; }

            public Extension() { }
        }
        """;

    [Theory]
    [InlineData("Count = 0;", "Count = 1; // typed")]
    [InlineData("Count * 2", "Count * 3")]
    [InlineData("{ Count = count; }", "{ Count = count + 1; }")]
    public void AnEditInsideABody_KeepsTheStamp(string before, string after) =>
        Assert.Equal(Stamp(Source), Stamp(Edited(before, after)));

    [Theory]
    [InlineData("public PVOID FileContext;", "public PMDL FileContext;")]
    [InlineData("public const uint Size = 16;", "public const uint Size = 32;")]
    [InlineData("public void Reset()", "public void Reset(int to)")]
    [InlineData("public int Count { get; set; }", "public int Count { get; set; }\n    public int Other;")]
    [InlineData(": this()", ": base()")]
    [InlineData("class Extension", "class Extension2")]
    public void AnEditOfADeclaration_ChangesTheStamp(string before, string after) =>
        Assert.NotEqual(Stamp(Source), Stamp(Edited(before, after)));

    [Fact]
    public void ATreeIsHashedOnce_AcrossTheCompilationsOfAnEdit()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/A.cs", Source), ("/0/B.cs", "class B { void M() { } }") });
        using (EngineTelemetry.Capture(out var first))
        {
            DeclarationStamp.Of(compilation, first, default);
            Assert.Equal(compilation.SyntaxTrees.Count(), first.TreesStamped);
        }

        var tree = compilation.SyntaxTrees.First(t => t.FilePath == "/0/B.cs");
        var text = tree.GetText();
        var edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(text.ToString().IndexOf('}'), 0), "int x = 1; ")));
        var next = compilation.ReplaceSyntaxTree(tree, edited);
        using (EngineTelemetry.Capture(out var second))
        {
            Assert.Equal(DeclarationStamp.Of(compilation, second, default), DeclarationStamp.Of(next, second, default));
            Assert.Equal(1, second.TreesStamped);
        }
    }

    /// <summary>
    /// The command-line compiler's options carry a syntax-tree options provider whose GetHashCode throws
    /// NotImplementedException (found by the package's build tests as AD0001): the stamp never hashes options by value.
    /// </summary>
    [Fact]
    public void OptionsThatCannotBeHashed_AreStampedByIdentity()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/A.cs", Source) });
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new UnhashableProvider()));

        var stamp = DeclarationStamp.Of(compilation, new EngineTelemetry(), default);

        Assert.Equal(stamp, DeclarationStamp.Of(compilation, new EngineTelemetry(), default));
    }

    private static string Edited(string before, string after)
    {
        Assert.Contains(before, Source);
        return Source.Replace(before, after);
    }

    private static ulong Stamp(string source)
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/A.cs", source) });
        return DeclarationStamp.OfTree(compilation.SyntaxTrees.First(t => t.FilePath == "/0/A.cs"), new EngineTelemetry(), default);
    }

    private sealed class UnhashableProvider : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, System.Threading.CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }

        public override bool Equals(object? obj) => throw new System.NotImplementedException();

        public override int GetHashCode() => throw new System.NotImplementedException();
    }
}
