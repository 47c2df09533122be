using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Rtl;

public class RtlCopyTests
{
    [Fact]
    public void Copy_move_fill_zero_and_compare_work_within_bounds()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var a = new byte[] { 1, 2, 3, 4, 5, 6 }.AsPointer();
            var b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 6, Tags.Test);
            RtlCopyMemory(b, a, 6);
            Assert.Equal((nuint)6, RtlCompareMemory(a, b, 6));
            RtlMoveMemory(a + 1, a, 5);
            var moved = new byte[6];
            a.CopyTo(moved, 0);
            Assert.Equal(new byte[] { 1, 1, 2, 3, 4, 5 }, moved);
            Assert.Equal((nuint)1, RtlCompareMemory(a, b, 6));
            RtlFillMemory(b + 2, 2, 0xEE);
            RtlZeroMemory(b, 2);
            Assert.Equal(0xEEEE0000u, b.Read<uint>(0));
            RtlCopyMemory(NULL, NULL, 0);
        });
    }

    [Fact]
    public void Copying_more_than_either_buffer_holds_is_DRV020_and_changes_nothing()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var big = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }.AsPointer();
            var small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            Expect.Violation("DRV020", () => RtlCopyMemory(small, big, 8));
            Expect.Violation("DRV020", () => RtlCopyMemory(big, small, 8));
            Expect.Violation("DRV020", () => RtlCopyMemory(small, big, nuint.MaxValue));
            Expect.Violation("DRV020", () => RtlZeroMemory(small, 5));
            Expect.Violation("DRV020", () => RtlFillMemory(small + 4, 1, 1));
            Assert.Equal(0u, small.Read<uint>(0));
            Assert.Equal(0x0807060504030201UL, big.Read<ulong>(0));
        });
    }

    [Fact]
    public void Copying_from_or_to_NULL_is_DRV022()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            Expect.Violation("DRV022", () => RtlCopyMemory(p, NULL, 4));
            Expect.Violation("DRV022", () => RtlCopyMemory(NULL, p, 4));
            Expect.Violation("DRV022", () => RtlZeroMemory(NULL, 1));
        });
    }

    [Fact]
    public void Copying_into_freed_pool_is_DRV036()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var source = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            var freed = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            ExFreePoolWithTag(freed, Tags.Test);
            Expect.Violation("DRV036", () => RtlCopyMemory(freed, source, 4));
        });
    }
}
