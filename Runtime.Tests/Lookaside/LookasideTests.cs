using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Lookaside;

public class LookasideTests
{
    [Fact]
    public void Buffers_come_from_the_list_and_go_back_when_their_memory_is_deleted()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 32, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, Tags.Test, out var lookaside));
            Assert.Equal(STATUS_SUCCESS, WdfMemoryCreateFromLookaside(lookaside, out var first));
            var buffer = WdfMemoryGetBuffer(first, out nuint size);
            Assert.Equal((nuint)32, size);
            buffer.Write<int>(28, 7);

            WdfObjectDelete(first);
            var stale = Expect.Violation("DRV036", () => buffer.Read<int>(28));
            Assert.Contains("went back to WDFLOOKASIDE#", stale.Message);

            WdfMemoryCreateFromLookaside(lookaside, out var second);
            Assert.Equal(7, WdfMemoryGetBuffer(second, NULL).Read<int>(28));
            WdfObjectDelete(second);
            WdfObjectDelete(lookaside);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_buffer_never_returned_is_a_lookaside_leak_at_unload()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 16, PagedPool, WDF_NO_OBJECT_ATTRIBUTES, Tags.Test, out var lookaside);
            WdfMemoryCreateFromLookaside(lookaside, out _);
        });

        Assert.Equal(new[] { "LookasideLeak" }, host.Unload().Rules);
    }

    [Fact]
    public void Deleting_the_list_deletes_its_memory_objects()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 16, PagedPool, WDF_NO_OBJECT_ATTRIBUTES, Tags.Test, out var lookaside);
            WdfMemoryCreateFromLookaside(lookaside, out var memory);
            WdfObjectDelete(lookaside);
            Expect.Violation("DRV036", () => WdfMemoryGetBuffer(memory, NULL));
            Expect.Violation("DRV036", () => WdfMemoryCreateFromLookaside(lookaside, out _));
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Bad_input_fails_with_a_status()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 0, PagedPool, WDF_NO_OBJECT_ATTRIBUTES, Tags.Test, out var none));
            Assert.Equal(default, none);
            WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 16, PagedPool, WDF_NO_OBJECT_ATTRIBUTES, Tags.Test, out var lookaside);
            host.Pool.FailNextAllocations(1);
            Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, WdfMemoryCreateFromLookaside(lookaside, out var memory));
            Assert.Equal(default, memory);
            Expect.Violation("DRV022", () => WdfMemoryCreateFromLookaside(WDF_NO_HANDLE, out _));
        });
    }
}
