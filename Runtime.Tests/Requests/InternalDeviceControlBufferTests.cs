using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

/// <summary>
/// WdfRequestRetrieve* on internal device controls, which another driver sends from kernel mode (HIDClass to a HID
/// minidriver, kbdclass to a keyboard filter). KMDF hands out their buffers as it does a device control's, and for
/// METHOD_NEITHER the sender's kernel addresses (Type3InputBuffer, Irp->UserBuffer): no probe, not pageable user memory.
/// </summary>
public class InternalDeviceControlBufferTests
{
    private static readonly uint NeitherCode = CTL_CODE(FILE_DEVICE_KEYBOARD, 0x80, METHOD_NEITHER, FILE_ANY_ACCESS);
    private static readonly uint BufferedCode = CTL_CODE(FILE_DEVICE_KEYBOARD, 0x81, METHOD_BUFFERED, FILE_ANY_ACCESS);

    private static WholeDriverHost StartWith(EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL callback) =>
        KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoInternalDeviceControl = callback, out _));

    [Fact]
    public void A_buffered_internal_ioctl_has_its_input_and_output_buffers()
    {
        using var host = StartWith((queue, request, outputLength, inputLength, code) =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveInputBuffer(request, 2, out var input, out var inputSize));
            Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveOutputBuffer(request, 2, out var output, out var outputSize));
            Assert.Equal((nuint)3, inputSize);
            Assert.Equal((nuint)2, outputSize);
            output.Write<byte>(0, (byte)(input.Read<byte>(0) + 1));
            output.Write<byte>(1, (byte)(input.Read<byte>(2) + 1));
            Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveInputMemory(request, out var memory));
            Assert.Equal(input, WdfMemoryGetBuffer(memory, out var memorySize));
            Assert.Equal((nuint)3, memorySize);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 2);
        });

        var result = host.InternalDeviceControl(BufferedCode, new byte[] { 10, 20, 30 }, 2);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 11, 31 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_METHOD_NEITHER_internal_ioctl_hands_out_the_senders_kernel_buffers_without_a_probe_even_at_DISPATCH_LEVEL()
    {
        using var host = StartWith((queue, request, outputLength, inputLength, code) =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveInputBuffer(request, 4, out var input, NULL));
            Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveOutputBuffer(request, 4, out var output, NULL));
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            output.Write(0, input.Read<uint>(0) * 2);
            KeLowerIrql(old);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 4);
        });

        var result = host.InternalDeviceControl(NeitherCode, System.BitConverter.GetBytes(21u), 4);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(42u, System.BitConverter.ToUInt32(result.UserBuffer));
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_METHOD_NEITHER_internal_ioctls_input_is_Type3InputBuffer_and_its_output_Irp_UserBuffer()
    {
        var same = new List<bool>();
        using var host = StartWith((queue, request, outputLength, inputLength, code) =>
        {
            WdfRequestRetrieveInputBuffer(request, 1, out var input, NULL);
            WdfRequestRetrieveOutputBuffer(request, 1, out var output, NULL);
            var irp = WdfRequestWdmGetIrp(request);
            same.Add(input == IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.Type3InputBuffer);
            same.Add(output == irp.UserBuffer);
            WdfRequestComplete(request, STATUS_SUCCESS);
        });

        host.InternalDeviceControl(NeitherCode, new byte[] { 1 }, 1);

        Assert.Equal(new[] { true, true }, same);
    }

    [Fact]
    public void A_METHOD_NEITHER_internal_ioctl_without_a_buffer_is_STATUS_BUFFER_TOO_SMALL_and_its_MDL_is_not_available()
    {
        var statuses = new List<NTSTATUS>();
        using var host = StartWith((queue, request, outputLength, inputLength, code) =>
        {
            statuses.Add(WdfRequestRetrieveOutputBuffer(request, 0, out _, NULL));
            statuses.Add(WdfRequestRetrieveInputWdmMdl(request, out _));
            WdfRequestComplete(request, STATUS_SUCCESS);
        });

        host.InternalDeviceControl(NeitherCode, new byte[] { 1 }, 0);

        Assert.Equal(new[] { STATUS_BUFFER_TOO_SMALL, STATUS_INVALID_DEVICE_REQUEST }, statuses);
    }

    [Fact]
    public void A_METHOD_NEITHER_device_control_from_an_application_still_has_no_buffer_outside_its_caller_context()
    {
        NTSTATUS status = STATUS_SUCCESS;
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                status = WdfRequestRetrieveInputBuffer(request, 1, out _, NULL);
                WdfRequestComplete(request, STATUS_SUCCESS);
            }, out _));

        host.DeviceIoControl(NeitherCode, new byte[] { 1 }, 1);

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, status);
    }

    [Fact]
    public void The_sending_drivers_buffer_is_not_a_user_address_so_ProbeForRead_refuses_it()
    {
        NtStatusException? raised = null;
        using var host = StartWith((queue, request, outputLength, inputLength, code) =>
        {
            var stack = IoGetCurrentIrpStackLocation(WdfRequestWdmGetIrp(request));
            raised = Assert.Throws<NtStatusException>(() => ProbeForRead(stack.Parameters.DeviceIoControl.Type3InputBuffer, 1, 1));
            WdfRequestComplete(request, STATUS_SUCCESS);
        });

        host.InternalDeviceControl(NeitherCode, new byte[] { 1 }, 0);

        Assert.Equal(STATUS_ACCESS_VIOLATION, raised!.Status);
    }
}
