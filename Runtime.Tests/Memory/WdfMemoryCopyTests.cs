using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Memory;

/// <summary>WdfMemoryCopyFromBuffer/ToBuffer: bounds-checked copies with KMDF's statuses (DRV021: check them).</summary>
public class WdfMemoryCopyTests
{
    private static void WithMemory(System.Action<WDFMEMORY, PVOID> test)
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            test(memory, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }.AsPointer());
        });
    }

    [Fact]
    public void Copies_in_and_out_within_bounds() => WithMemory((memory, source) =>
    {
        Assert.Equal(STATUS_SUCCESS, WdfMemoryCopyFromBuffer(memory, 2, source, 6));
        var back = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
        Assert.Equal(STATUS_SUCCESS, WdfMemoryCopyToBuffer(memory, 2, back, 6));
        var bytes = new byte[6];
        back.CopyTo(bytes, 0);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, bytes);
    });

    [Fact]
    public void Offset_past_the_end_is_STATUS_INVALID_BUFFER_SIZE() => WithMemory((memory, source) =>
    {
        Assert.Equal(STATUS_INVALID_BUFFER_SIZE, WdfMemoryCopyFromBuffer(memory, 9, source, 1));
        Assert.Equal(STATUS_INVALID_BUFFER_SIZE, WdfMemoryCopyToBuffer(memory, nuint.MaxValue, source, 1));
    });

    [Fact]
    public void Too_many_bytes_is_STATUS_BUFFER_TOO_SMALL_and_nothing_is_copied() => WithMemory((memory, source) =>
    {
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, WdfMemoryCopyFromBuffer(memory, 0, source, 9));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, WdfMemoryCopyFromBuffer(memory, 8, source, 1));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, WdfMemoryCopyToBuffer(memory, 4, source, nuint.MaxValue));
        Assert.Equal(0xCD, WdfMemoryGetBuffer(memory, NULL).Read<byte>(0));
    });

    [Fact]
    public void Zero_bytes_or_a_NULL_buffer_is_STATUS_INVALID_PARAMETER() => WithMemory((memory, source) =>
    {
        Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryCopyFromBuffer(memory, 0, source, 0));
        Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryCopyToBuffer(memory, 0, NULL, 1));
    });

    [Fact]
    public void A_source_smaller_than_the_count_is_DRV020() => WithMemory((memory, source) =>
    {
        var small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, Tags.Test);
        Expect.Violation("DRV020", () => WdfMemoryCopyFromBuffer(memory, 0, small, 4));
        Expect.Violation("DRV020", () => WdfMemoryCopyToBuffer(memory, 0, small, 4));
    });

    [Fact]
    public void A_null_memory_handle_is_DRV022()
    {
        using var host = new DriverHost();
        host.Run(() => Expect.Violation("DRV022", () => WdfMemoryCopyFromBuffer(WDF_NO_HANDLE, 0, NULL, 1)));
        host.VerifierEnabled = false;
        Assert.Equal(STATUS_INVALID_HANDLE, host.Run(() => WdfMemoryCopyToBuffer(NULL, 0, NULL, 1)));
    }
}
