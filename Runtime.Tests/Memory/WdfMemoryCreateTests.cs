using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Memory;

public class WdfMemoryCreateTests
{
    [Fact]
    public void Created_memory_owns_its_buffer_and_deleting_it_frees_the_buffer()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 16, out var memory, out PVOID buffer));
            Assert.Equal(buffer, WdfMemoryGetBuffer(memory, out nuint size));
            Assert.Equal((nuint)16, size);
            Assert.StartsWith("WDFMEMORY#", memory.ToString());

            WdfObjectDelete(memory);
            Expect.Violation("DRV036", () => WdfMemoryGetBuffer(memory, NULL));
            Expect.Violation("DRV036", () => buffer.Read<byte>(0));
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Size_zero_is_an_invalid_parameter_and_pool_exhaustion_is_reported()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 0, out var memory, NULL));
            Assert.Equal(default, memory);
            host.Pool.FailNextAllocations(1);
            Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out memory, out PVOID buffer));
            Assert.Equal(NULL, buffer);
        });
    }

    [Fact]
    public void Memory_parented_to_another_object_dies_with_it()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out var parent, NULL);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = parent;
            WDFOBJECT cleaned = default;
            attributes.EvtCleanupCallback = o => cleaned = o;
            WdfMemoryCreate(attributes, PagedPool, Tags.Test, 8, out var child, out PVOID childBuffer);

            WdfObjectDelete(parent);

            Assert.Equal((WDFOBJECT)child, cleaned);
            Expect.Violation("DRV036", () => WdfMemoryGetBuffer(child, NULL));
            Expect.Violation("DRV036", () => childBuffer.Write<byte>(0, 1));
        });
    }

    [Fact]
    public void A_driver_reference_keeps_the_buffer_until_dereferenced()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out var memory, out PVOID buffer);
            WdfObjectReference(memory);
            WdfObjectDelete(memory);
            buffer.Write<byte>(0, 1);
            WdfObjectDereference(memory);
            Expect.Violation("DRV036", () => buffer.Write<byte>(0, 1));
        });
    }

    [Fact]
    public void Unbalanced_dereference_and_deleting_twice_are_violations()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out var memory, NULL);
            Expect.Violation("ReferenceCountUnderflow", () => WdfObjectDereference(memory));
            WdfObjectDelete(memory);
            Expect.Violation("DRV036", () => WdfObjectDelete(memory));
            Expect.Violation("DRV036", () => WdfObjectDereference(memory));
        });
    }

    [Fact]
    public void A_stale_parent_in_the_attributes_is_rejected()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 8, out var parent, NULL);
            WdfObjectDelete(parent);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = parent;
            Expect.Violation("DRV036", () => WdfMemoryCreate(attributes, PagedPool, Tags.Test, 8, out _, NULL));
        });
    }
}
