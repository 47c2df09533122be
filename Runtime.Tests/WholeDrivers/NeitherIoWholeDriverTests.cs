using System;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>A KMDF driver doing neither I/O from DriverEntry down: its in-caller-context callback probes and locks the user buffer before queuing.</summary>
public class NeitherIoWholeDriverTests
{
    private sealed class REQUEST_CONTEXT
    {
        public WDFMEMORY UserInput;
    }

    [Fact]
    public void The_in_caller_context_callback_locks_the_user_buffer_and_the_queue_reads_it_through_the_memory_object()
    {
        var seen = Array.Empty<byte>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchSequential,
            config => config.EvtIoWrite = (queue, request, length) =>
            {
                var context = WdfObjectGetTypedContext<REQUEST_CONTEXT>(request);
                var buffer = WdfMemoryGetBuffer(context.UserInput, out var size);
                seen = new byte[(int)size];
                buffer.CopyTo(seen, 0);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, size);
            }, out _), init =>
        {
            WdfDeviceInitSetIoType(init, WdfDeviceIoNeither);
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REQUEST_CONTEXT>(out var attributes);
            WdfDeviceInitSetRequestAttributes(init, attributes);
            WdfDeviceInitSetIoInCallerContextCallback(init, (device, request) =>
            {
                WDF_REQUEST_PARAMETERS_INIT(out var parameters);
                WdfRequestGetParameters(request, parameters);
                var status = WdfRequestRetrieveUnsafeUserInputBuffer(request, 1, out var userBuffer, out var length);
                if (NT_SUCCESS(status))
                {
                    status = WdfRequestProbeAndLockUserBufferForRead(request, userBuffer, length,
                        out WdfObjectGetTypedContext<REQUEST_CONTEXT>(request).UserInput);
                }
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(request, status);
                    return;
                }
                WdfDeviceEnqueueRequest(device, request);
            });
        });

        var write = host.Write(new byte[] { 3, 1, 4 });

        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal(new byte[] { 3, 1, 4 }, seen);
        Assert.Equal(0u, host.TopDevice!.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO));
        Assert.True(host.Unload().IsClean);
    }
}
