using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Mdl;

/// <summary>MDLs that claim 2^31 bytes or more of a small buffer: the mapping covers only the real buffer, and accesses past it are violations, not .NET exceptions.</summary>
public class HugeMdlTests
{
    [Theory]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void A_nonpaged_pool_mdl_claiming_huge_lengths_maps_only_the_buffer(uint length)
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tags.Test);
            var mdl = IoAllocateMdl(pool, length, FALSE, FALSE, NULL);
            MmBuildMdlForNonPagedPool(mdl);
            Assert.Equal(length, MmGetMdlByteCount(mdl));

            var mapped = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
            mapped.Write<long>(56, 7);
            Assert.Equal(7, pool.Read<long>(56));
            Expect.Violation("DRV024", () => mapped.Read<long>(60));
            Expect.Violation("DRV024", () => mapped.Write<byte>(0x7FFFFFFF, 1));
            Expect.Violation("DRV020", () => RtlZeroMemory(mapped, length));

            IoFreeMdl(mdl);
            ExFreePool(pool);
        });
    }

    [Fact]
    public void A_partial_mdl_of_2_to_the_31_bytes_over_a_small_source_is_refused_as_out_of_bounds()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(() =>
        {
            var pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tags.Test);
            var source = IoAllocateMdl(pool, 0x80000000, FALSE, FALSE, NULL);
            MmBuildMdlForNonPagedPool(source);
            var partial = IoAllocateMdl(pool, 64, FALSE, FALSE, NULL);
            IoBuildPartialMdl(source, partial, pool + 32, 0x80000000);
            IoBuildPartialMdl(source, partial, pool + 8, 0x80000000 - 8);
            var mapped = MmGetSystemAddressForMdlSafe(partial, NormalPagePriority);
            var bytes = new byte[64];
            mapped.CopyTo(bytes, 0);
            IoFreeMdl(partial);
            IoFreeMdl(source);
            ExFreePool(pool);
        });
        Assert.Contains(host.Violations, v => v.Rule == "DRV020" && v.Ddi == "IoBuildPartialMdl");
        Assert.Contains(host.Violations, v => v.Rule == "DRV024" && v.Ddi == "PVOID.CopyTo");
    }
}
