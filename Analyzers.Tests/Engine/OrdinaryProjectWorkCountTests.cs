using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// Issue 10's ordinary-code budget (a method that touches no API symbol costs no control-flow graph), pinned by counts:
/// a project of many trees of ordinary code (records, LINQ with lambdas, interpolated and verbatim strings, comments,
/// regions, a switch) under every analyzer of the package. Each tree is read once by the name index's own scanner (the
/// compiler's lexer is not needed), and then nothing grows with the code: no graph, no bound tree, no name bound, no
/// body walked, no summary, whatever the number of trees and bodies.
/// </summary>
public class OrdinaryProjectWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public OrdinaryProjectWorkCountTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task AnOrdinaryProject_IsReadOnceByTheScanner_AndCostsNothingPerBody()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var small = await EngineMeasure.RunAsync(Project(trees: 2), analyzers);
        var large = await EngineMeasure.RunAsync(Project(trees: 12), analyzers);
        _output.WriteLine($"2 trees: {small.Telemetry}");
        _output.WriteLine($"12 trees: {large.Telemetry}");

        Assert.Empty(large.Diagnostics);
        foreach (var measured in new[] { small, large })
        {
            var telemetry = measured.Telemetry;
            Assert.Equal(0, telemetry.TreesLexed);
            Assert.Equal(0, telemetry.GraphsBuilt);
            Assert.Equal(0, telemetry.BodiesAnalyzed);
            Assert.Equal(0, telemetry.BodiesWalked);
            Assert.Equal(0, telemetry.NamedNodesBound);
            Assert.Equal(0, telemetry.TreesBound);
            Assert.Equal(0, telemetry.IndexTreeVisits);
            Assert.Equal(0, telemetry.SummariesComputed);
            Assert.Equal(0, measured.Work);

            // No code names a DDI: the API's members are never loaded (the catalog is built on the first question by symbol).
            Assert.Equal(0, telemetry.CatalogsBuilt);
        }

        // One index per tree (the code's trees and the API's usings), never a second one.
        Assert.Equal(2 + 1, small.Telemetry.TreesIndexed);
        Assert.Equal(12 + 1, large.Telemetry.TreesIndexed);

        // Bodies are turned away by the screens (six times as many bodies, six times as many turned away).
        Assert.Equal(6 * small.Telemetry.BodiesScreenedOut, large.Telemetry.BodiesScreenedOut);
    }

    /// <summary>
    /// Two pre-filters look at every body's lambdas (a queue callback written as a lambda takes a request; a
    /// <c>DriverEntry</c> may be one): what each possible lambda of a tree is (every <c>=&gt;</c> and <c>delegate</c> its
    /// index lists: a function and its parameters, or an expression body or a switch arm) is looked up in the tree at most
    /// once per tree object, and then read by every analyzer that asks about the body, not looked up again per analyzer.
    /// The same count with one analyzer as with the whole package, and a second run over the same trees (an IDE's next
    /// compilation) looks nothing up.
    /// </summary>
    [Fact]
    public async Task EachPossibleLambda_IsLookedUpOncePerTree_WhateverTheAnalyzersThatAsk()
    {
        var sources = Project(trees: 3).Append((DriverTestProject.DriverUsingsPath, DriverTestProject.DriverUsingsText)).ToList();
        var compilation = Compile(sources);
        var lifetimeOnly = await EngineMeasure.RunAsync(Compile(sources), new DiagnosticAnalyzer[] { new DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer() });
        var all = await EngineMeasure.RunAsync(compilation, DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray());
        var again = await EngineMeasure.RunAsync(compilation.Clone(), DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray());
        _output.WriteLine($"one analyzer: {lifetimeOnly.Telemetry}");
        _output.WriteLine($"the package: {all.Telemetry}");

        var possible = compilation.SyntaxTrees.Sum(tree => SyntaxTreeIndex.For(tree, new EngineTelemetry(), CancellationToken.None).AnonymousFunctions.Count);
        Assert.True(possible >= 3 * 4 * 10, $"{possible} possible lambdas"); // each class: lambdas, an anonymous method, expression bodies, switch arms
        Assert.InRange(all.Telemetry.FunctionPositionsResolved, possible * 9 / 10, possible); // those in the bodies asked about, once
        Assert.Equal(all.Telemetry.FunctionPositionsResolved, lifetimeOnly.Telemetry.FunctionPositionsResolved);
        Assert.Equal(0, again.Telemetry.FunctionPositionsResolved);
        Assert.Empty(all.Diagnostics);
        Assert.Equal(0, all.Telemetry.GraphsBuilt);
    }

    /// <summary>
    /// A project that references the API but whose code never names it (a tools or test project beside a driver, a library
    /// of ordinary code): no analyzer registers anything, so no body is handed to any family, no tree is indexed, no
    /// session is made. Decided once per compilation for all the package's analyzers.
    /// </summary>
    [Fact]
    public async Task AProjectWhoseCodeNeverNamesTheApi_HandsNoBodyToAnyFamily()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var measured = await EngineMeasure.RunAsync(Compile(Project(trees: 12)), analyzers);
        _output.WriteLine(measured.Telemetry.ToString());

        Assert.Empty(measured.Diagnostics);
        var telemetry = measured.Telemetry;
        Assert.Equal(1, telemetry.CompilationsWithoutApiUse);
        Assert.Equal(12, telemetry.TreesReadForApiUse); // no head names the API: each tree is read whole, once
        Assert.Equal(0, telemetry.TreesIndexed);
        Assert.Equal(0, telemetry.BodiesScreenedOut);
        Assert.Equal(0, telemetry.ScreensCollected);
        Assert.Equal(0, telemetry.GraphsBuilt);
        Assert.Equal(0, telemetry.CatalogsBuilt);
    }

    /// <summary>A <c>global using</c> of the API in one tree reaches every tree: the project is analyzed, and a driver bug in a tree that names nothing of the API is found.</summary>
    [Fact]
    public async Task AGlobalUsingInAnotherTree_KeepsTheProjectAnalyzed()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var sources = Project(trees: 2)
            .Append(("/0/Driver.cs", NotCompleted))
            .Append((DriverTestProject.DriverUsingsPath, DriverTestProject.DriverUsingsText));
        var measured = await EngineMeasure.RunAsync(Compile(sources), analyzers);

        Assert.Equal(0, measured.Telemetry.CompilationsWithoutApiUse);
        Assert.Contains(measured.Diagnostics, d => d.Id == "DRV004");
    }

    /// <summary>
    /// Whether a project can use the API is decided from the heads of its trees, where usings are: a driver project whose
    /// usings sit in a small file after many long trees of ordinary code reads no tree whole (a search of the whole text
    /// of every tree ahead of it, on every build, before any analysis).
    /// </summary>
    [Fact]
    public async Task ADriverProjectsUsings_AreFoundInTheHeadsOfItsTrees_NoTreeReadWhole()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var ordinary = Project(trees: 6).ToList();
        Assert.All(ordinary, tree => Assert.True(tree.Text.Length > 2 * ApiUseInSource.ChunkLength)); // longer than a head
        var measured = await EngineMeasure.RunAsync(
            Compile(ordinary.Append((DriverTestProject.DriverUsingsPath, DriverTestProject.DriverUsingsText))), analyzers);
        _output.WriteLine(measured.Telemetry.ToString());

        Assert.Equal(0, measured.Telemetry.CompilationsWithoutApiUse);
        Assert.Equal(0, measured.Telemetry.TreesReadForApiUse);
    }

    /// <summary>
    /// A tree that names the API only past its head (a qualified name deep in a long file) still makes the project
    /// analyzed: the heads decide only a yes, then each tree is read whole (here the code's trees, up to that one).
    /// </summary>
    [Fact]
    public async Task AQualifiedNamePastATreesHead_KeepsTheProjectAnalyzed()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var padding = "// " + new string('x', 2 * ApiUseInSource.ChunkLength) + "\n";
        var driver = padding + NotCompleted.Replace("WDFQUEUE", "DriverBuffers.WDFQUEUE").Replace("WDFREQUEST", "DriverBuffers.WDFREQUEST");
        var measured = await EngineMeasure.RunAsync(Compile(Project(trees: 2).Append(("/0/Driver.cs", driver))), analyzers);
        _output.WriteLine(measured.Telemetry.ToString());

        Assert.Equal(0, measured.Telemetry.CompilationsWithoutApiUse);
        Assert.Equal(3, measured.Telemetry.TreesReadForApiUse);
        Assert.Contains(measured.Diagnostics, d => d.Id == "DRV004");
    }

    /// <summary>
    /// A referenced library that exposes the API (here a callback parameter of the API's delegate type) lets code use the
    /// API without naming it: the lambda's request is the API's, so the project is analyzed (and the callback that leaves
    /// its request pending is found).
    /// </summary>
    [Fact]
    public async Task ALibraryExposingTheApi_KeepsTheProjectAnalyzed()
    {
        var library = CSharpCompilation.Create(
            "QueueLibrary",
            new[] { CSharpSyntaxTree.ParseText("namespace Queues { public static class Callbacks { public static void OnRead(DriverBuffers.EVT_WDF_IO_QUEUE_IO_READ callback) { } } }") },
            DriverTestProject.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        var compilation = Compile(
            new[] { ("/0/App.cs", "class App { void Setup() { Queues.Callbacks.OnRead((queue, request, length) => { }); } }") },
            MetadataReference.CreateFromImage(image.ToArray()));
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var measured = await EngineMeasure.RunAsync(compilation, analyzers);
        _output.WriteLine(measured.Telemetry.ToString());
        _output.WriteLine(string.Join("\n", measured.Diagnostics));

        Assert.Equal(0, measured.Telemetry.CompilationsWithoutApiUse);
        Assert.Contains(measured.Diagnostics, d => d.Id == "DRV004"); // the callback leaves its request pending
    }

    [Theory]
    [InlineData("using DriverBuffers;\nclass C { }", true)]
    [InlineData("class C { void M() { DriverBuffers.Wdf.WdfRequestComplete(default, default); } }", true)]
    [InlineData("// DriverBuffers in a comment counts (a superset)\nclass C { }", true)]
    [InlineData("class C { int Driver\\u0042uffers; }", true)]
    [InlineData("class C { int Driver\u00ADBuffers; }", true)]
    [InlineData("class C { string s = \"Driver\" + \"Buffers\"; int DriverBuffer; }", false)]
    [InlineData("", false)]
    public void ATreeNamesTheApi_ByItsNamespaceOrASpellingThatMayHideIt(string text, bool names) =>
        Assert.Equal(names, ApiUseInSource.NamesApi(CSharpSyntaxTree.ParseText(text), CancellationToken.None));

    /// <summary>The text is read in chunks: the name, or an escape, across two chunks (or three) is still seen.</summary>
    [Fact]
    public void ATreeNamesTheApi_AcrossTheChunksItIsReadIn()
    {
        foreach (var offset in new[] { 1, 2, 6, 12, 13, 14 })
        {
            // A comment line that ends `offset` characters before the end of the first chunk: what follows starts there.
            var padding = "//" + new string('x', ApiUseInSource.ChunkLength - 3 - offset) + "\n";
            Assert.True(NamesApi(padding + "DriverBuffers.Wdf.WdfRequestComplete(default, default);"), $"name at {offset}");
            Assert.True(NamesApi(padding + "\\u0044riverBuffers"), $"escape at {offset}");
            Assert.False(NamesApi(padding + "DriverBuffer DriverBuffe" + new string(' ', 2 * ApiUseInSource.ChunkLength)), $"other names at {offset}");
        }

        static bool NamesApi(string text) => ApiUseInSource.NamesApi(CSharpSyntaxTree.ParseText(text), CancellationToken.None);
    }

    private const string NotCompleted = """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
            }
        }
        """;

    /// <summary>The sources compiled against the API's references as they are (no API usings added).</summary>
    private static Compilation Compile(IEnumerable<(string Path, string Text)> sources, params MetadataReference[] more) =>
        CSharpCompilation.Create(
            "OrdinaryProject",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), s.Path)),
            DriverTestProject.References.AddRange(more),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary><paramref name="trees"/> trees of ordinary code, four classes each.</summary>
    private static IEnumerable<(string Path, string Text)> Project(int trees)
    {
        for (var t = 0; t < trees; t++)
        {
            var text = new System.Text.StringBuilder("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\n\n#region Inventory\n");
            for (var c = 0; c < 4; c++)
            {
                text.Append(string.Format(CultureInfo.InvariantCulture, Class, t * 4 + c));
            }

            text.Append("#endregion\n");
            yield return ($"/0/Ordinary{t}.cs", text.ToString());
        }
    }

    private const string Class = """"
        public sealed record Setting{0}(string Name, string Value, int Line);

        /// <summary>Settings read from text: "name = value" lines, '#' comments.</summary>
        public sealed class Inventory{0}
        {{
            private readonly Dictionary<string, List<Setting{0}>> _byName = new(StringComparer.OrdinalIgnoreCase);
            private readonly List<string> _errors = new();

            public int Load(string text)
            {{
                var count = 0;
                var lines = text.Split('\n');
                for (var i = 0; i < lines.Length; i++)
                {{
                    var line = lines[i].Trim(); // a comment naming WdfRequestComplete is not code
                    if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) {{ continue; }}
                    var equals = line.IndexOf('=');
                    if (equals <= 0) {{ _errors.Add($"line {{i + 1}}: no '=' in '{{line}}' {{(equals < 0 ? "none" : "first")}}"); continue; }}
                    var setting = new Setting{0}(line.Substring(0, equals).Trim(), line.Substring(equals + 1).Trim(), i + 1);
                    if (!_byName.TryGetValue(setting.Name, out var list)) {{ list = new List<Setting{0}>(); _byName[setting.Name] = list; }}
                    list.Add(setting);
                    count++;
                }}

                return count;
            }}

            public IReadOnlyList<string> Duplicates() =>
                _byName.Where(pair => pair.Value.Count > 1)
                    .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => $"{{pair.Key}} ({{string.Join(", ", pair.Value.Select(s => s.Line))}}) {{pair.Value.Count,4:D2}}")
                    .ToList();

            public string Report()
            {{
                var report = new StringBuilder(@"C:\settings\ ""quoted""");
                foreach (var group in _byName.Values.SelectMany(list => list).GroupBy(s => s.Name.Length % 4))
                {{
                    report.Append("group ").Append(group.Key).Append(": ");
                    report.AppendLine(string.Join("; ", group.Select((s, index) => s.Name + "=" + s.Value + index)));
                }}

                Func<int, string> describe = delegate (int n) {{ return n.ToString(); }};
                var @checked = describe(_errors.Count);
                return report.Append(@checked).Append($@"{{_errors.Count}} ""errors""").ToString();
            }}

            public static string Describe(object? value) => value switch
            {{
                null => "(none)",
                int number when number < 0 => "negative " + (-number),
                string text => '"' + text.Replace("\"", "\\\"") + '"',
                _ => throw new ArgumentException("cannot describe " + value.GetType().Name, nameof(value)),
            }};
        }}

        """";
}
