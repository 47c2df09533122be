using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The IDE path of the cross-method questions (issue 10: "nothing computed per compilation may scale with the project on
/// each edit"): after an edit inside one document's method body, the document's diagnostics bind only that tree again;
/// what every other tree answered is kept (<see cref="TreeFacts{TAnswer}"/>), and stays correct: an edit in the tree that
/// stores a value changes the finding in the tree that reads it, and an edit of a declaration binds everything again.
/// </summary>
public class IdeEditWorkCountTests
{
    private const int Files = 40;

    private readonly ITestOutputHelper _output;

    public IdeEditWorkCountTests(ITestOutputHelper output) => _output = output;

    /// <summary>DRV034 reads a field's tag from its stores in every tree (MemberMentions): an edit binds the edited tree only.</summary>
    [Fact]
    public async Task FieldTags_AnEditBindsOnlyTheEditedTree()
    {
        var compilation = AnalyzerHarness.Compile(Enumerable.Range(0, Files).Select(i => ($"/0/Extension{i}.cs", WorkShapes.ExtensionWithFileContext(i))));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer());

        var first = await FullAsync(compilation, analyzers);
        Assert.Equal(Files, first.Diagnostics.Count(d => d.Id == "DRV034"));
        Assert.True(first.Telemetry.TreesBound >= Files, first.Telemetry.ToString());

        var (next, edited) = Edit(compilation, "/0/Extension7.cs", "extension.FileContext = NULL;", "extension.FileContext = NULL; // typed");
        var second = await DocumentAsync(next, edited, analyzers);
        _output.WriteLine($"first: {first.Telemetry}\nafter an edit: {second.Telemetry}");
        Assert.Single(second.Diagnostics, d => d.Id == "DRV034");
        Assert.True(second.Telemetry.TreesBound <= 1, second.Telemetry.ToString());
    }

    /// <summary>DRV037 finds where a callback is registered in any tree (DispatchCallbackIndex): an edit binds the edited tree only.</summary>
    [Fact]
    public async Task CallbackRegistrations_AnEditBindsOnlyTheEditedTree()
    {
        var compilation = AnalyzerHarness.Compile(Enumerable.Range(0, Files).Select(i => ($"/0/Timer{i}.cs", TimerWithPagedPool(i))));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer());

        var first = await FullAsync(compilation, analyzers);
        Assert.Equal(Files, first.Diagnostics.Count(d => d.Id == "DRV037"));

        var (next, edited) = Edit(compilation, "/0/Timer7.cs", "ExFreePoolWithTag(block, Tag);", "ExFreePoolWithTag(block, Tag); // typed");
        var second = await DocumentAsync(next, edited, analyzers);
        _output.WriteLine($"first: {first.Telemetry}\nafter an edit: {second.Telemetry}");
        var finding = Assert.Single(second.Diagnostics, d => d.Id == "DRV037");
        Assert.Contains("registered by WDF_TIMER_CONFIG_INIT at line 7", finding.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.True(second.Telemetry.TreesBound <= 1, second.Telemetry.ToString());
    }

    /// <summary>
    /// What is kept is never stale: an edit of the tree that stores the block (now with the tag the other tree frees with)
    /// changes the finding of the unchanged tree that frees it.
    /// </summary>
    [Fact]
    public async Task FieldTags_AnEditOfTheStoringTree_ChangesTheFindingInTheReadingTree()
    {
        var compilation = AnalyzerHarness.Compile(new[]
        {
            ("/0/Extension.cs", "class Extension { public PVOID FileContext; }"),
            ("/0/Create.cs", """
                class Create
                {
                    private const uint Tag = 0x4D415343;

                    NTSTATUS Run(Extension extension)
                    {
                        extension.FileContext = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                        return STATUS_SUCCESS;
                    }
                }
                """),
            ("/0/Close.cs", """
                class Close
                {
                    private const uint FileContextTag = 0x4346534D;

                    void Run(Extension extension)
                    {
                        ExFreePoolWithTag(extension.FileContext, FileContextTag);
                        extension.FileContext = NULL;
                    }
                }
                """),
        });
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer());
        var close = compilation.SyntaxTrees.First(t => t.FilePath == "/0/Close.cs");

        var before = await DocumentAsync(compilation, close, analyzers);
        Assert.Single(before.Diagnostics, d => d.Id == "DRV034");

        var (next, _) = Edit(compilation, "/0/Create.cs", "64, Tag)", "64, 0x4346534D)");
        var after = await DocumentAsync(next, close, analyzers);
        Assert.DoesNotContain(after.Diagnostics, d => d.Id == "DRV034");
    }

    /// <summary>An edit of a declaration (a member added) may change what any tree binds to: every tree is bound again.</summary>
    [Fact]
    public async Task AnEditOfADeclaration_BindsEveryTreeAgain()
    {
        var compilation = AnalyzerHarness.Compile(Enumerable.Range(0, Files).Select(i => ($"/0/Extension{i}.cs", WorkShapes.ExtensionWithFileContext(i))));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer());
        await FullAsync(compilation, analyzers);

        var (next, edited) = Edit(compilation, "/0/Extension7.cs", "public PVOID FileContext;", "public PVOID FileContext;\n    public int Added;");
        var second = await DocumentAsync(next, edited, analyzers);
        Assert.Single(second.Diagnostics, d => d.Id == "DRV034");
        Assert.True(second.Telemetry.TreesBound >= Files, second.Telemetry.ToString());
    }

    /// <summary>A timer callback of the same name in every file (as in a driver with one timer per device class), allocating paged pool.</summary>
    private static string TimerWithPagedPool(int i) => string.Format(CultureInfo.InvariantCulture, """
        class Timer{0}
        {{
            private const uint Tag = 0x74736554;

            static void Setup()
            {{
                WDF_TIMER_CONFIG_INIT(out var config, EvtTimer);
            }}

            static void EvtTimer(WDFTIMER Timer)
            {{
                var block = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                ExFreePoolWithTag(block, Tag);
            }}
        }}
        """, i);

    private static (Compilation Next, SyntaxTree Edited) Edit(Compilation compilation, string path, string before, string after)
    {
        var tree = compilation.SyntaxTrees.First(t => t.FilePath == path);
        var text = tree.GetText();
        var at = text.ToString().IndexOf(before, StringComparison.Ordinal);
        Assert.True(at >= 0, before);
        var edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, before.Length), after)));
        return (compilation.ReplaceSyntaxTree(tree, edited), edited);
    }

    private static async Task<EngineMeasure.Measured> FullAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        using var capture = EngineTelemetry.Capture(out var telemetry);
        var diagnostics = await compilation.WithAnalyzers(analyzers, Options()).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return new EngineMeasure.Measured(telemetry, diagnostics);
    }

    /// <summary>The IDE's request: one document's analyzer diagnostics in a new compilation.</summary>
    private static async Task<EngineMeasure.Measured> DocumentAsync(Compilation compilation, SyntaxTree tree, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        using var capture = EngineTelemetry.Capture(out var telemetry);
        var diagnostics = await compilation.WithAnalyzers(analyzers, Options())
            .GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, default);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return new EngineMeasure.Measured(telemetry, diagnostics);
    }

    private static CompilationWithAnalyzersOptions Options() => new(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
}
