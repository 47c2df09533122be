using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Targets;

public class SynchronousSendTests
{
    [Fact]
    public void Read_synchronously_into_a_buffer_without_a_request()
    {
        using var host = new DriverHost();
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 5, 6, 7 });
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, Tags.Test);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var descriptor, buffer, 2);

            var status = WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, descriptor, NULL, NULL, out nuint bytesRead);

            Assert.Equal(STATUS_SUCCESS, status);
            Assert.Equal((nuint)2, bytesRead);
            Assert.Equal((ushort)0x0605, buffer.Read<ushort>(0));
            Assert.Equal("(framework-internal)", host.LowerTarget.Received[0].Request);
            ExFreePoolWithTag(buffer, Tags.Test);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Write_and_ioctl_synchronously_through_memory_and_mdl_descriptors()
    {
        using var host = new DriverHost();
        host.LowerTarget.Responder = r => new TargetIoResponse(STATUS_SUCCESS, null, r.InputData);
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 4, out var memory, out PVOID buffer);
            buffer.Write<uint>(0, 0x04030201);
            WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out var input, memory, new WDFMEMORY_OFFSET { BufferOffset = 1, BufferLength = 2 });
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendWriteSynchronously(host.LowerTarget.Handle, NULL, input, 64, NULL, out nuint written));
            Assert.Equal((nuint)2, written);
            Assert.Equal(new byte[] { 2, 3 }, host.LowerTarget.Received[0].InputData);
            Assert.Equal(64, host.LowerTarget.Received[0].DeviceOffset);

            var target = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            var mdl = IoAllocateMdl(target, 4, FALSE, FALSE, NULL);
            MmBuildMdlForNonPagedPool(mdl);
            WDF_MEMORY_DESCRIPTOR_INIT_MDL(out var output, mdl, 4);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var ioctlInput, buffer, 4);
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendIoctlSynchronously(host.LowerTarget.Handle, NULL, 0x222000, ioctlInput, output, NULL, NULL));
            Assert.Equal(0x04030201u, target.Read<uint>(0));
            IoFreeMdl(mdl);
        });
    }

    [Fact]
    public void A_pumped_target_times_out_a_synchronous_send_with_a_timeout_and_completes_one_without()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_DEVICE_BUSY);
        host.Run(() =>
        {
            WDF_REQUEST_SEND_OPTIONS_INIT(out var options, 0);
            WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_MS(10));
            Assert.Equal(STATUS_IO_TIMEOUT, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, NULL, NULL, options, out nuint bytes));
            Assert.Equal((nuint)0, bytes);
            Assert.Equal(STATUS_DEVICE_BUSY, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, NULL, NULL, NULL, NULL));
            Assert.Equal(0, host.LowerTarget.PendingCount);
        });
    }

    [Fact]
    public void A_wdm_driver_forwarding_synchronously_to_a_device_that_completes_later_gets_its_completion()
    {
        var driver = new WholeDrivers.WdmFilterDriver { ForwardReadsSynchronously = true };
        using var host = new WholeDriverHost(driver.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 4, 5, 6 });

        var read = host.Read(3);

        Assert.True(read.IsCompleted);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal(new byte[] { 4, 5, 6 }, read.UserBuffer);
        Assert.Equal(0, host.LowerTarget.PendingCount);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_target_on_another_thread_is_waited_for()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 9 });
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, Tags.Test);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var descriptor, buffer, 1);
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, descriptor, NULL, NULL, out nuint _));
            Assert.Equal(9, buffer.Read<byte>(0));
        });
    }

    [Fact]
    public void A_failing_target_returns_its_status()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;
        host.LowerTarget.SendFailureStatus = STATUS_DEVICE_REMOVED;
        Assert.Equal(STATUS_DEVICE_REMOVED, host.Run(() => WdfIoTargetSendWriteSynchronously(host.LowerTarget.Handle, NULL, NULL, NULL, NULL, NULL)));
    }

    [Fact]
    public void A_driver_request_sent_synchronously_must_be_reused_before_the_next_send()
    {
        using var host = new DriverHost();
        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: 0);
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, host.LowerTarget.Handle, out var request);
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, request, NULL, NULL, NULL, NULL));
            Expect.Violation("DRV011", () => WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, request, NULL, NULL, NULL, NULL));
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(request, reuse);
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, request, NULL, NULL, NULL, NULL));
            WdfObjectDelete(request);
        });
    }

    [Fact]
    public void Send_with_the_synchronous_option_returns_after_completion_without_calling_the_routine()
    {
        using var host = new DriverHost();
        host.LowerTarget.RespondWith(STATUS_END_OF_FILE, information: 3);
        bool called = false;
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => called = true, WDF_NO_CONTEXT);
            WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);

            Assert.True(WdfRequestSend(request, target, options));

            Assert.Equal(STATUS_END_OF_FILE, WdfRequestGetStatus(request));
            WDF_REQUEST_COMPLETION_PARAMS_INIT(out var parameters);
            WdfRequestGetCompletionParams(request, parameters);
            Assert.Equal(STATUS_END_OF_FILE, parameters.IoStatus.Status);
            Assert.Equal((nuint)3, parameters.IoStatus.Information);
            Assert.Equal(WdfRequestTypeRead, parameters.Type);
        });
        Assert.False(called);
    }

    [Fact]
    public void Sending_an_unformatted_created_request_fails()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var request);
            Assert.False(WdfRequestSend(request, host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS));
            Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfRequestGetStatus(request));
        });
    }

    [Fact]
    public void A_buffer_descriptor_longer_than_its_buffer_is_DRV020()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var descriptor, buffer, 8);
            Expect.Violation("DRV020", () => WdfIoTargetSendWriteSynchronously(host.LowerTarget.Handle, NULL, descriptor, NULL, NULL, NULL));
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var nothing, NULL, 8);
            Expect.Violation("DRV022", () => WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, nothing, NULL, NULL, NULL));
        });
        Assert.Empty(host.LowerTarget.Received);
    }
}
