using System.Collections.Concurrent;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.IoModes;

/// <summary>
/// Reference 001, neither I/O: the driver gets the raw user address. It must probe before touching it
/// (DRV042); in KMDF only EvtIoInCallerContext may retrieve and probe-and-lock it.
/// </summary>
public class NeitherIoTests
{
    [Fact]
    public void Wdm_probed_user_buffer_can_be_written()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            var length = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
            Assert.True(irp.MdlAddress == NULL && irp.AssociatedIrp.SystemBuffer == NULL);
            try
            {
                ProbeForWrite(irp.UserBuffer, length, 1);
                RtlFillMemory(irp.UserBuffer, length, 0x31);
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = length;
            }
            catch (NtStatusException e)
            {
                irp.IoStatus.Status = e.Status;
            }
            var status = irp.IoStatus.Status;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return status;
        };

        Assert.Equal(new byte[] { 0x31, 0x31 }, host.Read(2).UserBuffer);
    }

    [Fact]
    public void Wdm_unprobed_user_buffer_is_DRV042()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_WRITE] = (device, irp) =>
        {
            irp.UserBuffer.Read<byte>(0);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        var violation = Expect.Violation("DRV042", () => host.Write(new byte[] { 1 }));
        Assert.Equal("PVOID.Read", violation.Ddi);
    }

    [Fact]
    public void Wdm_probe_failures_raise_for_the_drivers_try_except()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            Expect.Raise(STATUS_ACCESS_VIOLATION, () => ProbeForWrite(irp.UserBuffer, 5, 1));
            Expect.Raise(STATUS_DATATYPE_MISALIGNMENT, () => ProbeForRead(irp.UserBuffer + 1, 2, 4));
            Expect.Raise(STATUS_ACCESS_VIOLATION, () => ProbeForRead(ExAllocatePool2(POOL_FLAG_PAGED, 4, Tags.Test), 4, 1));
            ProbeForRead(NULL, 0, 1);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        Assert.Equal(STATUS_SUCCESS, host.Read(4).Status);
    }

    [Fact]
    public void Wdf_in_caller_context_probes_and_locks_and_the_queue_callback_uses_the_memory()
    {
        var locked = new ConcurrentDictionary<WDFREQUEST, WDFMEMORY>();
        using var host = new DriverHost(WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = (device, request) =>
            {
                NTSTATUS status = WdfRequestRetrieveUnsafeUserOutputBuffer(request, 1, out PVOID user, out nuint length);
                if (NT_SUCCESS(status))
                {
                    status = WdfRequestProbeAndLockUserBufferForWrite(request, user, length, out WDFMEMORY memory);
                    locked[request] = memory;
                }
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(request, status);
                    return;
                }
                WdfDeviceEnqueueRequest(device, request);
            },
            EvtIoRead = (queue, request, length) =>
            {
                Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfRequestRetrieveOutputBuffer(request, 1, out _, NULL));
                Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfRequestRetrieveUnsafeUserOutputBuffer(request, 1, out _, NULL));
                locked.TryRemove(request, out var memory);
                var data = new byte[] { 0x77, 0x78 }.AsPointer();
                var status = WdfMemoryCopyFromBuffer(memory, 0, data, 2);
                ExFreePoolWithTag(data, Tags.Test);
                WdfRequestCompleteWithInformation(request, status, 2);
            },
        };

        var result = host.Read(2);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 0x77, 0x78 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Wdf_touching_the_unsafe_user_buffer_without_probing_is_DRV042()
    {
        using var host = new DriverHost(WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = (device, request) =>
            {
                WdfRequestRetrieveUnsafeUserInputBuffer(request, 1, out PVOID user, NULL);
                user.Read<byte>(0);
            },
        };

        Expect.Violation("DRV042", () => host.Write(new byte[] { 1 }));
    }

    [Fact]
    public void Wdf_probe_and_lock_outside_caller_context_fails_and_a_bad_range_is_an_access_violation()
    {
        NTSTATUS outside = STATUS_SUCCESS, badRange = STATUS_SUCCESS;
        using var host = new DriverHost(WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = (device, request) =>
            {
                WdfRequestRetrieveUnsafeUserInputBuffer(request, 0, out PVOID user, out nuint length);
                badRange = WdfRequestProbeAndLockUserBufferForRead(request, user, length + 1, out _);
                WdfDeviceEnqueueRequest(device, request);
            },
            EvtIoWrite = (queue, request, length) =>
            {
                outside = WdfRequestProbeAndLockUserBufferForRead(request, NULL, 1, out _);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };

        host.Write(new byte[] { 1, 2 });

        Assert.Equal(STATUS_ACCESS_VIOLATION, badRange);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, outside);
    }

    [Fact]
    public void Wdf_locked_user_memory_after_completion_is_DRV001()
    {
        WDFMEMORY memory = default;
        using var host = new DriverHost(WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = (device, request) =>
            {
                WdfRequestRetrieveUnsafeUserInputBuffer(request, 1, out PVOID user, out nuint length);
                WdfRequestProbeAndLockUserBufferForRead(request, user, length, out memory);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Write(new byte[] { 1 });

        Expect.Violation("DRV001", () => WdfMemoryGetBuffer(memory, NULL));
    }

    [Fact]
    public void Wdf_method_neither_ioctl_offers_no_buffered_or_direct_buffer()
    {
        NTSTATUS input = STATUS_SUCCESS, output = STATUS_SUCCESS;
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                input = WdfRequestRetrieveInputBuffer(request, 1, out _, NULL);
                output = WdfRequestRetrieveOutputMemory(request, out _);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };

        host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x902, METHOD_NEITHER, FILE_ANY_ACCESS), new byte[] { 1 }, 1);

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, input);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, output);
    }
}
