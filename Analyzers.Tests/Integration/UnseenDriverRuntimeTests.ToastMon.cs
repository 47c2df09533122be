using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The toaster monitor port (general/toaster/toastDrv/kmdf/toastmon), whole from DriverEntry: a toaster's interface
/// arrives (the host calls the notification callback), the monitor opens it by name and its passive timer sends one read
/// and one write each second, with driver-created requests it reuses in their completion routines.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    internal const string ToasterLink = @"\??\ROOT#TOASTER#0000#{781ef630-72b2-11d2-b852-00c04fad5171}";

    /// <summary>Loads and starts a toaster monitor, then a toaster arrives: <paramref name="arrive"/> is the driver's
    /// interface-arrival callback (device, symbolic link). Reads answer <paramref name="bytesRead"/> bytes, writes all.</summary>
    internal static (WholeDriverHost Host, SimulatedIoTarget Toaster) StartToastMon(DRIVER_INITIALIZE driverEntry,
        Func<WDFDEVICE, UNICODE_STRING, NTSTATUS> arrive, nuint bytesRead = 4)
    {
        var host = new WholeDriverHost(driverEntry);
        var toaster = host.AddNamedTarget(ToasterLink);
        toaster.Responder = request => request.Type == WDF_REQUEST_TYPE.WdfRequestTypeRead
            ? new TargetIoResponse(STATUS_SUCCESS, bytesRead, new byte[bytesRead])
            : new TargetIoResponse(STATUS_SUCCESS, request.Length);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        RtlInitUnicodeString(out var name, ToasterLink);
        Assert.Equal(STATUS_SUCCESS, host.Run(() => arrive(host.Device, name)));
        return (host, toaster);
    }

    [Fact]
    public void ToastMonSendsAReadAndAWriteEachSecondWithItsReusedRequests()
    {
        var (host, toaster) = StartToastMon(ToastMon.DriverEntry,
            (device, link) => ToastMon.ToastMon_PnpNotifyInterfaceChange(true, link, ToastMon.GetDeviceExtension(device)));
        using (host)
        {
            for (var second = 0; second < 3; second++)
            {
                host.AdvanceTime(TimeSpan.FromSeconds(1));
            }

            Assert.Equal(3, toaster.Received.Count(r => r.Type == WDF_REQUEST_TYPE.WdfRequestTypeRead));
            Assert.Equal(3, toaster.Received.Count(r => r.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite));
            Assert.All(toaster.Received.Where(r => r.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite), r => Assert.Equal((nuint)ToastMon.WRITE_BUF_SIZE, r.Length));
            Assert.Empty(host.Violations);
            Assert.True(host.Unload().IsClean);
        }
    }

    /// <summary>The shipped sample's own bug (marked DRV011 in ToastMon.cs): a failed send puts the request back unreused
    /// and the next tick formats it again.</summary>
    [Fact]
    public void ToastMonFormatsARequestWhoseSendFailedAgainWithoutReuseIsDrv011()
    {
        var (host, toaster) = StartToastMon(ToastMon.DriverEntry,
            (device, link) => ToastMon.ToastMon_PnpNotifyInterfaceChange(true, link, ToastMon.GetDeviceExtension(device)));
        using (host)
        {
            toaster.Mode = TargetCompletionMode.FailSend;
            var violation = Assert.Throws<WdfViolationException>(() =>
            {
                host.AdvanceTime(TimeSpan.FromSeconds(1));
                host.AdvanceTime(TimeSpan.FromSeconds(1));
            });
            Assert.Equal("DRV011", violation.Rule);
        }
    }
}

/// <summary>The bugs of the buggy toaster monitor that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class ToastMonBuggyRuntimeTests
{
    private static WholeDriverHost Arrive(nuint bytesRead = 4) => UnseenDriverRuntimeTests.StartToastMon(ToastMonBuggy.DriverEntry,
        (device, link) => ToastMonBuggy.ToastMon_PnpNotifyInterfaceChange(true, link, ToastMonBuggy.GetDeviceExtension(device)), bytesRead).Host;

    [Fact]
    public void ReadDataCopiedWithTheTargetsCountIntoTheSmallerContextBufferIsDrv020()
    {
        using var host = Arrive(bytesRead: ToastMonBuggy.READ_BUF_SIZE);
        var violation = Assert.Throws<WdfViolationException>(() => host.AdvanceTime(TimeSpan.FromSeconds(1)));
        Assert.Equal("DRV020", violation.Rule);
    }

    [Fact]
    public void WrittenMemoryReadAfterItsDeleteIsDrv036()
    {
        using var host = Arrive();
        var violation = Assert.Throws<WdfViolationException>(() => host.AdvanceTime(TimeSpan.FromSeconds(1)));
        Assert.Equal("DRV036", violation.Rule);
    }

    [Fact]
    public void DriverCreatedRequestCompletedWhenTheTargetGoesAwayIsDrv013()
    {
        using var host = Arrive();
        var target = ToastMonBuggy.GetDeviceExtension(host.Device).TargetDeviceCollection[0];
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => ToastMonBuggy.ToastMon_EvtIoTargetRemoveComplete(target)));
        Assert.Equal("DRV013", violation.Rule);
    }
}
