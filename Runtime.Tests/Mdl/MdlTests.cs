using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Mdl;

/// <summary>The MDL DDIs of reference 001, table 7-2.</summary>
public class MdlTests
{
    [Fact]
    public void Mdl_for_nonpaged_pool_maps_to_the_pool_address()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, Tags.Test);
            PMDL mdl = IoAllocateMdl(buffer + 10, 50, FALSE, FALSE, NULL);
            Assert.NotEqual(default, mdl);
            Assert.Equal(50u, MmGetMdlByteCount(mdl));
            Assert.Equal(10u, MmGetMdlByteOffset(mdl));
            Assert.Equal(buffer + 10, MmGetMdlVirtualAddress(mdl));
            MmBuildMdlForNonPagedPool(mdl);
            Assert.Equal(buffer + 10, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute));
            IoFreeMdl(mdl);
            Expect.Violation("DRV036", () => MmGetMdlByteCount(mdl));
            Expect.Violation("DRV036", () => IoFreeMdl(mdl));
            ExFreePoolWithTag(buffer, Tags.Test);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Mapping_an_mdl_that_is_neither_locked_nor_built_is_InvalidMdl()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            var mdl = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);
            Expect.Violation("InvalidMdl", () => MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
            Expect.Violation("InvalidMdl", () => MmUnlockPages(mdl));
        });
    }

    [Fact]
    public void Probe_and_lock_then_unlock_ends_the_mapping()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tags.Test);
            var mdl = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);
            MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
            var mapped = MmGetSystemAddressForMdlSafe(mdl, HighPagePriority);
            mapped.Write<long>(0, 0x0102030405060708);
            Assert.Equal(0x0102030405060708, buffer.Read<long>(0));
            Assert.Equal(mapped, MmGetSystemAddressForMdl(mdl));
            MmUnlockPages(mdl);
            Expect.Violation("DRV036", () => mapped.Read<long>(0));
            IoFreeMdl(mdl);
        });
    }

    [Fact]
    public void Probe_and_lock_of_an_invalid_range_raises()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tags.Test);
            var mdl = IoAllocateMdl(buffer, 9, FALSE, FALSE, NULL);
            Expect.Raise(STATUS_ACCESS_VIOLATION, () => MmProbeAndLockPages(mdl, UserMode, IoReadAccess));
            MmInitializeMdl(mdl, buffer, 8);
            MmProbeAndLockPages(mdl, UserMode, IoModifyAccess);
            Assert.Equal(8u, MmGetMdlByteCount(mdl));
        });
    }

    [Fact]
    public void Partial_mdl_describes_part_of_the_source_and_can_be_reused()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }.AsPointer();
            var source = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);
            MmProbeAndLockPages(source, KernelMode, IoReadAccess);
            var partial = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);

            IoBuildPartialMdl(source, partial, buffer + 4, 2);
            var mapped = MmGetSystemAddressForMdlSafe(partial, NormalPagePriority);
            Assert.Equal((ushort)0x0504, mapped.Read<ushort>(0));
            Expect.Violation("DRV024", () => mapped.Read<ushort>(1));
            MmPrepareMdlForReuse(partial);
            Expect.Violation("DRV036", () => mapped.Read<byte>(0));

            Expect.Violation("DRV020", () => IoBuildPartialMdl(source, partial, buffer + 6, 4));
        });
    }

    [Fact]
    public void Failed_mapping_returns_NULL_from_both_mapping_ddis()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tags.Test);
            var mdl = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);
            MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
            host.Pool.FailNextMdlMappings(2);
            Assert.Equal(NULL, MmGetSystemAddressForMdl(mdl));
            Assert.Equal(NULL, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
            Assert.NotEqual(NULL, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
        });
    }

    [Fact]
    public void Size_of_mdl_counts_spanned_pages_and_zero_length_allocates_nothing()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 2 * PAGE_SIZE, Tags.Test);
            Assert.Equal((nuint)(48 + 8), MmSizeOfMdl(buffer, 100));
            Assert.Equal((nuint)(48 + 16), MmSizeOfMdl(buffer + (PAGE_SIZE - 10), 20));
            Assert.Equal(default, IoAllocateMdl(buffer, 0, FALSE, FALSE, NULL));
            Expect.Violation("DRV022", () => MmGetMdlByteCount(default));
        });
    }

    [Fact]
    public void Freeing_the_io_managers_mdl_is_InvalidMdl()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_DIRECT_IO);
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            try
            {
                Expect.Violation("InvalidMdl", () => IoFreeMdl(irp.MdlAddress));
            }
            finally
            {
                IoCompleteRequest(irp, IO_NO_INCREMENT);
            }
            return STATUS_SUCCESS;
        };
        Assert.Equal(STATUS_SUCCESS, host.Read(4).Status);
    }
}
