using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The Bluetooth echo client port (bluetooth/bthecho), whole from DriverEntry, over a simulated bthport (the lower target):
/// self-managed I/O init sends two synchronous BRBs with the device context's reused request, an open retrieves the
/// server's SDP record with a request it creates, reuses and deletes, a write goes down as an ACL transfer BRB wrapped
/// around the application's request, and the close sends the close-channel BRB with the connection's own request.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    internal const ulong BthEchoServerAddress = 0x0011223344556677;

    /// <summary>bthport as the lower target: the server's device info, an SDP record of <paramref name="recordSize"/>
    /// bytes, and every BRB and SDP IOCTL answered with success.</summary>
    internal static WholeDriverHost StartBthEchoClient(DRIVER_INITIALIZE driverEntry, uint recordSize = 8)
    {
        var host = new WholeDriverHost(driverEntry);
        host.LowerTarget.Responder = request =>
        {
            if (request.IoControlCode == BthEchoCli.IOCTL_INTERNAL_BTHENUM_GET_DEVINFO)
            {
                var info = new byte[BthEchoCli.SIZEOF_BTH_DEVICE_INFO];
                BitConverter.GetBytes(BthEchoServerAddress).CopyTo(info, (int)BthEchoCli.BTH_DEVICE_INFO_address);
                return new TargetIoResponse(STATUS_SUCCESS, (nuint)info.Length, info);
            }

            if (request.IoControlCode == BthEchoCli.IOCTL_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH)
            {
                var response = new byte[request.OutputLength];
                BitConverter.GetBytes(recordSize).CopyTo(response, 0);                                   // requiredSize
                BitConverter.GetBytes((uint)request.OutputLength - BthEchoCli.SIZEOF_BTH_SDP_STREAM_RESPONSE).CopyTo(response, 4); // responseSize
                return new TargetIoResponse(STATUS_SUCCESS, (nuint)response.Length, response);
            }

            return new TargetIoResponse(STATUS_SUCCESS, request.OutputLength);
        };
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void BthEchoClientRetrievesTheServerAndItsSdpRecordWritesThroughABrbAndDisconnects()
    {
        using var host = StartBthEchoClient(BthEchoCli.DriverEntry);
        var context = BthEchoCli.GetClientDeviceContext(host.Device);
        Assert.Equal(BthEchoServerAddress, context.ServerBthAddress);

        // The open: the SDP exchange with a created request (connect, two searches, disconnect), freed record.
        var sent = host.LowerTarget.Received.Count;
        var status = host.Run(() =>
        {
            var retrieved = BthEchoCli.BthEchoCliRetrieveServerSdpRecord(context, out var record);
            if (!NT_SUCCESS(retrieved))
            {
                return retrieved;
            }

            var psm = BthEchoCli.BthEchoCliRetrievePsmFromSdpRecord(record, out context.ServerPsm);
            ExFreePoolWithTag(record, BthEchoCli.POOLTAG_BTHECHOSAMPLE);
            return psm;
        });
        Assert.Equal(STATUS_SUCCESS, status);
        Assert.Equal(4, host.LowerTarget.Received.Count - sent);
        Assert.Equal(0, host.Pool.OutstandingAllocations);

        // The open's connection, as BthEchoCliRemoteConnectCompletion leaves it.
        Assert.Equal(STATUS_SUCCESS, host.Run(() =>
        {
            var created = BthEchoCli.BthEchoConnectionObjectCreate(context.Header, out var connection);
            context.Connection = connection;
            connection!.ConnectionState = BthEchoCli.BTHECHO_CONNECTION_STATE.ConnectionStateConnected;
            return created;
        }));

        var write = host.Write(new byte[] { 1, 2, 3, 4, 5 });
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)5, write.Information);
        Assert.Equal(BthEchoCli.IOCTL_INTERNAL_BTH_SUBMIT_BRB, host.LowerTarget.Received.Last().IoControlCode);

        host.Run(() => BthEchoCli.BthEchoCliEvtFileClose(host.Device));
        Assert.Equal(BthEchoCli.IOCTL_INTERNAL_BTH_SUBMIT_BRB, host.LowerTarget.Received.Last().IoControlCode);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy Bluetooth echo client that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class BthEchoCliBuggyRuntimeTests
{
    [Fact]
    public void SdpRequestSentAgainWithoutReuseIsDrv011()
    {
        using var host = UnseenDriverRuntimeTests.StartBthEchoClient(BthEchoCliBuggy.DriverEntry);
        var context = BthEchoCliBuggy.GetClientDeviceContext(host.Device);
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => BthEchoCliBuggy.BthEchoCliRetrieveServerSdpRecord(context, out _)));
        Assert.Equal("DRV011", violation.Rule);
    }

    /// <summary>
    /// The close-channel BRB lives in a LOCAL_BUFFER of BthEchoConnectionObjectRemoteDisconnect, which hands it to
    /// BthEchoSharedSendBrbAsync and returns while the lower driver still holds the request: the stack buffer dies under
    /// a pending request.
    /// </summary>
    [Fact]
    public void CloseChannelBrbOnTheStackStillPendingWhenItsFunctionReturnsIsDrv040()
    {
        using var host = UnseenDriverRuntimeTests.StartBthEchoClient(BthEchoCliBuggy.DriverEntry);
        var context = BthEchoCliBuggy.GetClientDeviceContext(host.Device);
        BthEchoCliBuggy.BTHECHO_CONNECTION? connection = null;
        host.Run(() =>
        {
            BthEchoCliBuggy.BthEchoConnectionObjectCreate(context.Header, out connection);
            context.Connection = connection;
            connection!.ConnectionState = BthEchoCliBuggy.BTHECHO_CONNECTION_STATE.ConnectionStateConnected;
        });
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.Run(() => BthEchoCliBuggy.BthEchoConnectionObjectRemoteDisconnect(context.Header, connection!)));
        Assert.Equal("DRV040", violation.Rule);
    }

    [Fact]
    public void DisconnectRequestCompletedInsteadOfDeletedIsDrv013()
    {
        using var host = UnseenDriverRuntimeTests.StartBthEchoClient(BthEchoCliBuggy.DriverEntry);
        var context = BthEchoCliBuggy.GetClientDeviceContext(host.Device);
        host.Run(() =>
        {
            BthEchoCliBuggy.BthEchoConnectionObjectCreate(context.Header, out var connection);
            context.Connection = connection;
            connection!.ConnectionState = BthEchoCliBuggy.BTHECHO_CONNECTION_STATE.ConnectionStateConnected;
        });
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => BthEchoCliBuggy.BthEchoCliEvtFileClose(host.Device)));
        Assert.Equal("DRV013", violation.Rule);
    }
}
