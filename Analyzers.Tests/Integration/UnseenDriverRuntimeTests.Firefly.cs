using System.Collections.Generic;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The firefly HID filter port (hid/firefly), whole from DriverEntry, over a simulated HID collection opened by the PDO's
/// name: 16 bytes of preparsed data whose first two give the feature report's length (2), and the feature reports it is
/// sent. WMI's set-item turns the tail light on.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private sealed class HidCollection
    {
        public readonly List<byte[]> FeatureReports = new();

        public HidCollection(WholeDriverHost host)
        {
            host.AddNamedTarget(Firefly.PdoNameOf(default)).Responder = Respond;
        }

        private TargetIoResponse Respond(TargetIoRequest request)
        {
            switch (request.IoControlCode)
            {
                case Firefly.IOCTL_HID_GET_COLLECTION_INFORMATION:
                    return new TargetIoResponse(STATUS_SUCCESS, 12, new byte[] { 16, 0, 0, 0, 0, 0, 0x5E, 0x04, 0x1F, 0x00, 0x01, 0x00 });
                case Firefly.IOCTL_HID_GET_COLLECTION_DESCRIPTOR:
                    var preparsed = new byte[16];
                    preparsed[0] = 2;
                    return new TargetIoResponse(STATUS_SUCCESS, 16, preparsed);
                case Firefly.IOCTL_HID_SET_FEATURE:
                    FeatureReports.Add(request.InputData);
                    return new TargetIoResponse(STATUS_SUCCESS, (nuint)request.InputData.Length);
                default:
                    return new TargetIoResponse(STATUS_INVALID_DEVICE_REQUEST);
            }
        }
    }

    private static NTSTATUS SetTailLight(WholeDriverHost host, System.Func<PVOID, NTSTATUS> setItem, byte value, int size)
    {
        using var inBuffer = new LOCAL_BUFFER(size);
        return host.Run(() =>
        {
            RtlZeroMemory(inBuffer.Address, (nuint)size);
            inBuffer.Address.Write<byte>(0, value);
            return setItem(inBuffer.Address);
        });
    }

    [Fact]
    public void FireflySetsTheTailLightFeatureThroughItsHidCollection()
    {
        using var host = new WholeDriverHost(Firefly.DriverEntry);
        var collection = new HidCollection(host);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var context = Firefly.GetDeviceContext(host.Device);

        Assert.Equal(STATUS_SUCCESS, SetTailLight(host, buffer => Firefly.EvtWmiInstanceSetItem(context, Firefly.FireflyDeviceInformation_TailLit_ID, 1, buffer), 1, 1));
        Assert.Equal(STATUS_SUCCESS, SetTailLight(host, buffer => Firefly.EvtWmiInstanceSetItem(context, Firefly.FireflyDeviceInformation_TailLit_ID, 1, buffer), 0, 1));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, SetTailLight(host, buffer => Firefly.EvtWmiInstanceSetItem(context, Firefly.FireflyDeviceInformation_TailLit_ID, 0, buffer), 1, 1));

        Assert.Equal(2, collection.FeatureReports.Count);
        Assert.Equal(new byte[] { 0, 1 << (Firefly.TAILLIGHT_FEATURE & 7) }, collection.FeatureReports[0]);
        Assert.Equal(new byte[] { 0, 0 }, collection.FeatureReports[1]);
        Assert.Equal(0, host.Pool.OutstandingAllocations);
    }
}

/// <summary>The bugs of the buggy firefly port that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class FireflyBuggyRuntimeTests
{
    [Fact]
    public void PreparsedDataReadByHidPSetUsagesAfterItsFreeIsDrv036()
    {
        using var host = StartedHost();
        var context = FireflyBuggy.GetDeviceContext(host.Device);

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => FireflyBuggy.FireflySetFeature(context, 0, FireflyBuggy.TAILLIGHT_FEATURE, TRUE)));
        Assert.Equal("DRV036", violation.Rule);
    }

    [Fact]
    public void PreparsedDataFreedTwiceIsDrv034()
    {
        using var host = StartedHost();
        var context = FireflyBuggy.GetDeviceContext(host.Device);

        // Turning the light off skips HidP_SetUsages: the second free at ExitAndFree is the first misuse.
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => FireflyBuggy.FireflySetFeature(context, 0, FireflyBuggy.TAILLIGHT_FEATURE, FALSE)));
        Assert.Equal("DRV034", violation.Rule);
    }

    /// <summary>The buggy port loaded over a HID target that answers the collection's information and its 16-byte preparsed data.</summary>
    private static WholeDriverHost StartedHost()
    {
        var host = new WholeDriverHost(FireflyBuggy.DriverEntry);
        host.AddNamedTarget(FireflyBuggy.PdoNameOf(default)).Responder = request => request.IoControlCode == FireflyBuggy.IOCTL_HID_GET_COLLECTION_INFORMATION
            ? new TargetIoResponse(STATUS_SUCCESS, 12, new byte[] { 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })
            : new TargetIoResponse(STATUS_SUCCESS, 16, new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void WmiBufferLengthCopiedIntoTheOneByteInformationIsDrv020()
    {
        using var host = new WholeDriverHost(FireflyBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var context = FireflyBuggy.GetDeviceContext(host.Device);
        using var inBuffer = new LOCAL_BUFFER(4);

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() =>
            FireflyBuggy.EvtWmiInstanceSetItem(context, FireflyBuggy.FireflyDeviceInformation_TailLit_ID, 4, inBuffer.Address)));
        Assert.Equal("DRV020", violation.Rule);
    }
}
