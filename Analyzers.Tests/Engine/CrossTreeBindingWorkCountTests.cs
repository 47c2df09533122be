using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// Which semantic model a cross-tree answer (<see cref="TreeFacts{TAnswer}"/>) binds a tree with: under the analyzer
/// driver, the driver's own cached model of that tree, the one its operation blocks of the tree are built from. A body
/// bound for an answer is then not bound again for the driver's analysis, whether the tree is another one (a field's
/// requests created elsewhere) or the asking body's own (the edited document in the IDE). A separate model without
/// nullable analysis bound each tree twice and cost more processor time in whole runs (bind12's alternated runs).
/// </summary>
public class CrossTreeBindingWorkCountTests
{
    private const int Classes = 10;

    [Fact]
    public async Task AnAnswerAboutAnotherTree_BindsWithTheModelTheDriverAnalysesThatTreeWith()
    {
        var probe = new ModelProbe();
        await EngineMeasure.RunAsync(Compile(NullableContextOptions.Enable), new DiagnosticAnalyzer[] { probe });

        // The first block asked about every driver tree before the driver reached the others.
        Assert.Equal(Classes, probe.Answered.Count);
        foreach (var pair in probe.Answered)
        {
            Assert.True(probe.Analysed.TryGetValue(pair.Key, out var models), pair.Key.FilePath + " was analysed");
            Assert.Same(pair.Value, Assert.Single(models.Distinct()));
        }
    }

    [Fact]
    public async Task AnAnswerAboutTheAskingBodysOwnTree_BindsWithTheAskingBodysModel()
    {
        var probe = new ModelProbe(ownTreeOnly: true);
        await EngineMeasure.RunAsync(Compile(NullableContextOptions.Enable), new DiagnosticAnalyzer[] { probe });

        Assert.Equal(Classes, probe.Answered.Count);
        Assert.All(probe.Answered, pair => Assert.Same(pair.Value, Assert.Single(probe.Analysed[pair.Key].Distinct())));
    }

    [Fact]
    public void RequestFactsOfANullableProject_AreThoseOfAnObliviousProject()
    {
        var enabled = FactsOf(Compile(NullableContextOptions.Enable));
        var oblivious = FactsOf(Compile(NullableContextOptions.Disable));

        // Each tree's field is created from WdfRequestCreate, sent, and has its completion routine registered.
        Assert.Equal(Classes, enabled.Count);
        Assert.All(enabled, facts => Assert.Single(facts.CreatedMembers));
        Assert.Equal(Describe(oblivious), Describe(enabled));
    }

    private static List<TreeRequestFacts> FactsOf(Compilation compilation)
    {
        var session = AnalysisSession.For(compilation)!;
        return DriverTrees(compilation).Select(t => TreeRequestFacts.For(session, t, default)).ToList();
    }

    private static IEnumerable<SyntaxTree> DriverTrees(Compilation compilation) =>
        compilation.SyntaxTrees.Where(t => t.FilePath != Verifiers.DriverTestProject.DriverUsingsPath);

    private static string Describe(IEnumerable<TreeRequestFacts> facts) => string.Join(
        "\n",
        facts.Select(f =>
            string.Join(",", f.CreatedMembers.OrderBy(m => m, System.StringComparer.Ordinal)) + " | " +
            string.Join(",", f.SentMembers.OrderBy(m => m, System.StringComparer.Ordinal)) + " | " +
            string.Join(",", f.Registrations.Select(r => r.RoutineId + "@" + r.RequestMember)) + " | " +
            string.Join(",", f.MemberFormats.Keys.OrderBy(m => m, System.StringComparer.Ordinal))));

    private static Compilation Compile(NullableContextOptions nullable)
    {
        var compilation = AnalyzerHarness.Compile(WorkShapes.FieldHeldRequests(Classes));
        return compilation.WithOptions(compilation.Options.WithNullableContextOptions(nullable));
    }

    /// <summary>The model a <see cref="TreeFacts{TAnswer}"/> computation received (a test answer; real answers hold no model).</summary>
    private sealed class ModelSeen
    {
        public ModelSeen(SemanticModel model) => Model = model;

        public SemanticModel Model { get; }
    }

    /// <summary>
    /// Records the model of every operation block the driver hands it, and asks a cross-tree question: in its first
    /// block about every driver tree, or (<c>ownTreeOnly</c>) in each block about that block's own tree.
    /// </summary>
#pragma warning disable RS1001 // a test instrument handed to the driver directly, never loaded from an assembly
    private sealed class ModelProbe : DiagnosticAnalyzer
    {
        private readonly TreeFacts<ModelSeen> _facts = new();
        private readonly bool _ownTreeOnly;
        private int _asked;

        public ModelProbe(bool ownTreeOnly = false) => _ownTreeOnly = ownTreeOnly;

        public ConcurrentDictionary<SyntaxTree, SemanticModel> Answered { get; } = new();

        public ConcurrentDictionary<SyntaxTree, ConcurrentBag<SemanticModel>> Analysed { get; } = new();

        // A descriptor it never reports: the driver runs no analyzer whose every diagnostic is off.
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            new DiagnosticDescriptor("PROBE01", "Model probe", "Model probe", "Test", DiagnosticSeverity.Hidden, isEnabledByDefault: true));

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationBlockAction(block =>
            {
                var model = block.OperationBlocks[0].SemanticModel!;
                Analysed.GetOrAdd(model.SyntaxTree, _ => new ConcurrentBag<SemanticModel>()).Add(model);
                var session = AnalysisSession.For(block.Compilation)!;
                var trees = _ownTreeOnly ? DriverTrees(block.Compilation).Where(t => t == model.SyntaxTree).ToArray()
                    : System.Threading.Interlocked.Exchange(ref _asked, 1) == 0 ? DriverTrees(block.Compilation).ToArray()
                    : System.Array.Empty<SyntaxTree>();
                foreach (var tree in trees)
                {
                    var seen = _facts.Get(session, tree, string.Empty, (treeModel, _) => new ModelSeen(treeModel), block.CancellationToken);
                    Answered.TryAdd(tree, seen.Model);
                }
            });
        }
    }
#pragma warning restore RS1001
}
