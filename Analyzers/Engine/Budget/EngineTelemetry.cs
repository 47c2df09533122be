using System;
using System.Threading;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// Counts of the work the engine does: graphs built, blocks visited, operations transferred, joins, summaries, trees
/// indexed and bound, bodies given up. Cost is pinned by these counts in unit tests (never by time), and a body over its
/// work budget is counted here (<see cref="BodiesOverBudget"/>). Thread-safe.
/// </summary>
/// <remarks>
/// Each <see cref="AnalysisSession"/> records into the telemetry that was current when it was created: the one a test
/// or benchmark installed with <see cref="Capture"/> (it flows with the async context into the analyzer driver), or
/// else <see cref="Global"/>.
/// </remarks>
internal sealed class EngineTelemetry
{
    private static readonly AsyncLocal<EngineTelemetry?> Captured = new();

    private long _graphsBuilt;
    private long _functionsSolved;
    private long _blocksVisited;
    private long _operationsTransferred;
    private long _operationsStepped;
    private long _joinEntries;
    private long _bodiesOverBudget;
    private long _bodiesAnalyzed;
    private long _sharedResultsReused;
    private long _summariesComputed;
    private long _summariesReused;
    private long _treesIndexed;
    private long _treesLexed;
    private long _treesBound;
    private long _bodiesScreenedOut;
    private long _indexTreeVisits;
    private long _screensCollected;
    private long _helperNamesCollected;
    private long _bodiesWalked;
    private long _namedNodesBound;
    private long _treesStamped;
    private long _treeFactsReused;
    private long _catalogsBuilt;
    private long _compilationsWithoutApiUse;
    private long _treesReadForApiUse;
    private long _functionPositionsResolved;

    /// <summary>The telemetry of sessions created outside any <see cref="Capture"/>.</summary>
    public static EngineTelemetry Global { get; } = new();

    /// <summary>The telemetry a session created now records into.</summary>
    public static EngineTelemetry Current => Captured.Value ?? Global;

    /// <summary>Control flow graphs the engine asked for (a body, a lambda, a local function, a helper).</summary>
    public long GraphsBuilt => Interlocked.Read(ref _graphsBuilt);

    /// <summary>Functions (bodies, lambdas, local functions, helpers) solved to a fixed point.</summary>
    public long FunctionsSolved => Interlocked.Read(ref _functionsSolved);

    /// <summary>Basic blocks the solver visited (each visit of a block counts).</summary>
    public long BlocksVisited => Interlocked.Read(ref _blocksVisited);

    /// <summary>Root operations (statements, branch values) transferred by the solver and by replays.</summary>
    public long OperationsTransferred => Interlocked.Read(ref _operationsTransferred);

    /// <summary>Operations stepped inside the transferred root operations (evaluation order).</summary>
    public long OperationsStepped => Interlocked.Read(ref _operationsStepped);

    /// <summary>Fact-map entries looked at by joins and equality tests that could not take the reference fast path.</summary>
    public long JoinEntries => Interlocked.Read(ref _joinEntries);

    /// <summary>Bodies given up because their analysis went over the work budget (silently: no finding there).</summary>
    public long BodiesOverBudget => Interlocked.Read(ref _bodiesOverBudget);

    /// <summary>Method bodies a shared analysis was computed for.</summary>
    public long BodiesAnalyzed => Interlocked.Read(ref _bodiesAnalyzed);

    /// <summary>Times a rule got a shared analysis another rule had already computed for the same body.</summary>
    public long SharedResultsReused => Interlocked.Read(ref _sharedResultsReused);

    /// <summary>Method summaries computed (a helper at a depth).</summary>
    public long SummariesComputed => Interlocked.Read(ref _summariesComputed);

    /// <summary>Method summaries served from the cache.</summary>
    public long SummariesReused => Interlocked.Read(ref _summariesReused);

    /// <summary>Syntax trees given a name index (cached per tree object: unchanged trees keep theirs across edits).</summary>
    public long TreesIndexed => Interlocked.Read(ref _treesIndexed);

    /// <summary>Trees whose name index needed the compiler's lexer (raw strings, conditional compilation, Unicode escapes).</summary>
    public long TreesLexed => Interlocked.Read(ref _treesLexed);

    /// <summary>
    /// Positions of a possible lambda (an index's <c>=&gt;</c> or <c>delegate</c>) looked up in their tree to find the function's
    /// syntax: once per position and tree object (<see cref="BodyLambdas"/>), not once per body and pre-filter that asks.
    /// </summary>
    public long FunctionPositionsResolved => Interlocked.Read(ref _functionPositionsResolved);

    /// <summary>Syntax trees bound to answer a cross-method question (a tree that answers two questions counts twice).</summary>
    public long TreesBound => Interlocked.Read(ref _treesBound);

    /// <summary>Trees looked at (their name index) to answer cross-method questions, once per distinct name asked.</summary>
    public long IndexTreeVisits => Interlocked.Read(ref _indexTreeVisits);

    /// <summary>
    /// Trees whose matching names a <see cref="NameScreen"/> collected from their index: once per tree and screen, however
    /// many bodies the tree has.
    /// </summary>
    public long ScreensCollected => Interlocked.Read(ref _screensCollected);

    /// <summary>Collections of a compilation's possible pool-helper names (<c>HelperCandidateNames</c>): one per compilation.</summary>
    public long HelperNamesCollected => Interlocked.Read(ref _helperNamesCollected);

    /// <summary>Bodies a rule's pre-filter turned away before any control flow graph.</summary>
    public long BodiesScreenedOut => Interlocked.Read(ref _bodiesScreenedOut);

    /// <summary>Bodies whose operations a pre-filter walked to confirm what the names suggested (no graph is built for it).</summary>
    public long BodiesWalked => Interlocked.Read(ref _bodiesWalked);

    /// <summary>Calls and names a per-node rule bound because their written name passed its screen (the others are not bound).</summary>
    public long NamedNodesBound => Interlocked.Read(ref _namedNodesBound);

    /// <summary>Trees whose declarations were hashed for the <see cref="DeclarationStamp"/> (once per tree object).</summary>
    public long TreesStamped => Interlocked.Read(ref _treesStamped);

    /// <summary>A tree's answers to a cross-method question served from the cache (<see cref="TreeFacts{TAnswer}"/>: asked again, or kept from an earlier compilation of an unchanged tree).</summary>
    public long TreeFactsReused => Interlocked.Read(ref _treeFactsReused);

    /// <summary>DDI catalogs whose symbol tables were built (at most one per compilation, none when no code names a DDI).</summary>
    public long CatalogsBuilt => Interlocked.Read(ref _catalogsBuilt);

    /// <summary>Compilations that reference the API but whose code cannot use it: nothing registered (<see cref="ApiUseInSource"/>).</summary>
    public long CompilationsWithoutApiUse => Interlocked.Read(ref _compilationsWithoutApiUse);

    /// <summary>
    /// Trees whose whole text was searched for the API's namespace (<see cref="ApiUseInSource"/>) because their head (where
    /// usings are) does not name it: in a project that uses the API, only the trees read before one that names it.
    /// </summary>
    public long TreesReadForApiUse => Interlocked.Read(ref _treesReadForApiUse);

    /// <summary>Installs a fresh telemetry for the current async context; sessions created until disposal record into it.</summary>

    public static IDisposable Capture(out EngineTelemetry telemetry)
    {
        var previous = Captured.Value;
        telemetry = new EngineTelemetry();
        Captured.Value = telemetry;
        return new Restore(previous);
    }

    internal void GraphBuilt() => Interlocked.Increment(ref _graphsBuilt);

    internal void FunctionSolved() => Interlocked.Increment(ref _functionsSolved);

    internal void AddBlocks(long count) => Interlocked.Add(ref _blocksVisited, count);

    internal void AddOperations(long count) => Interlocked.Add(ref _operationsTransferred, count);

    internal void AddSteps(long count) => Interlocked.Add(ref _operationsStepped, count);

    internal void AddJoinEntries(long count) => Interlocked.Add(ref _joinEntries, count);

    internal void BodyOverBudget() => Interlocked.Increment(ref _bodiesOverBudget);

    internal void BodyAnalyzed() => Interlocked.Increment(ref _bodiesAnalyzed);

    internal void SharedResultReused() => Interlocked.Increment(ref _sharedResultsReused);

    internal void SummaryComputed() => Interlocked.Increment(ref _summariesComputed);

    internal void SummaryReused() => Interlocked.Increment(ref _summariesReused);

    internal void TreeIndexed() => Interlocked.Increment(ref _treesIndexed);

    internal void TreeLexed() => Interlocked.Increment(ref _treesLexed);

    internal void FunctionPositionsLookedUp(int count) => Interlocked.Add(ref _functionPositionsResolved, count);

    internal void TreeBound() => Interlocked.Increment(ref _treesBound);

    internal void BodyScreenedOut() => Interlocked.Increment(ref _bodiesScreenedOut);

    internal void IndexTreeVisited() => Interlocked.Increment(ref _indexTreeVisits);

    internal void ScreenCollected() => Interlocked.Increment(ref _screensCollected);

    internal void HelperNamesCollection() => Interlocked.Increment(ref _helperNamesCollected);

    internal void BodyWalked() => Interlocked.Increment(ref _bodiesWalked);

    internal void NamedNodeBound() => Interlocked.Increment(ref _namedNodesBound);

    internal void TreeStamped() => Interlocked.Increment(ref _treesStamped);

    internal void TreeFactReused() => Interlocked.Increment(ref _treeFactsReused);

    internal void CatalogBuilt() => Interlocked.Increment(ref _catalogsBuilt);

    internal void CompilationWithoutApiUse() => Interlocked.Increment(ref _compilationsWithoutApiUse);

    internal void TreeReadForApiUse() => Interlocked.Increment(ref _treesReadForApiUse);

    public override string ToString() =>
        $"graphs {GraphsBuilt}, functions {FunctionsSolved}, blocks {BlocksVisited}, operations {OperationsTransferred}, " +
        $"steps {OperationsStepped}, join entries {JoinEntries}, bodies {BodiesAnalyzed} (+{SharedResultsReused} shared, " +
        $"{BodiesScreenedOut} screened out, {BodiesOverBudget} over budget), summaries {SummariesComputed} (+{SummariesReused} cached), " +
        $"trees indexed {TreesIndexed} ({TreesLexed} lexed, {FunctionPositionsResolved} function positions resolved), screened {ScreensCollected}, bodies walked {BodiesWalked}, named nodes bound {NamedNodesBound}, bound {TreesBound} (+{TreeFactsReused} answers kept, {TreesStamped} stamped), visited by the index {IndexTreeVisits}, catalogs built {CatalogsBuilt}, compilations without API use {CompilationsWithoutApiUse} ({TreesReadForApiUse} trees read whole)";

    private sealed class Restore : IDisposable
    {
        private readonly EngineTelemetry? _previous;

        public Restore(EngineTelemetry? previous) => _previous = previous;

        public void Dispose() => Captured.Value = _previous;
    }
}
