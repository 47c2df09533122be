using System;
using System.Linq;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.StackBuffers;

/// <summary>LOCAL_BUFFER: C's stack array, dead when its using scope ends; a request still pending over it then is DRV040.</summary>
public class LocalBufferTests
{
    [Fact]
    public void A_stack_buffer_is_usable_in_its_scope_uninitialised_bounded_and_dead_afterwards()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PVOID escaped;
            using (var buffer = new LOCAL_BUFFER(8))
            {
                Assert.Equal((nuint)8, buffer.Size);
                Assert.Equal(0xCDCDCDCDu, buffer.Address.Read<uint>(0));
                RtlZeroMemory(buffer.Address, 8);
                buffer.Address.Write<long>(0, 42);
                Assert.Equal(42, buffer.Address.Read<long>(0));
                Expect.Violation("DRV024", () => buffer.Address.Read<long>(1));
                escaped = buffer.Address;
            }
            var violation = Expect.Violation("StackBufferOutOfScope", () => escaped.Read<long>(0));
            Assert.Contains("went out of scope", violation.Message);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_request_sent_asynchronously_over_a_stack_buffer_and_pending_when_the_scope_ends_is_DRV040()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, host.LowerTarget.Handle, out var request);
            var violation = Expect.Violation("DRV040", () =>
            {
                using var buffer = new LOCAL_BUFFER(16);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer.Address, buffer.Size, out var memory);
                WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, request, memory, NULL, NULL);
                WdfRequestSend(request, host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS);
            });
            Assert.Equal("LOCAL_BUFFER.Dispose", violation.Ddi);
        });
    }

    [Fact]
    public void A_stack_buffer_sent_synchronously_is_fine()
    {
        using var host = new DriverHost();
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 7, 7 });
        host.Run(() =>
        {
            using var buffer = new LOCAL_BUFFER(2);
            WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out var descriptor, buffer.Address, 2);
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendReadSynchronously(host.LowerTarget.Handle, NULL, descriptor, NULL, NULL, out var read));
            Assert.Equal((nuint)2, read);
            Assert.Equal((ushort)0x0707, buffer.Address.Read<ushort>(0));
        });
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void A_stack_buffer_larger_than_a_kernel_stack_is_KernelStackOverflow_and_never_allocates_it()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(() =>
        {
            using var huge = new LOCAL_BUFFER(nuint.MaxValue);
            using var negative = new LOCAL_BUFFER(-1);
            Assert.Equal((nuint)LOCAL_BUFFER.KernelStackSize, huge.Size);
            Assert.Equal((nuint)0, negative.Size);
        });
        Assert.Equal(new[] { "KernelStackOverflow", "KernelStackOverflow" }, host.Violations.Select(v => v.Rule));
    }
}
