using System;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The WDM event sample port (general/event/wdm), a legacy driver loaded from DriverEntry: an IRP-based registration stays
/// pending until its timer's DPC completes it (the stand-in's KeExpireTimers), the application's cancel reaches the cancel
/// routine, and cleanup cancels what is still queued.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private static byte[] RegisterEvent(int type, long dueTime)
    {
        var input = new byte[EventNotify.SIZEOF_REGISTER_EVENT];
        BitConverter.GetBytes(type).CopyTo(input, 0);
        BitConverter.GetBytes(dueTime).CopyTo(input, 16);
        return input;
    }

    [Fact]
    public void EventNotifyCompletesAnIrpBasedRegistrationFromItsTimerDpc()
    {
        using var host = new WholeDriverHost(EventNotify.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);

        var registration = host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT, RegisterEvent(EventNotify.IRP_BASED, 10_000_000), 0);
        Assert.False(registration.IsCompleted);
        Assert.Equal(2, host.Pool.OutstandingAllocations);
        Assert.Equal(1, host.Run(EventNotify.KeExpireTimers));
        Assert.Equal(STATUS_SUCCESS, registration.Status);
        Assert.Equal(1, host.Pool.OutstandingAllocations);

        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT, new byte[4], 0).Status);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT, RegisterEvent(EventNotify.EVENT_BASED, 1), 0).Status);
        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT + 4, RegisterEvent(0, 1), 0).Status);

        var canceled = host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT, RegisterEvent(EventNotify.IRP_BASED, 10_000_000), 0);
        var irp = Assert.Single(EventNotify.CancelableIrps());
        Assert.True(host.Run(() => EventNotify.IoCancelIrp(irp)));
        Assert.Equal(STATUS_CANCELLED, canceled.Status);

        var leftQueued = host.DeviceIoControl(EventNotify.IOCTL_REGISTER_EVENT, RegisterEvent(EventNotify.IRP_BASED, 10_000_000), 0);
        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
        Assert.Equal(STATUS_CANCELLED, leftQueued.Status);
        Assert.Equal(0, host.Run(EventNotify.KeExpireTimers));
        Assert.Equal(0, host.Pool.OutstandingAllocations);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy WDM event sample that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class EventNotifyBuggyRuntimeTests
{
    [Fact]
    public void DueTimeReadPastAFourByteInputIsDrv024()
    {
        using var host = new WholeDriverHost(EventNotifyBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(EventNotifyBuggy.IOCTL_REGISTER_EVENT, new byte[4], 0));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void FileContextFreedWithAnotherTagIsDrv034()
    {
        using var host = new WholeDriverHost(EventNotifyBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);
        var violation = Assert.Throws<WdfViolationException>(() => host.Close());
        Assert.Equal("DRV034", violation.Rule);
    }
}
