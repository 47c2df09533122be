using System;
using System.Text;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The object-callback sample's driver port (general/obcallback/driver), a legacy WDM driver loaded from DriverEntry: an
/// application names a program to reject (TD_PROTECTNAME_INPUT in the system buffer), the process notify routine then
/// refuses a process whose command line holds that name, and the object-manager callbacks allocate and free a call
/// context per operation.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    /// <summary>TD_PROTECTNAME_INPUT: the operation, then the name as UTF-16, padded to <paramref name="size"/> bytes.</summary>
    internal static byte[] ProtectNameInput(uint operation, string name, int size = 408)
    {
        var input = new byte[size];
        BitConverter.GetBytes(operation).CopyTo(input, 0);
        var text = Encoding.Unicode.GetBytes(name);
        Array.Copy(text, 0, input, 4, Math.Min(text.Length, Math.Max(0, size - 4)));
        return input;
    }

    private static NTSTATUS CreateProcess(WholeDriverHost host, string commandLine)
    {
        return host.Run(() =>
        {
            RtlInitUnicodeString(out var command, commandLine);
            var info = new ObCallback.PS_CREATE_NOTIFY_INFO { CommandLine = command, CreationStatus = STATUS_SUCCESS };
            ObCallback.ProcessNotifyRoutine!(0x1000, 0x20, info);
            return info.CreationStatus;
        });
    }

    [Fact]
    public void ObCallbackRejectsANamedProcessAndPairsItsCallContexts()
    {
        using var host = new WholeDriverHost(ObCallback.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);

        Assert.Equal(STATUS_BUFFER_OVERFLOW, host.DeviceIoControl(ObCallback.TD_IOCTL_PROTECT_NAME_CALLBACK, ProtectNameInput(ObCallback.TDProtectName_Reject, "evil", 8), 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(ObCallback.TD_IOCTL_PROTECT_NAME_CALLBACK, ProtectNameInput(ObCallback.TDProtectName_Reject, "evil.exe"), 0).Status);

        Assert.Equal(STATUS_ACCESS_DENIED, CreateProcess(host, @"c:\tools\evil.exe -quiet"));
        Assert.Equal(STATUS_SUCCESS, CreateProcess(host, @"c:\windows\notepad.exe"));

        host.Run(() =>
        {
            var pre = new ObCallback.OB_PRE_OPERATION_INFORMATION { Operation = 1, Object = 0x1000, ObjectType = 7 };
            ObCallback.CBTdPreOperationCallback(ObCallback.CBCallbackRegistration, pre);
            Assert.Equal(1, host.Pool.OutstandingAllocations);
            var post = new ObCallback.OB_POST_OPERATION_INFORMATION { Operation = 1, Object = 0x1000, ObjectType = 7, CallContext = pre.CallContext };
            ObCallback.CBTdPostOperationCallback(ObCallback.CBCallbackRegistration, post);
        });
        Assert.Equal(0, host.Pool.OutstandingAllocations);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(ObCallback.TD_IOCTL_UNPROTECT_CALLBACK, null, 0).Status);
        Assert.Equal(STATUS_SUCCESS, CreateProcess(host, @"c:\tools\evil.exe"));
        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy object-callback driver that the runtime sees. Not shown at run time: DRV030 (the
/// deprecated allocator works, filling the block with a pattern the driver then zeroes), DRV036 (the wrong-tag free just
/// before it stops the run as DRV034), DRV002 (TdDeleteProtectNameCallback never fails, so TdControlUnprotect's own
/// completion is not reached).</summary>
public sealed class ObCallbackBuggyRuntimeTests
{
    [Fact]
    public void NameCopiedOutOfAnInputThatHoldsOnlyTheOperationIsDrv020()
    {
        using var host = new WholeDriverHost(ObCallbackBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.DeviceIoControl(ObCallbackBuggy.TD_IOCTL_PROTECT_NAME_CALLBACK, UnseenDriverRuntimeTests.ProtectNameInput(ObCallbackBuggy.TDProtectName_Protect, "evil", 8), 0));
        Assert.Equal("DRV020", violation.Rule);
        Assert.Equal("RtlCopyMemory", violation.Ddi);
    }

    [Fact]
    public void CallContextFreedWithTheRegistrationsTagIsDrv034()
    {
        using var host = new WholeDriverHost(ObCallbackBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() =>
        {
            var pre = new ObCallbackBuggy.OB_PRE_OPERATION_INFORMATION { Operation = 1, Object = 0x1000, ObjectType = 7 };
            ObCallbackBuggy.CBTdPreOperationCallback(ObCallbackBuggy.CBCallbackRegistration, pre);
            var post = new ObCallbackBuggy.OB_POST_OPERATION_INFORMATION { Operation = 1, Object = 0x1000, ObjectType = 7, CallContext = pre.CallContext };
            ObCallbackBuggy.CBTdPostOperationCallback(ObCallbackBuggy.CBCallbackRegistration, post);
        }));
        Assert.Equal("DRV034", violation.Rule);
    }
}
