using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Engine;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>
/// The cost of the pool-block analysis (DRV034, DRV036), pinned by the work the engine counts, never by time: with 100
/// pool blocks, MDLs and memory objects alive at once (the scatter/gather set-up shape of the benchmarks' handles-100),
/// the work per statement of 2,000 statements is at most twice that of 200; the analysis is shared by the rules that read
/// it; a body that frees nothing costs no graph.
/// </summary>
public class PoolWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public PoolWorkCountTests(ITestOutputHelper output) => _output = output;

    private static DiagnosticAnalyzer[] PoolAnalyzers() =>
        new DiagnosticAnalyzer[] { new DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer() };

    [Fact]
    public async Task HundredLiveHandles_WorkPerStatementIsLinear()
    {
        var small = await EngineMeasure.RunAsync(LiveBlocks(100, 200), PoolAnalyzers());
        var large = await EngineMeasure.RunAsync(LiveBlocks(100, 2000), PoolAnalyzers());
        var perSmall = small.Work / 200.0;
        var perLarge = large.Work / 2000.0;
        _output.WriteLine($"200 statements: work {small.Work} ({perSmall:F1} per statement) {small.Telemetry}");
        _output.WriteLine($"2000 statements: work {large.Work} ({perLarge:F1} per statement) {large.Telemetry}");

        Assert.True(small.Work > 0, "the shape was not analyzed");
        Assert.Equal(0, large.Telemetry.BodiesOverBudget);
        Assert.True(perLarge <= 2 * perSmall, $"{perLarge:F1} work per statement at 2000, {perSmall:F1} at 200");
        // The fixed part is mostly the cleanup label: 100 'goto Exit' edges, each joined from what changed since the
        // previous one (linear in the handles: HandlesWithCleanupLabel_JoinWorkPerHandleIsLinear); well inside one body's budget.
        Assert.True(large.Work < WorkMeter.DefaultBudget / 2, $"work {large.Work}");

        // The shape's one bug (the first block freed with another tag) is found, and nothing else.
        Assert.Equal(new[] { "DRV034" }, large.Diagnostics.Select(d => d.Id).ToArray());
    }

    /// <summary>
    /// At a cleanup label that every failure jumps to, each <c>goto</c> brings a state a few allocations past the last one;
    /// joining each into the label's state used to walk every handle allocated so far (quadratic in the handles: 400
    /// handles went over the work budget), and now walks what changed since the previous <c>goto</c>
    /// (<see cref="IIncrementalJoin{TState}"/>).
    /// </summary>
    [Fact]
    public async Task HandlesWithCleanupLabel_JoinWorkPerHandleIsLinear()
    {
        var analyzers = PoolAnalyzers().Append(new DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer()).ToArray();
        var small = await EngineMeasure.RunAsync(WorkShapes.HandlesWithCleanupLabel(25), analyzers);
        var large = await EngineMeasure.RunAsync(WorkShapes.HandlesWithCleanupLabel(400), analyzers);
        _output.WriteLine($"25 handles: {small.Telemetry}");
        _output.WriteLine($"400 handles: {large.Telemetry}");

        Assert.True(small.Telemetry.JoinEntries > 0, "the shape was not analyzed");
        Assert.Equal(0, large.Telemetry.BodiesOverBudget);
        var perSmall = small.Telemetry.JoinEntries / 25.0;
        var perLarge = large.Telemetry.JoinEntries / 400.0;
        Assert.True(perLarge <= 2 * perSmall, $"join entries per handle: {perLarge:F1} at 400 handles, {perSmall:F1} at 25");
        Assert.True(large.Work / 400.0 <= 2 * (small.Work / 25.0), $"work per handle: {large.Work / 400.0:F1} at 400, {small.Work / 25.0:F1} at 25");
    }

    [Fact]
    public async Task HandlesWithCleanupLabel_AWrongTagIsStillFoundAndCorrectCleanupStaysSilent()
    {
        var source = WorkShapes.HandlesWithCleanupLabel(40);
        Assert.Empty((await EngineMeasure.RunAsync(source, PoolAnalyzers())).Diagnostics);

        var wrongTag = source.Replace("ExFreePoolWithTag(block1, PoolTag)", "ExFreePoolWithTag(block1, 0x72687442)");
        var measured = await EngineMeasure.RunAsync(wrongTag, PoolAnalyzers());
        Assert.Equal("DRV034", Assert.Single(measured.Diagnostics).Id);
    }

    [Fact]
    public async Task CodeThatFreesNothing_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(20), PoolAnalyzers());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
    }

    /// <summary>
    /// A project that mixes a driver file (a helper that frees the block it is given, a caller that uses the block after
    /// the helper freed it) with 50 ordinary methods: the ordinary bodies name no freeing DDI and no possible helper
    /// (<see cref="DriverBuffers.Analyzers.Analyses.Pool.HelperCandidateNames"/>), so they cost two lookups each: no
    /// graph, no walk of their operations. Only the caller of the helper is walked (once per rule that reads the analysis).
    /// </summary>
    [Fact]
    public async Task MixedProject_OrdinaryBodiesAreNeitherWalkedNorGraphed()
    {
        var analyzers = PoolAnalyzers().Append(new DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer()).ToArray();
        var driverOnly = await EngineMeasure.RunAsync(new[] { ("/0/Driver.cs", HelperDriver) }, analyzers);
        var mixed = await EngineMeasure.RunAsync(
            new[] { ("/0/Driver.cs", HelperDriver), ("/0/Ordinary.cs", WorkShapes.OrdinaryCode(50)) }, analyzers);
        _output.WriteLine($"driver only: {driverOnly.Telemetry}");
        _output.WriteLine($"mixed: {mixed.Telemetry}");

        // The helper's caller is the one body walked, by each of the two rules; the helper's summary still finds the bug.
        Assert.Equal(2, driverOnly.Telemetry.BodiesWalked);
        Assert.Equal(new[] { "DRV036" }, driverOnly.Diagnostics.Select(d => d.Id).ToArray());

        // The 50 ordinary methods add nothing but screened-out visits.
        Assert.Equal(driverOnly.Telemetry.BodiesWalked, mixed.Telemetry.BodiesWalked);
        Assert.Equal(driverOnly.Telemetry.GraphsBuilt, mixed.Telemetry.GraphsBuilt);
        Assert.Equal(driverOnly.Telemetry.BodiesAnalyzed, mixed.Telemetry.BodiesAnalyzed);
        Assert.Equal(driverOnly.Telemetry.SummariesComputed, mixed.Telemetry.SummariesComputed);
        Assert.Equal(driverOnly.Work, mixed.Work);
        Assert.True(mixed.Telemetry.BodiesScreenedOut >= driverOnly.Telemetry.BodiesScreenedOut + 50 * 2, mixed.Telemetry.ToString());
        Assert.Equal(driverOnly.Diagnostics.Select(d => d.Id), mixed.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public async Task HelperDeclaredThroughAnAlias_IsStillFollowed()
    {
        var aliased = "using Block = DriverBuffers.PVOID;\n" + HelperDriver.Replace("static void Release(PVOID block)", "static void Release(Block block)");
        var analyzers = new DiagnosticAnalyzer[] { new DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer() };
        var measured = await EngineMeasure.RunAsync(new[] { ("/0/Driver.cs", aliased), ("/0/Ordinary.cs", WorkShapes.OrdinaryCode(5)) }, analyzers);

        Assert.Equal(new[] { "DRV036" }, measured.Diagnostics.Select(d => d.Id).ToArray());
        Assert.Equal(1, measured.Telemetry.BodiesWalked);
    }

    /// <summary>
    /// The per-call rules DRV030–DRV033 and DRV035 bind only the calls and constants written with a name they care
    /// about (<see cref="DriverBuffers.Analyzers.Allocation.NamedOperations"/>): 50 ordinary methods (250 calls of the
    /// base library) add no binding and no finding to a driver file's.
    /// </summary>
    [Fact]
    public async Task PerCallRules_BindOnlyCallsWrittenWithAPoolName()
    {
        var analyzers = new DiagnosticAnalyzer[]
        {
            new DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer(),
            new DriverBuffers.Analyzers.Allocation.ExecutableMemoryAnalyzer(),
            new DriverBuffers.Analyzers.Allocation.ObsoleteMdlMappingAnalyzer(),
            new DriverBuffers.Analyzers.Allocation.PoolTypeAsPoolFlagsAnalyzer(),
            new DriverBuffers.Analyzers.Allocation.DefaultPoolTagAnalyzer(),
        };
        var driverOnly = await EngineMeasure.RunAsync(new[] { ("/0/Driver.cs", AllocatingDriver) }, analyzers);
        var mixed = await EngineMeasure.RunAsync(
            new[] { ("/0/Driver.cs", AllocatingDriver), ("/0/Ordinary.cs", WorkShapes.OrdinaryCode(50)) }, analyzers);
        _output.WriteLine($"driver only: {driverOnly.Telemetry}");
        _output.WriteLine($"mixed: {mixed.Telemetry}");

        // ExAllocatePoolWithTag: DRV030 and DRV035; its NonPagedPool: DRV031; ExAllocatePool2: DRV033 and DRV035;
        // MmGetSystemAddressForMdlSafe: DRV031. ExFreePoolWithTag, IoAllocateMdl's block and the rest: no rule's name.
        Assert.Equal(6, driverOnly.Telemetry.NamedNodesBound);
        Assert.Equal(new[] { "DRV030", "DRV031" }, driverOnly.Diagnostics.Select(d => d.Id).OrderBy(id => id).ToArray());
        Assert.Equal(driverOnly.Telemetry.NamedNodesBound, mixed.Telemetry.NamedNodesBound);
        Assert.Equal(driverOnly.Diagnostics.Select(d => d.Id), mixed.Diagnostics.Select(d => d.Id));
    }

    private const string AllocatingDriver = """
        class Driver
        {
            private const uint Tag = 0x6B6F6F4C;

            void Allocate(PMDL mdl)
            {
                PVOID a = ExAllocatePoolWithTag(NonPagedPool, 16, Tag);
                PVOID b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
                PVOID c = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (a != NULL) { ExFreePoolWithTag(a, Tag); }
                if (b != NULL) { ExFreePoolWithTag(b, Tag); }
            }
        }
        """;

    private const string HelperDriver = """
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Release(PVOID block)
            {
                if (block != NULL)
                {
                    ExFreePoolWithTag(block, Tag);
                }
            }

            void FreedByAHelper(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                Release(p);
                p.Write<uint>(0, 1);
            }
        }
        """;

    /// <summary>
    /// A callback that allocates <paramref name="handles"/> blocks (pool blocks with their MDLs, memory objects with
    /// their buffers; each failure goes to <c>Exit</c>), runs <paramref name="statements"/> statements over them, and
    /// releases everything in reverse at <c>Exit</c>; block1 is freed with the wrong tag.
    /// </summary>
    /// <summary>
    /// A member's tag is read from its stores across the driver (issue 11, DRV034); in a driver where many classes have a
    /// member of the same name (every device extension a <c>FileContext</c>), the mentions of that name are bound once per
    /// tree, not once per member and tree (which made field-requests-40k quadratic: 15 s in the allocation family).
    /// </summary>
    [Fact]
    public async Task MembersOfOneNameInManyClasses_EachTreeIsBoundOnce()
    {
        var small = await EngineMeasure.RunAsync(ExtensionsWithFileContext(10), PoolAnalyzers());
        var large = await EngineMeasure.RunAsync(ExtensionsWithFileContext(80), PoolAnalyzers());
        _output.WriteLine($"10 classes: {small.Telemetry}");
        _output.WriteLine($"80 classes: {large.Telemetry}");

        // Every class's free with another tag is found through its own field.
        Assert.Equal(10, small.Diagnostics.Count(d => d.Id == "DRV034"));
        Assert.Equal(80, large.Diagnostics.Count(d => d.Id == "DRV034"));
        // Each tree that names FileContext is bound once for it: 80 trees, not 80 x 80.
        Assert.InRange(large.Telemetry.TreesBound, 80, 80 + 5);
    }

    private static (string Path, string Text)[] ExtensionsWithFileContext(int classes) =>
        Enumerable.Range(0, classes).Select(i => ($"/0/Extension{i}.cs", WorkShapes.ExtensionWithFileContext(i))).ToArray();

    internal static string LiveBlocks(int handles, int statements)
    {
        var body = new StringBuilder();
        body.Append("NTSTATUS status = STATUS_SUCCESS;\n");
        for (var i = 0; i < handles; i++)
        {
            body.Append(i % 2 == 0
                ? F("WDFMEMORY memory{0} = default; PVOID buffer{0} = NULL;\n", i)
                : F("PVOID block{0} = NULL; PMDL mdl{0} = default;\n", i));
        }

        for (var i = 0; i < handles; i++)
        {
            body.Append(i % 2 == 0
                ? F("status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, 64, out memory{0}, out buffer{0}); if (!NT_SUCCESS(status)) {{ goto Exit; }}\n", i)
                : F("block{0} = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag); if (block{0} == NULL) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}\n" +
                    "mdl{0} = IoAllocateMdl(block{0}, 64, false, false, null); if (mdl{0} == default) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}\n", i));
        }

        for (var i = 0; i < statements; i++)
        {
            var handle = (i * 7) % handles;
            body.Append(F("if (Length > {0}) {{ {1}.Write<uint>(0, {0}); }} else {{ PVOID t{0} = {1} + 1; t{0}.Write<byte>(0, 1); }}\n", i, handle % 2 == 0 ? F("buffer{0}", handle) : F("block{0}", handle)));
        }

        body.Append("Exit:\n");
        for (var i = handles - 1; i >= 0; i--)
        {
            body.Append(i % 2 == 0
                ? F("if (memory{0} != default) {{ WdfObjectDelete(memory{0}); }}\n", i)
                : F("if (mdl{0} != default) {{ IoFreeMdl(mdl{0}); }} if (block{0} != NULL) {{ ExFreePoolWithTag(block{0}, {1}); }}\n", i, i == 1 ? "OtherTag" : "Tag"));
        }

        return "class Driver {\n" +
               "const uint Tag = 0x73666E54; const uint OtherTag = 0x72687442;\n" +
               "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               body +
               "WdfRequestComplete(Request, status);\n" +
               "}\n}\n";
    }

    private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
