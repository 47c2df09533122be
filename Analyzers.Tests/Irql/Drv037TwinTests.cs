using System;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Allocation.Twins;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Irql;
using DriverBuffers.Hosting;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>
/// DRV037's run-time twin: <c>Twins/SnapshotTimerDriver.Buggy.cs</c> is flagged at its paged allocation, the fix turns
/// it into <c>SnapshotTimerDriver.Fixed.cs</c>, and both run in the runtime host: when the timer fires (at
/// DISPATCH_LEVEL) the buggy one makes the verifier raise DRV037 at the same allocation, the fixed one runs clean.
/// </summary>
public class Drv037TwinTests
{
    private const string Allocation = "ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag)";

    [Fact]
    public Task FlagsTheTwinAndTheFixWritesTheFixedTwin()
    {
        var buggy = TwinSource.Read("Twins/SnapshotTimerDriver.Buggy.cs");
        var at = buggy.IndexOf(Allocation, StringComparison.Ordinal);
        var marked = buggy.Substring(0, at) + "{|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 8, Tag)|}" + buggy.Substring(at + Allocation.Length);
        return new CSharpCodeFixVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer, PagedPoolAtDispatchCodeFix>.Test
        {
            TestCode = marked,
            IncludeDriverUsings = false,
            ExpectedDiagnostics =
            {
                CSharpCodeFixVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer, PagedPoolAtDispatchCodeFix>.Diagnostic()
                    .WithLocation(0).WithLocation(1).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the timer callback 'EvtSnapshotTimer' (registered by WDF_TIMER_CONFIG_INIT at line 20)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
            },
            FixedCode = TwinSource.Read("Twins/SnapshotTimerDriver.Fixed.cs")
                .Replace("namespace DriverBuffers.Analyzers.Tests.Irql.Twins.Fixed;", "namespace DriverBuffers.Analyzers.Tests.Irql.Twins.Buggy;")
                .Replace("This is <c>Twins.Buggy</c>'s file after the DRV037 code fix: nonpaged pool, fine at DISPATCH_LEVEL.",
                    "<c>Twins.Buggy</c> allocates paged pool there (DRV037; the runtime raises DRV037 when the timer fires at DISPATCH_LEVEL); <c>Twins.Fixed</c> is the same file after the DRV037 code fix."),
        }.RunAsync();
    }

    [Fact]
    public void TheBuggyTwinRaisesDrv037AtTheAllocationWhenTheTimerFires()
    {
        using var host = new DriverHost();
        host.Run(() => Assert.Equal(Wdm.STATUS_SUCCESS, Twins.Buggy.SnapshotTimerDriver.Start(host.Device)));

        var violation = Assert.Throws<WdfViolationException>(() => host.AdvanceTime(TimeSpan.FromMilliseconds(1)));

        Assert.Equal("DRV037", violation.Rule);
        Assert.Equal("ExAllocatePool2", violation.Ddi);
        Assert.Contains("DISPATCH_LEVEL", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFixedTwinRunsClean()
    {
        using var host = new DriverHost();
        host.Run(() => Assert.Equal(Wdm.STATUS_SUCCESS, Twins.Fixed.SnapshotTimerDriver.Start(host.Device)));

        Assert.Equal(1, host.AdvanceTime(TimeSpan.FromMilliseconds(1)));

        Assert.Equal(0x1234ul, Twins.Fixed.SnapshotTimerDriver.LastStamp);
        Assert.Empty(host.Violations);
        Assert.Empty(host.Unload().Violations);
    }
    /// <summary>Issue 14: a queue created at WdfExecutionLevelDispatch; the analyzer flags its callback's paged allocation, not the nonpaged one.</summary>
    [Fact]
    public Task FlagsThePagedAllocationOfTheDispatchQueueTwin()
    {
        const string paged = "ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag)";
        var source = TwinSource.Read("Twins/DispatchQueueDriver.cs");
        var at = source.IndexOf(paged, StringComparison.Ordinal);
        var marked = source.Substring(0, at) + "{|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 8, Tag)|}" + source.Substring(at + paged.Length);
        return new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Test
        {
            TestCode = marked,
            IncludeDriverUsings = false,
            ExpectedDiagnostics =
            {
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(0).WithLocation(1).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadPaged' (of the queue created by WdfIoQueueCreate at line 42 with ExecutionLevel = WdfExecutionLevelDispatch)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
            },
        }.RunAsync();
    }

    [Fact]
    public void TheDispatchQueueTwinRaisesDrv037AtThePagedAllocationOfItsReadCallback() =>
        AssertAReadRaisesDrv037AtAnAllocation(Twins.DispatchQueueDriver.DriverEntryPaged);

    [Fact]
    public void TheDispatchQueueTwinWithNonPagedPoolRunsClean() => AssertAReadRunsClean(Twins.DispatchQueueDriver.DriverEntryNonPaged);

    /// <summary>Issue 14: queues that inherit DISPATCH_LEVEL from a device created in another method, or from the driver's attributes.</summary>
    [Fact]
    public Task FlagsThePagedAllocationsOfTheInheritedLevelTwin()
    {
        var source = MarkPagedAllocations(TwinSource.Read("Twins/InheritedLevelDriver.cs"), "8", "16", "24");

        return new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Test
        {
            TestCode = source,
            IncludeDriverUsings = false,
            ExpectedDiagnostics =
            {
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(0).WithLocation(1).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadOfDispatchDevice' (of the queue created by WdfIoQueueCreate at line 108 on a device created by WdfDeviceCreate at line 59 with ExecutionLevel = WdfExecutionLevelDispatch)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(2).WithLocation(3).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadOfDispatchDriver' (of the queue created by WdfIoQueueCreate at line 115 on a device created by WdfDeviceCreate at line 65, of a driver created by WdfDriverCreate at line 39 with ExecutionLevel = WdfExecutionLevelDispatch)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(4).WithLocation(5).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadOfHelperQueue' (of the queue created by WdfIoQueueCreate at line 79 with ExecutionLevel = WdfExecutionLevelDispatch)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
            },
        }.RunAsync();
    }

    [Theory]
    [InlineData(nameof(Twins.InheritedLevelDriver.DriverEntryDispatchDevice))]
    [InlineData(nameof(Twins.InheritedLevelDriver.DriverEntryDispatchDriver))]
    [InlineData(nameof(Twins.InheritedLevelDriver.DriverEntryHelperQueue))]
    public void TheInheritedLevelTwinRaisesDrv037AtThePagedAllocationOfItsReadCallback(string entry) =>
        AssertAReadRaisesDrv037AtAnAllocation(entry switch
        {
            nameof(Twins.InheritedLevelDriver.DriverEntryDispatchDevice) => Twins.InheritedLevelDriver.DriverEntryDispatchDevice,
            nameof(Twins.InheritedLevelDriver.DriverEntryDispatchDriver) => Twins.InheritedLevelDriver.DriverEntryDispatchDriver,
            _ => Twins.InheritedLevelDriver.DriverEntryHelperQueue,
        });

    [Fact]
    public void TheInheritedLevelTwinOnAPassiveDeviceRunsClean() => AssertAReadRunsClean(Twins.InheritedLevelDriver.DriverEntryPassiveDevice);

    /// <summary>Issue 14: a spin lock taken by a lock helper and released by another; the allocation between their calls is flagged.</summary>
    [Fact]
    public Task FlagsThePagedAllocationUnderTheLockHelperOfTheLockHelperTwin()
    {
        const string paged = "PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);\n        ReleaseReadLock();";
        var source = TwinSource.Read("Twins/LockHelperDriver.cs");
        var at = source.IndexOf(paged, StringComparison.Ordinal);
        var marked = source.Substring(0, at) + "PVOID scratch = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 8, Tag)|};\n        ReleaseReadLock();" + source.Substring(at + paged.Length);
        return new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Test
        {
            TestCode = marked,
            IncludeDriverUsings = false,
            ExpectedDiagnostics =
            {
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(0).WithLocation(1).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "code under the spin lock acquired by 'AcquireReadLock' at line 63 (WdfSpinLockAcquire at line 56)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
            },
        }.RunAsync();
    }

    [Fact]
    public void TheLockHelperTwinRaisesDrv037AtTheAllocationUnderTheLock() => AssertAReadRaisesDrv037AtAnAllocation(Twins.LockHelperDriver.DriverEntryPaged);

    [Fact]
    public void TheLockHelperTwinAllocatingBeforeTheLockRunsClean() => AssertAReadRunsClean(Twins.LockHelperDriver.DriverEntryAllocatingFirst);

    /// <summary>
    /// Issue 14: queues under the framework's synchronization scope (the device's, or the queue's own) with no execution
    /// level set: the analyzer flags their callbacks' paged allocations, not those of a passive device's or an
    /// unserialized queue's.
    /// </summary>
    [Fact]
    public Task FlagsThePagedAllocationsOfTheSynchronizationScopeTwin()
    {
        var source = MarkPagedAllocations(TwinSource.Read("Twins/SynchronizationScopeDriver.cs"), "8", "16");

        return new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Test
        {
            TestCode = source,
            IncludeDriverUsings = false,
            ExpectedDiagnostics =
            {
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(0).WithLocation(1).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadUnderDeviceLock' (of the queue created by WdfIoQueueCreate at line 103 on a device created by WdfDeviceCreate at line 47 with SynchronizationScope = WdfSynchronizationScopeDevice: the framework calls it holding the device's spin lock)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
                CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                    .WithLocation(2).WithLocation(3).WithArguments(
                        "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                        "the queue callback 'EvtIoReadUnderQueueLock' (of the queue created by WdfIoQueueCreate at line 63 with SynchronizationScope = WdfSynchronizationScopeQueue: the framework calls it holding the queue's spin lock)",
                        "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
            },
        }.RunAsync();
    }

    [Theory]
    [InlineData(nameof(Twins.SynchronizationScopeDriver.DriverEntryDeviceScope))]
    [InlineData(nameof(Twins.SynchronizationScopeDriver.DriverEntryQueueScope))]
    public void TheSynchronizationScopeTwinRaisesDrv037AtThePagedAllocationOfItsReadCallback(string entry) =>
        AssertAReadRaisesDrv037AtAnAllocation(entry == nameof(Twins.SynchronizationScopeDriver.DriverEntryDeviceScope)
            ? Twins.SynchronizationScopeDriver.DriverEntryDeviceScope
            : Twins.SynchronizationScopeDriver.DriverEntryQueueScope);

    [Theory]
    [InlineData(nameof(Twins.SynchronizationScopeDriver.DriverEntryPassiveDevice))]
    [InlineData(nameof(Twins.SynchronizationScopeDriver.DriverEntryScopeNone))]
    public void TheSynchronizationScopeTwinUnderAWaitLockOrNoLockRunsClean(string entry) =>
        AssertAReadRunsClean(entry == nameof(Twins.SynchronizationScopeDriver.DriverEntryPassiveDevice)
            ? Twins.SynchronizationScopeDriver.DriverEntryPassiveDevice
            : Twins.SynchronizationScopeDriver.DriverEntryScopeNone);

    /// <summary>
    /// A cancel routine (KMDF calls it at IRQL &lt;= DISPATCH_LEVEL): the analyzer flags its paged allocation; at run time
    /// the application's cancel runs it under the queue's spin lock and the verifier raises DRV037 there, while the
    /// nonpaged variant runs clean.
    /// </summary>
    [Fact]
    public Task FlagsThePagedAllocationOfTheCancelRoutineTwin() => new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Test
    {
        TestCode = MarkPagedAllocations(TwinSource.Read("Twins/CancelRoutineDriver.cs"), "8"),
        IncludeDriverUsings = false,
        ExpectedDiagnostics =
        {
            CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>.Diagnostic()
                .WithLocation(0).WithLocation(1).WithArguments(
                    "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                    "the cancel routine 'EvtReadCancelPaged' (registered by WdfRequestMarkCancelable at line 53)",
                    "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
        },
    }.RunAsync();

    [Fact]
    public void TheCancelRoutineTwinRaisesDrv037AtThePagedAllocationWhenTheReadIsCanceled()
    {
        using var host = new WholeDriverHost(Twins.CancelRoutineDriver.DriverEntryPagedCancel);
        Assert.Equal(Wdm.STATUS_SUCCESS, host.LoadAndStart());
        var read = host.Read(8);
        Assert.Equal(Wdm.STATUS_PENDING, read.Status);

        var violation = Assert.Throws<WdfViolationException>(() => read.Cancel());

        Assert.Equal("DRV037", violation.Rule);
        Assert.Equal("ExAllocatePool2", violation.Ddi);
        Assert.Contains("DISPATCH_LEVEL", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCancelRoutineTwinWithNonpagedPoolIsCanceledClean()
    {
        using var host = new WholeDriverHost(Twins.CancelRoutineDriver.DriverEntryNonPagedCancel);
        Assert.Equal(Wdm.STATUS_SUCCESS, host.LoadAndStart());
        var read = host.Read(8);

        Assert.True(read.Cancel());
        Assert.Equal(Wdm.STATUS_CANCELLED, read.Status);
        Assert.Empty(host.Violations);
    }

    /// <summary>
    /// Marks each <c>ExAllocatePool2(POOL_FLAG_PAGED, size, Tag)</c> of <paramref name="sizes"/>, in order: the call as
    /// location <c>2i</c>, its flag as <c>2i + 1</c>.
    /// </summary>
    private static string MarkPagedAllocations(string source, params string[] sizes)
    {
        for (var i = 0; i < sizes.Length; i++)
        {
            var paged = $"ExAllocatePool2(POOL_FLAG_PAGED, {sizes[i]}, Tag)";
            var at = source.IndexOf(paged, StringComparison.Ordinal);
            source = source.Substring(0, at) + $"{{|#{2 * i}:ExAllocatePool2({{|#{2 * i + 1}:POOL_FLAG_PAGED|}}, {sizes[i]}, Tag)|}}" + source.Substring(at + paged.Length);
        }

        return source;
    }

    /// <summary>The driver loads and starts; a read makes the verifier raise DRV037 at a pool allocation above APC_LEVEL.</summary>
    private static void AssertAReadRaisesDrv037AtAnAllocation(DRIVER_INITIALIZE driverEntry)
    {
        using var host = new WholeDriverHost(driverEntry);
        Assert.Equal(Wdm.STATUS_SUCCESS, host.LoadAndStart());

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(8));

        Assert.Equal("DRV037", violation.Rule);
        Assert.Equal("ExAllocatePool2", violation.Ddi);
        Assert.Contains("DISPATCH_LEVEL", violation.Message, StringComparison.Ordinal);
    }

    /// <summary>The driver loads and starts; a read succeeds with no violation.</summary>
    private static void AssertAReadRunsClean(DRIVER_INITIALIZE driverEntry)
    {
        using var host = new WholeDriverHost(driverEntry);
        Assert.Equal(Wdm.STATUS_SUCCESS, host.LoadAndStart());

        Assert.Equal(Wdm.STATUS_SUCCESS, host.Read(8).Status);
        Assert.Empty(host.Violations);
    }
}
