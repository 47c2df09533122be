using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The mouse filter port (input/moufiltr), whole from DriverEntry, between a simulated mouclass above (the
/// internal connect IOCTL), i8042prt (the hook IOCTL) and the port driver below (the lower target).</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void MouFiltrHooksTheConnectAndIsrStructuresAndPassesTheRestDown()
    {
        using var host = new WholeDriverHost(MouFiltr.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var upperConnect = BitConverter.GetBytes(0x1111UL).Concat(BitConverter.GetBytes(0x2222UL)).ToArray();
        var connect = host.InternalDeviceControl(MouFiltr.IOCTL_INTERNAL_MOUSE_CONNECT, upperConnect, 0);
        Assert.Equal(STATUS_SUCCESS, connect.Status);
        Assert.Equal(MouFiltr.IOCTL_INTERNAL_MOUSE_CONNECT, host.LowerTarget.Received.Last().IoControlCode);
        // The port driver below sees the filter's service callback, not the class driver's.
        Assert.Equal(MouFiltr.FILTER_SERVICE_COOKIE, BitConverter.ToUInt64(host.LowerTarget.Received.Last().InputData, 8));
        Assert.Equal(STATUS_SHARING_VIOLATION, host.InternalDeviceControl(MouFiltr.IOCTL_INTERNAL_MOUSE_CONNECT, upperConnect, 0).Status);

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.InternalDeviceControl(MouFiltr.IOCTL_INTERNAL_I8042_HOOK_MOUSE, new byte[16], 0).Status);
        var hook = Enumerable.Range(1, 5).SelectMany(i => BitConverter.GetBytes((ulong)(0x100 * i))).ToArray();
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(MouFiltr.IOCTL_INTERNAL_I8042_HOOK_MOUSE, hook, 0).Status);
        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.InternalDeviceControl(MouFiltr.IOCTL_INTERNAL_MOUSE_DISCONNECT, null, 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(MouFiltr.IOCTL_MOUSE_QUERY_ATTRIBUTES, null, 16).Status);

        host.Run(() =>
        {
            var devExt = MouFiltr.FilterGetData(host.Device);
            Assert.Equal(0x2222UL, devExt.UpperConnectData.Address.Read<ulong>(MouFiltr.CONNECT_DATA_ClassService));
            Assert.Equal(0x100UL, devExt.UpperContext);
            Assert.Equal(0x200UL, devExt.UpperIsrHook);
            Assert.Equal(0x500UL, devExt.CallContext);
        });

        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void MouFiltrCompletesARequestTheLowerTargetRefusesWithTheSendStatus()
    {
        using var host = new WholeDriverHost(MouFiltr.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;
        Assert.Equal(host.LowerTarget.SendFailureStatus, host.InternalDeviceControl(MouFiltr.IOCTL_MOUSE_QUERY_ATTRIBUTES, null, 16).Status);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy mouse filter that the runtime sees; the DRV004 (the hook IOCTL returning without
/// completing when the port driver gives no context) shows as a request left unfinished at unload.</summary>
public sealed class MouFiltrBuggyRuntimeTests
{
    private static WholeDriverHost Started()
    {
        var host = new WholeDriverHost(MouFiltrBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void ConnectDataOfAShortBufferCopiedWithoutTheRetrievesStatusIsDrv022()
    {
        using var host = Started();
        var violation = Assert.Throws<WdfViolationException>(() => host.InternalDeviceControl(MouFiltrBuggy.IOCTL_INTERNAL_MOUSE_CONNECT, new byte[8], 0));
        Assert.Equal("DRV022", violation.Rule);
    }

    [Fact]
    public void X64HookFieldsReadPastTheX86SizeIsDrv024()
    {
        using var host = Started();
        var hook = Enumerable.Range(1, 3).SelectMany(i => BitConverter.GetBytes((ulong)(0x100 * i))).Take(MouFiltrBuggy.INTERNAL_I8042_HOOK_MOUSE_SIZE_X86).ToArray();
        var violation = Assert.Throws<WdfViolationException>(() => host.InternalDeviceControl(MouFiltrBuggy.IOCTL_INTERNAL_I8042_HOOK_MOUSE, hook, 0));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void HookWithoutAContextLeftNeitherCompletedNorSentIsDrv004AtUnload()
    {
        using var host = Started();
        host.InternalDeviceControl(MouFiltrBuggy.IOCTL_INTERNAL_I8042_HOOK_MOUSE, new byte[MouFiltrBuggy.INTERNAL_I8042_HOOK_MOUSE_SIZE_X86], 0);
        Assert.Contains("DRV004", host.Unload().Rules);
    }

    [Fact]
    public void DisconnectCompletedInItsCaseAndAgainAtTheCommonFailureIsDrv002()
    {
        using var host = Started();
        var violation = Assert.Throws<WdfViolationException>(() => host.InternalDeviceControl(MouFiltrBuggy.IOCTL_INTERNAL_MOUSE_DISCONNECT, null, 0));
        Assert.Equal("DRV002", violation.Rule);
    }
}
