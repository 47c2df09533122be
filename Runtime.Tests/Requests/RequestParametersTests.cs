using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

public class RequestParametersTests
{
    [Fact]
    public void Parameters_describe_reads_writes_and_ioctls()
    {
        var seen = new System.Collections.Generic.List<WDF_REQUEST_PARAMETERS>();
        void Capture(WDFREQUEST request)
        {
            WDF_REQUEST_PARAMETERS_INIT(out var parameters);
            WdfRequestGetParameters(request, parameters);
            seen.Add(parameters);
            WdfRequestComplete(request, STATUS_SUCCESS);
        }
        using var host = new DriverHost
        {
            EvtIoRead = (q, r, l) => Capture(r),
            EvtIoWrite = (q, r, l) => Capture(r),
            EvtIoDeviceControl = (q, r, o, i, c) => Capture(r),
        };
        uint code = CTL_CODE(FILE_DEVICE_UNKNOWN, 5, METHOD_BUFFERED, FILE_ANY_ACCESS);

        host.Read(7, deviceOffset: 100);
        host.Write(new byte[3]);
        host.DeviceIoControl(code, new byte[2], 9);

        Assert.Equal(WdfRequestTypeRead, seen[0].Type);
        Assert.Equal((nuint)7, seen[0].Parameters.Read.Length);
        Assert.Equal(100, seen[0].Parameters.Read.DeviceOffset);
        Assert.Equal(WdfRequestTypeWrite, seen[1].Type);
        Assert.Equal((nuint)3, seen[1].Parameters.Write.Length);
        Assert.Equal(WdfRequestTypeDeviceControl, seen[2].Type);
        Assert.Equal(code, seen[2].Parameters.DeviceIoControl.IoControlCode);
        Assert.Equal((nuint)2, seen[2].Parameters.DeviceIoControl.InputBufferLength);
        Assert.Equal((nuint)9, seen[2].Parameters.DeviceIoControl.OutputBufferLength);
    }

    [Fact]
    public void Information_set_before_completion_is_what_the_application_gets()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestSetInformation(request, 2);
                Assert.Equal((nuint)2, WdfRequestGetInformation(request));
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        Assert.Equal((nuint)2, host.Read(4).Information);
    }

    [Fact]
    public void Get_io_queue_names_the_delivering_queue()
    {
        WDFQUEUE seen = default;
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                seen = WdfRequestGetIoQueue(request);
                Assert.Equal(queue, seen);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Read(1);
        Assert.Equal(host.Queue, seen);
        Assert.Equal(host.Device, host.Run(() => WdfIoQueueGetDevice(host.Queue)));
    }

    [Fact]
    public void A_request_type_without_a_callback_is_rejected_by_the_framework()
    {
        using var host = new DriverHost();
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.Read(1).Status);
        Assert.True(host.Unload().IsClean);
    }
}
