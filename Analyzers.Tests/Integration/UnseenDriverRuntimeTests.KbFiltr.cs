using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The keyboard filter port, whole from DriverEntry, between a simulated kbdclass above (internal IOCTLs)
/// and i8042prt below (the lower target), with the raw PDO's IOCTL from an application.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private static readonly byte[] KeyboardAttributes = Enumerable.Range(1, KbFiltr.KEYBOARD_ATTRIBUTES_SIZE).Select(i => (byte)i).ToArray();

    [Fact]
    public void KbFiltrPassesIoctlsDownAndAnswersItsRawPdo()
    {
        using var host = new WholeDriverHost(KbFiltr.DriverEntry);
        host.LowerTarget.Responder = request => request.IoControlCode == KbFiltr.IOCTL_KEYBOARD_QUERY_ATTRIBUTES
            ? new TargetIoResponse(STATUS_SUCCESS, (nuint)KeyboardAttributes.Length, KeyboardAttributes)
            : new TargetIoResponse(STATUS_SUCCESS, 0);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        // Before the class driver asked, the raw PDO returns the zero-filled attributes.
        Assert.Equal(new byte[KbFiltr.KEYBOARD_ATTRIBUTES_SIZE], host.DeviceIoControl(KbFiltr.IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES, null, KbFiltr.KEYBOARD_ATTRIBUTES_SIZE).UserBuffer);

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(KbFiltr.IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES, null, 8).Status);
        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.DeviceIoControl(KbFiltr.IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES + 4, null, 8).Status);

        var indicators = host.InternalDeviceControl(KbFiltr.IOCTL_KEYBOARD_SET_INDICATORS, new byte[] { 0, 0, 4, 0 }, 0);
        Assert.Equal(STATUS_SUCCESS, indicators.Status);
        Assert.Equal(KbFiltr.IOCTL_KEYBOARD_SET_INDICATORS, host.LowerTarget.Received.Last().IoControlCode);
        Assert.Equal(new byte[] { 0, 0, 4, 0 }, host.LowerTarget.Received.Last().InputData);

        Assert.True(host.Unload().IsClean);
    }

    /// <summary>
    /// KMDF retrieves the buffers of internal device controls as it does those of device controls (FxRequest::GetMemoryObject:
    /// <c>case IRP_MJ_DEVICE_CONTROL: case IRP_MJ_INTERNAL_DEVICE_CONTROL:</c>), and so does the runtime
    /// (Runtime.Tests/Requests/InternalDeviceControlBufferTests): kbdclass's IOCTL_KEYBOARD_QUERY_ATTRIBUTES is forwarded
    /// and its answer cached.
    /// </summary>
    [Fact]
    public void KbFiltrCachesTheKeyboardAttributesOfTheClassDriversQuery()
    {
        using var host = new WholeDriverHost(KbFiltr.DriverEntry);
        host.LowerTarget.Responder = request => request.IoControlCode == KbFiltr.IOCTL_KEYBOARD_QUERY_ATTRIBUTES
            ? new TargetIoResponse(STATUS_SUCCESS, (nuint)KeyboardAttributes.Length, KeyboardAttributes)
            : new TargetIoResponse(STATUS_SUCCESS, 0);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var query = host.InternalDeviceControl(KbFiltr.IOCTL_KEYBOARD_QUERY_ATTRIBUTES, null, KbFiltr.KEYBOARD_ATTRIBUTES_SIZE);
        Assert.Equal(STATUS_SUCCESS, query.Status);
        Assert.Equal(KeyboardAttributes, query.UserBuffer);

        var fromRawPdo = host.DeviceIoControl(KbFiltr.IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES, null, 32);
        Assert.Equal(STATUS_SUCCESS, fromRawPdo.Status);
        Assert.Equal((nuint)KbFiltr.KEYBOARD_ATTRIBUTES_SIZE, fromRawPdo.Information);
        Assert.Equal(KeyboardAttributes, fromRawPdo.UserBuffer.Take(KbFiltr.KEYBOARD_ATTRIBUTES_SIZE));
        Assert.True(host.Unload().IsClean);
    }

    /// <summary>
    /// KMDF's WdfRequestRetrieveInputBuffer returns Type3InputBuffer for a METHOD_NEITHER internal device control (or any
    /// device control from kernel mode): "internal device controls are kernel mode to kernel mode, and deal with direct
    /// unmapped pointers" (FxRequest::GetMemoryObject). The runtime does the same (only an application's METHOD_NEITHER
    /// device control gets STATUS_INVALID_DEVICE_REQUEST), so kbdclass's IOCTL_INTERNAL_KEYBOARD_CONNECT and i8042prt's
    /// IOCTL_INTERNAL_I8042_HOOK_KEYBOARD take the shipped code path.
    /// </summary>
    [Fact]
    public void KbFiltrTakesTheConnectAndHookStructuresOfItsInternalIoctls()
    {
        using var host = new WholeDriverHost(KbFiltr.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var upperConnect = BitConverter.GetBytes(0x1111UL).Concat(BitConverter.GetBytes(0x2222UL)).ToArray();
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(KbFiltr.IOCTL_INTERNAL_KEYBOARD_CONNECT, upperConnect, 0).Status);
        Assert.Equal(STATUS_SHARING_VIOLATION, host.InternalDeviceControl(KbFiltr.IOCTL_INTERNAL_KEYBOARD_CONNECT, upperConnect, 0).Status);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.InternalDeviceControl(KbFiltr.IOCTL_INTERNAL_I8042_HOOK_KEYBOARD, new byte[8], 0).Status);

        var hook = Enumerable.Range(1, 6).SelectMany(i => BitConverter.GetBytes((ulong)(0x100 * i))).ToArray();
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(KbFiltr.IOCTL_INTERNAL_I8042_HOOK_KEYBOARD, hook, 0).Status);
        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.InternalDeviceControl(KbFiltr.IOCTL_INTERNAL_KEYBOARD_DISCONNECT, null, 0).Status);
        host.Run(() =>
        {
            var devExt = KbFiltr.FilterGetData(host.Device);
            Assert.Equal(0x2222UL, devExt.UpperConnectData.Address.Read<ulong>(8));
            Assert.Equal(0x100UL, devExt.UpperContext);
            Assert.Equal(0x600UL, devExt.CallContext);
        });

        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy keyboard filter that the runtime sees. The DRV022 (output memory of a failed retrieve
/// formatted into the forwarded request) is static only: KMDF takes a NULL output memory as "no output buffer", so the run
/// goes on without a violation, as it does here.</summary>
public sealed class KbFiltrBuggyRuntimeTests
{
    [Fact]
    public void ConnectDataLongerThanTheExtensionsCopyBoundOnlyByAnNtAssertIsDrv020()
    {
        using var host = new WholeDriverHost(KbFiltrBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var longConnect = new byte[KbFiltrBuggy.CONNECT_DATA_SIZE + 8];
        var violation = Assert.Throws<WdfViolationException>(() => host.InternalDeviceControl(KbFiltrBuggy.IOCTL_INTERNAL_KEYBOARD_CONNECT, longConnect, 0));
        Assert.Equal("DRV020", violation.Rule);
        Assert.Equal("RtlCopyMemory", violation.Ddi);
    }

    [Fact]
    public void AttributesCopiedFromTheOutputMemoryAfterTheRequestWasCompletedIsDrv001()
    {
        using var host = new WholeDriverHost(KbFiltrBuggy.DriverEntry);
        host.LowerTarget.Responder = request => new TargetIoResponse(STATUS_SUCCESS, (nuint)KbFiltrBuggy.KEYBOARD_ATTRIBUTES_SIZE, new byte[KbFiltrBuggy.KEYBOARD_ATTRIBUTES_SIZE]);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.InternalDeviceControl(KbFiltrBuggy.IOCTL_KEYBOARD_QUERY_ATTRIBUTES, null, KbFiltrBuggy.KEYBOARD_ATTRIBUTES_SIZE));
        Assert.Equal("DRV001", violation.Rule);
        Assert.Equal("WdfMemoryCopyToBuffer", violation.Ddi);
    }

    [Fact]
    public void AttributesSizeReportedToASmallerBufferIsDrv023()
    {
        using var host = new WholeDriverHost(KbFiltrBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(KbFiltrBuggy.IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES, null, 8));
        Assert.Equal("DRV023", violation.Rule);
    }
}
