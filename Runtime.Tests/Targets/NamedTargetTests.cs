using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Targets;

/// <summary>I/O targets opened by name (the host provides the named devices), closed, and internal IOCTLs to them.</summary>
public class NamedTargetTests
{
    private const uint IoctlInternalQuery = 0x2A0003; // CTL_CODE(0x2A, 0, METHOD_NEITHER, FILE_ANY_ACCESS)

    [Fact]
    public void A_driver_opens_a_named_device_and_sends_it_an_internal_ioctl_synchronously()
    {
        var opened = new List<NTSTATUS>();
        nuint returned = 0;
        SimulatedIoTarget? other = null;
        using var host = KmdfHarness.Start(device =>
        {
            var status = WdfIoTargetCreate(device, WDF_NO_OBJECT_ATTRIBUTES, out var target);
            RtlInitUnicodeString(out var missingName, @"\Device\Missing");
            WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out var missing, missingName, GENERIC_READ);
            opened.Add(WdfIoTargetOpen(target, missing));
            RtlInitUnicodeString(out var name, @"\Device\Other");
            WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out var openParams, name, GENERIC_READ | GENERIC_WRITE);
            opened.Add(WdfIoTargetOpen(target, openParams));
            opened.Add(WdfIoTargetOpen(target, openParams));

            var input = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, Tags.Test);
            input.Write<ushort>(0, 0xBEEF);
            var output = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var inputDescriptor, input, 2);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var outputDescriptor, output, 4);
            status = WdfIoTargetSendInternalIoctlSynchronously(target, WDF_NO_HANDLE, IoctlInternalQuery, inputDescriptor,
                outputDescriptor, WDF_NO_SEND_OPTIONS, out returned);
            Assert.Equal(0x04030201u, output.Read<uint>(0));
            ExFreePoolWithTag(input, Tags.Test);
            ExFreePoolWithTag(output, Tags.Test);
            WdfIoTargetClose(target);
            return status;
        }, beforeLoad: h =>
        {
            other = h.AddNamedTarget(@"\Device\Other");
            other.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4 });
        });

        Assert.Equal(new[] { STATUS_OBJECT_NAME_NOT_FOUND, STATUS_SUCCESS, STATUS_INVALID_DEVICE_STATE }, opened);
        Assert.Equal((nuint)4, returned);
        var received = Assert.Single(other!.Received);
        Assert.Equal(WdfRequestTypeDeviceControlInternal, received.Type);
        Assert.Equal(IoctlInternalQuery, received.IoControlCode);
        Assert.Equal(new byte[] { 0xEF, 0xBE }, received.InputData);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Sending_to_a_closed_target_fails_and_closing_cancels_what_is_pending_there()
    {
        WDFIOTARGET target = default;
        SimulatedIoTarget? other = null;
        var completions = new List<NTSTATUS>();
        using var host = KmdfHarness.Start(device =>
        {
            WdfIoTargetCreate(device, WDF_NO_OBJECT_ATTRIBUTES, out target);
            RtlInitUnicodeString(out var name, @"\Device\Slow");
            WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out var openParams, name, GENERIC_READ);
            return WdfIoTargetOpen(target, openParams);
        }, beforeLoad: h =>
        {
            other = h.AddNamedTarget(@"\Device\Slow");
            other.Mode = TargetCompletionMode.WhenPumped;
        });

        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 4, out var memory, NULL);
            WdfIoTargetFormatRequestForInternalIoctl(target, request, IoctlInternalQuery, NULL, NULL, memory, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => completions.Add(p.IoStatus.Status), WDF_NO_CONTEXT);
            Assert.True(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            Assert.Equal(1, other!.PendingCount);

            WdfIoTargetClose(target);
            Assert.Equal(new[] { STATUS_CANCELLED }, completions);

            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(request, reuse);
            WdfIoTargetFormatRequestForInternalIoctl(target, request, IoctlInternalQuery, NULL, NULL, memory, NULL);
            Assert.False(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            Assert.Equal(STATUS_INVALID_DEVICE_STATE, WdfRequestGetStatus(request));
            WdfObjectDelete(request);
            WdfObjectDelete(memory);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void An_internal_ioctl_from_another_driver_reaches_EvtIoInternalDeviceControl_from_kernel_mode()
    {
        var seen = new List<(uint Code, nuint In, nuint Out, KPROCESSOR_MODE Mode)>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoInternalDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                seen.Add((code, inputLength, outputLength, WdfRequestGetRequestorMode(request)));
                WdfRequestComplete(request, STATUS_SUCCESS);
            }, out _));

        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(0x2A0000, new byte[3], 5).Status);
        Assert.Equal(new[] { (0x2A0000u, (nuint)3, (nuint)5, KernelMode) }, seen);
    }
}
