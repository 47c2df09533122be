using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Memory;

public class PreallocatedMemoryTests
{
    [Fact]
    public void Preallocated_memory_does_not_own_the_buffer()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            Assert.Equal(STATUS_SUCCESS, WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 8, out var memory));
            Assert.Equal(buffer, WdfMemoryGetBuffer(memory, NULL));
            WdfObjectDelete(memory);
            buffer.Write<long>(0, 5);
            ExFreePoolWithTag(buffer, Tags.Test);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Null_buffer_or_size_zero_is_an_invalid_parameter()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, NULL, 8, out _));
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 0, out _));
        });
    }

    [Fact]
    public void Assign_buffer_repoints_preallocated_memory()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var first = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            var second = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, first, 8, out var memory);

            Assert.Equal(STATUS_SUCCESS, WdfMemoryAssignBuffer(memory, second, 4));
            Assert.Equal(second, WdfMemoryGetBuffer(memory, out nuint size));
            Assert.Equal((nuint)4, size);
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryAssignBuffer(memory, NULL, 4));
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryAssignBuffer(memory, first, 0));
        });
    }

    [Fact]
    public void Assign_buffer_on_memory_that_owns_its_buffer_is_DRV041()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out var memory, NULL);
            var other = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            Expect.Violation("DRV041", () => WdfMemoryAssignBuffer(memory, other, 8));
            host.VerifierEnabled = false;
            Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfMemoryAssignBuffer(memory, other, 8));
        });
    }

    [Fact]
    public void Assign_buffer_on_request_memory_is_DRV041()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveOutputMemory(request, out var memory);
                try
                {
                    Expect.Violation("DRV041", () => WdfMemoryAssignBuffer(memory, ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test), 8));
                    Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(memory));
                }
                finally
                {
                    WdfRequestComplete(request, STATUS_SUCCESS);
                }
            },
        };
        Assert.Equal(STATUS_SUCCESS, host.Read(4).Status);
    }
}
