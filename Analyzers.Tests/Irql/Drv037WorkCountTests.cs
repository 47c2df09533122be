using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Irql;
using DriverBuffers.Analyzers.Tests.Engine;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>DRV037's cost, counted by the engine's telemetry (never timed).</summary>
public class Drv037WorkCountTests
{
    private static DiagnosticAnalyzer[] Rule() => new DiagnosticAnalyzer[] { new PagedPoolAtDispatchAnalyzer() };

    /// <summary>Ordinary code: no graph, no work, no tree bound, every body screened out by its tokens.</summary>
    [Fact]
    public async Task OrdinaryCode_CostsNoGraphNoIndexAndNoWork()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), Rule());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
        Assert.Equal(0, measured.Telemetry.TreesBound);
        Assert.Equal(50, measured.Telemetry.BodiesScreenedOut);
    }

    /// <summary>A queue callback that mentions no DDI of the analysis builds no graph and binds no other tree.</summary>
    [Fact]
    public async Task DriverCodeWithoutCallbacksOrLocks_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.LongCallback(200), Rule());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
        Assert.Empty(measured.Diagnostics);
    }

    /// <summary>Forty timer callbacks call one pageable helper: its summary is computed once and reused.</summary>
    [Fact]
    public async Task OneHelperSummary_ServesEveryCallback()
    {
        var source = new StringBuilder("class Driver {\nstatic void Helper() { PAGED_CODE(); }\n");
        for (var i = 0; i < 40; i++)
        {
            source.Append(string.Format(CultureInfo.InvariantCulture,
                "static void Setup{0}() {{ WDF_TIMER_CONFIG_INIT(out var config, Timer{0}); }}\nstatic void Timer{0}(WDFTIMER Timer) {{ Helper(); }}\n", i));
        }

        var measured = await EngineMeasure.RunAsync(source.Append("}\n").ToString(), Rule());

        Assert.Equal(40, measured.Diagnostics.Count(d => d.Id == "DRV037"));
        Assert.Equal(1, measured.Telemetry.SummariesComputed);
        Assert.Equal(39, measured.Telemetry.SummariesReused);
        Assert.Equal(1, measured.Telemetry.GraphsBuilt);
    }

    /// <summary>
    /// Queue callbacks: a driver that never names WdfExecutionLevelDispatch binds no tree for the queue look-up; forty
    /// callbacks of dispatch-level queues are all found with one binding of the tree that creates their queues.
    /// </summary>
    [Fact]
    public async Task DispatchQueueCallbacks_BindOnlyTreesNamingTheDispatchLevel()
    {
        var passive = await EngineMeasure.RunAsync(QueueCallbacks(40, "WdfExecutionLevelPassive"), Rule());
        var dispatch = await EngineMeasure.RunAsync(QueueCallbacks(40, "WdfExecutionLevelDispatch"), Rule());

        Assert.Empty(passive.Diagnostics);
        Assert.Equal(0, passive.Telemetry.TreesBound);
        Assert.Equal(40, dispatch.Diagnostics.Count(d => d.Id == "DRV037"));
        Assert.Equal(1, dispatch.Telemetry.TreesBound);
    }

    /// <summary>
    /// A device created at DISPATCH_LEVEL in one tree and passed to a queue method of another: of forty trees that create
    /// queues on a device parameter, only the one that names that method is bound (with the device's tree: 2 trees).
    /// </summary>
    [Fact]
    public async Task DeviceLevelInheritedAcrossMethods_BindsOnlyTheDeviceTreeAndTheTreeNamingItsQueueMethod()
    {
        var sources = Enumerable.Range(0, 40).Select(i => (string.Format(CultureInfo.InvariantCulture, "/0/Queue{0}.cs", i), string.Format(CultureInfo.InvariantCulture,
            "static partial class Driver {{\nstatic NTSTATUS QueueInitialize{0}(WDFDEVICE Device) {{ WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchParallel); " +
            "config.EvtIoRead = Read{0}; return WdfIoQueueCreate(Device, config, WDF_NO_OBJECT_ATTRIBUTES, out var queue); }}\n" +
            "static void Read{0}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {{ PAGED_CODE(); WdfRequestComplete(Request, STATUS_SUCCESS); }}\n}}\n", i)))
            .Append(("/0/Device.cs",
                "static partial class Driver {\nstatic NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) { WDF_OBJECT_ATTRIBUTES_INIT(out var attributes); " +
                "attributes.ExecutionLevel = WdfExecutionLevelDispatch; var status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device); " +
                "return NT_SUCCESS(status) ? QueueInitialize7(device) : status; }\n}\n"));

        var measured = await EngineMeasure.RunAsync(sources, Rule());

        var finding = Assert.Single(measured.Diagnostics, d => d.Id == "DRV037");
        Assert.Equal("/0/Queue7.cs", finding.Location.SourceTree!.FilePath);
        Assert.Equal(2, measured.Telemetry.TreesBound);
    }

    /// <summary>
    /// Device synchronization (no level set) in one tree, the device passed to a queue method of another: of forty trees
    /// that create queues on a device parameter, only the one naming that method is bound, with the device's tree and the
    /// driver's (its level might be passive): 3 trees. A driver whose queues only set <c>WdfSynchronizationScopeNone</c>
    /// binds none.
    /// </summary>
    [Fact]
    public async Task DeviceScopeInheritedAcrossMethods_BindsOnlyTheDeviceDriverAndQueueMethodTrees()
    {
        var queues = Enumerable.Range(0, 40).Select(i => (string.Format(CultureInfo.InvariantCulture, "/0/Queue{0}.cs", i), string.Format(CultureInfo.InvariantCulture,
            "static partial class Driver {{\nstatic NTSTATUS QueueInitialize{0}(WDFDEVICE Device) {{ WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchParallel); " +
            "config.EvtIoRead = Read{0}; return WdfIoQueueCreate(Device, config, WDF_NO_OBJECT_ATTRIBUTES, out var queue); }}\n" +
            "static void Read{0}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {{ PAGED_CODE(); WdfRequestComplete(Request, STATUS_SUCCESS); }}\n}}\n", i))).ToList();
        const string driver = "static partial class Driver {\nstatic NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) { " +
            "WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd); return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE); }\n}\n";
        static string Device(string scope) =>
            "static partial class Driver {\nstatic NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) { WDF_OBJECT_ATTRIBUTES_INIT(out var attributes); " +
            $"attributes.SynchronizationScope = {scope}; var status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device); " +
            "return NT_SUCCESS(status) ? QueueInitialize7(device) : status; }\n}\n";

        var device = await EngineMeasure.RunAsync(queues.Append(("/0/Driver.cs", driver)).Append(("/0/Device.cs", Device("WdfSynchronizationScopeDevice"))), Rule());
        var none = await EngineMeasure.RunAsync(queues.Append(("/0/Driver.cs", driver)).Append(("/0/Device.cs", Device("WdfSynchronizationScopeNone"))), Rule());

        var finding = Assert.Single(device.Diagnostics, d => d.Id == "DRV037");
        Assert.Equal("/0/Queue7.cs", finding.Location.SourceTree!.FilePath);
        Assert.Equal(3, device.Telemetry.TreesBound);
        Assert.Empty(none.Diagnostics);
        Assert.Equal(0, none.Telemetry.TreesBound);
    }

    /// <summary>
    /// Forty queue trees fill their configs in helpers; one uses a helper of another tree that sets the dispatch level.
    /// Bound: the helper's tree and the queue tree naming the helper (what each creates), and what the two helpers set on
    /// their parameters (the level helper's tree, the config helper's): 4 bindings, none of the 39 other trees.
    /// </summary>
    [Fact]
    public async Task LevelSetByAHelper_BindsOnlyTheTreesNamingTheHelper()
    {
        var sources = Enumerable.Range(0, 40).Select(i => (string.Format(CultureInfo.InvariantCulture, "/0/Queue{0}.cs", i), string.Format(CultureInfo.InvariantCulture,
            "static partial class Driver {{\nstatic NTSTATUS QueueInitialize{0}(WDFDEVICE Device) {{ InitConfig{0}(out var config); WDF_OBJECT_ATTRIBUTES_INIT(out var attributes); " +
            "{1} return WdfIoQueueCreate(Device, config, attributes, out var queue); }}\n" +
            "static void InitConfig{0}(out WDF_IO_QUEUE_CONFIG config) {{ WDF_IO_QUEUE_CONFIG_INIT(out config, WdfIoQueueDispatchParallel); config.EvtIoRead = Read{0}; }}\n" +
            "static void Read{0}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {{ PAGED_CODE(); WdfRequestComplete(Request, STATUS_SUCCESS); }}\n}}\n",
            i, i == 7 ? "UseDispatchLevel(attributes);" : string.Empty)))
            .Append(("/0/Helpers.cs",
                "static partial class Driver {\nstatic void UseDispatchLevel(WDF_OBJECT_ATTRIBUTES attributes) => attributes.ExecutionLevel = WdfExecutionLevelDispatch;\n}\n"));

        var measured = await EngineMeasure.RunAsync(sources, Rule());

        var finding = Assert.Single(measured.Diagnostics, d => d.Id == "DRV037");
        Assert.Equal("/0/Queue7.cs", finding.Location.SourceTree!.FilePath);
        Assert.Equal(4, measured.Telemetry.TreesBound);
    }

    /// <summary>
    /// Lock helpers: forty methods take a lock through AcquireLock/ReleaseLock, forty others call a helper that touches no
    /// lock. Only the lock helpers' graphs are built (each summarized once, then reused), the other forty callers are
    /// screened out by name, and no tree is bound.
    /// </summary>
    [Fact]
    public async Task LockHelpers_AreSummarizedOnceAndOtherCallersAreScreenedOut()
    {
        var source = new StringBuilder("public sealed class CONTEXT { public WDFSPINLOCK Lock; public uint Count; }\nclass Driver {\n" +
            "static void AcquireLock(CONTEXT c) => WdfSpinLockAcquire(c.Lock);\nstatic void ReleaseLock(CONTEXT c) => WdfSpinLockRelease(c.Lock);\n" +
            "static void Count(CONTEXT c) { c.Count++; }\n");
        for (var i = 0; i < 40; i++)
        {
            source.Append(string.Format(CultureInfo.InvariantCulture,
                "static void Locked{0}(CONTEXT c) {{ AcquireLock(c); c.Count += {0}; ReleaseLock(c); }}\nstatic void Plain{0}(CONTEXT c) {{ Count(c); }}\n", i));
        }

        var measured = await EngineMeasure.RunAsync(source.Append("}\n").ToString(), Rule());

        Assert.Empty(measured.Diagnostics);
        Assert.Equal(0, measured.Telemetry.TreesBound);
        Assert.Equal(2, measured.Telemetry.GraphsBuilt);
        Assert.True(measured.Telemetry.BodiesScreenedOut >= 41, measured.Telemetry.ToString());
        Assert.True(measured.Telemetry.SummariesReused >= 2 * 39, measured.Telemetry.ToString());
        Assert.True(measured.Telemetry.SummariesComputed <= 3, measured.Telemetry.ToString());
    }

    private static string QueueCallbacks(int count, string level)
    {
        var source = new StringBuilder("class Driver {\n");
        for (var i = 0; i < count; i++)
        {
            source.Append(string.Format(CultureInfo.InvariantCulture,
                "static NTSTATUS Setup{0}(WDFDEVICE Device) {{ WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchParallel); config.EvtIoRead = Read{0}; " +
                "WDF_OBJECT_ATTRIBUTES_INIT(out var attributes); attributes.ExecutionLevel = {1}; return WdfIoQueueCreate(Device, config, attributes, out var queue); }}\n" +
                "static void Read{0}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {{ PAGED_CODE(); WdfRequestComplete(Request, STATUS_SUCCESS); }}\n", i, level));
        }

        return source.Append("}\n").ToString();
    }

    /// <summary>The walk of a callback is linear: twenty times the statements cost at most about twenty times the work.</summary>
    [Fact]
    public async Task LongTimerCallback_IsLinearInItsStatements()
    {
        var small = await EngineMeasure.RunAsync(TimerCallback(100), Rule());
        var large = await EngineMeasure.RunAsync(TimerCallback(2000), Rule());

        Assert.Equal(100 / 4, small.Diagnostics.Length);
        Assert.Equal(2000 / 4, large.Diagnostics.Length);
        Assert.True(large.Work <= small.Work * 21, $"100 statements: {small.Work}, 2,000: {large.Work}");
    }

    private static string TimerCallback(int statements)
    {
        var body = new StringBuilder();
        for (var i = 0; i < statements; i++)
        {
            body.Append((i % 4) switch
            {
                0 => string.Format(CultureInfo.InvariantCulture, "var p{0} = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);\n", i),
                1 => string.Format(CultureInfo.InvariantCulture, "if (total > {0}) {{ total++; }}\n", i),
                2 => string.Format(CultureInfo.InvariantCulture, "p{0}.Write<uint>(0, {0});\n", i - 2),
                _ => string.Format(CultureInfo.InvariantCulture, "ExFreePoolWithTag(p{0}, Tag);\n", i - 3),
            });
        }

        return "class Driver {\nconst uint Tag = 0x74736554;\n" +
               "static void Setup() { WDF_TIMER_CONFIG_INIT(out var config, EvtTimer); }\n" +
               "static void EvtTimer(WDFTIMER Timer) {\nuint total = 0;\n" + body + "}\n}\n";
    }
}
