using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Memory;

/// <summary>PVOID: a checked pointer; every access is checked when it happens.</summary>
public class PvoidTests
{
    [Fact]
    public void Reads_and_writes_typed_values_at_offsets()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tags.Test);
            p.Write<ulong>(8, 0x1122334455667788);
            Assert.Equal(0x11223344u, (p + 12).Read<uint>(0));
            Assert.Equal((byte)0x88, (p + 16 - 8).Read<byte>(0));
            Assert.Equal((byte)0x77, ((p + 10) - 1).Read<byte>(0));
            Assert.Equal(p + (nuint)4, (p + 8) - (nuint)4);
            Assert.NotEqual(p, p + 1);
            ExFreePool(p);
        });
    }

    [Fact]
    public void Every_out_of_bounds_accessor_access_is_DRV024()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            Expect.Violation("DRV024", () => p.Read<ulong>(0));
            Expect.Violation("DRV024", () => (p + 4).Read<byte>(0));
            Expect.Violation("DRV024", () => (p - 1).Read<byte>(0));
            Expect.Violation("DRV024", () => p.Write<int>(1, 0));
            Expect.Violation("DRV024", () => p.CopyFrom(new byte[5], 0));
            Expect.Violation("DRV024", () => p.CopyTo(new byte[2], nuint.MaxValue));
            Assert.Equal(0, p.Read<int>(0));
        });
    }

    [Fact]
    public void A_copy_DDI_out_of_bounds_is_DRV020_while_the_same_range_through_an_accessor_is_DRV024()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            var large = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            Assert.Equal("RtlCopyMemory", Expect.Violation("DRV020", () => RtlCopyMemory(small, large, 8)).Ddi);
            Assert.Equal("RtlMoveMemory", Expect.Violation("DRV020", () => RtlMoveMemory(large, small, 8)).Ddi);
            Assert.Equal("RtlFillMemory", Expect.Violation("DRV020", () => RtlFillMemory(small, 5, 0)).Ddi);
            Assert.Equal("PVOID.CopyFrom", Expect.Violation("DRV024", () => small.CopyFrom(new byte[8], 0)).Ddi);
            ExFreePool(small);
            ExFreePool(large);
        });
    }

    [Fact]
    public void Out_of_bounds_with_the_verifier_off_touches_only_the_allocation()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, Tags.Test);
            p.CopyFrom(new byte[] { 1, 2, 3, 4 }, 0);
            var back = new byte[4];
            p.CopyTo(back, 0);
            Assert.Equal(new byte[] { 1, 2, 0xDD, 0xDD }, back);
        });
        Assert.All(host.Violations, v => Assert.Equal("DRV024", v.Rule));
    }

    [Fact]
    public void NULL_is_default_and_dereferencing_it_is_DRV022()
    {
        Assert.Equal(default(PVOID), NULL);
        Assert.Equal("NULL", NULL.ToString());
        Expect.Violation("DRV022", () => NULL.Read<int>(0));
        Expect.Violation("DRV022", () => (NULL + 8).Write<int>(0, 1));
    }

    [Fact]
    public void A_non_null_pointer_cannot_pose_as_an_optional_handle()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            var violation = Expect.Violation("InvalidNullConversion", () => { WDFMEMORY memory = p; });
            Assert.Contains("WDFMEMORY", violation.Message);
            Expect.Violation("InvalidNullConversion", () => { long? offset = p; });
        });
    }

    [Fact]
    public void Pointer_names_its_allocation_and_offset()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            Assert.Matches(@"^PVOID\(pool#\d+\+0x2\)$", (p + 2).ToString());
        });
    }
}
