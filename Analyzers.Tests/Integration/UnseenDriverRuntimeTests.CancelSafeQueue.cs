using System;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The WDM cancel sample port, a legacy driver loaded from DriverEntry: reads wait in the cancel-safe queue until
/// the polling thread (one wake-up per <c>host.Run</c>) answers them; cleanup cancels what is still queued.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void CancelSafeQueueAnswersQueuedReadsFromItsPollingThread()
    {
        using var host = new WholeDriverHost(CancelSafeQueue.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var device = host.DriverObject.DeviceObject!;
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);
        Assert.Equal(1, host.Pool.OutstandingAllocations);

        var first = host.Read(4);
        var second = host.Read(8);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.Read(2).Status);

        host.Run(() => CancelSafeQueue.CsampPollingThread(device));
        Assert.Equal(STATUS_SUCCESS, first.Status);
        Assert.Equal((nuint)CancelSafeQueue.INPUT_DATA_SIZE, first.Information);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, first.UserBuffer);
        Assert.Equal(STATUS_SUCCESS, second.Status);
        Assert.Equal((nuint)CancelSafeQueue.INPUT_DATA_SIZE, second.Information);

        var leftInTheQueue = host.Read(4);
        Assert.False(leftInTheQueue.IsCompleted);
        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
        Assert.Equal(STATUS_CANCELLED, leftInTheQueue.Status);
        Assert.Equal(0, host.Pool.OutstandingAllocations);

        Assert.True(host.Unload().IsClean);
        host.Run(() => CancelSafeQueue.CsampPollingThread(device));
    }
}

/// <summary>The bugs of the buggy WDM cancel sample that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class CancelSafeQueueBuggyRuntimeTests
{
    [Fact]
    public void InsertRoutineMarkedPageableIsDrv037()
    {
        using var host = new WholeDriverHost(CancelSafeQueueBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));
        Assert.Equal("DRV037", violation.Rule);
    }

    [Fact]
    public void ReadCompletedByThePollAndByTheThreadIsDrv002()
    {
        using var host = new WholeDriverHost(CancelSafeQueueBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var device = host.DriverObject.DeviceObject!;
        host.VerifierEnabled = false;
        host.Read(4);
        host.VerifierEnabled = true;
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => CancelSafeQueueBuggy.CsampPollingThread(device)));
        Assert.Equal("DRV002", violation.Rule);
    }

    [Fact]
    public void FileContextFreedWithAnotherTagIsDrv034()
    {
        using var host = new WholeDriverHost(CancelSafeQueueBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);
        var violation = Assert.Throws<WdfViolationException>(() => host.Close());
        Assert.Equal("DRV034", violation.Rule);
    }

    [Fact]
    public void RegistryPathKeptPastDriverEntryIsDrv046()
    {
        using var host = new WholeDriverHost(CancelSafeQueueBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var report = host.Unload();
        Assert.False(report.IsClean);
        Assert.Contains(host.Violations, v => v.Rule == "DRV046");
    }
}
