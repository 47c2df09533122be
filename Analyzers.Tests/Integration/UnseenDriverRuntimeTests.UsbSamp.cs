using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The generic USB sample's buffered bulk path (usb/usbsamp, BUFFERED_READ_WRITE), whole from DriverEntry, with
/// the bulk pipe as the lower target: a transfer longer than the 64-byte packet goes down in stages, the queue's request
/// formatted again at the next offset in its completion routine.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private static byte[] Pattern(int length, int seed) => Enumerable.Range(seed, length).Select(i => (byte)i).ToArray();

    [Fact]
    public void UsbSampReadsAndWritesInPacketSizedStages()
    {
        using var host = new WholeDriverHost(UsbSamp.DriverEntry);
        var device = Pattern(200, 7);
        var offset = 0;
        host.LowerTarget.Responder = request =>
        {
            if (request.Type != WdfRequestTypeRead)
            {
                return new TargetIoResponse(STATUS_SUCCESS, (nuint)request.InputData.Length);
            }

            var chunk = device.Skip(offset).Take((int)request.Length).ToArray();
            offset += chunk.Length;
            return new TargetIoResponse(STATUS_SUCCESS, (nuint)chunk.Length, chunk);
        };
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var read = host.Read(200);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)200, read.Information);
        Assert.Equal(device, read.UserBuffer);
        Assert.Equal(new nuint[] { 64, 64, 64, 8 }, host.LowerTarget.Received.Select(r => r.Length));

        var data = Pattern(100, 50);
        var write = host.Write(data);
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)100, write.Information);
        var sent = host.LowerTarget.Received.Where(r => r.Type == WdfRequestTypeWrite).ToList();
        Assert.Equal(new[] { 64, 36 }, sent.Select(r => r.InputData.Length));
        Assert.Equal(data, sent.SelectMany(r => r.InputData));

        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void UsbSampAnswersItsConfigurationDescriptorAndResets()
    {
        using var host = new WholeDriverHost(UsbSamp.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var descriptor = host.DeviceIoControl(UsbSamp.IOCTL_USBSAMP_GET_CONFIG_DESCRIPTOR, null, 64);
        Assert.Equal(STATUS_SUCCESS, descriptor.Status);
        Assert.Equal((nuint)32, descriptor.Information);
        Assert.Equal(new byte[] { 9, 2, 32, 0 }, descriptor.UserBuffer.Take(4));

        // A buffer shorter than wTotalLength: the retrieve fails and the sample completes with that failure and
        // wTotalLength as the information (a required size, not data: no DRV023 for a failure status).
        var tooSmall = host.DeviceIoControl(UsbSamp.IOCTL_USBSAMP_GET_CONFIG_DESCRIPTOR, null, 16);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, tooSmall.Status);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(UsbSamp.IOCTL_USBSAMP_RESET_PIPE, null, 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(UsbSamp.IOCTL_USBSAMP_RESET_DEVICE, null, 0).Status);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(UsbSamp.IOCTL_USBSAMP_RESET_PIPE + 0x100, null, 0).Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void UsbSampCompletesAFailedStageAndResetsThePipeFromAWorkItem()
    {
        using var host = new WholeDriverHost(UsbSamp.DriverEntry);
        host.LowerTarget.Responder = _ => new TargetIoResponse(STATUS_IO_TIMEOUT, 0);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        Assert.Equal(STATUS_IO_TIMEOUT, host.Read(100).Status);
        host.RunDeferredWork();
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy USB sample that the runtime sees. The DRV022 (the write's input wrapped in preallocated
/// memory before the retrieve's status is tested) is static only: the framework does not dispatch a zero-length write and
/// retrieving with the request's own length as the minimum does not fail otherwise.</summary>
public sealed class UsbSampBuggyRuntimeTests
{
    [Fact]
    public void DescriptorSizeReportedForAHeaderSizedBufferIsDrv023()
    {
        using var host = new WholeDriverHost(UsbSampBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(UsbSampBuggy.IOCTL_USBSAMP_GET_CONFIG_DESCRIPTOR, null, 9));
        Assert.Equal("DRV023", violation.Rule);
    }

    [Fact]
    public void InformationReadAfterTheCompletionIsDrv003()
    {
        using var host = new WholeDriverHost(UsbSampBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(10));
        Assert.Equal("DRV003", violation.Rule);
    }

    [Fact]
    public void PipeResetInACompletionRoutineAtDispatchLevelIsDrv037()
    {
        using var host = new WholeDriverHost(UsbSampBuggy.DriverEntry);
        host.LowerTarget.Responder = _ => new TargetIoResponse(STATUS_IO_TIMEOUT, 0);
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Record.Exception(() => host.Read(10));
        host.RunUntil(() => host.LowerTarget.InFlightOnOtherThreads == 0);
        var raised = violation as WdfViolationException ?? host.LowerTarget.BackgroundFailures.OfType<WdfViolationException>().FirstOrDefault();
        Assert.NotNull(raised);
        Assert.Equal("DRV037", raised!.Rule);
    }
}
