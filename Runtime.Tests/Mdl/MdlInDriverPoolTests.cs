using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Mdl;

/// <summary>C's <c>PMDL mdl = (PMDL)ExAllocatePool2(..., MmSizeOfMdl(va, length), tag); MmInitializeMdl(mdl, va, length);</c>.</summary>
public class MdlInDriverPoolTests
{
    [Fact]
    public void An_mdl_can_live_in_pool_the_driver_allocated()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, Tags.Test);
            PMDL mdl = ExAllocatePool2(POOL_FLAG_NON_PAGED, MmSizeOfMdl(buffer, 100), Tags.Test);
            MmInitializeMdl(mdl, buffer, 100);
            MmBuildMdlForNonPagedPool(mdl);
            Assert.Equal(buffer, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute));
            Assert.Equal(100u, MmGetMdlByteCount(mdl));

            ExFreePoolWithTag((PVOID)mdl, Tags.Test);
            Expect.Violation("DRV036", () => MmGetMdlByteCount(mdl));
            ExFreePoolWithTag(buffer, Tags.Test);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Pool_too_small_for_the_described_buffer_is_DRV020()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, Tags.Test);
            PMDL mdl = ExAllocatePool2(POOL_FLAG_NON_PAGED, MmSizeOfMdl(buffer, 10), Tags.Test);
            Expect.Violation("DRV020", () => MmInitializeMdl(mdl, buffer, 3 * PAGE_SIZE));
        });
    }

    [Fact]
    public void Only_the_start_of_big_enough_pool_converts_to_an_mdl()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PVOID small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            PVOID big = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tags.Test);
            Expect.Violation("InvalidMdl", () => { PMDL mdl = small; });
            Expect.Violation("InvalidMdl", () => { PMDL mdl = big + 8; });
            PMDL first = big, second = big;
            Assert.Equal(first, second);
        });
    }

    [Fact]
    public void Freeing_an_io_allocated_mdl_with_ExFreePool_is_InvalidPoolFree()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            PMDL mdl = IoAllocateMdl(buffer, 8, FALSE, FALSE, NULL);
            Expect.Violation("InvalidPoolFree", () => ExFreePool((PVOID)mdl));
            IoFreeMdl(mdl);
        });
    }
}
