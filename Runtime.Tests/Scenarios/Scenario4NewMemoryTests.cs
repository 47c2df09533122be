using System.Linq;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Scenarios;

/// <summary>
/// Reference 000, scenario 4: a driver-created request with new memory. Memory from WdfMemoryCreate (or a
/// lookaside) owns its buffer, which lives as long as the I/O target needs it; preallocated memory does
/// not, so freeing its buffer while the request is pending is DRV040.
/// </summary>
public class Scenario4NewMemoryTests
{
    [Fact]
    public void Owned_buffer_outlives_the_deleted_memory_object_until_the_target_lets_go()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 42, 43 });
        byte seenInCompletion = 0;
        PVOID buffer = NULL;
        WDFREQUEST request = default;

        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            Assert.Equal(STATUS_SUCCESS, WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 2, out var memory, out buffer));
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out request);
            WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => seenInCompletion = buffer.Read<byte>(0), WDF_NO_CONTEXT);
            Assert.True(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            WdfObjectDelete(memory);
        });

        host.LowerTarget.CompleteNext();
        Assert.Equal(42, seenInCompletion);

        host.Run(() => WdfObjectDelete(request));
        Expect.Violation("DRV036", () => buffer.Read<byte>(0));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Preallocated_buffer_freed_while_its_request_is_pending_is_DRV040()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tags.Test);
            WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out var memory);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForWrite(target, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => { }, WDF_NO_CONTEXT);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);

            var violation = Expect.Violation("DRV040", () => ExFreePoolWithTag(buffer, Tags.Test));
            Assert.Contains("pending", violation.Message);
        });
    }

    [Fact]
    public void Preallocated_buffer_freed_after_completion_is_clean()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        PVOID buffer = NULL;
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tags.Test);
            WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out var memory);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
            {
                WdfObjectDelete(r);
                WdfObjectDelete(memory);
                ExFreePoolWithTag(buffer, Tags.Test);
            }, WDF_NO_CONTEXT);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
        });

        host.LowerTarget.CompleteNext();

        Assert.Empty(host.Violations);
        Assert.Equal(0, host.Pool.OutstandingAllocations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void With_the_verifier_off_a_target_completing_into_freed_memory_corrupts_nothing()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4 });
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 4, out var memory);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            ExFreePoolWithTag(buffer, Tags.Test);
        });

        Assert.True(host.LowerTarget.CompleteNext());
        Assert.Equal(new[] { "DRV040" }, host.Violations.Select(v => v.Rule));
    }
}
