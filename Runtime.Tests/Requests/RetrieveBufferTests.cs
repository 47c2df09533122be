using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

/// <summary>WdfRequestRetrieve*: KMDF's statuses; failed retrieves hand out null handles/buffers whose use is DRV022.</summary>
public class RetrieveBufferTests
{
    [Fact]
    public void Read_has_no_input_and_write_has_no_output()
    {
        var statuses = new System.Collections.Generic.List<NTSTATUS>();
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                statuses.Add(WdfRequestRetrieveInputBuffer(request, 0, out _, NULL));
                statuses.Add(WdfRequestRetrieveInputMemory(request, out _));
                statuses.Add(WdfRequestRetrieveInputWdmMdl(request, out _));
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
            EvtIoWrite = (queue, request, length) =>
            {
                statuses.Add(WdfRequestRetrieveOutputBuffer(request, 0, out _, NULL));
                statuses.Add(WdfRequestRetrieveOutputMemory(request, out _));
                statuses.Add(WdfRequestRetrieveOutputWdmMdl(request, out _));
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Read(4);
        host.Write(new byte[4]);

        Assert.All(statuses, s => Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, s));
        Assert.Equal(6, statuses.Count);
    }

    [Fact]
    public void Too_small_or_empty_buffer_is_STATUS_BUFFER_TOO_SMALL_with_NULL_out()
    {
        PVOID buffer = NULL;
        nuint length = 99;
        NTSTATUS tooSmall = STATUS_SUCCESS, empty = STATUS_SUCCESS, mdl = STATUS_SUCCESS;
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                tooSmall = WdfRequestRetrieveInputBuffer(request, 3, out buffer, out length);
                empty = WdfRequestRetrieveOutputBuffer(request, 0, out _, NULL);
                mdl = WdfRequestRetrieveOutputWdmMdl(request, out _);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };

        host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 1, METHOD_BUFFERED, FILE_ANY_ACCESS), new byte[2], 0);

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, tooSmall);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, empty);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, mdl);
        Assert.Equal(NULL, buffer);
        Assert.Equal((nuint)0, length);
    }

    [Fact]
    public void Using_the_outputs_of_a_failed_retrieve_is_DRV022()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveInputMemory(request, out var memory);
                WdfRequestRetrieveInputBuffer(request, 1, out PVOID buffer, NULL);
                WdfRequestRetrieveInputWdmMdl(request, out PMDL mdl);
                try
                {
                    Expect.Violation("DRV022", () => WdfMemoryGetBuffer(memory, NULL));
                    Expect.Violation("DRV022", () => buffer.Write<byte>(0, 1));
                    Expect.Violation("DRV022", () => MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
                }
                finally
                {
                    WdfRequestComplete(request, STATUS_SUCCESS);
                }
            },
        };

        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
    }

    [Fact]
    public void The_same_memory_object_is_returned_every_time()
    {
        using var host = new DriverHost
        {
            EvtIoWrite = (queue, request, length) =>
            {
                WdfRequestRetrieveInputMemory(request, out var first);
                WdfRequestRetrieveInputMemory(request, out var second);
                Assert.Equal(first, second);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[1]).Status);
    }

    [Fact]
    public void With_the_verifier_off_calls_on_a_completed_request_return_STATUS_INTERNAL_ERROR()
    {
        WDFREQUEST kept = default;
        using var host = new DriverHost(verifierEnabled: false)
        {
            EvtIoRead = (queue, request, length) =>
            {
                kept = request;
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Read(1);

        host.Run(() =>
        {
            Assert.Equal(STATUS_INTERNAL_ERROR, WdfRequestRetrieveOutputBuffer(kept, 1, out PVOID buffer, NULL));
            Assert.Equal(NULL, buffer);
            Assert.Equal(STATUS_INTERNAL_ERROR, WdfRequestGetStatus(kept));
            WdfRequestComplete(kept, STATUS_SUCCESS);
        });
        Assert.Contains(host.Violations, v => v.Rule == "DRV002");
        Assert.Contains(host.Violations, v => v.Rule == "DRV003");
    }
}
